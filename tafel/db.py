"""Database layer: engine, one session per request, declarative Base.

Views use `db.session` (a scoped session tied to the Flask app context),
commit once at the end of a successful request, and the teardown rolls back
whatever was left uncommitted.

Concurrent writers (see `_sqlite_begin`, `retry_conflicts_once`, `is_transient`):

- SQLite: a transaction that may write starts with `BEGIN IMMEDIATE`, so it
  takes the write lock at its first statement and *waits* for it (busy timeout,
  15 s by default) instead of failing with "database is locked" when it tries to
  write after another worker's commit. "May write" is: every request that is not
  GET/HEAD/OPTIONS, and all work outside a request (commands, scheduled jobs).
  GET requests stay deferred readers: WAL lets them read beside a writer.
- PostgreSQL: a request that fails on a serialization failure or deadlock
  (SQLSTATE 40001 / 40P01) is run once more, from the start of the view, with a
  fresh session, before the user sees anything.
- A transient error that still gets through is shown as "the database was busy,
  your input is still here" (tafel.core.views.commit_or_refuse, tafel.errors).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from flask import (
    Flask,
    current_app,
    g,
    has_app_context,
    has_request_context,
    request,
)
from flask import (
    session as web_session,
)
from sqlalchemy import DateTime, MetaData, create_engine, event, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql import ClauseElement
from sqlalchemy.types import TypeDecorator

log = logging.getLogger(__name__)

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


READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def make_engine(
    url: str,
    echo: bool = False,
    *,
    busy_timeout_ms: int = 15000,
    connect_timeout: int | None = None,
    statement_timeout_ms: int | None = None,
) -> Engine:
    """The engine for `url`. SQLite waits up to `busy_timeout_ms` for the write
    lock (that is its connect timeout too); PostgreSQL gives up connecting after
    `connect_timeout` seconds and cancels a statement after
    `statement_timeout_ms` (None or 0: no limit, as for migrations)."""
    if url.startswith("sqlite"):
        connect_args = {"check_same_thread": False, "timeout": busy_timeout_ms / 1000}
        kwargs: dict = {"connect_args": connect_args}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs["poolclass"] = StaticPool
        engine = create_engine(url, echo=echo, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas(busy_timeout_ms))
        # pysqlite starts transactions lazily and not before a SAVEPOINT, so
        # releasing a savepoint would commit at once. Let SQLAlchemy begin
        # every transaction itself: then savepoints nest inside the request's
        # transaction and a failed request really changes nothing.
        event.listen(engine, "begin", _sqlite_begin)
        # Statistics kept fresh as the data grows: SQLite's advice for
        # applications is PRAGMA optimize when a connection closes.
        event.listen(engine, "close", _sqlite_optimize)
        return engine
    server_args: dict[str, Any] = {}
    if url.startswith("postgresql"):
        if connect_timeout:
            server_args["connect_timeout"] = connect_timeout
        if statement_timeout_ms:
            server_args["options"] = f"-c statement_timeout={int(statement_timeout_ms)}"
    return create_engine(url, echo=echo, pool_pre_ping=True, connect_args=server_args)


def may_write() -> bool:
    """Whether the transaction being started may write: not in a GET, HEAD or
    OPTIONS request (those never commit), yes everywhere else, including
    commands and scheduled jobs outside any request. After `reads_only()` the
    rest of the request reads beside the writers."""
    if has_app_context() and g.get("db_reads_only"):
        return False
    if has_request_context():
        return request.method not in READ_ONLY_METHODS
    return True


def reads_only() -> None:
    """The rest of this request only reads: after a refusal for a busy
    database, showing the page again must not wait for the write lock again."""
    g.db_reads_only = True


def _sqlite_begin(connection) -> None:
    # IMMEDIATE takes the write lock now, waiting for it within the busy
    # timeout; a deferred transaction that reads and then writes after another
    # connection committed fails at once (SQLITE_BUSY), whatever the timeout.
    connection.exec_driver_sql("BEGIN IMMEDIATE" if may_write() else "BEGIN")


def _sqlite_optimize(dbapi_connection, _record) -> None:
    try:
        dbapi_connection.execute("PRAGMA optimize")
    except Exception:  # noqa: BLE001 - a closing connection must close, optimised or not
        log.debug("PRAGMA optimize failed on close", exc_info=True)


def analyze(url: str) -> None:
    """Refresh the planner's statistics (after migrating or a bulk load):
    ANALYZE on both databases, VACUUM as well on PostgreSQL so index-only
    scans need not visit the table."""
    engine = make_engine(url)
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("VACUUM ANALYZE")
            else:
                conn.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()


def _sqlite_pragmas(busy_timeout_ms: int):
    def on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # no implicit BEGIN by the driver
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return on_connect


# Transient errors -------------------------------------------------------------------

RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock
# lock not available, query cancelled (statement timeout), too many connections
TRANSIENT_SQLSTATES = RETRYABLE_SQLSTATES | {"55P03", "57014", "53300", "57P03"}
SQLITE_BUSY_TEXTS = ("database is locked", "database table is locked", "database is busy")


def _sqlstate(error: DBAPIError) -> str | None:
    orig = error.orig
    return getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)


def is_conflict(error: BaseException) -> bool:
    """A PostgreSQL serialization failure or deadlock: the transaction was
    rolled back as a whole, so running the request again is safe."""
    return isinstance(error, DBAPIError) and _sqlstate(error) in RETRYABLE_SQLSTATES


def is_transient(error: BaseException) -> bool:
    """A database error that trying again a moment later may cure: SQLite busy,
    a PostgreSQL conflict, lock or statement timeout, or a lost connection."""
    if not isinstance(error, DBAPIError):
        return False
    state = _sqlstate(error)
    if state is not None:
        return state in TRANSIENT_SQLSTATES or state.startswith("08")
    if error.connection_invalidated:
        return True
    text = str(error.orig).lower()
    if any(busy in text for busy in SQLITE_BUSY_TEXTS):
        return True
    # psycopg raises OperationalError without SQLSTATE when the server is gone.
    return isinstance(error, OperationalError) and "sqlite" not in type(error.orig).__module__


def retry_pending() -> bool:
    """True while the request runs for the first time and may be run again
    after a conflict (see retry_conflicts_once)."""
    return has_app_context() and bool(g.get("db_retry_pending"))


def conflicts_are_retried() -> bool:
    """PostgreSQL reports conflicts that a second run resolves; SQLite's writers
    wait for each other instead (and a busy timeout is not worth waiting twice)."""
    return engine().dialect.name == "postgresql"


def retry_conflicts_once(app: Flask) -> None:
    """On PostgreSQL, run a view again once when it failed on a serialization
    failure or deadlock. The first run's transaction is rolled back by the
    server, so nothing of it remains; the second run starts from the view
    function with a fresh session, a freshly loaded current user, the flash
    messages as they were before, and nothing the first run put on `g`. What a
    view does outside the database must therefore only happen after its commit
    (files of refused or failed requests are removed again)."""
    dispatch = app.dispatch_request

    def dispatch_request():
        if not conflicts_are_retried():
            return dispatch()
        before = set(vars(g))
        flashes = list(web_session.get("_flashes", []))
        g.db_retry_pending = True
        try:
            return dispatch()
        except DBAPIError as error:
            if not (g.get("db_retry_pending") and is_conflict(error)):
                raise
            app.logger.warning(
                "Retrying %s %s after a database conflict (%s)",
                request.method,
                request.path,
                _sqlstate(error),
            )
            _forget_attempt(before, flashes)
            return dispatch()
        finally:
            g.pop("db_retry_pending", None)

    app.dispatch_request = dispatch_request  # type: ignore[method-assign]


def _forget_attempt(keep: set[str], flashes: list) -> None:
    stale: Session | None = g.pop("db_session", None)
    if stale is not None:
        stale.rollback()
        stale.close()
    for name in set(vars(g)) - keep:
        g.pop(name, None)
    g.pop("_login_user", None)  # flask-login loads the user again, in the new session
    if web_session.get("_flashes", []) != flashes:
        web_session["_flashes"] = flashes


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
    engine = make_engine(
        app.config["DATABASE_URL"],
        echo=app.config.get("SQL_ECHO", False),
        busy_timeout_ms=app.config.get("SQLITE_BUSY_TIMEOUT_MS", 15000),
        connect_timeout=app.config.get("DATABASE_CONNECT_TIMEOUT", 5),
        statement_timeout_ms=app.config.get("STATEMENT_TIMEOUT_MS", 30000),
    )
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

    retry_conflicts_once(app)


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
