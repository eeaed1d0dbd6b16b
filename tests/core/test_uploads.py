"""Attachment checks: type by content, size and count limits, zip bombs, safe
names, storage and downloads. No database: a bare Flask app serves downloads."""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import struct
import zipfile
import zlib
from urllib.parse import unquote

import pytest
from flask import Flask
from flask_babel.speaklater import LazyString
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import NotFound
from werkzeug.http import parse_options_header

from tafel.core import uploads as att
from tafel.core.filetypes import ALLOWED, HEAD_SIZE, detect_type
from tafel.core.uploads import (
    MAX_ATTACHMENTS,
    MAX_SIZE,
    UploadError,
    clean_name,
    content_disposition,
    discard,
    send_stored,
    store,
    stored_path,
    upload_dir,
    validate_upload,
)
from tafel.submissions.models import Attachment

ZIP_KINDS = {"docx", "xlsx", "odt", "ods"}
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
SHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"


# Real, minimal files ----------------------------------------------------------------


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n"
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
        b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def png_bytes() -> bytes:
    """A 1x1 black PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def jpeg_bytes() -> bytes:
    return (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        + b"\xff\xdb\x00\x43\x00"
        + bytes(64)
        + b"\xff\xd9"
    )


def content_types(main: str, part: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{main}"/>'
        "</Types>"
    ).encode()


RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats.org'
    b'/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)


def make_zip(entries, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of (name or ZipInfo, bytes) pairs, in order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_entries(main: str = WORD_MAIN) -> list:
    return [
        ("[Content_Types].xml", content_types(main, "word/document.xml")),
        ("_rels/.rels", RELS),
        ("word/document.xml", b"<w:document><w:body><w:p/></w:body></w:document>"),
    ]


def xlsx_entries(main: str = SHEET_MAIN) -> list:
    return [
        ("[Content_Types].xml", content_types(main, "xl/workbook.xml")),
        ("_rels/.rels", RELS.replace(b"word/document.xml", b"xl/workbook.xml")),
        ("xl/workbook.xml", b"<workbook><sheets/></workbook>"),
        ("xl/worksheets/sheet1.xml", b"<worksheet><sheetData/></worksheet>"),
    ]


def docx_bytes(main: str = WORD_MAIN, extra: tuple = ()) -> bytes:
    return make_zip([*docx_entries(main), *extra])


def xlsx_bytes(main: str = SHEET_MAIN, extra: tuple = ()) -> bytes:
    return make_zip([*xlsx_entries(main), *extra])


def odf_bytes(
    media_type: str = ODT,
    *,
    compress_mimetype: bool = False,
    mimetype_first: bool = True,
    manifest: bool = True,
) -> bytes:
    mimetype = zipfile.ZipInfo("mimetype")
    mimetype.compress_type = zipfile.ZIP_DEFLATED if compress_mimetype else zipfile.ZIP_STORED
    entries = [
        ("content.xml", b"<office:document-content/>"),
        ("styles.xml", b"<office:document-styles/>"),
    ]
    if manifest:
        entries.append(("META-INF/manifest.xml", b"<manifest:manifest/>"))
    first = (mimetype, media_type.encode())
    entries = [first, *entries] if mimetype_first else [*entries, first]
    return make_zip(entries)


def ods_bytes() -> bytes:
    return odf_bytes(ODS)


def exe_bytes() -> bytes:
    return (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(100) + b"PE\x00\x00"
    )


def set_flag(data: bytes, bit: int) -> bytes:
    """Set a general-purpose flag bit in every local and central header."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        for match in re.finditer(re.escape(signature), data):
            position = match.start() + offset
            (flags,) = struct.unpack_from("<H", out, position)
            struct.pack_into("<H", out, position, flags | bit)
    return bytes(out)


def declare_size(data: bytes, entry: str, size: int) -> bytes:
    """Rewrite the uncompressed size the central directory declares for `entry`."""
    out = bytearray(data)
    for match in re.finditer(re.escape(b"PK\x01\x02"), data):
        start = match.start()
        (name_length,) = struct.unpack_from("<H", out, start + 28)
        if out[start + 46 : start + 46 + name_length] == entry.encode():
            struct.pack_into("<I", out, start + 24, size)
            return bytes(out)
    raise AssertionError(f"{entry} not found")


