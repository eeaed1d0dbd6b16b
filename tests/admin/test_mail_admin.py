"""/admin/mail: the beheerder sees the mail that could not be delivered, with
its last error, and puts it back in the queue (POST with CSRF, audited)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tafel import db
from tafel.core import mail
from tafel.core.models import AuditEntry, MailMessage
from tafel.db import utcnow
from tests.conftest import csrf_token, login, post
from tests.factories import make_user


def dead_message(recipient: str = "kwijt@example.org") -> MailMessage:
    message = mail.queue(recipient, "Uitnodiging vergadering", "Tekst")
    message.attempts = mail.MAX_ATTEMPTS
    message.dead_at = utcnow()
    message.last_error = "SMTPRecipientsRefused: 550 mailbox unavailable"
    db.session.commit()
    return message


def test_the_beheerder_sees_dead_mail_and_requeues_it(app, client):
    with app.app_context():
        admin = make_user(email="beheer@example.org", roles=("beheerder",))
        message = dead_message()
        mail.queue("wacht@example.org", "Wacht", "Tekst")  # pending, not dead
        db.session.commit()
        message_id, admin_id = message.id, admin.id
    login(client, "beheer@example.org")
    html = client.get("/admin/mail").get_data(as_text=True)
    assert "kwijt@example.org" in html and "550 mailbox unavailable" in html
    assert "wacht@example.org" not in html
    assert "1 bericht wacht op verzending." in html
    assert 'href="/admin/mail"' in client.get("/admin/").get_data(as_text=True)

    response = post(client, f"/admin/mail/{message_id}/requeue", follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "wordt opnieuw verstuurd" in page and "Er zijn geen onbestelbare berichten." in page
    with app.app_context():
        message = db.session.get(MailMessage, message_id)
        assert message.dead_at is None and message.attempts == 0
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "mail.requeue")
        ).one()
        assert (entry.actor_id, entry.object_id) == (admin_id, message_id)
        assert mail.send_pending() == (2, 0)  # the requeued one goes out again
    # Requeueing again (a second tab) changes nothing and says why.
    response = post(client, f"/admin/mail/{message_id}/requeue", follow_redirects=True)
    assert "wacht niet (meer) op een nieuwe poging" in response.get_data(as_text=True)


def test_requeue_needs_the_csrf_token(app, client):
    with app.app_context():
        make_user(email="beheer@example.org", roles=("beheerder",))
        message_id = dead_message().id
    login(client, "beheer@example.org")
    response = client.post(f"/admin/mail/{message_id}/requeue")
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(MailMessage, message_id).dead_at is not None


@pytest.mark.parametrize("role", ["secretariaat", "tafellid", "indiener", "departement"])
def test_only_the_beheerder_may(app, client, role):
    with app.app_context():
        make_user(email="ander@example.org", roles=(role,))
        message_id = dead_message().id
    login(client, "ander@example.org")
    assert client.get("/admin/mail").status_code == 403
    response = client.post(
        f"/admin/mail/{message_id}/requeue", data={"csrf_token": csrf_token(client)}
    )
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(MailMessage, message_id).dead_at is not None


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get("/admin/mail")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_an_unknown_message_is_404(app, client):
    with app.app_context():
        make_user(email="beheer@example.org", roles=("beheerder",))
    login(client, "beheer@example.org")
    assert post(client, "/admin/mail/999999/requeue").status_code == 404
