"""Writers wait for each other instead of failing; readers read beside a writer;
a database that stays busy gives the form back with the input and a clear message;
a PostgreSQL conflict is retried once before the user sees anything."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from flask import request
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from tafel import create_app, db
from tafel.core.views import commit_or_refuse
from tafel.submissions import support
from tafel.submissions.models import Comment
from tests.conftest import login, make_config, post
from tests.factories import make_submission, make_user

BUSY = "De database was even bezet; uw invoer staat er nog, probeer het opnieuw."


def busy_error() -> OperationalError:
    return OperationalError("UPDATE ...", {}, sqlite3.OperationalError("database is locked"))


class SerializationFailure(Exception):
    """What psycopg raises for SQLSTATE 40001."""

    sqlstate = "40001"


def conflict_error() -> OperationalError:
    return OperationalError("COMMIT", {}, SerializationFailure("could not serialize access"))


# An app of its own with two routes that read a counter, wait, and write it back.


@pytest.fixture
def counter_app(database_url):
    app = create_app(make_config(database_url))
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.config["WTF_CSRF_ENABLED"] = False  # the test routes have no form
    engine = app.extensions["tafel_engine"]
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS test_counter"))
        conn.execute(text("CREATE TABLE test_counter (id INTEGER PRIMARY KEY, n INTEGER)"))
        conn.execute(text("INSERT INTO test_counter (id, n) VALUES (1, 0)"))
    app.read_done = threading.Event()

    @app.route("/test/increment", methods=["POST"])
    def increment():
        with commit_or_refuse() as done:
            n = db.session.execute(text("SELECT n FROM test_counter WHERE id = 1")).scalar()
            app.read_done.set()
            time.sleep(float(request.form.get("pause", "0")))
            db.session.execute(text("UPDATE test_counter SET n = :n WHERE id = 1"), {"n": n + 1})
        return ("ok", 200) if done else ("refused", 409)

    @app.route("/test/count")
    def count():
        return str(db.session.execute(text("SELECT n FROM test_counter WHERE id = 1")).scalar())

    @app.route("/test/busy", methods=["POST"])
    def busy():
        raise busy_error()

    @app.route("/test/broken", methods=["POST"])
    def broken():
        raise DBAPIError("SELECT", {}, sqlite3.DatabaseError("disk image is malformed"))

    yield app
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE test_counter"))
    engine.dispose()


def sqlite_only(app) -> None:
    if app.extensions["tafel_engine"].dialect.name != "sqlite":
        pytest.skip("SQLite's write lock; PostgreSQL locks rows")


def in_thread(fn) -> tuple[threading.Thread, dict]:
    result: dict = {}

    def run():
        started = time.monotonic()
        result["response"] = fn()
        result["seconds"] = time.monotonic() - started
        result["finished"] = time.monotonic()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


def test_two_writers_at_once_on_sqlite_both_succeed_and_no_update_is_lost(counter_app):
    """The second writer reads while the first holds the lock: it waits for the
    first commit, then reads the new value. With a deferred BEGIN it read the old
    value and failed with "database is locked" at its write."""
    sqlite_only(counter_app)
    first, result_first = in_thread(
        lambda: counter_app.test_client().post("/test/increment", data={"pause": "0.6"})
    )
    assert counter_app.read_done.wait(5)
    second, result_second = in_thread(
        lambda: counter_app.test_client().post("/test/increment", data={"pause": "0"})
    )
    first.join(20)
    second.join(20)
    assert result_first["response"].status_code == 200
    assert result_second["response"].status_code == 200
    assert result_second["finished"] >= result_first["finished"] - 0.05  # it waited
    assert counter_app.test_client().get("/test/count").get_data(as_text=True) == "2"


def test_a_reader_reads_beside_a_writer(counter_app):
    sqlite_only(counter_app)
    writer, written = in_thread(
        lambda: counter_app.test_client().post("/test/increment", data={"pause": "1.5"})
    )
    assert counter_app.read_done.wait(5)
    response = counter_app.test_client().get("/test/count")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "0"  # the writer has not committed yet
    assert "finished" not in written  # and it is still busy
    writer.join(20)
    assert written["response"].status_code == 200


def test_writers_begin_immediate_and_readers_deferred(counter_app):
    sqlite_only(counter_app)
    begins: list[str] = []

    def before(conn, cursor, statement, *args):
        if statement.startswith("BEGIN"):
            begins.append(statement)

    engine = counter_app.extensions["tafel_engine"]
    event.listen(engine, "before_cursor_execute", before)
    try:
        counter_app.test_client().get("/test/count")
        counter_app.test_client().post("/test/increment")
        with counter_app.app_context():  # a command or a scheduled job
            db.session.execute(text("SELECT 1"))
            db.session.rollback()
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert begins == ["BEGIN", "BEGIN IMMEDIATE", "BEGIN IMMEDIATE"]


def test_the_busy_timeout_applies(counter_app):
    sqlite_only(counter_app)
    with counter_app.extensions["tafel_engine"].connect() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000


def test_a_busy_database_outside_a_form_shows_the_busy_page(counter_app):
    response = counter_app.test_client().post("/test/busy")
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert BUSY in response.get_data(as_text=True)


def test_another_database_error_is_still_a_server_error(counter_app):
    response = counter_app.test_client().post("/test/broken")
    assert response.status_code == 500
    assert BUSY not in response.get_data(as_text=True)


# The real forms ---------------------------------------------------------------------


@pytest.fixture
def commenter(app):
    with app.app_context():
        sub = make_submission(visibility="openbaar", status="aanvaard")
        make_user(email="reageer@example.org")
        sub_id = sub.id
    client = app.test_client()
    login(client, "reageer@example.org")
    return client, sub_id


def comments(sub_id: int) -> list[str]:
    return db.session.scalars(select(Comment.body).where(Comment.submission_id == sub_id)).all()


def test_a_busy_database_gives_the_form_back_with_the_input(app, commenter, monkeypatch):
    client, sub_id = commenter

    def locked(*args, **kwargs):
        raise busy_error()

    monkeypatch.setattr(support, "add_comment", locked)
    response = post(client, f"/submissions/{sub_id}/comments", {"body": "Mijn lange reactie."})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert BUSY in page
    assert "Mijn lange reactie." in page  # typed text is still in the form
    with app.app_context():
        assert comments(sub_id) == []


def test_a_busy_database_without_a_form_is_flashed(app, commenter, monkeypatch):
    client, sub_id = commenter

    def locked(*args, **kwargs):
        raise busy_error()

    monkeypatch.setattr(support, "cosign", locked)
    response = post(client, f"/submissions/{sub_id}/cosign", {"evidence": "Wij ook."})
    assert response.status_code == 302
    assert BUSY in client.get(response.headers["Location"]).get_data(as_text=True)


def _fail_first(monkeypatch, times: int):
    """add_comment really adds the row, then the commit "conflicts" `times` times."""
    real = support.add_comment
    calls = {"n": 0}

    def conflicting(*args, **kwargs):
        made = real(*args, **kwargs)
        db.session.flush()
        calls["n"] += 1
        if calls["n"] <= times:
            raise conflict_error()
        return made

    monkeypatch.setattr(support, "add_comment", conflicting)
    monkeypatch.setattr(db, "conflicts_are_retried", lambda: True)  # on SQLite too
    return calls


def test_a_conflict_is_retried_once_unseen(app, commenter, monkeypatch):
    client, sub_id = commenter
    calls = _fail_first(monkeypatch, times=1)
    response = post(client, f"/submissions/{sub_id}/comments", {"body": "Eén keer."})
    assert response.status_code == 302
    assert calls["n"] == 2
    with app.app_context():
        assert comments(sub_id) == ["Eén keer."]  # one row: the first run left nothing
    assert BUSY not in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_second_conflict_gives_the_form_back(app, commenter, monkeypatch):
    client, sub_id = commenter
    calls = _fail_first(monkeypatch, times=2)
    response = post(client, f"/submissions/{sub_id}/comments", {"body": "Twee keer."})
    assert response.status_code == 422
    assert calls["n"] == 2  # retried once, not more
    page = response.get_data(as_text=True)
    assert BUSY in page and "Twee keer." in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Comment.id))) == 0


# Timeouts ---------------------------------------------------------------------------


def test_postgresql_connections_have_connect_and_statement_timeouts():
    from tafel.db import make_engine

    engine = make_engine(
        "postgresql+psycopg://tafel@127.0.0.1:9/tafel", connect_timeout=5, statement_timeout_ms=1234
    )
    seen: dict = {}

    class Stop(Exception):
        pass

    @event.listens_for(engine, "do_connect")
    def capture(dialect, record, cargs, cparams):
        seen.update(cparams)
        raise Stop

    with pytest.raises(Stop):
        engine.connect()
    assert seen["connect_timeout"] == 5
    assert seen["options"] == "-c statement_timeout=1234"


def test_the_statement_timeout_is_set_on_postgresql(app):
    engine = app.extensions["tafel_engine"]
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "30s"
