"""Attachments of submissions: checking, storing and serving uploaded files.

A submission has at most MAX_ATTACHMENTS files of at most MAX_SIZE bytes each,
of the kinds in ALLOWED. The kind is decided by the content alone, never by the
file name or the content type the browser sends:

- PDF, PNG and JPEG by their signature;
- DOCX and XLSX as an OOXML zip with `[Content_Types].xml`, the main part
  (`word/document.xml`, `xl/workbook.xml`) and its (non-macro) content type;
- ODT and ODS as an ODF zip whose first entry is `mimetype`, stored
  uncompressed, holding exactly the ODF media type, plus a manifest.

Zips are only inspected through their directory (and two tiny entries read with
a limit); nothing is extracted. Archives that look like zip bombs, are
encrypted, use unusual compression or hold unsafe entry names are refused as
damaged.

Files are stored outside static/ under generated names (`attachment_dir()`),
and served with `send_attachment()`: always as a download, with the original
name encoded per RFC 6266 / RFC 5987.

The typical view:

    upload = validate_upload(form.file.data, existing_count=len(submission.attachments))
    stored_name = store(upload, attachment_dir())
    db.session.add(Attachment(original_name=upload.original_name,
                              stored_name=stored_name, mime_type=upload.mime_type,
                              size=upload.size, sha256=upload.sha256, ...))

and `discard(stored_name, attachment_dir())` if the transaction then fails.
"""

from __future__ import annotations

import hashlib
import io
import lzma
import os
import re
import secrets
import shutil
import struct
import tempfile
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from flask import Flask, Response, abort, current_app, send_file
from flask_babel import lazy_gettext as _l

MAX_ATTACHMENTS = 5
MAX_SIZE = 10 * 1024 * 1024


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
FALLBACK_NAME = "bijlage"
MAX_NAME_LENGTH = 255
STORED_NAME_RE = re.compile(r"[0-9a-f]{32}\.[a-z]{3,4}")
FILE_MODE = 0o640
DIR_MODE = 0o750
DOWNLOAD_CSP = "default-src 'none'; sandbox"

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
# Removed from names: controls, format characters (bidi overrides, zero-width),
# surrogates and line/paragraph separators.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


# Errors -----------------------------------------------------------------------------


