"""Sessions that end (audit finding 3): logout ends the session on the
server, sessions have an absolute lifetime, privileged roles time out when
idle, and /account/ lists the open sessions with "end this session"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tafel import db
from tafel.accounts.models import UserSession
from tafel.db import utcnow
from tests.conftest import login, post
from tests.factories import make_user

COOKIE = "tafel_session"


def copy_cookie(app, client):
    """A second browser holding a copy of `client`'s session cookie."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return thief


def test_a_cookie_copied_before_logout_opens_nothing_after(app, client):
    with app.app_context():
        make_user(email="ina@example.com")
    login(client, "ina@example.com")
    thief = copy_cookie(app, client)
    assert thief.get("/account/").status_code == 200
    assert post(client, "/auth/logout").status_code == 302
    assert thief.get("/account/").status_code == 302
    assert client.get("/account/").status_code == 302
    with app.app_context():
        row = db.session.scalars(select(UserSession)).one()
        assert row.ended_at is not None


def _age_sessions(app, **ago) -> None:
    with app.app_context():
        db.session.execute(
            update(UserSession).values({name: utcnow() - delta for name, delta in ago.items()})
        )
        db.session.commit()


def _age_cookie(client, delta: timedelta) -> None:
    with client.session_transaction() as session:
        session["seen"] = int((utcnow() - delta).timestamp())


def test_a_session_ends_after_its_absolute_lifetime_however_busy(app, client):
    with app.app_context():
        make_user(email="ina@example.com")
    login(client, "ina@example.com")
    _age_sessions(app, created_at=timedelta(hours=11, minutes=50))
    assert client.get("/account/").status_code == 200
    _age_sessions(app, created_at=timedelta(hours=12, minutes=1))
    assert client.get("/account/").status_code == 302


@pytest.mark.parametrize(
    ("role", "ends"),
    [
        ("indiener", False),
        ("tafellid", False),
        ("secretariaat", True),
        ("voorzitter", True),
        ("beheerder", True),
        ("departement", True),
    ],
)
def test_privileged_sessions_end_after_two_idle_hours(app, client, role, ends):
    with app.app_context():
        make_user(email="ina@example.com", roles=(role,))
    login(client, "ina@example.com")
    _age_sessions(app, created_at=timedelta(hours=3), last_seen_at=timedelta(hours=3))
    _age_cookie(client, timedelta(minutes=110))
    assert client.get("/account/").status_code == 200  # still within two hours
    _age_cookie(client, timedelta(hours=2, minutes=5))
    assert client.get("/account/").status_code == (302 if ends else 200)


def test_the_account_page_lists_sessions_and_ends_another_one(app, client):
    with app.app_context():
        make_user(email="ina@example.com")
    other = app.test_client()
    login(other, "ina@example.com")
    login(client, "ina@example.com")
    page = client.get("/account/", headers={"User-Agent": "Testbrowser/1.0"}).get_data(as_text=True)
    assert page.count("Deze sessie beëindigen") == 2
    assert "deze sessie" in page
    with app.app_context():
        first = db.session.scalars(select(UserSession).order_by(UserSession.id)).first()
        first_id = first.id
    assert post(client, f"/account/sessions/{first_id}/end").status_code == 302
    assert other.get("/account/").status_code == 302  # that device is logged out
    assert client.get("/account/").status_code == 200  # this one is not
    # Twice (a second click) is harmless; someone else's session is 404.
    assert post(client, f"/account/sessions/{first_id}/end").status_code == 302
    with app.app_context():
        make_user(email="bob@example.com")
    stranger = app.test_client()
    login(stranger, "bob@example.com")
    with app.app_context():
        mine = db.session.scalars(
            select(UserSession).where(UserSession.ended_at.is_(None)).order_by(UserSession.id)
        ).first()
        mine_id = mine.id
    assert post(stranger, f"/account/sessions/{mine_id}/end").status_code == 404
    assert client.get("/account/").status_code == 200


def test_logout_everywhere_ends_every_other_session_row(app, client):
    with app.app_context():
        make_user(email="ina@example.com")
    other = app.test_client()
    login(other, "ina@example.com")
    login(client, "ina@example.com")
    assert post(client, "/account/logout-everywhere").status_code == 302
    assert other.get("/account/").status_code == 302
    assert client.get("/account/").status_code == 200
    with app.app_context():
        open_rows = db.session.scalars(
            select(UserSession).where(UserSession.ended_at.is_(None))
        ).all()
        assert len(open_rows) == 1


def test_production_uses_the_host_prefix():
    import config

    production = config.ProductionConfig
    assert production.SESSION_COOKIE_NAME.startswith("__Host-")
    assert production.SESSION_COOKIE_SECURE and production.SESSION_COOKIE_PATH == "/"
