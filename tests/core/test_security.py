"""CSRF, security headers, no state change on GET, error pages."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tafel import create_app, db
from tafel.accounts.models import LoginAttempt
from tests.conftest import login, make_config
from tests.factories import make_user


def test_post_without_csrf_token_is_400_and_records_nothing(app, client):
    with app.app_context():
        make_user(email="ina@example.com")
    response = client.post(
        "/auth/login", data={"email": "ina@example.com", "password": "correct-horse-battery"}
    )
    assert response.status_code == 400
    assert "Het verzoek kon niet worden verwerkt" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(LoginAttempt.id))) == 0
    assert client.get("/account/").status_code == 302


def test_post_with_a_forged_token_is_400(app, client):
    response = client.post("/language", data={"language": "en", "csrf_token": "forged"})
    assert response.status_code == 400


@pytest.mark.parametrize("url", ["/auth/logout", "/account/logout-everywhere", "/language"])
def test_state_changing_urls_refuse_get(client, url):
    assert client.get(url).status_code == 405


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_have_no_inline_script_and_only_local_assets(client):
    html = client.get("/").get_data(as_text=True)
    assert "<script>" not in html and "onclick" not in html
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html


def test_session_cookie_is_httponly_and_samesite(app, client):
    with app.app_context():
        make_user(email="ina@example.com")
    response = login(client, "ina@example.com")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("code, text", [(404, "Pagina niet gevonden")])
def test_dutch_error_pages(client, code, text):
    response = client.get("/bestaat-niet")
    assert response.status_code == code
    html = response.get_data(as_text=True)
    assert text in html and '<html lang="nl">' in html


def test_500_page_in_dutch(app, database_url):
    broken = create_app(make_config(database_url))
    broken.config["PROPAGATE_EXCEPTIONS"] = False

    @broken.route("/boom")
    def boom():
        raise RuntimeError("boom")

    response = broken.test_client().get("/boom")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.get_data(as_text=True)
    broken.extensions["tafel_engine"].dispose()


def test_indiener_on_admin_page_gets_dutch_403(app, client):
    with app.app_context():
        make_user(email="ina@example.com")
    login(client, "ina@example.com")
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert "Geen toegang" in response.get_data(as_text=True)
