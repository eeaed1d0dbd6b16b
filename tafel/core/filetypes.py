"""File types judged by their content, never by the name or the browser's type.

- PDF, PNG and JPEG by their signature;
- DOCX and XLSX as an OOXML zip with `[Content_Types].xml`, the main part
  (`word/document.xml`, `xl/workbook.xml`) and its (non-macro) content type;
- ODT and ODS as an ODF zip whose first entry is `mimetype`, stored
  uncompressed, holding exactly the ODF media type, plus a manifest.

Zips are only inspected through their directory (and two tiny entries read with
a limit); nothing is extracted. Archives that look like zip bombs, are
encrypted, use unusual compression or hold unsafe entry names raise Damaged.
"""

from __future__ import annotations

import io
import lzma
import os
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO


@dataclass(frozen=True)
class FileKind:
    """An allowed kind of file: how it is labelled, served and stored."""

    label: str
    mime_type: str
    extension: str  # canonical, without the dot
    aliases: tuple[str, ...] = ()  # other extensions that may stay on the original name


ALLOWED: dict[str, FileKind] = {
    "pdf": FileKind("PDF", "application/pdf", "pdf"),
    "docx": FileKind(
        "DOCX",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "xlsx": FileKind(
        "XLSX",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    "odt": FileKind("ODT", "application/vnd.oasis.opendocument.text", "odt"),
    "ods": FileKind("ODS", "application/vnd.oasis.opendocument.spreadsheet", "ods"),
    "png": FileKind("PNG", "image/png", "png"),
    "jpeg": FileKind("JPEG", "image/jpeg", "jpg", ("jpeg", "jpe")),
}
ALLOWED_MIME_TYPES = frozenset(kind.mime_type for kind in ALLOWED.values())

# Zip-bomb and sanity limits for OOXML/ODF archives.
ZIP_MAX_ENTRIES = 10_000
ZIP_MAX_TOTAL_SIZE = 100 * 1024 * 1024  # declared uncompressed size of all entries
ZIP_MAX_RATIO = 100  # uncompressed : compressed, for entries larger than...
ZIP_RATIO_MIN_SIZE = 1024 * 1024
ZIP_MAX_CONTENT_TYPES = 1024 * 1024  # size of [Content_Types].xml we are willing to read

HEAD_SIZE = 4096

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PDF_RE = re.compile(rb"%PDF-\d\.\d")
_ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_OOXML_MAIN = {
    "docx": (
        "word/document.xml",
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    "xlsx": (
        "xl/workbook.xml",
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
}
# Whatever zipfile may raise on a hostile or broken archive.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    lzma.LZMAError,
    struct.error,
    EOFError,
    OSError,
    ValueError,  # includes UnicodeDecodeError
    NotImplementedError,
    RuntimeError,
    KeyError,
    IndexError,
    OverflowError,
)


class Damaged(Exception):
    """The archive is broken, hostile or a zip bomb."""


# Type detection ---------------------------------------------------------------------


def detect_type(head: bytes, stream: IO[bytes] | None = None) -> str | None:
    """The kind (a key of ALLOWED) of a file, judged by its content, or None.

    `head` is the start of the file (a few KB); `stream` the whole file,
    seekable, needed for zip-based kinds (when None, `head` is taken to be the
    whole file). Damaged or suspicious archives give None. Never raises on any
    input; the stream's position is restored.
    """
    try:
        return detect(head, stream)
    except Damaged:
        return None


def detect(head: bytes, stream: IO[bytes] | None) -> str | None:
    """The kind of a file, or None; raises Damaged for a broken or hostile archive."""
    if _PDF_RE.match(head):
        return "pdf"
    if head.startswith(_PNG_SIGNATURE) and head[12:16] == b"IHDR":
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _detect_zip(stream if stream is not None else io.BytesIO(head))
    return None


def _detect_zip(stream: IO[bytes]) -> str | None:
    position = stream.tell()
    try:
        size = stream.seek(0, os.SEEK_END)
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            _check_archive(infos, size)
            return _zip_kind(archive, infos)
    except _ZIP_ERRORS as exc:
        raise Damaged from exc
    finally:
        stream.seek(position)


def _check_archive(infos: list[zipfile.ZipInfo], size: int) -> None:
    """Raise Damaged for zip bombs, encryption and unsafe or impossible entries."""
    if len(infos) > ZIP_MAX_ENTRIES:
        raise Damaged("too many entries")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise Damaged("encrypted entry")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Damaged("unusual compression")
        if _unsafe_entry_name(info.filename):
            raise Damaged("unsafe entry name")
        if info.header_offset >= size or info.compress_size > size:
            raise Damaged("entry outside the file")
        total += info.file_size
        if total > ZIP_MAX_TOTAL_SIZE:
            raise Damaged("too much uncompressed data")
        if info.file_size > ZIP_RATIO_MIN_SIZE and (
            info.file_size > info.compress_size * ZIP_MAX_RATIO
        ):
            raise Damaged("compression ratio too high")


def _unsafe_entry_name(name: str) -> bool:
    if not name or name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
        return True
    return ".." in re.split(r"[/\\]", name)


def _zip_kind(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> str | None:
    if not infos:
        return None
    names = {info.filename.lower(): info for info in infos}
    if infos[0].filename == "mimetype":
        return _odf_kind(archive, infos[0], names)
    if "[content_types].xml" in names:
        return _ooxml_kind(archive, names)
    return None


def _odf_kind(
    archive: zipfile.ZipFile, first: zipfile.ZipInfo, names: dict[str, zipfile.ZipInfo]
) -> str | None:
    if (
        first.compress_type != zipfile.ZIP_STORED
        or first.header_offset != 0
        or first.file_size > 100
        or "meta-inf/manifest.xml" not in names
    ):
        return None
    with archive.open(first) as entry:
        media_type = entry.read(101)
    return _ODF_TYPES.get(media_type)


def _ooxml_kind(archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo]) -> str | None:
    present = [kind for kind, (main, _) in _OOXML_MAIN.items() if main in names]
    if len(present) != 1:
        return None
    if any(name.endswith("vbaproject.bin") for name in names):
        return None  # macros
    content_types = _read_limited(archive, names["[content_types].xml"], ZIP_MAX_CONTENT_TYPES)
    if content_types is None:
        return None
    kind = present[0]
    lowered = content_types.lower()
    if _OOXML_MAIN[kind][1] not in content_types or b"macroenabled" in lowered:
        return None
    if b"vbaproject" in lowered:
        return None
    return kind


def _read_limited(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes | None:
    if info.file_size > limit:
        return None
    with archive.open(info) as entry:
        data = entry.read(limit + 1)
    if len(data) > limit:
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        data = data.decode("utf-16").encode("utf-8")
    return data
