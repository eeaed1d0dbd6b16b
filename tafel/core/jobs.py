"""The scheduler: one runner at a time, across processes and machines.

`Lease` is the lock. On PostgreSQL it is a session-level advisory lock
(`pg_try_advisory_lock`) held on a connection of its own: it is freed the
moment the holder's connection ends. On SQLite it is the `job_leases` row,
taken by compare-and-set and renewed every tick; a worker that stops renewing
(killed, frozen) loses it once `expires_at` has passed. On both the active
runner writes `heartbeat_at`, which /healthz reads.

`Runner` ticks every `interval` seconds while it holds the lease, runs the
jobs in order (renewing the lease before each one; a long job asks
`keep_going()` between its steps), logs a failing job and goes on with the
next, and stops cleanly on SIGTERM or SIGINT (after the step it is on).
"""

from __future__ import annotations

import hashlib
import logging
import os
import signal
import socket
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from tafel import db
from tafel.core.models import JobLease
from tafel.db import utcnow

log = logging.getLogger(__name__)

SCHEDULER = "scheduler"


def default_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Lease:
    """A named lock over the database; `acquire()` takes or renews it."""

    def __init__(self, engine: Engine, name: str = SCHEDULER, ttl: float = 180, holder=None):
        self.engine = engine
        self.name = name
        self.ttl = timedelta(seconds=ttl)
        self.holder = holder or default_holder()
        self.held = False

    def acquire(self, now: datetime | None = None) -> bool:
        raise NotImplementedError

    def release(self) -> None:
        raise NotImplementedError

    def _mark_released(self) -> None:
        """The row says at once that nobody holds the lease any more."""
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    update(JobLease)
                    .where(JobLease.name == self.name, JobLease.holder == self.holder)
                    .values(expires_at=utcnow() - timedelta(seconds=1))
                )
        except DBAPIError:
            log.warning("lease %s: could not mark it released", self.name, exc_info=True)

    def _ensure_row(self, conn: Connection) -> None:
        insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
        conn.execute(insert(JobLease).values(name=self.name).on_conflict_do_nothing())


class RowLease(Lease):
    """The `job_leases` row is the lock (SQLite)."""

    def acquire(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        try:
            with self.engine.begin() as conn:
                self._ensure_row(conn)
                taken = conn.execute(
                    update(JobLease)
                    .where(
                        JobLease.name == self.name,
                        or_(
                            JobLease.holder == self.holder,
                            JobLease.expires_at.is_(None),
                            JobLease.expires_at < now,
                        ),
                    )
                    .values(holder=self.holder, expires_at=now + self.ttl, heartbeat_at=now)
                )
                self.held = taken.rowcount == 1
        except DBAPIError:
            log.warning("lease %s: database unavailable, not running", self.name, exc_info=True)
            self.held = False
        return self.held

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        self._mark_released()


class AdvisoryLease(Lease):
    """A PostgreSQL session-level advisory lock on a dedicated connection."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        digest = hashlib.sha256(f"tafel:{self.name}".encode()).digest()
        self.key = int.from_bytes(digest[:8], "big", signed=True)
        self._conn: Connection | None = None

    def acquire(self, now: datetime | None = None) -> bool:
        try:
            if self._conn is None:
                self._conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            if self.held:
                self._conn.exec_driver_sql("SELECT 1")  # still connected, so still held
            else:
                self.held = bool(self._conn.scalar(select(func.pg_try_advisory_lock(self.key))))
            if self.held:
                self._record(now or utcnow())
        except DBAPIError:
            log.warning("lease %s: lock connection lost", self.name, exc_info=True)
            self._drop_connection()
        return self.held

    def _record(self, now: datetime) -> None:
        with self.engine.begin() as conn:
            self._ensure_row(conn)
            conn.execute(
                update(JobLease)
                .where(JobLease.name == self.name)
                .values(holder=self.holder, expires_at=now + self.ttl, heartbeat_at=now)
            )

    def release(self) -> None:
        if self._conn is not None and self.held:
            try:
                self._conn.scalar(select(func.pg_advisory_unlock(self.key)))
            except DBAPIError:
                pass  # the connection is gone, and the lock with it
            self._mark_released()
        self._drop_connection()

    def _drop_connection(self) -> None:
        self.held = False
        if self._conn is not None:
            # Really closed, not handed back to the pool: a pooled connection
            # would keep a session-level lock for as long as this process lives.
            try:
                self._conn.invalidate()
                self._conn.close()
            except DBAPIError:
                pass
            self._conn = None


def make_lease(engine: Engine, name: str = SCHEDULER, ttl: float = 180, holder=None) -> Lease:
    kind = AdvisoryLease if engine.dialect.name == "postgresql" else RowLease
    return kind(engine, name, ttl, holder)


def heartbeat(session=None, name: str = SCHEDULER) -> datetime | None:
    """The last tick of the active runner, or None when no runner ever ran."""
    session = session or db.session
    return session.scalar(select(JobLease.heartbeat_at).where(JobLease.name == name))


Job = tuple[str, Callable[[], object]]


class Runner:
    """Runs `jobs` every `interval` seconds while holding `lease`."""

    def __init__(self, app: Flask, lease: Lease, jobs: Sequence[Job], interval: float = 60):
        self.app = app
        self.lease = lease
        self.jobs = jobs
        self.interval = interval
        self.stopping = threading.Event()
        self._renewed = 0.0

    def keep_going(self) -> bool:
        """For a long job, between its steps: False once the worker is stopping
        or the lease is lost; renews the lease when a third of it has passed."""
        if self.stopping.is_set():
            return False
        if time.monotonic() - self._renewed > self.lease.ttl.total_seconds() / 3:
            self._renew()
        return self.lease.held

    def _renew(self) -> bool:
        self._renewed = time.monotonic()
        return self.lease.acquire()

    def tick(self) -> bool:
        """One round of the jobs if the lease is ours; False when another runner has it."""
        for name, job in self.jobs:
            if self.stopping.is_set() or not self._renew():
                return False
            with self.app.app_context():
                try:
                    job()
                except Exception:
                    log.exception("scheduled job %r failed; the next ones still run", name)
                    db.session.rollback()
        return True

    def run(self, once: bool = False) -> None:
        """Tick until stopped (or once); always gives the lease back."""
        active: bool | None = None
        try:
            while not self.stopping.is_set():
                ran = self.tick()
                if ran != active and not self.stopping.is_set():  # changes only
                    active = ran
                    log.info(
                        "lease %s %s",
                        self.lease.name,
                        f"held by {self.lease.holder}" if ran else "held elsewhere; waiting",
                    )
                if once:
                    break
                self.stopping.wait(self.interval)
        finally:
            self.lease.release()

    def stop(self, *_args) -> None:
        if self.stopping.is_set():
            raise SystemExit(1)  # asked twice: stop now
        log.info("worker stopping")
        self.stopping.set()

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
