"""The mail preference: each message at once, or a daily digest; urgent
messages (a decision or response on one's own report) and invitations at once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tafel import db
from tafel.accounts.services import set_mail_preference
from tafel.core.models import MailMessage
from tafel.db import utcnow
from tafel.notifications.models import Notification
from tafel.notifications.services import notify, send_digests
from tests.conftest import login, post
from tests.factories import make_user


def mails_to(email: str) -> list[MailMessage]:
    return list(
        db.session.scalars(
            select(MailMessage).where(MailMessage.recipient == email).order_by(MailMessage.id)
        )
    )


def test_the_preference_is_chosen_on_the_account_page(app, client):
    with app.app_context():
        email = make_user().email
    login(client, email)
    page = client.get("/account/").get_data(as_text=True)
    assert "Eén samenvatting per dag" in page
    response = post(client, "/account/mail", {"mail": "digest"})
    assert response.status_code == 302
    with app.app_context():
        from tafel.accounts.models import User

        assert db.session.scalars(select(User).where(User.email == email)).one().mail_digest
    response = post(client, "/account/mail", {"mail": "wekelijks"})
    assert response.status_code == 302
    page = client.get("/account/").get_data(as_text=True)
    assert "Kies hoe u e-mail wilt ontvangen." in page


def test_digest_users_get_one_mail_a_day_but_urgent_ones_at_once(ctx):
    reader = make_user()
    reader.mail_digest = True
    direct = make_user()
    db.session.commit()
    for n in range(3):
        notify(reader, f"Nieuwe reactie {n}", "/submissions/1", "tekst")
        notify(direct, f"Nieuwe reactie {n}", "/submissions/1", "tekst")
    notify(reader, "Besluit B-2026-001 over uw melding", "/decisions/1", "tekst", urgent=True)
    db.session.commit()
    assert [m.subject for m in mails_to(reader.email)] == ["Besluit B-2026-001 over uw melding"]
    assert len(mails_to(direct.email)) == 3
    assert send_digests() == 1
    db.session.commit()
    digest = mails_to(reader.email)[-1]
    assert digest.subject == "Tafel: 3 nieuwe berichten"
    assert "Nieuwe reactie 0" in digest.body and "Nieuwe reactie 2" in digest.body
    assert not db.session.scalars(
        select(Notification).where(Notification.mail_pending.is_(True))
    ).all()
    # Once a day: a new message waits until 23 hours have passed.
    notify(reader, "Nog een reactie", "/submissions/1", "tekst")
    db.session.commit()
    assert send_digests() == 0
    assert send_digests(utcnow() + timedelta(hours=24)) == 1
    db.session.commit()
    assert "Nog een reactie" in mails_to(reader.email)[-1].body


def test_switching_the_digest_off_sends_what_waited(app, client):
    with app.test_request_context():
        reader = make_user()
        reader.mail_digest = True
        db.session.commit()
        notify(reader, "Wachtend bericht", "/submissions/1", "tekst")
        db.session.commit()
        email = reader.email
        assert mails_to(email) == []
    login(client, email)
    assert post(client, "/account/mail", {"mail": "direct"}).status_code == 302
    with app.app_context():
        sent = mails_to(email)
        assert len(sent) == 1 and "Wachtend bericht" in sent[0].body


def test_the_account_service_signals_notifications_to_send_what_waited(ctx):
    """accounts knows nothing of notifications: the mail_preference_changed
    signal carries the choice up."""
    reader = make_user()
    reader.mail_digest = True
    db.session.commit()
    notify(reader, "Wachtend bericht", "/submissions/1", "tekst")
    set_mail_preference(reader, True)  # no change: nothing happens
    assert mails_to(reader.email) == []
    set_mail_preference(reader, False)
    db.session.commit()
    sent = mails_to(reader.email)
    assert len(sent) == 1 and "Wachtend bericht" in sent[0].body
    assert reader.mail_digest is False
