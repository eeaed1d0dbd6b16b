"""A tour of the pages: each one passes axe-core and is saved as a screenshot
in test-artifacts/ for a human to look at."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tafel import db
from tafel.accounts.models import Organisation
from tafel.core import mail
from tafel.db import utcnow
from tests.e2e.conftest import axe_violations, login
from tests.factories import make_org

pytestmark = pytest.mark.e2e


class Tour:
    """Visit pages one after another; collect every page's axe report, fail at the end."""

    def __init__(self, page, screenshot):
        self.page = page
        self.screenshot = screenshot
        self.reports: list[str] = []

    def check(self, name: str, heading: str) -> None:
        expect(self.page.get_by_role("heading", level=1)).to_contain_text(heading)
        self.screenshot(self.page, name)
        report = axe_violations(self.page)
        if report:
            self.reports.append(f"[{name}] {report}")

    def finish(self) -> None:
        if self.reports:
            pytest.fail("\n\n".join(self.reports), pytrace=False)


def test_public_pages(page, screenshot):
    tour = Tour(page, screenshot)
    page.goto("/")
    tour.check("home", "Knelpunten uit de praktijk")
    page.get_by_role("link", name="Inloggen").first.click()
    tour.check("login", "Inloggen")
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    tour.check("reset-request", "Wachtwoord vergeten")
    page.goto("/bestaat-niet")
    tour.check("not-found", "")
    tour.finish()


def test_admin_pages(app, page, demo_data, screenshot):
    with app.app_context():
        org: Organisation = make_org("startup", verified=False, name="Nieuwkomer Robotica B.V.")
        org_name = org.name
    tour = Tour(page, screenshot)

    login(page, "beheer@example.org")
    tour.check("admin-index", "Beheer")

    page.get_by_role("link", name="Gebruikers beheren").click()
    tour.check("admin-users", "Gebruikers")
    page.get_by_role("link", name="Ingrid Dommel").click()
    tour.check("admin-user-edit", "Ingrid Dommel")

    page.goto("/admin/organisations")
    tour.check("admin-organisations", "Organisaties")
    page.get_by_role("link", name=org_name).click()
    assert urlsplit(page.url).path.startswith("/admin/organisations/")
    tour.check("admin-organisation-edit", org_name)
    page.get_by_role("button", name="Organisatie verifiëren").click()
    expect(page.get_by_role("status")).to_contain_text("is geverifieerd")
    tour.check("admin-organisation-verified", org_name)

    page.goto("/admin/")
    page.get_by_role("link", name="Markten").click()
    tour.check("admin-reference-list", "Markten")
    page.locator("main table a").first.click()
    tour.check("admin-reference-edit", "")

    page.goto("/admin/")
    page.get_by_role("link", name="Alle wijzigingen bekijken").click()
    tour.check("admin-audit", "Auditlog")

    with app.app_context():
        message = mail.queue("kwijt@example.org", "Uitnodiging vergadering", "Tekst")
        message.attempts, message.dead_at = mail.MAX_ATTEMPTS, utcnow()
        message.last_error = "SMTPRecipientsRefused: 550 mailbox unavailable"
        db.session.commit()
    page.goto("/admin/")
    page.get_by_role("link", name="Onbestelbare e-mail bekijken").click()
    tour.check("admin-mail", "Onbestelbare e-mail")
    page.get_by_role("button", name="Opnieuw versturen kwijt@example.org").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_be_visible()
    tour.check("admin-mail-requeued", "Onbestelbare e-mail")

    page.get_by_role("link", name="Mijn Tafel").click()
    tour.check("account-overview", "Mijn Tafel")
    page.get_by_role("link", name="Wachtwoord wijzigen").click()
    tour.check("account-password", "Wachtwoord")
    tour.finish()


def test_secretariat_sees_organisations_to_verify(app, page, demo_data, screenshot):
    with app.app_context():
        make_org("mkb", verified=False, name="Wachtende Werktuigbouw B.V.")
    tour = Tour(page, screenshot)
    login(page, "secretariaat@example.org")
    assert urlsplit(page.url).path == "/triage/"
    page.goto("/admin/organisations?status=unverified")
    expect(page.locator("main tbody tr")).to_have_count(1)
    expect(page.locator("main tbody")).to_contain_text("Wachtende Werktuigbouw B.V.")
    tour.check("secretariaat-unverified", "Organisaties")
    tour.finish()


def no_sideways_scrolling(page) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{page.url} is {widths[0]}px wide in a {widths[1]}px window"


def test_small_screen(page, demo_data, screenshot):
    """At 320 CSS pixels (WCAG 1.4.10 reflow) the pages fit without sideways scrolling.

    The admin tables are data tables, which WCAG exempts; they are only photographed.
    """
    page.set_viewport_size({"width": 320, "height": 720})
    tour = Tour(page, screenshot)
    page.goto("/")
    tour.check("mobile-home", "Knelpunten")
    no_sideways_scrolling(page)
    page.goto("/auth/register")
    tour.check("mobile-register", "Organisatie aanmelden")
    no_sideways_scrolling(page)
    login(page, "beheer@example.org")
    tour.check("mobile-admin-index", "Beheer")
    no_sideways_scrolling(page)
    page.goto("/admin/organisations")
    tour.check("mobile-admin-organisations", "Organisaties")
    tour.finish()
