"""Files and rows, both ways: `flask --app tafel check-files [--fix]`.

Every table with a `stored_name` column (attachments, meeting documents, …) is
a file table; found through the metadata, so core names no feature. Reported:

- orphan files: a stored file no row names (removed by --fix);
- missing files: a row whose file is gone (only reported: the row is the
  record of what was uploaded and who saw it; deleting it would hide the loss);
- unfinished moves: a `.part` file whose row was committed but whose move into
  place was cut off by a crash (finished by --fix when its checksum matches);
- stale temporary files: `.part` files of requests that never committed, older
  than an hour (removed by --fix; younger ones may belong to a running request).
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import MetaData, Table, select
from sqlalchemy.engine import Connection

from tafel.core import filetx
from tafel.core.uploads import STORED_NAME_RE

TEMP_AGE_SECONDS = 3600


@dataclass
class FileReport:
    orphan_files: list[str] = field(default_factory=list)
    missing_files: list[tuple[str, int, str]] = field(default_factory=list)  # table, id, name
    unfinished: list[str] = field(default_factory=list)
    stale_temp: list[str] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.orphan_files or self.missing_files or self.unfinished or self.stale_temp)


def file_tables(metadata: MetaData) -> list[Table]:
    return [t for t in metadata.sorted_tables if "stored_name" in t.c and "sha256" in t.c]


def stored_rows(connection: Connection, metadata: MetaData) -> dict[str, tuple[str, int, str]]:
    """stored name -> (table, row id, sha256) for every file row."""
    rows: dict[str, tuple[str, int, str]] = {}
    for table in file_tables(metadata):
        query = select(table.c.id, table.c.stored_name, table.c.sha256)
        for row_id, name, digest in connection.execute(query):
            rows[name] = (table.name, row_id, digest)
    return rows


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_files(
    connection: Connection, metadata: MetaData, directory: Path, *, fix: bool = False
) -> FileReport:
    """Compare the folder with the rows. The folder is listed before the rows are
    read: a file appears only after its row's commit, so a listed file whose row
    is not found really has none (no running request can lose its file to --fix)."""
    directory = Path(directory)
    entries = sorted(directory.iterdir()) if directory.is_dir() else []
    rows = stored_rows(connection, metadata)
    report = FileReport()
    present = set()
    for path in entries:
        if STORED_NAME_RE.fullmatch(path.name):
            present.add(path.name)
            if path.name not in rows:
                report.orphan_files.append(path.name)
        elif (name := filetx.final_name(path.name)) is not None:
            _check_temp(path, name, rows, report)
    for name, (table, row_id, _digest) in sorted(rows.items()):
        if name in present or name in report.unfinished or (directory / name).exists():
            continue  # (placed since the listing)
        report.missing_files.append((table, row_id, name))
    if fix:
        _fix(report, rows, directory)
    return report


def _check_temp(path: Path, name: str, rows: dict, report: FileReport) -> None:
    final = path.with_name(name)
    if name in rows and not final.exists():
        report.unfinished.append(name)
        return
    try:
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return  # its request just finished
    if age > TEMP_AGE_SECONDS:
        report.stale_temp.append(path.name)


def _fix(report: FileReport, rows: dict, directory: Path) -> None:
    for name in report.orphan_files:
        (directory / name).unlink(missing_ok=True)
        report.fixed.append(f"removed orphan file {name}")
    for name in report.stale_temp:
        (directory / name).unlink(missing_ok=True)
        report.fixed.append(f"removed temporary file {name}")
    for name in report.unfinished:
        temp = filetx.temp_path(directory / name)
        if temp.exists() and sha256_of(temp) == rows[name][2]:
            os.replace(temp, directory / name)
            report.fixed.append(f"moved {name} into place")
