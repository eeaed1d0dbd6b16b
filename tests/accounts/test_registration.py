"""Registering a new organisation with its first user, and every way it can go wrong."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tafel import db
from tafel.accounts.models import Organisation, User
from tafel.core.models import AuditEntry, MailMessage
from tests.conftest import csrf_token, login
from tests.factories import make_org, make_user, org_type, province

GOOD_PASSWORD = "een-lang-en-uniek-wachtwoord"


def form_data(client, **overrides) -> dict:
    with client.application.app_context():
        data = {
            "org_name": "Zeeuwse Zonnecellen B.V.",
            "org_type": str(org_type("mkb").id),
            "kvk": "12345678",
            "province": str(province("NL-ZE").id),
            "name": "Zara de Zeeuw",
            "email": "zara@zonnecellen.example",
            "password": GOOD_PASSWORD,
            "password_confirm": GOOD_PASSWORD,
        }
    data["csrf_token"] = csrf_token(client, "/auth/register")
    data.update(overrides)
    return data


def field_error(html: str, field: str) -> str:
    """The error message rendered next to `field` (inside its .field block)."""
    match = re.search(rf'<p class="error-message" id="{field}-error">(.*?)</p>', html, re.S)
    assert match, f"no error next to {field}"
    return re.sub(r"<[^>]+>|\s+", " ", match.group(1)).strip()


def value_of(html: str, field: str) -> str | None:
    match = re.search(rf'<input[^>]*id="{field}"[^>]*value="([^"]*)"', html)
    return match.group(1) if match else None


def selected(html: str, field: str) -> str | None:
    select_html = re.search(rf'<select[^>]*id="{field}".*?</select>', html, re.S).group(0)
    match = re.search(
        r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', select_html
    )
    return (match.group(1) or match.group(2)) if match else None


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_register_creates_unverified_organisation_and_logs_in(app, client):
    response = client.post("/auth/register", data=form_data(client))
    assert response.status_code == 200
    assert "Controleer uw e-mail" in response.get_data(as_text=True)
    assert login(client, "zara@zonnecellen.example", GOOD_PASSWORD).status_code == 302
    with app.app_context():
        org = db.session.scalars(select(Organisation)).one()
        assert (org.name, org.kvk, org.verified) == ("Zeeuwse Zonnecellen B.V.", "12345678", False)
        user = db.session.scalars(select(User)).one()
        assert user.email == "zara@zonnecellen.example"
        assert user.roles == {"indiener"}
        assert user.password_hash.startswith("$argon2id$")
        assert GOOD_PASSWORD not in user.password_hash
        actions = set(db.session.scalars(select(AuditEntry.action)))
        assert {"organisation.register", "user.create"} <= actions
    page = client.get("/account/").get_data(as_text=True)
    assert "Zeeuwse Zonnecellen B.V." in page
    assert "Nog niet geverifieerd" in page


def test_kvk_with_spaces_and_dots_is_accepted(app, client):
    response = client.post("/auth/register", data=form_data(client, kvk="1234 56.78"))
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalars(select(Organisation.kvk)).one() == "12345678"


BAD_INPUT = [
    pytest.param({"kvk": "1234"}, "kvk", "precies 8 cijfers", id="short-kvk"),
    pytest.param({"kvk": "1234567a"}, "kvk", "precies 8 cijfers", id="letter-in-kvk"),
    pytest.param({"kvk": "123456789"}, "kvk", "precies 8 cijfers", id="long-kvk"),
    pytest.param({"kvk": ""}, "kvk", "KvK-nummer", id="kvk-missing-for-business"),
    pytest.param(
        {"password": "kort", "password_confirm": "kort"},
        "password",
        "minstens 12",
        id="short-password",
    ),
    pytest.param(
        {"password": "password1234", "password_confirm": "password1234"},
        "password",
        "veelgebruikte wachtwoorden",
        id="common-password",
    ),
    pytest.param(
        {"password": "x" * 129, "password_confirm": "x" * 129},
        "password",
        "128",
        id="long-password",
    ),
    pytest.param(
        {"password_confirm": "iets-heel-anders-123"},
        "password_confirm",
        "niet gelijk",
        id="mismatched-confirmation",
    ),
    pytest.param({"email": "geen-adres"}, "email", "geldig e-mailadres", id="invalid-email"),
    pytest.param({"org_name": "   "}, "org_name", "verplicht", id="blank-org-name"),
]


@pytest.mark.parametrize("overrides, field, message", BAD_INPUT)
def test_bad_input_returns_the_form_with_the_message_next_to_the_field(
    app, client, overrides, field, message
):
    data = form_data(client, **overrides)
    response = client.post("/auth/register", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in field_error(html, field)
    # Every other value is kept (passwords are never sent back to the browser).
    for other in ("org_name", "kvk", "name", "email"):
        if other != field and other not in overrides:
            assert value_of(html, other) == data[other], other
    if "org_type" not in overrides:
        assert selected(html, "org_type") == data["org_type"]
        assert selected(html, "province") == data["province"]
    with app.app_context():
        assert count(Organisation) == 0 and count(User) == 0


def test_kvk_is_optional_for_a_university(app, client):
    with app.app_context():
        university = str(org_type("universiteit").id)
    response = client.post("/auth/register", data=form_data(client, org_type=university, kvk=""))
    assert response.status_code == 200


def test_duplicate_kvk_points_to_requesting_access(app, client):
    with app.app_context():
        make_org(kvk="87654321", name="Bestaande B.V.")
    response = client.post("/auth/register", data=form_data(client, kvk="87654321"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Vraag toegang tot de bestaande organisatie" in field_error(html, "kvk")
    assert value_of(html, "email") == "zara@zonnecellen.example"
    with app.app_context():
        assert count(Organisation) == 1


def test_a_taken_address_gets_the_same_answer_and_its_owner_a_mail(app, client):
    """No account enumeration: registering with an address that has an account
    (in any case) answers exactly as a new one; only the owner learns of it."""
    with app.app_context():
        make_user(email="zara@zonnecellen.example")
    taken = client.post("/auth/register", data=form_data(client, email="Zara@Zonnecellen.EXAMPLE"))
    fresh_client = app.test_client()
    fresh = fresh_client.post(
        "/auth/register",
        data=form_data(fresh_client, email="nieuw@zonnecellen.example", kvk="12345679"),
    )
    assert taken.status_code == fresh.status_code == 200
    strip = re.compile(r'name="csrf_token"[^>]*>|[\w.]+@zonnecellen\.example', re.I)
    assert strip.sub("", taken.get_data(as_text=True)) == strip.sub(
        "", fresh.get_data(as_text=True)
    )
    assert "Er bestaat al een account" not in taken.get_data(as_text=True)
    with app.app_context():
        assert count(User) == 2 and count(Organisation) == 2  # the taken one made nothing
        mails = db.session.execute(select(MailMessage.recipient, MailMessage.subject)).all()
        assert sorted(mails) == [
            ("nieuw@zonnecellen.example", "Welkom bij Tafel"),
            ("zara@zonnecellen.example", "Aanmelding bij Tafel met uw e-mailadres"),
        ]


def test_registration_is_rate_limited_per_address(app, client):
    for n in range(10):
        other = app.test_client()
        data = form_data(other, email=f"a{n}@zonnecellen.example", kvk=f"2000000{n}")
        assert other.post("/auth/register", data=data).status_code == 200
    last = app.test_client()
    data = form_data(last, email="b@zonnecellen.example", kvk="30000000")
    response = last.post("/auth/register", data=data)
    assert response.status_code == 429
    assert "Te veel aanvragen" in response.get_data(as_text=True)
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.44"
    data = form_data(elsewhere, email="c@zonnecellen.example", kvk="30000001")
    assert elsewhere.post("/auth/register", data=data).status_code == 200


def test_unknown_organisation_type_is_refused(app, client):
    response = client.post("/auth/register", data=form_data(client, org_type="999999"))
    assert response.status_code == 422
    with app.app_context():
        assert count(Organisation) == 0


def test_registration_without_csrf_token_changes_nothing(app, client):
    data = form_data(client)
    del data["csrf_token"]
    response = client.post("/auth/register", data=data)
    assert response.status_code == 400
    with app.app_context():
        assert count(Organisation) == 0 and count(User) == 0