def zeros_entry_zip(entries: dict[str, int], base: list | None = None) -> bytes:
    """A zip with `base` entries plus entries of `size` zero bytes, streamed."""
    buffer = io.BytesIO()
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in base or []:
            archive.writestr(name, data)
        for name, size in entries.items():
            with archive.open(name, "w", force_zip64=True) as entry:
                left = size
                while left:
                    entry.write(chunk[: min(left, len(chunk))])
                    left -= min(left, len(chunk))
    return buffer.getvalue()


VALID = {
    "pdf": pdf_bytes,
    "png": png_bytes,
    "jpeg": jpeg_bytes,
    "docx": docx_bytes,
    "xlsx": xlsx_bytes,
    "odt": odf_bytes,
    "ods": ods_bytes,
}
NAMES = {
    "pdf": "Rapport.pdf",
    "png": "schema.png",
    "jpeg": "foto.JPEG",
    "docx": "brief.docx",
    "xlsx": "cijfers.xlsx",
    "odt": "notitie.odt",
    "ods": "begroting.ods",
}


def upload(data: bytes, name: str | None = "bestand.pdf", content_type: str = "application/pdf"):
    return FileStorage(stream=io.BytesIO(data), filename=name, content_type=content_type)


def refusal(data: bytes, name: str | None = "bestand.pdf", existing: int = 0) -> UploadError:
    with pytest.raises(UploadError) as caught:
        validate_upload(upload(data, name), existing)
    return caught.value


# Type detection ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(VALID))
def test_each_allowed_kind_is_recognised_by_content(kind):
    data = VALID[kind]()
    assert detect_type(data[:HEAD_SIZE], io.BytesIO(data)) == kind
    assert detect_type(data) == kind  # head alone is the whole file


def test_allowed_kinds_have_mime_types_and_extensions():
    assert set(ALLOWED) == set(VALID)
    assert ALLOWED["docx"].mime_type.endswith("wordprocessingml.document")
    assert ALLOWED["xlsx"].mime_type.endswith("spreadsheetml.sheet")
    assert ALLOWED["jpeg"].mime_type == "image/jpeg"
    assert ALLOWED["jpeg"].extension == "jpg"
    assert {kind.extension for kind in ALLOWED.values()} == {
        "pdf",
        "png",
        "jpg",
        "docx",
        "xlsx",
        "odt",
        "ods",
    }


def test_detect_type_restores_the_stream_position():
    stream = io.BytesIO(docx_bytes())
    stream.seek(17)
    assert detect_type(stream.getvalue()[:64], stream) == "docx"
    assert stream.tell() == 17


