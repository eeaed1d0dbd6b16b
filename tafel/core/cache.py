"""Per-process caches of data that rarely changes, kept honest across
processes by a version in the database (`cache_versions`).

`cached(name, load)` returns this process's copy of `load()` while the stored
version of `name` is the one the copy was made at; the version is read once
per request. `bump(connection, name)` moves the version in the writer's own
transaction, so after its commit every process (on every machine) reloads.
Copies must be immutable values, never ORM objects: they outlive sessions."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from flask import g, has_app_context
from sqlalchemy import inspect, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from tafel import db
from tafel.core.models import CacheVersion

T = TypeVar("T")

_lock = threading.Lock()
_copies: dict[str, tuple[int, Any]] = {}


def stored_version(name: str) -> int:
    """The version of `name` in the database, read once per request."""
    memo: dict[str, int] | None = g.setdefault("cache_versions", {}) if has_app_context() else None
    if memo is not None and name in memo:
        return memo[name]
    version = db.session.scalar(select(CacheVersion.version).where(CacheVersion.name == name))
    version = version or 0
    if memo is not None:
        memo[name] = version
    return version


def cached(name: str, load: Callable[[], T]) -> T:
    version = stored_version(name)
    with _lock:
        copy = _copies.get(name)
    if copy is not None and copy[0] == version:
        return copy[1]
    value = load()
    # A transaction that changed the data itself may still roll back: its
    # view of the data is not kept.
    if not (has_app_context() and name in g.get("cache_bumped", ())):
        with _lock:
            _copies[name] = (version, value)
    return value


def bump(connection, name: str) -> None:
    """Move the version of `name` (an upsert, safe when two writers bump at once).
    Changes are rare, so checking for the table each time is cheap: data is
    also loaded into databases migrated to a revision before the table
    existed (the migration tests), where nobody can hold a copy yet."""
    if not inspect(connection).has_table(CacheVersion.__tablename__):
        return
    table = CacheVersion.__table__
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    stmt = insert(CacheVersion).values(name=name, version=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.name], set_={"version": table.c.version + 1}
    )
    connection.execute(stmt)
    if has_app_context():
        g.pop("cache_versions", None)
        g.cache_bumped = {*g.get("cache_bumped", ()), name}


def forget() -> None:
    """Drop every copy in this process (tests)."""
    with _lock:
        _copies.clear()
