"""/healthz reports each part of the service; a required part that fails
(database, schema, upload folder) answers 503, the worker and the outbox are
reported without failing the check."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import create_engine

from tafel import create_app, db
from tafel.core import jobs, mail
from tafel.core.models import JobLease
from tafel.db import make_engine, utcnow
from tafel.main import health
from tests.conftest import make_config


def get(client):
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 2
    return response, response.get_json()


def test_every_part_is_reported(client):
    response, body = get(client)
    assert response.status_code == 200
    assert (body["status"], body["database"]) == ("ok", "ok")
    parts = body["parts"]
    assert parts["database"] == {**parts["database"], "ok": True, "writable": True}
    assert parts["schema"]["revision"] == parts["schema"]["head"] == health.schema_head()
    assert parts["uploads"]["ok"] is True
    assert {name for name, part in parts.items() if part["required"]} == {
        "database",
        "schema",
        "uploads",
    }
    # No worker has run here: reported, but the site still serves.
    assert parts["worker"] == {"ok": False, "heartbeat_age_s": None, "required": False}
    assert parts["mail"]["pending"] == 0 and parts["mail"]["oldest_pending_age_s"] is None


def test_the_probe_write_leaves_nothing_behind(app, client):
    get(client)
    with app.app_context():
        assert db.session.query(JobLease).count() == 0


def test_a_running_worker_and_waiting_mail_are_shown(app, client):
    with app.app_context():
        lease = jobs.make_lease(app.extensions["tafel_engine"], ttl=60)
        assert lease.acquire()
        message = mail.queue("a@example.org", "Onderwerp", "Tekst")
        message.created_at = utcnow() - timedelta(minutes=30)
        db.session.commit()
    try:
        _, body = get(client)
    finally:
        lease.release()
    assert body["parts"]["worker"]["ok"] is True
    assert body["parts"]["worker"]["heartbeat_age_s"] < 60
    assert body["parts"]["mail"]["pending"] == 1
    assert 1790 <= body["parts"]["mail"]["oldest_pending_age_s"] <= 1900


def test_a_stale_heartbeat_is_reported(app, client):
    with app.app_context():
        db.session.add(
            JobLease(name=jobs.SCHEDULER, holder="x", heartbeat_at=utcnow() - timedelta(minutes=6))
        )
        db.session.commit()
    response, body = get(client)
    assert response.status_code == 200  # the worker is not a required part
    assert body["parts"]["worker"]["ok"] is False
    assert body["parts"]["worker"]["heartbeat_age_s"] >= 360


def test_dead_mail_is_reported_without_failing(app, client):
    with app.app_context():
        message = mail.queue("a@example.org", "Onderwerp", "Tekst")
        message.dead_at = utcnow()
        db.session.commit()
    response, body = get(client)
    assert response.status_code == 200
    assert body["parts"]["mail"] == {**body["parts"]["mail"], "ok": False, "dead": 1}


def test_a_schema_behind_the_scripts_is_503(client, monkeypatch):
    monkeypatch.setattr(health, "schema_head", lambda: "9999")
    response, body = get(client)
    assert response.status_code == 503
    assert body["status"] == "error" and body["database"] == "ok"
    assert body["parts"]["schema"]["ok"] is False


def test_an_upload_folder_that_cannot_be_written_is_503(app, client, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setitem(app.config, "UPLOAD_DIR", blocker / "uploads")
    response, body = get(client)
    assert response.status_code == 503
    assert body["parts"]["uploads"]["ok"] is False and body["database"] == "ok"


def test_a_database_that_cannot_be_written_is_503(database_url):
    app = create_app(make_config(database_url))
    app.extensions["tafel_engine"].dispose()
    if database_url.startswith("sqlite:///"):  # the file opened read-only
        path = database_url.removeprefix("sqlite:///")
        read_only = make_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    else:  # a server that refuses writes (a hot standby, say)
        options = {"options": "-c default_transaction_read_only=on"}
        read_only = create_engine(database_url, connect_args=options)
    app.extensions["tafel_engine"] = read_only
    try:
        response, body = get(app.test_client())
    finally:
        app.extensions["tafel_engine"].dispose()
    assert response.status_code == 503
    assert body["parts"]["database"]["writable"] is False
    assert body["parts"]["schema"]["ok"] is True  # still readable


def test_an_unreachable_database_is_503(tmp_path):
    app = create_app(make_config(f"sqlite:///{tmp_path}/missing/dir/tafel.db"))
    response, body = get(app.test_client())
    assert response.status_code == 503
    assert (body["status"], body["database"]) == ("error", "error")
    assert body["parts"]["schema"]["ok"] is False and body["parts"]["uploads"]["ok"] is True
