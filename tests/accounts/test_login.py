"""Logging in and out, session revocation and throttling."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from tafel import create_app, db
from tafel.accounts.models import LoginAttempt, User
from tests.conftest import login, make_config, post
from tests.factories import PASSWORD, make_user


def test_login_lands_on_the_role_page_and_logout_ends_the_session(app, client):
    with app.app_context():
        make_user(email="ina@example.com", roles=("indiener",))
    response = login(client, "ina@example.com")
    assert response.status_code == 302 and response.headers["Location"] == "/account/"
    assert client.get("/account/").status_code == 200
    response = post(client, "/auth/logout")
    assert response.status_code == 302
    assert client.get("/account/").status_code == 302  # back to the login page


def test_login_email_is_case_insensitive_and_session_is_renewed(app, client):
    with app.app_context():
        make_user(email="ina@example.com")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    assert login(client, "  INA@Example.com ").status_code == 302
    with client.session_transaction() as session:
        assert "planted" not in session


def test_wrong_password_keeps_the_email_and_says_so(app, client):
    with app.app_context():
        make_user(email="ina@example.com")
    response = login(client, "ina@example.com", "wrong-password-here")
    assert response.status_code == 401
    html = response.get_data(as_text=True)
    assert "klopt niet" in html
    assert 'value="ina@example.com"' in html


def test_login_follows_only_local_next(app, client):
    with app.app_context():
        make_user(email="ina@example.com")
    data = {"email": "ina@example.com", "password": PASSWORD}
    response = post(client, "/auth/login?next=https://evil.example/", data)
    assert response.headers["Location"] == "/account/"
    post(client, "/auth/logout")
    response = post(client, "/auth/login?next=/account/password", data)
    assert response.headers["Location"] == "/account/password"


def test_deactivated_user_session_stops_on_next_request(app, client):
    with app.app_context():
        user = make_user(email="ina@example.com")
        user_id = user.id
    login(client, "ina@example.com")
    assert client.get("/account/").status_code == 200
    with app.app_context():
        db.session.get(User, user_id).active = False
        db.session.commit()
    response = client.get("/account/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    # And they cannot log in again.
    assert login(client, "ina@example.com").status_code == 401


def test_logout_everywhere_ends_other_sessions_but_keeps_this_one(app):
    with app.app_context():
        make_user(email="ina@example.com")
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, "ina@example.com")
    login(phone, "ina@example.com")
    assert post(laptop, "/account/logout-everywhere").status_code == 302
    assert laptop.get("/account/").status_code == 200
    assert phone.get("/account/").status_code == 302


def test_password_change_ends_other_sessions(app):
    with app.app_context():
        make_user(email="ina@example.com")
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, "ina@example.com")
    login(phone, "ina@example.com")
    new = "nieuw-en-veel-langer-wachtwoord"
    response = post(
        laptop,
        "/account/password",
        {"current_password": PASSWORD, "password": new, "password_confirm": new},
    )
    assert response.status_code == 302
    assert laptop.get("/account/").status_code == 200
    assert phone.get("/account/").status_code == 302
    post(laptop, "/auth/logout")
    assert login(laptop, "ina@example.com", new).status_code == 302


def test_password_change_with_wrong_current_password_changes_nothing(app, client):
    with app.app_context():
        make_user(email="ina@example.com")
    login(client, "ina@example.com")
    new = "nieuw-en-veel-langer-wachtwoord"
    response = post(
        client,
        "/account/password",
        {"current_password": "not-my-password", "password": new, "password_confirm": new},
    )
    assert response.status_code == 422
    assert "huidige wachtwoord klopt niet" in response.get_data(as_text=True)
    post(client, "/auth/logout")
    assert login(client, "ina@example.com").status_code == 302


def failures(app, email) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count(LoginAttempt.id)).where(
                LoginAttempt.email == email, LoginAttempt.success.is_(False)
            )
        )


def test_sixth_attempt_is_refused_even_with_the_right_password(app, client):
    with app.app_context():
        make_user(email="ina@example.com")
    for _ in range(5):
        assert login(client, "ina@example.com", "wrong-password-here").status_code == 401
    response = login(client, "ina@example.com")  # right password, too late
    assert response.status_code == 429
    assert "Te veel mislukte inlogpogingen" in response.get_data(as_text=True)
    assert client.get("/account/").status_code == 302
    assert failures(app, "ina@example.com") == 5  # refused attempts are not counted


def test_throttle_holds_across_two_workers(app, database_url):
    """Two app instances with their own engines and pools, like two gunicorn
    workers: the count lives in the shared database, not in a process."""
    with app.app_context():
        make_user(email="ina@example.com")
    second = create_app(make_config(database_url))
    try:
        workers = [app.test_client(), second.test_client()]
        for attempt in range(5):
            worker = workers[attempt % 2]
            assert login(worker, "ina@example.com", "wrong-password-here").status_code == 401
        for worker in workers:
            assert login(worker, "ina@example.com").status_code == 429
    finally:
        second.extensions["tafel_engine"].dispose()


def test_throttle_per_address_after_twenty_failures(app, client):
    with app.app_context():
        make_user(email="ina@example.com")
    for n in range(20):
        login(client, f"unknown{n}@example.com", "wrong-password-here")
    response = login(client, "ina@example.com")
    assert response.status_code == 429
    other_address = app.test_client()
    other_address.environ_base["REMOTE_ADDR"] = "192.0.2.9"
    assert login(other_address, "ina@example.com").status_code == 302


def test_throttle_expires_after_the_window(app, client):
    with app.app_context():
        make_user(email="ina@example.com")
    for _ in range(5):
        login(client, "ina@example.com", "wrong-password-here")
    assert login(client, "ina@example.com").status_code == 429
    with app.app_context():
        for attempt in db.session.scalars(select(LoginAttempt)):
            attempt.created_at -= timedelta(minutes=16)
        db.session.commit()
    assert login(client, "ina@example.com").status_code == 302


def test_successful_login_resets_the_account_count(app, client):
    with app.app_context():
        make_user(email="ina@example.com")
    for _ in range(4):
        login(client, "ina@example.com", "wrong-password-here")
    assert login(client, "ina@example.com").status_code == 302
    post(client, "/auth/logout")
    for _ in range(4):
        login(client, "ina@example.com", "wrong-password-here")
    assert login(client, "ina@example.com").status_code == 302
