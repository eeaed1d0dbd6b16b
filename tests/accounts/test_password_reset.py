"""Password reset by an e-mailed, single-use, expiring link."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from tafel import db
from tafel.accounts.models import PasswordResetToken
from tafel.core.models import MailMessage
from tests.conftest import login, post
from tests.factories import make_user

NEW = "een-nieuw-en-lang-wachtwoord"


def request_link(app, client, email="ina@example.com") -> str:
    response = post(client, "/auth/reset", {"email": email})
    assert response.status_code == 200
    with app.app_context():
        message = db.session.scalars(select(MailMessage).order_by(MailMessage.id.desc())).first()
        assert message.recipient == email
        return re.search(r"http://\S+(/auth/reset/\S+)", message.body).group(1)


def test_reset_link_sets_a_new_password_once(app, client):
    with app.app_context():
        make_user(email="ina@example.com")
    path = request_link(app, client)
    assert client.get(path).status_code == 200
    response = post(client, path, {"password": NEW, "password_confirm": NEW})
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    assert login(client, "ina@example.com", NEW).status_code == 302
    post(client, "/auth/logout")
    # Single use: the same link no longer works.
    assert client.get(path).status_code == 404
    again = "nog-een-ander-lang-wachtwoord"
    assert post(client, path, {"password": again, "password_confirm": again}).status_code == 404
    assert login(client, "ina@example.com", again).status_code == 401


def test_reset_ends_existing_sessions(app):
    with app.app_context():
        make_user(email="ina@example.com")
    stolen, owner = app.test_client(), app.test_client()
    login(stolen, "ina@example.com")
    path = request_link(app, owner)
    post(owner, path, {"password": NEW, "password_confirm": NEW})
    assert stolen.get("/account/").status_code == 302


def test_expired_link_is_refused(app, client):
    with app.app_context():
        make_user(email="ina@example.com")
    path = request_link(app, client)
    with app.app_context():
        token = db.session.scalars(select(PasswordResetToken)).one()
        token.expires_at -= timedelta(days=1)
        db.session.commit()
    response = client.get(path)
    assert response.status_code == 404
    assert "werkt niet meer" in response.get_data(as_text=True)


def test_token_is_stored_hashed(app, client):
    with app.app_context():
        make_user(email="ina@example.com")
    path = request_link(app, client)
    token = path.rsplit("/", 1)[1]
    with app.app_context():
        stored = db.session.scalars(select(PasswordResetToken.token_hash)).one()
    assert token not in stored and len(stored) == 64


def test_unknown_address_gets_the_same_answer_and_no_mail(app, client):
    response = post(client, "/auth/reset", {"email": "niemand@example.com"})
    assert response.status_code == 200
    assert "niemand@example.com" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(MailMessage)).first() is None


def test_weak_new_password_is_refused_and_link_stays_valid(app, client):
    with app.app_context():
        make_user(email="ina@example.com")
    path = request_link(app, client)
    response = post(client, path, {"password": "kort", "password_confirm": "kort"})
    assert response.status_code == 422
    assert "minstens 12" in response.get_data(as_text=True)
    assert client.get(path).status_code == 200


def test_send_mail_command_delivers_the_outbox(app, client):
    with app.app_context():
        make_user(email="ina@example.com")
    request_link(app, client)
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 0
    assert "To: ina@example.com" in result.output and "Mail sent: 1" in result.output
    with app.app_context():
        message = db.session.scalars(select(MailMessage)).one()
        assert message.sent_at is not None
        message_id = message.id
    eml = (app.config["MAIL_DIR"] / f"{message_id:08d}.eml").read_text()
    assert "To: ina@example.com" in eml and "/auth/reset/" in eml
    assert "Mail sent: 0" in app.test_cli_runner().invoke(args=["send-mail"]).output


# Audit finding 10 -----------------------------------------------------------------


def _reset_links(app, email: str) -> list[str]:
    with app.app_context():
        bodies = db.session.scalars(
            select(MailMessage.body).where(MailMessage.recipient == email)
        ).all()
    return [m.group(0) for body in bodies for m in [re.search(r"/auth/reset/[\w-]+", body)] if m]


def test_a_password_change_ends_open_reset_links(app, client):
    with app.app_context():
        make_user(email="ina@example.com")
    post(client, "/auth/reset", {"email": "ina@example.com"})
    (link,) = _reset_links(app, "ina@example.com")
    assert client.get(link).status_code == 200
    login(client, "ina@example.com")
    new = "een-nieuw-en-lang-wachtwoord"
    post(
        client,
        "/account/password",
        {"current_password": "correct-horse-battery", "password": new, "password_confirm": new},
    )
    assert app.test_client().get(link).status_code == 404


def test_reset_requests_are_limited_per_account_and_per_address(app):
    with app.app_context():
        make_user(email="ina@example.com")
    for n in range(8):
        browser = app.test_client()
        browser.environ_base["REMOTE_ADDR"] = f"198.51.100.{n}"
        response = post(browser, "/auth/reset", {"email": "ina@example.com"})
        assert response.status_code == 200  # the same answer every time
    assert len(_reset_links(app, "ina@example.com")) == 3  # no mail bombing
    one_address = app.test_client()
    for n in range(10):
        assert post(one_address, "/auth/reset", {"email": f"x{n}@example.com"}).status_code == 200
    response = post(one_address, "/auth/reset", {"email": "y@example.com"})
    assert response.status_code == 429


def test_a_sent_reset_mail_no_longer_holds_the_link(app, client):
    from tafel.core import mail as outbox

    with app.app_context():
        make_user(email="ina@example.com")
    post(client, "/auth/reset", {"email": "ina@example.com"})
    assert len(_reset_links(app, "ina@example.com")) == 1
    with app.app_context():
        assert outbox.send_pending() == (1, 0)
        body = db.session.scalars(select(MailMessage.body)).one()
    assert "/auth/reset/" not in body
    assert _reset_links(app, "ina@example.com") == []
