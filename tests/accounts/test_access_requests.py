"""Joining an organisation that is already on Tafel, approved by the secretariat."""

from __future__ import annotations

import re

from sqlalchemy import select

from tafel import db
from tafel.accounts.models import AccessRequest, User
from tafel.core.models import MailMessage
from tests.conftest import csrf_token, login, post
from tests.factories import make_org, make_user, province

PASSWORD = "mijn-eigen-lange-wachtwoord"


def ask(client, **overrides):
    data = {
        "kvk": "87654321",
        "name": "Mila Collega",
        "email": "mila@bestaande.example",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "message": "Ik werk bij de afdeling public affairs.",
    } | overrides
    return post(client, "/auth/request-access", data)


def test_duplicate_kvk_on_registration_links_to_the_access_request(app, client):
    with app.app_context():
        make_org(kvk="87654321", name="Bestaande B.V.")
        type_id = make_org().org_type_id
        province_id = province().id
    response = post(
        client,
        "/auth/register",
        {
            "org_name": "Bestaande",
            "org_type": type_id,
            "kvk": "87654321",
            "province": province_id,
            "name": "Mila",
            "email": "mila@bestaande.example",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
        },
    )
    html = response.get_data(as_text=True)
    assert 'href="/auth/request-access?kvk=87654321"' in html
    form = client.get("/auth/request-access?kvk=87654321").get_data(as_text=True)
    assert re.search(r'id="kvk"[^>]*value="87654321"', form)


def test_request_then_approval_creates_the_account(app, client):
    with app.app_context():
        org = make_org(kvk="87654321", name="Bestaande B.V.")
        org_id = org.id
        make_user(email="sec@example.org", roles=("secretariaat",))
    response = ask(client)
    assert response.status_code == 200
    assert "Bestaande B.V." in response.get_data(as_text=True)
    # No account yet: logging in fails.
    assert login(client, "mila@bestaande.example", PASSWORD).status_code == 401
    with app.app_context():
        row = db.session.scalars(select(AccessRequest)).one()
        row_id = row.id
    secretariat = app.test_client()
    login(secretariat, "sec@example.org")
    listing = secretariat.get("/admin/access-requests").get_data(as_text=True)
    assert "mila@bestaande.example" in listing and "public affairs" in listing
    response = post(secretariat, f"/admin/access-requests/{row_id}", {"decision": "approve"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == "mila@bestaande.example")).one()
        assert user.organisation_id == org_id and user.roles == {"indiener"}
        row = db.session.get(AccessRequest, row_id)
        assert row.outcome == "approved" and row.password_hash == ""
        mail = db.session.scalars(select(MailMessage)).one()
        assert mail.recipient == "mila@bestaande.example" and "goedgekeurd" in mail.body
    fresh = app.test_client()
    assert login(fresh, "mila@bestaande.example", PASSWORD).status_code == 302
    # Deciding twice is refused.
    post(secretariat, f"/admin/access-requests/{row_id}", {"decision": "reject"})
    with app.app_context():
        assert db.session.get(AccessRequest, row_id).outcome == "approved"


def test_rejection_creates_no_account(app, client):
    with app.app_context():
        make_org(kvk="87654321")
        make_user(email="sec@example.org", roles=("secretariaat",))
    ask(client)
    with app.app_context():
        row_id = db.session.scalars(select(AccessRequest.id)).one()
    secretariat = app.test_client()
    login(secretariat, "sec@example.org")
    post(secretariat, f"/admin/access-requests/{row_id}", {"decision": "reject"})
    with app.app_context():
        assert db.session.scalars(select(User).where(User.email.like("mila%"))).first() is None
        assert db.session.get(AccessRequest, row_id).outcome == "rejected"


def test_unknown_kvk_is_refused_and_a_duplicate_request_answered_alike(app, client):
    with app.app_context():
        make_org(kvk="87654321")
    response = ask(client, kvk="11111111")
    assert response.status_code == 422
    assert "geen organisatie met dit KvK-nummer" in response.get_data(as_text=True)
    first = ask(client)
    again = ask(app.test_client())
    # The same page for a new and a taken address (no account enumeration) ...
    assert first.status_code == again.status_code == 200
    token = re.compile(r'name="csrf_token"[^>]*>')
    assert token.sub("", first.get_data(as_text=True)) == token.sub(
        "", again.get_data(as_text=True)
    )
    assert "Er bestaat al een account" not in again.get_data(as_text=True)
    with app.app_context():
        # ... one request only; the address's owner is told by mail.
        assert len(db.session.scalars(select(AccessRequest)).all()) == 1
        subjects = db.session.scalars(
            select(MailMessage.subject).where(MailMessage.recipient == "mila@bestaande.example")
        ).all()
        assert subjects == ["Aanmelding bij Tafel met uw e-mailadres"]


def test_access_request_form_keeps_input_on_error(app, client):
    response = post(
        client,
        "/auth/request-access",
        {
            "kvk": "12",
            "name": "Mila",
            "email": "mila@example.com",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
            "message": "Mijn toelichting",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "precies 8 cijfers" in html
    assert 'value="mila@example.com"' in html and "Mijn toelichting" in html


def test_indiener_cannot_decide(app, client):
    with app.app_context():
        make_org(kvk="87654321")
        make_user(email="ina@example.com")
    ask(client)
    with app.app_context():
        row_id = db.session.scalars(select(AccessRequest.id)).one()
    other = app.test_client()
    login(other, "ina@example.com")
    token = csrf_token(other)
    response = other.post(
        f"/admin/access-requests/{row_id}", data={"decision": "approve", "csrf_token": token}
    )
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(AccessRequest, row_id).decided_at is None