REFUSED_CONTENT = {
    "exe named .pdf": (exe_bytes(), "factuur.pdf"),
    "html named .pdf": (b"<!doctype html><script>alert(1)</script>", "rapport.pdf"),
    "svg named .png": (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "logo.png",
    ),
    "plain zip named .docx": (make_zip([("hello.txt", b"hello")]), "brief.docx"),
    "text": (b"gewoon wat tekst\n", "notitie.odt"),
    "pdf signature not at the start": (b"\n" + pdf_bytes(), "rapport.pdf"),
    "png signature without IHDR": (b"\x89PNG\r\n\x1a\n" + bytes(20), "x.png"),
    "gif": (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "x.png"),
    "docm (macro content type)": (
        docx_bytes("application/vnd.ms-word.document.macroEnabled.main+xml"),
        "brief.docx",
    ),
    "dotx (template)": (
        docx_bytes(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
        ),
        "brief.docx",
    ),
    "docx with vbaProject.bin": (
        docx_bytes(extra=(("word/vbaProject.bin", b"\x00" * 10),)),
        "brief.docx",
    ),
    "xlsm (macro content type)": (
        xlsx_bytes("application/vnd.ms-excel.sheet.macroEnabled.main+xml"),
        "cijfers.xlsx",
    ),
    "ooxml without [Content_Types].xml": (
        make_zip(docx_entries()[1:]),
        "brief.docx",
    ),
    "ooxml with both document.xml and workbook.xml": (
        make_zip([*docx_entries(), ("xl/workbook.xml", b"<workbook/>")]),
        "brief.docx",
    ),
    "docx content types on a workbook": (
        make_zip(
            [
                ("[Content_Types].xml", content_types(WORD_MAIN, "xl/workbook.xml")),
                ("xl/workbook.xml", b"<workbook/>"),
            ]
        ),
        "cijfers.xlsx",
    ),
    "odt with compressed mimetype": (odf_bytes(compress_mimetype=True), "notitie.odt"),
    "odt with mimetype not first": (odf_bytes(mimetype_first=False), "notitie.odt"),
    "odt without manifest": (odf_bytes(manifest=False), "notitie.odt"),
    "odp (presentation)": (odf_bytes("application/vnd.oasis.opendocument.presentation"), "x.odt"),
    "odt with trailing newline in mimetype": (odf_bytes(ODT + "\n"), "notitie.odt"),
    "empty zip": (make_zip([]), "leeg.docx"),
}


@pytest.mark.parametrize("case", sorted(REFUSED_CONTENT))
def test_unknown_content_is_refused_whatever_the_name(case):
    data, name = REFUSED_CONTENT[case]
    assert detect_type(data, io.BytesIO(data)) is None
    error = refusal(data, name)
    assert error.code == "type"


def test_browser_content_type_and_name_are_ignored():
    storage = FileStorage(
        stream=io.BytesIO(pdf_bytes()), filename="pagina.html", content_type="text/html"
    )
    result = validate_upload(storage, 0)
    assert result.kind == "pdf"
    assert result.mime_type == "application/pdf"
    assert result.original_name == "pagina.html.pdf"  # never downloaded as .html

    error = refusal(exe_bytes(), "rapport.pdf")
    assert error.code == "type"


# Zip bombs and hostile archives -----------------------------------------------------


def test_zip_bomb_of_200_mb_zeros_is_refused():
    data = zeros_entry_zip({"word/media/zeros.bin": 200 * 1024 * 1024}, docx_entries())
    assert len(data) < 1024 * 1024  # small on the wire
    assert detect_type(data[:4096], io.BytesIO(data)) is None
    assert refusal(data, "brief.docx").code == "damaged"


def test_high_ratio_entry_over_one_mb_is_refused():
    data = zeros_entry_zip({"word/media/image1.bin": 2 * 1024 * 1024}, docx_entries())
    assert refusal(data, "brief.docx").code == "damaged"


def test_high_ratio_entry_under_one_mb_is_allowed():
    data = zeros_entry_zip({"word/media/image1.bin": 900 * 1024}, docx_entries())
    assert detect_type(data, io.BytesIO(data)) == "docx"


def test_many_small_entries_over_100_mb_in_total_are_refused():
    entries = {f"xl/media/part{i}.bin": 1_000_000 for i in range(110)}
    data = zeros_entry_zip(entries, xlsx_entries())
    assert refusal(data, "cijfers.xlsx").code == "damaged"


def test_declared_uncompressed_size_is_enough_to_refuse():
    data = declare_size(docx_bytes(), "word/document.xml", 150 * 1024 * 1024)
    assert detect_type(data, io.BytesIO(data)) is None
    assert refusal(data, "brief.docx").code == "damaged"


def test_more_than_10000_entries_are_refused():
    entries = [*docx_entries(), *((f"word/p{i}.xml", b"") for i in range(10_001))]
    data = make_zip(entries, zipfile.ZIP_STORED)
    assert refusal(data, "brief.docx").code == "damaged"


def test_encrypted_entries_are_refused():
    data = set_flag(docx_bytes(), 0x1)
    assert detect_type(data, io.BytesIO(data)) is None
    assert refusal(data, "brief.docx").code == "damaged"


