"""Logging configured in create_app: a server error is logged once with its
traceback; a mail that could not be sent is logged by id, not by address."""

from __future__ import annotations

import logging

from flask import abort

from tafel import create_app, db
from tafel.core import mail
from tests.conftest import make_config


def test_every_server_error_is_logged_once_with_its_traceback(app, database_url, caplog):
    broken = create_app(make_config(database_url))
    broken.config["PROPAGATE_EXCEPTIONS"] = False

    @broken.route("/boom")
    def boom():
        raise RuntimeError("boom")

    @broken.route("/on-purpose")
    def on_purpose():
        abort(500)

    client = broken.test_client()
    for url in ("/boom", "/on-purpose"):
        caplog.clear()
        with caplog.at_level(logging.ERROR, logger="tafel"):
            response = client.get(url)
        assert response.status_code == 500
        assert "Er ging iets mis" in response.get_data(as_text=True)
        errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert len(errors) == 1, url
        assert url in errors[0].getMessage() and errors[0].exc_info is not None
    broken.extensions["tafel_engine"].dispose()


def test_the_application_logger_is_configured(app):
    assert app.logger.name == "tafel"
    assert app.logger.getEffectiveLevel() <= logging.INFO
    assert logging.getLogger("tafel.core.mail").getEffectiveLevel() <= logging.INFO


def test_a_failed_mail_is_logged_without_its_recipient(app_ctx, caplog):
    saved = {key: app_ctx.config[key] for key in ("SMTP_HOST", "SMTP_PORT")}
    app_ctx.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=1)  # nothing listens there
    try:
        message = mail.queue("ina@example.com", "Onderwerp", "Tekst")
        db.session.commit()
        with caplog.at_level(logging.WARNING, logger="tafel.core.mail"):
            assert mail.send_pending() == (0, 1)
        logged = [r.getMessage() for r in caplog.records if r.name == "tafel.core.mail"]
        assert logged == [logged[0]] and f"mail {message.id} not sent (attempt 1)" in logged[0]
        assert "ina@example.com" not in logged[0]
    finally:
        app_ctx.config.update(saved)