class AttachmentError(Exception):
    """A refused upload. `message` is a lazy, user-facing (Dutch) text;
    `code` is one of "count", "size", "empty", "type", "damaged"."""

    def __init__(self, code: str, message: Any, name: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.name = name


def _too_many() -> AttachmentError:
    return AttachmentError("count", _l("Een melding kan hoogstens 5 bijlagen hebben."))


def _too_large(name: str) -> AttachmentError:
    return AttachmentError("size", _l("Het bestand %(name)s is groter dan 10 MB.", name=name), name)


def _empty(name: str) -> AttachmentError:
    return AttachmentError("empty", _l("Het bestand %(name)s is leeg.", name=name), name)


def _not_allowed(name: str) -> AttachmentError:
    return AttachmentError(
        "type",
        _l(
            "Het bestand %(name)s heeft een type dat niet is toegestaan. "
            "Toegestaan zijn PDF, DOCX, XLSX, ODT, ODS, PNG en JPEG.",
            name=name,
        ),
        name,
    )


def _damaged(name: str) -> AttachmentError:
    return AttachmentError(
        "damaged",
        _l(
            "Het bestand %(name)s lijkt beschadigd of bevat te veel gecomprimeerde gegevens.",
            name=name,
        ),
        name,
    )


class _Damaged(Exception):
    """Internal: the archive is broken, hostile or a zip bomb."""


# Type detection ---------------------------------------------------------------------


def detect_type(head: bytes, stream: IO[bytes] | None = None) -> str | None:
    """The kind (a key of ALLOWED) of a file, judged by its content, or None.

    `head` is the start of the file (a few KB); `stream` the whole file,
    seekable, needed for zip-based kinds (when None, `head` is taken to be the
    whole file). Damaged or suspicious archives give None. Never raises on any
    input; the stream's position is restored.
    """
    try:
        return _detect(head, stream)
    except _Damaged:
        return None


def _detect(head: bytes, stream: IO[bytes] | None) -> str | None:
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
        raise _Damaged from exc
    finally:
        stream.seek(position)


def _check_archive(infos: list[zipfile.ZipInfo], size: int) -> None:
    """Raise _Damaged for zip bombs, encryption and unsafe or impossible entries."""
    if len(infos) > ZIP_MAX_ENTRIES:
        raise _Damaged("too many entries")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise _Damaged("encrypted entry")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _Damaged("unusual compression")
        if _unsafe_entry_name(info.filename):
            raise _Damaged("unsafe entry name")
        if info.header_offset >= size or info.compress_size > size:
            raise _Damaged("entry outside the file")
        total += info.file_size
        if total > ZIP_MAX_TOTAL_SIZE:
            raise _Damaged("too much uncompressed data")
        if info.file_size > ZIP_RATIO_MIN_SIZE and (
            info.file_size > info.compress_size * ZIP_MAX_RATIO
        ):
            raise _Damaged("compression ratio too high")


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


# Names ------------------------------------------------------------------------------


def clean_name(name: str | None) -> str:
    """A file name safe to keep and show: the base name only, without control,
    format or separator characters, at most 255 characters (keeping the
    extension), never empty. Idempotent."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _UNSAFE_CATEGORIES)
    name = name.strip()
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and 0 < len(extension) <= 16:
            name = stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:MAX_NAME_LENGTH].rstrip()
        name = unicodedata.normalize("NFC", name)
    if name in ("", ".", ".."):
        return FALLBACK_NAME
    return name


def _with_extension(name: str, kind: FileKind) -> str:
    """`name`, with the kind's extension added unless it already has a fitting one,
    so that a PNG called `x.html` is downloaded as `x.html.png`."""
    _, dot, extension = name.rpartition(".")
    if dot and extension.lower() in (kind.extension, *kind.aliases):
        return name
    return clean_name(f"{name}.{kind.extension}")


def _ascii_fallback(name: str) -> str:
    chars = []
    for ch in unicodedata.normalize("NFKD", name):
        if unicodedata.combining(ch) or ch in '"\\':
            continue
        chars.append(ch if " " <= ch <= "~" and ch != "%" else "_")
    fallback = "".join(chars).strip()[:MAX_NAME_LENGTH]
    return fallback or FALLBACK_NAME


def content_disposition(original_name: str) -> str:
    """A `Content-Disposition: attachment` value for `original_name` (RFC 6266):
    an ASCII `filename` for old clients and the exact name, UTF-8 and
    percent-encoded, in `filename*` (RFC 5987)."""
    name = clean_name(original_name)
    encoded = quote(name, safe="", encoding="utf-8")
    return f"attachment; filename=\"{_ascii_fallback(name)}\"; filename*=UTF-8''{encoded}"


# Validation -------------------------------------------------------------------------


@dataclass
class ValidatedUpload:
    """An accepted upload. `file` holds the content, positioned at the start
    (in memory when small, else in a temporary file); close it when done, or
    use the upload as a context manager."""

    kind: str
    mime_type: str
    extension: str
    size: int
    sha256: str
    original_name: str
    file: IO[bytes] = field(repr=False)

    def read(self) -> bytes:
        self.file.seek(0)
        return self.file.read()

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> ValidatedUpload:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def validate_upload(file_storage: Any, existing_count: int) -> ValidatedUpload:
    """Check an uploaded file (a werkzeug FileStorage) for a submission that
    already has `existing_count` attachments; raise AttachmentError if refused.

    Reads at most MAX_SIZE + 1 bytes, whatever Content-Length says; the name
    and the browser's content type play no part in accepting the file.
    """
    name = clean_name(getattr(file_storage, "filename", None))
    if existing_count >= MAX_ATTACHMENTS:
        raise _too_many()
    stream = file_storage.stream
    try:
        if stream.seekable():
            stream.seek(0)
    except (AttributeError, OSError, ValueError):
        pass
    spool = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)
    try:
        size, digest = _copy_limited(stream, spool, MAX_SIZE + 1)
        if size > MAX_SIZE:
            raise _too_large(name)
        if size == 0:
            raise _empty(name)
        spool.seek(0)
        head = spool.read(HEAD_SIZE)
        spool.seek(0)
        try:
            kind_name = _detect(head, spool)
        except _Damaged:
            raise _damaged(name) from None
        if kind_name is None:
            raise _not_allowed(name)
    except BaseException:
        spool.close()
        raise
    kind = ALLOWED[kind_name]
    spool.seek(0)
    return ValidatedUpload(
        kind=kind_name,
        mime_type=kind.mime_type,
        extension=kind.extension,
        size=size,
        sha256=digest,
        original_name=_with_extension(name, kind),
        file=spool,
    )


def _copy_limited(source: IO[bytes], target: IO[bytes], limit: int) -> tuple[int, str]:
    """Copy at most `limit` bytes; return the number copied and their SHA-256."""
    digest = hashlib.sha256()
    copied = 0
    while copied < limit:
        chunk = source.read(min(64 * 1024, limit - copied))
        if not chunk:
            break
        target.write(chunk)
        digest.update(chunk)
        copied += len(chunk)
    return copied, digest.hexdigest()


# Storage ----------------------------------------------------------------------------


def attachment_dir(app: Flask | None = None) -> Path:
    """Where attachments are stored: UPLOAD_DIR, by default instance/uploads.
    Refuses a directory inside the static folder."""
    app = app or current_app
    configured = app.config.get("UPLOAD_DIR")
    directory = Path(configured) if configured else Path(app.instance_path) / "uploads"
    if app.static_folder:
        static = Path(app.static_folder).resolve()
        if directory.resolve().is_relative_to(static):
            raise RuntimeError(f"UPLOAD_DIR {directory} must not be inside the static folder")
    return directory


def stored_path(directory: Path, stored_name: str) -> Path:
    """The path of a stored file; ValueError for a name store() cannot have made."""
    if not STORED_NAME_RE.fullmatch(stored_name or ""):
        raise ValueError(f"not a stored attachment name: {stored_name!r}")
    return Path(directory) / stored_name


def store(upload: ValidatedUpload, directory: Path) -> str:
    """Write the upload under a new random name in `directory` (created if
    missing) and return that name. Never overwrites: the file is created
    exclusively, with mode 0o640."""
    directory = Path(directory)
    directory.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    for _attempt in range(5):
        stored_name = f"{secrets.token_hex(16)}.{upload.extension}"
        path = directory / stored_name
        try:
            fd = os.open(path, flags, FILE_MODE)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "wb") as out:
                if hasattr(os, "fchmod"):
                    os.fchmod(out.fileno(), FILE_MODE)  # whatever the umask
                upload.file.seek(0)
                shutil.copyfileobj(upload.file, out)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        upload.file.seek(0)
        return stored_name
    raise FileExistsError(f"no free attachment name in {directory}")


def discard(stored_name: str, directory: Path) -> None:
    """Remove a stored file (after a failed transaction or a deletion)."""
    stored_path(directory, stored_name).unlink(missing_ok=True)


# Download ---------------------------------------------------------------------------


def send_attachment(attachment: Any, directory: Path) -> Response:
    """Serve an Attachment row's file as a download; 404 when it is missing.

    Checking who may download it is the caller's job.
    """
    try:
        path = stored_path(directory, attachment.stored_name)
    except ValueError:
        abort(404)
    if not path.is_file():
        abort(404)
    mime_type = attachment.mime_type
    if mime_type not in ALLOWED_MIME_TYPES:
        mime_type = "application/octet-stream"
    try:
        response = send_file(
            path,
            mimetype=mime_type,
            as_attachment=True,
            download_name=path.name,
            conditional=True,
        )
    except FileNotFoundError:  # removed since the check above
        abort(404)
    response.headers["Content-Disposition"] = content_disposition(attachment.original_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = DOWNLOAD_CSP
    return response
