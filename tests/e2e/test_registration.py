"""Registering an organisation: a wrong KvK number comes back next to its field,
the rest of the form is kept, and the corrected form creates the account."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PASSWORD = "een-lang-en-uniek-wachtwoord"
KVK_ERROR = "Een KvK-nummer bestaat uit precies 8 cijfers"


def test_register_with_wrong_kvk_then_correct_it(page, axe_check, screenshot):
    unique = uuid.uuid4().int
    kvk = f"3{unique % 10**7:07d}"  # demo KvK numbers start with 9
    email = f"e2e-{unique % 10**12}@example.org"
    org_name = f"E2E Precisietechniek {unique % 10**6} B.V."

    page.goto("/auth/register")
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisatie aanmelden")
    screenshot(page, "register-empty")
    axe_check(page)

    page.get_by_label("Naam van de organisatie").fill(org_name)
    page.get_by_label("Soort organisatie").select_option(label="Mkb-bedrijf")
    page.get_by_label("KvK-nummer").fill("1234")
    page.get_by_label("Provincie").select_option(label="Gelderland")
    page.get_by_label("Uw naam").fill("Petra Precies")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Herhaal het wachtwoord").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Aanmelden").click()

    # The form comes back with the error next to the KvK field ...
    assert urlsplit(page.url).path == "/auth/register"
    kvk_box = page.get_by_label("KvK-nummer")
    kvk_field = page.locator(".field", has=page.locator("#kvk"))
    expect(kvk_field).to_have_count(1)
    expect(kvk_field).to_have_class(re.compile(r"\bfield--error\b"))
    error = kvk_field.locator(".error-message")
    expect(error).to_contain_text(KVK_ERROR)
    error_id = error.get_attribute("id")
    assert error_id
    described_by = (kvk_box.get_attribute("aria-describedby") or "").split()
    assert error_id in described_by, described_by
    expect(kvk_box).to_have_attribute("aria-invalid", "true")
    expect(kvk_box).to_have_value("1234")
    # ... and in the summary at the top, linking to the field.
    expect(page.get_by_role("alert")).to_contain_text(KVK_ERROR)
    expect(page.get_by_role("alert").get_by_role("link")).to_have_attribute("href", "#kvk")
    # Only the KvK field is in error.
    expect(page.locator(".field--error")).to_have_count(1)

    # Everything else is still filled in; passwords are cleared by design.
    expect(page.get_by_label("Naam van de organisatie")).to_have_value(org_name)
    expect(page.get_by_label("Soort organisatie").locator("option:checked")).to_have_text(
        "Mkb-bedrijf"
    )
    expect(page.get_by_label("Provincie").locator("option:checked")).to_have_text("Gelderland")
    expect(page.get_by_label("Uw naam")).to_have_value("Petra Precies")
    expect(page.get_by_label("E-mailadres")).to_have_value(email)
    expect(page.get_by_label("Wachtwoord", exact=True)).to_have_value("")
    expect(page.get_by_label("Herhaal het wachtwoord")).to_have_value("")
    screenshot(page, "register-errors")
    axe_check(page)

    # Following the summary's link puts the cursor in the KvK field.
    page.get_by_role("alert").get_by_role("link").click()
    expect(kvk_box).to_be_focused()

    kvk_box.fill(kvk)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    confirm = page.get_by_label("Herhaal het wachtwoord")
    confirm.fill(PASSWORD)
    with page.expect_navigation():
        confirm.press("Enter")

    # The same answer as for an address that already has an account (no
    # enumeration); then the new user logs in with the chosen password.
    expect(page.get_by_role("heading", level=1)).to_have_text("Controleer uw e-mail")
    axe_check(page)
    page.get_by_role("link", name="Naar inloggen").click()
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen").click()
    page.goto("/account/")
    main = page.locator("main")
    details = main.locator(".details")
    expect(details).to_contain_text(org_name)
    expect(details).to_contain_text(kvk)
    expect(details).to_contain_text("Gelderland")
    expect(details).to_contain_text("Nog niet geverifieerd door het secretariaat")
    expect(page.locator(".site-nav__user")).to_have_text(f"Petra Precies · {org_name}")
    screenshot(page, "account-new-organisation")
    axe_check(page)
