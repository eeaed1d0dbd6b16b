"""Throttling that cannot lock people out (audit finding 4): failures count per
(account, address) pair and per address, with progressive delays; another
address's failures never stop the owner; a completed reset clears the count;
/healthz warns when every login seems to come from one proxy."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tafel import db
from tafel.accounts.models import LoginAttempt, PasswordResetToken
from tafel.accounts.services import login as login_service
from tests.conftest import login, post
from tests.factories import make_user

WRONG = "wrong-password-here"


def from_address(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_a_third_party_guessing_does_not_stop_the_owner(app):
    with app.app_context():
        make_user(email="ina@example.com")
    attacker = from_address(app, "203.0.113.66")
    for _ in range(12):
        login(attacker, "ina@example.com", WRONG)
    assert login(attacker, "ina@example.com").status_code == 429  # the guesser waits
    owner = from_address(app, "198.51.100.7")
    assert login(owner, "ina@example.com").status_code == 302  # the owner does not


def test_delays_grow_with_each_failure_and_end(app, ctx):
    delays = [login_service.delay_after(n, 5) for n in range(4, 12)]
    assert delays[0] == timedelta(0)
    minutes = [delay.total_seconds() / 60 for delay in delays[1:]]
    assert minutes == [1, 2, 4, 8, 15, 15, 15]  # doubling, at most the window


def test_after_the_delay_one_more_try_is_allowed(app, client):
    with app.app_context():
        make_user(email="ina@example.com")
    for _ in range(5):
        assert login(client, "ina@example.com", WRONG).status_code == 401
    assert login(client, "ina@example.com").status_code == 429
    _shift(app, timedelta(minutes=1, seconds=5))  # the 1-minute delay has passed
    assert login(client, "ina@example.com", WRONG).status_code == 401
    response = login(client, "ina@example.com")  # now 2 minutes
    assert response.status_code == 429
    assert "over 2 minuten" in response.get_data(as_text=True)


def _shift(app, delta: timedelta) -> None:
    with app.app_context():
        for attempt in db.session.scalars(select(LoginAttempt)):
            attempt.created_at -= delta
        db.session.commit()


def test_a_completed_reset_clears_the_count(app, client):
    with app.app_context():
        make_user(email="ina@example.com")
    for _ in range(5):
        login(client, "ina@example.com", WRONG)
    assert login(client, "ina@example.com").status_code == 429
    post(client, "/auth/reset", {"email": "ina@example.com"})
    with app.app_context():
        token = "known-token"
        from tafel.accounts.services import password_changes

        row = db.session.scalars(select(PasswordResetToken)).one()
        row.token_hash = password_changes._token_hash(token)
        db.session.commit()
    new = "een-heel-nieuw-wachtwoord"
    response = post(client, f"/auth/reset/{token}", {"password": new, "password_confirm": new})
    assert response.status_code == 302
    assert login(client, "ina@example.com", new).status_code == 302


def test_healthz_warns_when_every_login_comes_from_one_private_address(app, client):
    with app.app_context():
        for n in range(5):
            db.session.add(LoginAttempt(email=f"u{n}@example.com", ip="10.0.0.2", success=False))
        db.session.commit()
    part = client.get("/healthz").get_json()["parts"]["proxy"]
    assert part["ok"] is False and "TAFEL_PROXY_COUNT" in part["warning"]
    assert client.get("/healthz").status_code == 200  # a warning, not a failure
    with app.app_context():
        db.session.add(LoginAttempt(email="x@example.com", ip="198.51.100.7", success=True))
        db.session.commit()
    assert client.get("/healthz").get_json()["parts"]["proxy"]["ok"] is True


def test_refused_attempts_are_not_counted_so_waiting_helps(app, client):
    with app.app_context():
        make_user(email="ina@example.com")
    for _ in range(5):
        login(client, "ina@example.com", WRONG)
    for _ in range(3):
        assert login(client, "ina@example.com").status_code == 429
    with app.app_context():
        assert db.session.query(LoginAttempt).count() == 5
