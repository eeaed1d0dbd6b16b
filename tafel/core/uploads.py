"""Uploaded files: checking, storing and serving them (attachments of reports,
documents of meetings).

A report has at most MAX_ATTACHMENTS files of at most MAX_SIZE bytes each, of
the kinds in `filetypes.ALLOWED`, decided by the content alone
(tafel.core.filetypes). Files are stored outside static/ under generated
names (`upload_dir()`), and served with `send_stored()`: always as a download,
with the original name encoded per RFC 6266 / RFC 5987. `FileColumns` is the
mixin for the columns every stored file's row has.

The typical view:

    upload = validate_upload(form.file.data, existing_count=len(submission.attachments))
    stored_name = store(upload, upload_dir())   # placed when the request commits
    db.session.add(Attachment(original_name=upload.original_name,
                              stored_name=stored_name, mime_type=upload.mime_type,
                              size=upload.size, sha256=upload.sha256, ...))

and `remove_on_commit(row.stored_name, upload_dir())` beside `db.session.delete(row)`.
A failed transaction leaves no file behind, a committed one no row without its file.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from flask import Flask, Response, abort, current_app, send_file
from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.datastructures import FileStorage

from tafel.core import filetx
from tafel.core.errors import ServiceError
from tafel.core.filetypes import ALLOWED, ALLOWED_MIME_TYPES, HEAD_SIZE, Damaged, FileKind, detect
from tafel.db import UTCDateTime, utcnow

log = logging.getLogger(__name__)

MAX_ATTACHMENTS = 5
MAX_SIZE = 10 * 1024 * 1024
FALLBACK_NAME = "bijlage"
MAX_NAME_LENGTH = 255
STORED_NAME_RE = re.compile(r"[0-9a-f]{32}\.[a-z]{3,4}")
FILE_MODE = 0o640
DIR_MODE = 0o750
DOWNLOAD_CSP = "default-src 'none'; sandbox"
# Removed from names: controls, format characters (bidi overrides, zero-width),
# surrogates and line/paragraph separators.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


class UploadError(ServiceError):
    """A refused upload. `message` is a lazy, user-facing (Dutch) text;
    `code` is one of "count", "size", "empty", "type", "damaged", "storage"
    (the upload folder is full or not writable)."""

    def __init__(self, code: str, message: Any, name: str | None = None):
        super().__init__(message)
        self.code = code
        self.name = name


def _too_many() -> UploadError:
    return UploadError("count", _l("Een melding kan hoogstens 5 bijlagen hebben."))


def _too_large(name: str) -> UploadError:
    return UploadError("size", _l("Het bestand %(name)s is groter dan 10 MB.", name=name), name)


def _empty(name: str) -> UploadError:
    return UploadError("empty", _l("Het bestand %(name)s is leeg.", name=name), name)


def _not_allowed(name: str) -> UploadError:
    return UploadError(
        "type",
        _l(
            "Het bestand %(name)s heeft een type dat niet is toegestaan. "
            "Toegestaan zijn PDF, DOCX, XLSX, ODT, ODS, PNG en JPEG.",
            name=name,
        ),
        name,
    )


def _storage_failed() -> UploadError:
    return UploadError(
        "storage",
        _l(
            "Het bestand kon niet worden opgeslagen: de opslag is vol of niet beschrijfbaar. "
            "Er is niets opgeslagen; uw invoer staat er nog. Probeer het later opnieuw "
            "of meld het aan de beheerder."
        ),
    )


def _damaged(name: str) -> UploadError:
    return UploadError(
        "damaged",
        _l(
            "Het bestand %(name)s lijkt beschadigd of bevat te veel gecomprimeerde gegevens.",
            name=name,
        ),
        name,
    )


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
    already has `existing_count` attachments; raise UploadError if refused.

    Reads at most MAX_SIZE + 1 bytes, whatever Content-Length says; the name
    and the browser's content type play no part in accepting the file.
    """
    if not isinstance(file_storage, FileStorage):  # a plain form field under a file's name
        raise UploadError("empty", _l("Kies een bestand om te uploaden."))
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
            kind_name = detect(head, spool)
        except Damaged:
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


def upload_dir(app: Flask | None = None) -> Path:
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


def store(upload: ValidatedUpload, directory: Path, session: Any = None) -> str:
    """Write the upload under a new random name in `directory` (created if
    missing) and return that name. The content goes to a temporary name and is
    moved into place when `session` (default: the request's) commits, and
    removed when it rolls back (tafel.core.filetx). Never overwrites: the file
    is created exclusively, with mode 0o640. A full, read-only or forbidden
    folder raises UploadError("storage") and leaves no file behind."""
    directory = Path(directory)
    try:
        directory.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        stored_name, temp = _write_new(upload, directory)
    except FileExistsError:
        raise
    except OSError as error:
        log.error("could not store an upload in %s: %s", directory, error)
        raise _storage_failed() from error
    if session is None:
        from tafel import db

        session = db.session
    filetx.place_on_commit(session, temp, directory / stored_name)
    return stored_name


def _write_new(upload: ValidatedUpload, directory: Path) -> tuple[str, Path]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    for _attempt in range(5):
        stored_name = f"{secrets.token_hex(16)}.{upload.extension}"
        temp = filetx.temp_path(directory / stored_name)
        if (directory / stored_name).exists():
            continue
        try:
            fd = os.open(temp, flags, FILE_MODE)
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
            temp.unlink(missing_ok=True)
            raise
        upload.file.seek(0)
        return stored_name, temp
    raise FileExistsError(f"no free attachment name in {directory}")


def remove_on_commit(stored_name: str, directory: Path, session: Any = None) -> None:
    """Remove a stored file once the transaction that deleted its row commits."""
    if session is None:
        from tafel import db

        session = db.session
    filetx.remove_on_commit(session, stored_path(directory, stored_name))


def discard(stored_name: str, directory: Path) -> None:
    """Remove a stored file now (its row's removal is already committed)."""
    stored_path(directory, stored_name).unlink(missing_ok=True)


# Download ---------------------------------------------------------------------------


def send_stored(attachment: Any, directory: Path) -> Response:
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


class FileColumns:
    """The columns of a row that stands for a stored file."""

    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    mime_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
