"""Database layer: engine, one session per request, declarative Base.

Views use `db.session` (a scoped session tied to the Flask app context),
commit once at the end of a successful request, and the teardown rolls back
whatever was left uncommitted.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import DateTime, MetaData, create_engine, event, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql import ClauseElement
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC that always comes back timezone-aware.

    SQLite has no time zones; PostgreSQL's `timestamptz` does. Both store UTC
    and both give aware datetimes to the application.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use tafel.db.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def one_of(column: str, values: tuple[str, ...]) -> str:
    """The SQL of a CHECK constraint: `column` holds one of `values` (fixed literals)."""
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def utcnow() -> datetime:
    return datetime.now(UTC)


def make_engine(url: str, echo: bool = False) -> Engine:
    if url.startswith("sqlite"):
        kwargs: dict = {"connect_args": {"check_same_thread": False, "timeout": 15}}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs["poolclass"] = StaticPool
        engine = create_engine(url, echo=echo, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite starts transactions lazily and not before a SAVEPOINT, so
        # releasing a savepoint would commit at once. Let SQLAlchemy begin
        # every transaction itself: then savepoints nest inside the request's
        # transaction and a failed request really changes nothing.
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


def _sqlite_begin(connection) -> None:
    connection.exec_driver_sql("BEGIN")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # no implicit BEGIN by the driver
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class _SessionProxy:
    """`db.session` — the current app context's session, created on first use."""

    def _get(self) -> Session:
        if "db_session" not in g:
            g.db_session = current_app.extensions["tafel_sessionmaker"]()
        return g.db_session

    def __getattr__(self, name):
        return getattr(self._get(), name)


session: Session = _SessionProxy()  # type: ignore[assignment]


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"], echo=app.config.get("SQL_ECHO", False))
    app.extensions["tafel_engine"] = engine
    app.extensions["tafel_sessionmaker"] = sessionmaker(bind=engine, expire_on_commit=False)

    @app.teardown_appcontext
    def _remove_session(exc: BaseException | None) -> None:
        db_session: Session | None = g.pop("db_session", None)
        if db_session is not None:
            # Anything not committed by the view is discarded: a failed
            # request changes nothing.
            db_session.rollback()
            db_session.close()


def engine() -> Engine:
    return current_app.extensions["tafel_engine"]


def compare_and_set(obj, expected: Mapping[str, Any], *, refresh: bool = True, **values) -> bool:
    """Change `obj`'s row only while its columns still hold `expected`.

    One `UPDATE … WHERE id = :id AND column = :expected` decides between two
    requests doing the same step at once (two tabs, two workers): exactly one
    gets True and `obj` carries the new values. The other gets False, and `obj`
    is re-read (unless `refresh=False`) so the caller can explain what changed.
    """
    model = type(obj)
    conditions = [
        getattr(model, name).is_(None) if value is None else getattr(model, name) == value
        for name, value in expected.items()
    ]
    changed = session.execute(
        update(model)
        .where(model.id == obj.id, *conditions)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        if refresh:
            session.refresh(obj)
        return False
    for name, value in values.items():
        if not isinstance(value, ClauseElement):  # a column expression stays the database's
            setattr(obj, name, value)
    return True
