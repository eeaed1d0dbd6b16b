"""HTTP caching: a visitor's public pages start no session and may be cached
by anyone for a minute (with an ETag); everything a signed-in user gets, and
every export that is not public, is `private, no-store`."""

from __future__ import annotations

import pytest

from tafel import db
from tafel.accounts.models import Organisation
from tafel.core.caching import LANGUAGE_COOKIE
from tests.conftest import login
from tests.factories import make_submission, make_user
from tests.meetings.factories import make_meeting
from tests.meetings.test_exports import new_feed
from tests.responses.factories import due_submission, ministry_user

PRIVATE = "private, no-store"


@pytest.fixture
def public(app):
    with app.app_context():
        sub = make_submission(visibility="openbaar", status="aanvaard", title="Openbaar")
        meeting = make_meeting(status="gepubliceerd", items=1)
        return {"sub": sub.id, "meeting": meeting.id}


def public_urls(ids):
    return [
        "/",
        "/submissions/",
        "/submissions/?q=openbaar",
        f"/submissions/{ids['sub']}",
        "/meetings/",
        f"/meetings/{ids['meeting']}",
        "/decisions/",
        "/submissions/export.csv",
    ]


def test_public_pages_start_no_session_and_are_publicly_cacheable(app, public):
    for url in public_urls(public):
        client = app.test_client()
        response = client.get(url)
        response.get_data()
        response.close()  # a streamed export keeps its request open until closed
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url
        assert "Cookie" not in response.vary, url
        assert response.headers["Cache-Control"] == "public, max-age=60", url
        assert "Accept-Language" in response.vary, url
        assert client.get_cookie(app.config["SESSION_COOKIE_NAME"]) is None, url


def test_a_public_page_has_the_same_etag_for_every_visitor_and_answers_304(app, public):
    url = f"/submissions/{public['sub']}"
    first = app.test_client().get(url)
    second = app.test_client().get(url)
    assert first.headers["ETag"] and first.headers["ETag"] == second.headers["ETag"]
    again = app.test_client().get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_the_language_link_sets_a_cookie_of_its_own_not_a_session(app, public):
    client = app.test_client()
    response = client.get("/language/en?next=/submissions/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/submissions/")
    assert client.get_cookie(LANGUAGE_COOKIE).value == "en"
    assert client.get_cookie(app.config["SESSION_COOKIE_NAME"]) is None
    page = client.get("/submissions/")
    assert '<html lang="en">' in page.get_data(as_text=True)
    assert "Set-Cookie" not in page.headers
    # It depends on a cookie a shared cache does not see: the browser's alone.
    assert page.headers["Cache-Control"] == "private, max-age=60"
    assert client.get("/language/de?next=/").status_code == 302
    assert client.get_cookie(LANGUAGE_COOKIE).value == "en"


def test_the_language_link_never_leaves_the_site(app):
    response = app.test_client().get("/language/en?next=https://example.com/")
    assert response.headers["Location"] in ("/", "http://localhost/")


def test_a_visitor_with_a_session_cookie_gets_private_pages(app, public):
    client = app.test_client()
    client.get("/auth/login")  # the login form's CSRF token starts a session
    assert client.get_cookie(app.config["SESSION_COOKIE_NAME"]) is not None
    response = client.get("/submissions/")
    assert response.headers["Cache-Control"] == PRIVATE
    assert "ETag" not in response.headers


def _signed_in(app, client, roles=("indiener",), **fields):
    with app.app_context():
        org_id = make_user(email="wie@example.org", roles=roles, **fields).organisation_id
    login(client, "wie@example.org")
    return org_id


def test_every_page_of_a_signed_in_user_is_private(app, client, public):
    _signed_in(app, client)
    for url in [*public_urls(public), "/account/", "/notifications/", "/submissions/mine"]:
        response = client.get(url)
        response.get_data()
        response.close()
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == PRIVATE, url
        assert "ETag" not in response.headers, url


def test_a_confidential_report_is_private(app, client):
    org_id = _signed_in(app, client)
    with app.app_context():
        org = db.session.get(Organisation, org_id)
        sub_id = make_submission(org=org, visibility="vertrouwelijk", title="Geheim").id
    response = client.get(f"/submissions/{sub_id}")
    assert response.status_code == 200 and "Geheim" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == PRIVATE


def test_a_response_page_is_private(app, client):
    with app.app_context():
        sub_id = due_submission("EZK").id
        ministry_user("EZK", email="ezk@example.org")
    login(client, "ezk@example.org")
    response = client.get(f"/responses/{sub_id}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == PRIVATE


def test_exports_and_the_minutes_pdf_of_a_signed_in_user_are_private(app, client):
    _signed_in(app, client, roles=("secretariaat",))
    with app.app_context():
        meeting_id = make_meeting(status="gehouden", days=-1, items=1).id
    for url in ("/submissions/export.csv", f"/meetings/{meeting_id}/minutes.pdf"):
        response = client.get(url)
        response.get_data()
        response.close()
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == PRIVATE, url


def test_the_audit_log_is_private(app, client):
    _signed_in(app, client, roles=("beheerder",))
    response = client.get("/admin/audit")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == PRIVATE


def test_a_calendar_feed_behind_a_secret_address_is_private(app, client):
    """Fetched without a session, yet not public: the address is the secret."""
    _signed_in(app, client, roles=("tafellid",))
    url = new_feed(client)
    response = app.test_client().get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == PRIVATE