@pytest.mark.parametrize(
    "entry", ["../evil.xml", "word/../../evil.xml", "/etc/passwd", "C:/evil.xml", "word\\..\\x"]
)
def test_unsafe_entry_names_are_refused(entry):
    data = docx_bytes(extra=((entry, b"x"),))
    assert detect_type(data, io.BytesIO(data)) is None
    assert refusal(data, "brief.docx").code == "damaged"


def test_unusual_compression_is_refused():
    data = make_zip(docx_entries(), zipfile.ZIP_BZIP2)
    assert refusal(data, "brief.docx").code == "damaged"


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04" + bytes(200),
        docx_bytes()[:-30],
        docx_bytes()[: len(docx_bytes()) // 2],
    ],
    ids=["garbage", "truncated end", "half"],
)
def test_broken_zips_are_refused_as_damaged(data):
    assert detect_type(data, io.BytesIO(data)) is None
    assert refusal(data, "brief.docx").code == "damaged"


def test_corrupted_content_types_entry_is_refused():
    data = bytearray(docx_bytes())
    # Flip a byte inside the compressed [Content_Types].xml (first entry's data).
    (name_length, extra_length) = struct.unpack_from("<HH", data, 26)
    data[30 + name_length + extra_length + 5] ^= 0xFF
    assert refusal(bytes(data), "brief.docx").code in {"damaged", "type"}


# Property tests for detection -------------------------------------------------------


@given(st.binary(max_size=4096))
def test_random_bytes_never_raise_and_are_never_office_documents(data):
    assert detect_type(data, io.BytesIO(data)) not in ZIP_KINDS


@given(st.binary(max_size=2048))
def test_random_bytes_behind_a_zip_signature_are_never_office_documents(tail):
    data = b"PK\x03\x04" + tail
    assert detect_type(data, io.BytesIO(data)) is None


VALID_ZIPS = [docx_bytes(), xlsx_bytes(), odf_bytes(), ods_bytes()]


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(VALID_ZIPS),
    st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=8),
    st.integers(min_value=0),
)
def test_damaged_office_documents_never_raise(original, flips, cut):
    data = bytearray(original)
    for position, value in flips:
        data[position % len(data)] = value
    data = bytes(data[: len(data) - cut % 64])
    assert detect_type(data, io.BytesIO(data)) in {None, *ALLOWED}


@settings(deadline=None)
@given(st.binary(max_size=512), st.text(max_size=40))
def test_validate_upload_only_raises_attachment_errors(data, name):
    try:
        result = validate_upload(upload(data, name), 0)
    except UploadError as error:
        assert error.code in {"empty", "type", "damaged"}
    else:
        assert result.kind in {"pdf", "png", "jpeg"}


# validate_upload --------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(VALID))
def test_valid_uploads_are_accepted(kind):
    data = VALID[kind]()
    with validate_upload(upload(data, NAMES[kind], "application/octet-stream"), 4) as result:
        assert result.kind == kind
        assert result.mime_type == ALLOWED[kind].mime_type
        assert result.extension == ALLOWED[kind].extension
        assert result.size == len(data)
        assert result.sha256 == hashlib.sha256(data).hexdigest()
        assert result.original_name == NAMES[kind]
        assert result.read() == data


def test_at_most_five_attachments():
    assert MAX_ATTACHMENTS == 5
    validate_upload(upload(pdf_bytes()), MAX_ATTACHMENTS - 1).close()
    for existing in (MAX_ATTACHMENTS, MAX_ATTACHMENTS + 2):
        error = refusal(pdf_bytes(), existing=existing)
        assert error.code == "count"
        assert str(error.message) == "Een melding kan hoogstens 5 bijlagen hebben."


def test_exactly_10_mb_is_accepted():
    data = pdf_bytes() + b" " * (MAX_SIZE - len(pdf_bytes()))
    with validate_upload(upload(data), 0) as result:
        assert result.size == MAX_SIZE == 10 * 1024 * 1024
        assert result.sha256 == hashlib.sha256(data).hexdigest()


