"""One scheduler runs at a time: the lease (an advisory lock on PostgreSQL, a
row with an expiry on SQLite), the runner, and `flask --app tafel worker`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from tafel import db
from tafel.core import jobs
from tafel.core.models import JobLease
from tafel.db import utcnow


def engine(app):
    return app.extensions["tafel_engine"]


def test_a_second_lease_waits_while_the_first_is_held(app):
    first = jobs.make_lease(engine(app), "test", ttl=60, holder="one")
    second = jobs.make_lease(engine(app), "test", ttl=60, holder="two")
    try:
        assert first.acquire() is True
        assert second.acquire() is False
        assert first.acquire() is True  # renewing is fine
        assert second.acquire() is False
        first.release()
        assert second.acquire() is True  # given back: taken at once
        assert first.acquire() is False
    finally:
        first.release()
        second.release()


def test_a_lease_that_is_not_renewed_is_taken_over(app):
    first = jobs.make_lease(engine(app), "test", ttl=60, holder="one")
    second = jobs.make_lease(engine(app), "test", ttl=60, holder="two")
    try:
        assert first.acquire()
        if isinstance(first, jobs.AdvisoryLease):
            # The holder's process dies: its connection, and the lock, go with it.
            first._conn.invalidate()
            first._conn = None
            assert second.acquire()
        else:
            later = utcnow() + timedelta(seconds=59)
            assert not second.acquire(now=later)  # not yet expired
            assert second.acquire(now=later + timedelta(seconds=2))
            assert not first.acquire(now=later + timedelta(seconds=3))  # and it knows
    finally:
        first.release()
        second.release()


def test_two_runners_at_once_only_one_runs_the_jobs(app):
    ran: list[str] = []
    start = threading.Barrier(2)
    runners = []
    for name in ("a", "b"):
        lease = jobs.make_lease(engine(app), "test", ttl=60, holder=name)
        job = ("record", lambda name=name: ran.append(name))
        runners.append(jobs.Runner(app, lease, [job, job], interval=0))

    def run(runner):
        start.wait()
        runner.tick()

    threads = [threading.Thread(target=run, args=(r,)) for r in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    try:
        assert len(ran) == 2 and len(set(ran)) == 1  # both jobs, by one runner
    finally:
        for runner in runners:
            runner.lease.release()


def test_a_failing_job_does_not_stop_the_others(app, caplog):
    ran = []

    def broken():
        raise RuntimeError("boom")

    lease = jobs.make_lease(engine(app), "test", ttl=60, holder="solo")
    runner = jobs.Runner(app, lease, [("broken", broken), ("next", lambda: ran.append(1))])
    runner.run(once=True)
    assert ran == [1] and "scheduled job 'broken' failed" in caplog.text
    assert lease.held is False  # given back when the runner stops


def test_the_worker_ticks_records_a_heartbeat_and_stops_on_sigterm(app, database_url):
    env = dict(os.environ, TAFEL_ENV="test", TAFEL_TEST_DATABASE_URL=database_url)
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "tafel", "worker", "--interval", "0.2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        beat = None
        deadline = time.monotonic() + 30
        while beat is None and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.2)
            with app.app_context():
                beat = jobs.heartbeat()
        assert beat is not None and utcnow() - beat < timedelta(minutes=1)
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.communicate()
    assert worker.returncode == 0, output
    assert "Worker stopped." in output
    with app.app_context():
        row = db.session.scalar(select(JobLease).where(JobLease.name == jobs.SCHEDULER))
        assert row.expires_at <= utcnow()  # given back: the next worker need not wait


@pytest.mark.parametrize("sig", [signal.SIGINT])
def test_the_runner_stops_on_sigint(app, sig):
    lease = jobs.make_lease(engine(app), "test", ttl=60, holder="solo")
    runner = jobs.Runner(app, lease, [("idle", lambda: None)], interval=30)
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    runner.install_signal_handlers()
    try:
        threading.Timer(0.3, os.kill, (os.getpid(), sig)).start()
        started = time.monotonic()
        runner.run()
        assert time.monotonic() - started < 10  # did not sit out the 30 s interval
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    assert runner.stopping.is_set() and not lease.held


def test_a_long_job_learns_that_the_worker_stops_or_lost_its_lease(app):
    lease = jobs.make_lease(engine(app), "test", ttl=0.3, holder="solo")
    other = jobs.make_lease(engine(app), "test", ttl=60, holder="other")
    runner = jobs.Runner(app, lease, [], interval=0)
    try:
        assert runner._renew() and runner.keep_going()
        time.sleep(0.4)  # the lease has lapsed and another worker takes it
        if isinstance(lease, jobs.AdvisoryLease):
            lease._drop_connection()  # on PostgreSQL: the lock went with the connection
        assert other.acquire()
        assert runner.keep_going() is False
        runner.stopping.set()
        assert runner.keep_going() is False
    finally:
        lease.release()
        other.release()
