"""Backups that restore: `flask --app tafel backup PATH` / `restore PATH`.

One gzipped tar archive holds

- `database.sqlite3` (SQLite: a copy made with the online backup API, which
  includes what is still in the WAL) or `database.pgdump` (PostgreSQL:
  `pg_dump --format=custom`, taken in an exported snapshot);
- `uploads/<stored name>` for every file a row of that copy names;
- `manifest.json`: engine, schema revision, row counts per table (from the
  same snapshot as the copy) and the SHA-256 of the database copy and of every
  file.

The snapshot is taken first and the files after it. A file appears only after
the commit of its row and goes only after the commit that deleted its row
(tafel.core.filetx), so every row of the snapshot still has its file unless
the row was deleted while the backup ran; such names are listed in the
manifest under `missing_files` and reported.

Restoring (tafel.core.restore) refuses a database that holds any row.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, inspect, text
from sqlalchemy.engine import Connection, Engine

from tafel.core.filecheck import file_tables, sha256_of
from tafel.db import make_engine, utcnow

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
UPLOADS = "uploads/"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


def counted_tables(connection: Connection) -> list[str]:
    """The tables whose rows a manifest counts (not the search index's own tables)."""
    return sorted(
        name
        for name in inspect(connection).get_table_names()
        if name != "alembic_version" and not name.startswith(("submission_search_", "sqlite_"))
    )


def snapshot_facts(connection: Connection, metadata: MetaData) -> dict[str, Any]:
    """Revision, counts per table and the file rows, as this connection sees them."""
    tables = counted_tables(connection)
    counts = {
        t: connection.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one()  # noqa: S608
        for t in tables
    }
    revision = None
    if "alembic_version" in inspect(connection).get_table_names():
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    files: dict[str, str] = {}
    for table in file_tables(metadata):
        if table.name in tables:
            query = text(f'SELECT stored_name, sha256 FROM "{table.name}"')  # noqa: S608
            files.update(dict(connection.execute(query).all()))
    return {"revision": revision, "counts": counts, "file_rows": files}


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore: the newest under /usr/lib/postgresql, else on PATH."""
    folders = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if p.parent.name.isdigit()]
    for folder in sorted(folders, key=lambda p: int(p.parent.name), reverse=True):
        if (folder / name).is_file():
            return str(folder / name)
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} not found (install postgresql-client)")
    return found


def libpq(engine: Engine) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and the environment carrying it."""
    url = engine.url.set(drivername="postgresql")
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    return url.set(password=None).render_as_string(hide_password=False), environment


@contextlib.contextmanager
def _database_copy(engine: Engine, metadata: MetaData, work: Path) -> Iterator[tuple[Path, dict]]:
    """A consistent copy of the database in `work` and the facts of that copy."""
    if engine.dialect.name == "sqlite":
        if engine.url.database in (None, "", ":memory:"):
            raise BackupError("an in-memory SQLite database cannot be backed up")
        copy = work / DATABASE_NAMES["sqlite"]
        source = sqlite3.connect(str(engine.url.database), timeout=15)
        target = sqlite3.connect(copy)
        try:
            source.backup(target)  # all pages in one step: one consistent snapshot
        finally:
            target.close()
            source.close()
        copied = make_engine(f"sqlite:///{copy}")
        try:
            with copied.connect() as conn:
                facts = snapshot_facts(conn, metadata)
        finally:
            copied.dispose()
        yield copy, facts
        return
    if engine.dialect.name != "postgresql":
        raise BackupError(f"no backup for {engine.dialect.name}")
    copy = work / DATABASE_NAMES["postgresql"]
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        with conn.begin():
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            facts = snapshot_facts(conn, metadata)
            dsn, environment = libpq(engine)
            command = [pg_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}"]
            command += ["--no-owner", f"--file={copy}", f"--dbname={dsn}"]
            done = subprocess.run(command, env=environment, capture_output=True, text=True)  # noqa: S603
            if done.returncode != 0:
                raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    yield copy, facts


def make_backup(engine: Engine, metadata: MetaData, upload_dir: Path, target: Path) -> dict:
    """Write the archive to `target` (through a temporary name) and return its manifest."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    with tempfile.TemporaryDirectory(prefix="tafel-backup-") as work:
        with _database_copy(engine, metadata, Path(work)) as (copy, facts):
            manifest = {
                "format": FORMAT,
                "created_at": utcnow().isoformat(),
                "engine": engine.dialect.name,
                "revision": facts["revision"],
                "counts": facts["counts"],
                "database": {"name": copy.name, "sha256": sha256_of(copy)},
                "files": {},
                "missing_files": [],
            }
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(copy, arcname=copy.name)
                _add_files(archive, facts["file_rows"], Path(upload_dir), manifest)
                data = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(utcnow().timestamp())
                archive.addfile(info, io.BytesIO(data))
    os.replace(partial, target)
    return manifest


def _add_files(archive: tarfile.TarFile, rows: dict, folder: Path, manifest: dict) -> None:
    for name in sorted(rows):
        path = folder / name
        try:
            with path.open("rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            manifest["missing_files"].append(name)
            continue
        manifest["files"][name] = hashlib.sha256(data).hexdigest()
        info = tarfile.TarInfo(UPLOADS + name)
        info.size = len(data)
        info.mode = 0o640
        info.mtime = int(path.stat().st_mtime)
        archive.addfile(info, io.BytesIO(data))