def test_10_mb_plus_one_byte_is_refused():
    data = pdf_bytes() + b" " * (MAX_SIZE + 1 - len(pdf_bytes()))
    error = refusal(data, "groot.pdf")
    assert error.code == "size"
    assert str(error.message) == "Het bestand groot.pdf is groter dan 10 MB."


class CountingStream(io.RawIOBase):
    """An endless PDF-looking stream that counts what is read from it."""

    def __init__(self):
        self.read_bytes = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        data = (b"%PDF-1.7" if self.read_bytes == 0 else b"") + bytes(len(buffer))
        data = data[: len(buffer)]
        buffer[: len(data)] = data
        self.read_bytes += len(data)
        return len(data)


def test_reads_at_most_max_size_plus_one_and_ignores_content_length():
    stream = CountingStream()
    storage = FileStorage(stream=stream, filename="eindeloos.pdf", content_length=100)
    with pytest.raises(UploadError) as caught:
        validate_upload(storage, 0)
    assert caught.value.code == "size"
    assert stream.read_bytes == MAX_SIZE + 1


def test_a_wrong_content_length_does_not_matter_for_small_files():
    storage = FileStorage(
        stream=io.BytesIO(pdf_bytes()), filename="a.pdf", content_length=50 * 1024 * 1024
    )
    with validate_upload(storage, 0) as result:
        assert result.size == len(pdf_bytes())


def test_empty_files_are_refused():
    error = refusal(b"", "leeg.pdf")
    assert error.code == "empty"
    assert str(error.message) == "Het bestand leeg.pdf is leeg."


def test_stream_already_read_is_rewound():
    storage = upload(pdf_bytes())
    storage.stream.read()
    with validate_upload(storage, 0) as result:
        assert result.size == len(pdf_bytes())


def test_error_messages_are_lazy_dutch_and_name_the_clean_file():
    error = refusal(exe_bytes(), "C:\\fake\\virus\x07.pdf")
    assert isinstance(error.message, LazyString)
    assert error.name == "virus.pdf"
    assert str(error.message) == (
        "Het bestand virus.pdf heeft een type dat niet is toegestaan. "
        "Toegestaan zijn PDF, DOCX, XLSX, ODT, ODS, PNG en JPEG."
    )
    assert str(error) == str(error.message)
    damaged = refusal(b"PK\x03\x04" + bytes(50), "kapot.docx")
    assert str(damaged.message) == (
        "Het bestand kapot.docx lijkt beschadigd of bevat te veel gecomprimeerde gegevens."
    )


@pytest.mark.parametrize(
    ("sent", "kind", "kept"),
    [
        ("C:\\Users\\ingrid\\Rapport 2026.pdf", "pdf", "Rapport 2026.pdf"),
        ("../../etc/passwd", "png", "passwd.png"),
        ("evil\u202egnp.exe", "png", "evilgnp.exe.png"),
        ("a\r\nSet-Cookie: x.pdf", "pdf", "aSet-Cookie: x.pdf"),
        ("foto.JPEG", "jpeg", "foto.JPEG"),
        ("foto.jpg", "jpeg", "foto.jpg"),
        ("scan", "jpeg", "scan.jpg"),
        ("tabel.xlsx", "docx", "tabel.xlsx.docx"),
        (None, "pdf", "bijlage.pdf"),
        ("", "odt", "bijlage.odt"),
        ("..", "pdf", "bijlage.pdf"),
        ("   ", "pdf", "bijlage.pdf"),
        ("ü.pdf", "pdf", "ü.pdf"),
    ],
)
def test_original_names_are_made_safe(sent, kind, kept):
    with validate_upload(upload(VALID[kind](), sent), 0) as result:
        assert result.original_name == kept


def test_long_names_are_cut_to_255_keeping_the_extension():
    with validate_upload(upload(pdf_bytes(), "x" * 400 + ".pdf"), 0) as result:
        assert len(result.original_name) == 255
        assert result.original_name.endswith("x.pdf")
    with validate_upload(upload(pdf_bytes(), "y" * 400), 0) as result:
        assert len(result.original_name) <= 255
        assert result.original_name.endswith("y.pdf")


