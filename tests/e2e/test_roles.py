"""Each demo account logs in with the form and lands on the page for its role."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DEMO, login

pytestmark = pytest.mark.e2e


def expected_landing(account) -> str:
    if "beheerder" in account.roles:
        return "/admin/"
    if "secretariaat" in account.roles:
        return "/triage/"
    return "/account/"


def path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.mark.parametrize("account", DEMO, ids=str)
def test_demo_account_logs_in_and_lands_on_its_page(page, demo_data, axe_check, account):
    page.goto("/auth/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    axe_check(page)

    login(page, account.email)

    assert path_and_query(page.url) == expected_landing(account)
    # The header always says who is logged in, for which organisation.
    expect(page.locator(".site-nav__user")).to_have_text(f"{account.name} · {account.organisation}")
    if expected_landing(account) == "/account/":
        main = page.locator("main")
        expect(page.get_by_role("heading", level=1)).to_have_text("Mijn Tafel")
        expect(main).to_contain_text(f"Welkom, {account.name}.")
        expect(main.locator(".details")).to_contain_text(account.organisation)
    elif expected_landing(account) == "/triage/":
        expect(page.get_by_role("link", name="Triage")).to_have_attribute("aria-current", "page")
    else:
        expect(page.get_by_role("link", name="Beheer")).to_have_attribute("aria-current", "page")
    axe_check(page)


def test_wrong_password_shows_error_and_keeps_email(page, demo_data, axe_check):
    email = "indiener@example.com"
    page.goto("/auth/login")
    page.get_by_label("E-mailadres").fill(email)
    password = page.get_by_label("Wachtwoord", exact=True)
    password.fill("niet-het-goede-wachtwoord")
    with page.expect_navigation():
        password.press("Enter")

    assert urlsplit(page.url).path == "/auth/login"
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Het e-mailadres of het wachtwoord klopt niet.")
    expect(page.get_by_label("E-mailadres")).to_have_value(email)
    expect(page.get_by_label("Wachtwoord", exact=True)).to_have_value("")
    expect(page.locator(".site-nav__user")).to_have_count(0)
    axe_check(page)


def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(page, screenshot):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Direct naar de inhoud")
    expect(skip).to_have_attribute("href", "#main")
    # Once focused it is on screen, not parked off the left edge.
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, box
    screenshot(page, "skip-link-focused")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    assert re.search(r"#main$", page.url)
