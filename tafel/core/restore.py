"""Restoring an archive of tafel.core.backup into an EMPTY database and upload folder.

Refuses when the database holds any row or the folder any stored file (a
restore never merges into or overwrites live data), when the archive is of
the other engine, or when a checksum does not match the manifest. After
loading it compares the row counts and the revision with the manifest and
checks that every file row has its file with the right checksum.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from sqlalchemy import MetaData, text
from sqlalchemy.engine import Engine

from tafel.core import filetx
from tafel.core.backup import (
    DATABASE_NAMES,
    MANIFEST,
    UPLOADS,
    BackupError,
    counted_tables,
    libpq,
    pg_tool,
    snapshot_facts,
)
from tafel.core.filecheck import sha256_of
from tafel.core.uploads import DIR_MODE, FILE_MODE, STORED_NAME_RE


def database_rows(engine: Engine) -> int:
    """How many rows the database holds in all its tables (0: empty)."""
    with engine.connect() as conn:
        tables = counted_tables(conn)
        return sum(
            conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one()  # noqa: S608
            for t in tables
        )


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember(MANIFEST)
    except KeyError:
        raise BackupError("the archive has no manifest.json; is it a Tafel backup?") from None
    handle = archive.extractfile(member)
    if handle is None:
        raise BackupError("manifest.json is not a file")
    return json.load(handle)


def restore_backup(engine: Engine, metadata: MetaData, upload_dir: Path, source: Path) -> dict:
    """Restore `source`; returns the manifest. Raises BackupError when refused or wrong."""
    upload_dir = Path(upload_dir)
    with tarfile.open(source, "r:*") as archive:
        manifest = read_manifest(archive)
        _refuse_unless_empty(engine, upload_dir, manifest)
        with tempfile.TemporaryDirectory(prefix="tafel-restore-") as work:
            database = _extract_database(archive, manifest, Path(work))
            waiting = _extract_files(archive, manifest, upload_dir)
            try:
                _load_database(engine, database)
            except BaseException:
                for temp, _final in waiting:
                    temp.unlink(missing_ok=True)
                raise
            for temp, final in waiting:
                os.replace(temp, final)
    verify(engine, metadata, upload_dir, manifest)
    return manifest


def _refuse_unless_empty(engine: Engine, upload_dir: Path, manifest: dict) -> None:
    if manifest.get("engine") != engine.dialect.name:
        raise BackupError(
            f"the archive holds a {manifest.get('engine')} database; "
            f"this one is {engine.dialect.name}"
        )
    rows = database_rows(engine)
    if rows:
        raise BackupError(
            f"refusing to restore: the database {engine.url!r} is not empty ({rows} rows); "
            "restore into a new, empty database"
        )
    if upload_dir.is_dir() and any(STORED_NAME_RE.fullmatch(p.name) for p in upload_dir.iterdir()):
        raise BackupError(f"refusing to restore: the upload folder {upload_dir} holds files")


def _extract_database(archive: tarfile.TarFile, manifest: dict, work: Path) -> Path:
    name = DATABASE_NAMES[manifest["engine"]]
    member = archive.getmember(name)
    handle = archive.extractfile(member)
    if handle is None:
        raise BackupError(f"{name} is not a file")
    target = work / name
    with target.open("wb") as out:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            out.write(chunk)
    if sha256_of(target) != manifest["database"]["sha256"]:
        raise BackupError(f"{name} does not match its checksum in the manifest")
    return target


def _extract_files(
    archive: tarfile.TarFile, manifest: dict, upload_dir: Path
) -> list[tuple[Path, Path]]:
    """Every file of the manifest, checked, under its temporary name."""
    upload_dir.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    waiting: list[tuple[Path, Path]] = []
    try:
        for name, expected in sorted(manifest["files"].items()):
            if not STORED_NAME_RE.fullmatch(name):
                raise BackupError(f"unexpected file name in the manifest: {name!r}")
            handle = archive.extractfile(archive.getmember(UPLOADS + name))
            if handle is None:
                raise BackupError(f"{name} is not a file")
            data = handle.read()
            if hashlib.sha256(data).hexdigest() != expected:
                raise BackupError(f"{name} does not match its checksum in the manifest")
            final = upload_dir / name
            temp = filetx.temp_path(final)
            temp.write_bytes(data)
            temp.chmod(FILE_MODE)
            waiting.append((temp, final))
    except BaseException:
        for temp, _final in waiting:
            temp.unlink(missing_ok=True)
        raise
    return waiting


def _load_database(engine: Engine, database: Path) -> None:
    engine.dispose()  # no pooled connection keeps the old state
    if engine.dialect.name == "sqlite":
        source = sqlite3.connect(database)
        target = sqlite3.connect(str(engine.url.database), timeout=15)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        return
    dsn, environment = libpq(engine)
    command = [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
    command += ["--single-transaction", "--clean", "--if-exists", f"--dbname={dsn}", str(database)]
    done = subprocess.run(command, env=environment, capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")


def verify(engine: Engine, metadata: MetaData, upload_dir: Path, manifest: dict) -> None:
    """The restored database and folder against the manifest; BackupError listing what differs."""
    with engine.connect() as conn:
        facts = snapshot_facts(conn, metadata)
    problems = []
    if facts["revision"] != manifest["revision"]:
        problems.append(f"revision {facts['revision']} instead of {manifest['revision']}")
    for table, count in sorted(manifest["counts"].items()):
        if facts["counts"].get(table) != count:
            problems.append(f"{table}: {facts['counts'].get(table)} rows instead of {count}")
    for name, digest in sorted(facts["file_rows"].items()):
        path = upload_dir / name
        if name in manifest.get("missing_files", []):
            continue  # already missing when the backup was made; reported then
        if not path.is_file():
            problems.append(f"file {name} is missing")
        elif sha256_of(path) != manifest["files"].get(name, digest):
            problems.append(f"file {name} has the wrong checksum")
    if problems:
        raise BackupError("the restored data does not match the manifest: " + "; ".join(problems))