@given(st.text(max_size=400))
def test_clean_name_properties(name):
    cleaned = clean_name(name)
    assert cleaned
    assert len(cleaned) <= 255
    assert "/" not in cleaned and "\\" not in cleaned
    assert not any(ch in cleaned for ch in "\r\n\x00\t\u202e\u2028")
    assert cleaned == cleaned.strip()
    assert clean_name(cleaned) == cleaned


# Storage ----------------------------------------------------------------------------


def store_now(result, directory) -> str:
    """store() and commit: the file is moved into place by the commit."""
    session = Session()
    stored_name = store(result, directory, session)
    session.commit()
    return stored_name


def test_store_writes_under_a_generated_name(tmp_path):
    directory = tmp_path / "a" / "uploads"  # created on demand
    with validate_upload(upload(pdf_bytes(), "Rapport.pdf"), 0) as result:
        stored_name = store_now(result, directory)
        second = store_now(result, directory)
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", stored_name)
    assert stored_name != second
    assert "Rapport" not in stored_name
    path = directory / stored_name
    assert path.read_bytes() == pdf_bytes()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert stored_path(directory, stored_name) == path


@pytest.mark.parametrize("umask", [0o077, 0o000])
def test_file_mode_does_not_depend_on_umask(tmp_path, umask):
    old = os.umask(umask)
    try:
        with validate_upload(upload(jpeg_bytes(), "f.jpg"), 0) as result:
            stored_name = store_now(result, tmp_path)
    finally:
        os.umask(old)
    assert stored_name.endswith(".jpg")
    assert stat.S_IMODE((tmp_path / stored_name).stat().st_mode) == 0o640


def test_store_never_overwrites(tmp_path, monkeypatch):
    names = iter(["a" * 32, "b" * 32])
    monkeypatch.setattr(att.secrets, "token_hex", lambda n: next(names))
    (tmp_path / ("a" * 32 + ".pdf")).write_bytes(b"ouder bestand")
    with validate_upload(upload(pdf_bytes()), 0) as result:
        assert store_now(result, tmp_path) == "b" * 32 + ".pdf"
    assert (tmp_path / ("a" * 32 + ".pdf")).read_bytes() == b"ouder bestand"


def test_store_gives_up_when_no_name_is_free(tmp_path, monkeypatch):
    monkeypatch.setattr(att.secrets, "token_hex", lambda n: "c" * 32)
    (tmp_path / ("c" * 32 + ".pdf")).write_bytes(b"bezet")
    with validate_upload(upload(pdf_bytes()), 0) as result, pytest.raises(FileExistsError):
        store_now(result, tmp_path)


def test_discard_and_stored_path_accept_only_generated_names(tmp_path):
    with validate_upload(upload(pdf_bytes()), 0) as result:
        stored_name = store_now(result, tmp_path)
    discard(stored_name, tmp_path)
    assert not (tmp_path / stored_name).exists()
    discard(stored_name, tmp_path)  # already gone: fine
    for bad in ["../x.pdf", "rapport.pdf", "A" * 32 + ".pdf", "", "a" * 32 + ".pdf/.."]:
        with pytest.raises(ValueError):
            stored_path(tmp_path, bad)


def test_upload_dir(tmp_path):
    app = Flask(
        __name__, instance_path=str(tmp_path / "instance"), static_folder=str(tmp_path / "static")
    )
    with app.app_context():
        assert upload_dir() == tmp_path / "instance" / "uploads"
    app.config["UPLOAD_DIR"] = str(tmp_path / "elders")
    assert upload_dir(app) == tmp_path / "elders"
    app.config["UPLOAD_DIR"] = tmp_path / "static" / "uploads"
    with pytest.raises(RuntimeError):
        upload_dir(app)


# Content-Disposition ----------------------------------------------------------------

