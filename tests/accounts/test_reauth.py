"""Re-authentication before sensitive actions: changing a user's roles or
e-mail address asks for the beheerder's password again unless they logged in
or confirmed it within REAUTH_MINUTES."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from tafel import db
from tafel.accounts.models import LoginAttempt
from tests.conftest import login, post
from tests.factories import make_user


def _age_confirmation(client, minutes: int) -> None:
    with client.session_transaction() as session:
        session["reauth_at"] = int(time.time()) - minutes * 60


def test_an_old_login_must_confirm_the_password_before_editing_a_user(app, client):
    with app.app_context():
        make_user(email="beheer@example.org", roles=("beheerder",))
        target_id = make_user(email="ina@example.com").id
    login(client, "beheer@example.org")
    url = f"/admin/users/{target_id}"
    assert client.get(url).status_code == 200  # just logged in: recent enough
    _age_confirmation(client, 11)
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/confirm?next=/admin/users/")
    refused = post(client, "/auth/confirm?next=" + url, {"password": "niet-mijn-wachtwoord"})
    assert refused.status_code == 401
    with app.app_context():  # a wrong password counts towards the throttle
        failures = select(func.count(LoginAttempt.id)).where(LoginAttempt.success.is_(False))
        assert db.session.scalar(failures) == 1
    assert client.get(url).status_code == 302  # still not confirmed
    confirmed = post(client, "/auth/confirm?next=" + url, {"password": "correct-horse-battery"})
    assert confirmed.status_code == 302 and confirmed.headers["Location"] == url
    assert client.get(url).status_code == 200


def test_a_post_without_recent_confirmation_changes_nothing(app, client):
    with app.app_context():
        make_user(email="beheer@example.org", roles=("beheerder",))
        target = make_user(email="ina@example.com")
        target_id = target.id
    login(client, "beheer@example.org")
    _age_confirmation(client, 30)
    response = post(
        client,
        f"/admin/users/{target_id}",
        {"name": "Ina", "email": "ina@example.com", "roles": ["beheerder"], "active": "y"},
    )
    assert response.status_code == 302 and "/auth/confirm" in response.headers["Location"]
    with app.app_context():
        from tafel.accounts.models import User

        assert db.session.get(User, target_id).roles == {"indiener"}
