"""The parts of /healthz, each cheap and bounded in time.

Required (a failure answers 503): the database (reachable, and writable: a
row written inside a transaction that is rolled back), the schema (the
database's Alembic revision is the scripts' head) and the upload folder
(a file can be created there). Reported only: the worker (its heartbeat is
younger than WORKER_STALE), the outbox (pending and dead messages, age of
the oldest pending one) and the proxy setting (a warning when every recent
login comes from one private address while TAFEL_PROXY_COUNT is 0: then the
login throttle sees the proxy, not the visitors) — the site still serves pages
without them.
"""

from __future__ import annotations

import ipaddress
import tempfile
import time
from datetime import timedelta
from functools import cache
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import distinct, func, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from tafel import db
from tafel.accounts.models import LoginAttempt
from tafel.core.jobs import heartbeat
from tafel.core.mail import outbox_state
from tafel.core.uploads import upload_dir
from tafel.db import utcnow

ROOT = Path(__file__).resolve().parent.parent.parent
CHECK_TIMEOUT_MS = 1500  # per database statement; the whole check stays under 2 s
WORKER_STALE = timedelta(minutes=5)
REQUIRED = ("database", "schema", "uploads")
PROBE = "healthz-probe"
# The proxy warning: logins of at least PROXY_ACCOUNTS accounts in PROXY_LOOKBACK.
PROXY_LOOKBACK = timedelta(hours=24)
PROXY_ACCOUNTS = 5


@cache
def schema_head() -> str | None:
    return ScriptDirectory(str(ROOT / "migrations")).get_current_head()


def report() -> tuple[dict, bool]:
    """The JSON body of /healthz and whether every required part is ok."""
    parts: dict[str, dict] = {}
    try:
        with db.engine().connect() as conn:
            previous = _bound(conn)
            try:
                parts["database"] = _database(conn)
                parts["schema"] = _schema(conn)
                with Session(bind=conn) as session:
                    parts["worker"] = _worker(session)
                    parts["mail"] = _mail(session)
                    parts["proxy"] = _proxy(session)
                conn.rollback()
            finally:
                _unbound(conn, previous)
    except (SQLAlchemyError, OSError) as exc:
        current_app.logger.error("health check: database failed: %s", type(exc).__name__)
        parts.setdefault("database", {"ok": False, "error": type(exc).__name__})
        for name in ("schema", "worker", "mail", "proxy"):
            parts.setdefault(name, {"ok": False, "error": "database unavailable"})
    parts["uploads"] = _uploads()
    for name, part in parts.items():
        part["required"] = name in REQUIRED
    healthy = all(parts[name]["ok"] for name in REQUIRED)
    body = {
        "status": "ok" if healthy else "error",
        "database": "ok" if parts["database"]["ok"] else "error",
        "parts": parts,
    }
    return body, healthy


def _bound(conn: Connection) -> int | None:
    """Keep every statement of the check under CHECK_TIMEOUT_MS; returns
    SQLite's own busy timeout, to be put back afterwards."""
    if conn.dialect.name == "postgresql":  # LOCAL: ends with the transaction
        conn.exec_driver_sql(f"SET LOCAL statement_timeout = {CHECK_TIMEOUT_MS}")
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = {CHECK_TIMEOUT_MS}")
        return None
    previous = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
    conn.exec_driver_sql(f"PRAGMA busy_timeout = {CHECK_TIMEOUT_MS}")
    return previous


def _unbound(conn: Connection, previous: int | None) -> None:
    if previous is not None:  # SQLite: the pool's connection keeps its own timeout
        conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(previous)}")


def _database(conn: Connection) -> dict:
    started = time.monotonic()
    conn.execute(text("SELECT 1"))
    # A write that is rolled back: proves the lock can be had and the file or
    # server accepts writes, and leaves nothing behind.
    try:
        with conn.begin_nested() as probe:
            conn.execute(
                text("INSERT INTO job_leases (name, holder) VALUES (:name, :holder)"),
                {"name": f"{PROBE}-{time.monotonic_ns()}", "holder": PROBE},
            )
            probe.rollback()
    except SQLAlchemyError as exc:  # read-only, locked past the bound, disk full
        current_app.logger.error("health check: database not writable: %s", type(exc).__name__)
        return {"ok": False, "writable": False, "error": type(exc).__name__}
    return {"ok": True, "writable": True, "ms": round((time.monotonic() - started) * 1000)}


def _schema(conn: Connection) -> dict:
    current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    head = schema_head()
    return {"ok": current == head, "revision": current, "head": head}


def _worker(session: Session) -> dict:
    beat = heartbeat(session)
    age = None if beat is None else (utcnow() - beat).total_seconds()
    return {
        "ok": age is not None and age < WORKER_STALE.total_seconds(),
        "heartbeat_age_s": None if age is None else round(age),
    }


def _mail(session: Session) -> dict:
    state = outbox_state(session)
    oldest = state["oldest_pending"]
    age = None if oldest is None else round((utcnow() - oldest).total_seconds())
    return {
        "ok": state["dead"] == 0,
        "pending": state["pending"],
        "oldest_pending_age_s": age,
        "dead": state["dead"],
    }


def _proxy(session: Session) -> dict:
    hops = int(current_app.config.get("PROXY_COUNT", 0) or 0)
    since = utcnow() - PROXY_LOOKBACK
    addresses, accounts = session.execute(
        select(
            func.count(distinct(LoginAttempt.ip)), func.count(distinct(LoginAttempt.email))
        ).where(LoginAttempt.created_at > since)
    ).one()
    one = None
    if addresses == 1:
        one = session.scalar(
            select(LoginAttempt.ip).where(LoginAttempt.created_at > since).limit(1)
        )
    suspicious = hops == 0 and accounts >= PROXY_ACCOUNTS and one is not None and _private(one)
    part: dict = {"ok": not suspicious, "proxy_count": hops, "login_addresses_24h": addresses}
    if suspicious:
        part["warning"] = (
            f"every login of {accounts} accounts in 24 h came from {one}: behind a reverse "
            "proxy, set TAFEL_PROXY_COUNT to the number of proxies"
        )
    return part


def _private(address: str) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return parsed.is_private or parsed.is_loopback


def _uploads() -> dict:
    try:
        directory = upload_dir()
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".healthz-"):
            pass
    except (OSError, RuntimeError) as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True}