HEADER_RE = re.compile(r"attachment; filename=\"([ -~]*)\"; filename\*=UTF-8''([A-Za-z0-9%._~-]+)")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            'Rapport "netcongestie" – Eindhoven.pdf',
            'attachment; filename="Rapport netcongestie _ Eindhoven.pdf"; '
            "filename*=UTF-8''Rapport%20%22netcongestie%22%20%E2%80%93%20Eindhoven.pdf",
        ),
        ("ü.pdf", "attachment; filename=\"u.pdf\"; filename*=UTF-8''%C3%BC.pdf"),
        (
            "a\r\nSet-Cookie: x.pdf",
            "attachment; filename=\"aSet-Cookie: x.pdf\"; filename*=UTF-8''aSet-Cookie%3A%20x.pdf",
        ),
        ("100%.pdf", "attachment; filename=\"100_.pdf\"; filename*=UTF-8''100%25.pdf"),
        ("back\\slash.pdf", "attachment; filename=\"slash.pdf\"; filename*=UTF-8''slash.pdf"),
        ("报告.pdf", "attachment; filename=\"__.pdf\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf"),
        ("", "attachment; filename=\"bijlage\"; filename*=UTF-8''bijlage"),
    ],
)
def test_content_disposition_examples(name, expected):
    header = content_disposition(name)
    assert header == expected
    _, params = parse_options_header(header)
    assert params["filename"] == clean_name(name)


@given(st.text(max_size=300))
def test_content_disposition_is_safe_for_any_name(name):
    header = content_disposition(name)
    header.encode("latin-1")
    assert "\r" not in header and "\n" not in header
    match = HEADER_RE.fullmatch(header)
    assert match, header
    assert match.group(1)
    assert unquote(match.group(2), errors="strict") == clean_name(name)


# Downloads --------------------------------------------------------------------------


@pytest.fixture
def download_app(tmp_path):
    """A bare Flask app serving attachments from tmp_path/uploads (no database)."""
    app = Flask(__name__, instance_path=str(tmp_path / "instance"))
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    rows: dict[int, Attachment] = {}

    @app.get("/bijlage/<int:row_id>")
    def download(row_id):
        return send_stored(rows[row_id], upload_dir())

    app.rows = rows
    return app


def add_row(app, data: bytes, name: str, **overrides) -> int:
    with app.app_context(), validate_upload(upload(data, name), 0) as result:
        stored_name = store_now(result, upload_dir())
        row = Attachment(
            original_name=result.original_name,
            stored_name=overrides.get("stored_name", stored_name),
            mime_type=overrides.get("mime_type", result.mime_type),
            size=result.size,
            sha256=result.sha256,
        )
    row_id = len(app.rows) + 1
    app.rows[row_id] = row
    return row_id


def test_download_is_an_attachment_with_safe_headers(download_app):
    name = 'Rapport "netcongestie" – Eindhoven.pdf'
    row_id = add_row(download_app, pdf_bytes(), name)
    response = download_app.test_client().get(f"/bijlage/{row_id}")
    assert response.status_code == 200
    assert response.data == pdf_bytes()
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == content_disposition(name)
    assert parse_options_header(response.headers["Content-Disposition"]) == (
        "attachment",
        {"filename": name},
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert len(response.headers.getlist("Content-Disposition")) == 1


def test_download_of_an_unknown_mime_type_is_octet_stream(download_app):
    row_id = add_row(download_app, png_bytes(), "a.png", mime_type="text/html")
    response = download_app.test_client().get(f"/bijlage/{row_id}")
    assert response.status_code == 200
    assert response.mimetype == "application/octet-stream"


def test_missing_or_impossible_files_give_404(download_app, tmp_path):
    row_id = add_row(download_app, pdf_bytes(), "a.pdf")
    (tmp_path / "uploads" / download_app.rows[row_id].stored_name).unlink()
    assert download_app.test_client().get(f"/bijlage/{row_id}").status_code == 404

    bad = add_row(download_app, pdf_bytes(), "b.pdf", stored_name="../instance/secret.pdf")
    assert download_app.test_client().get(f"/bijlage/{bad}").status_code == 404

    with download_app.test_request_context(), pytest.raises(NotFound):
        send_stored(download_app.rows[row_id], tmp_path / "uploads")
