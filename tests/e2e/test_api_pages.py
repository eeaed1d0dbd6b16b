"""The dashboard, the API documentation, open data, API tokens and webhooks in
the browser: each page passes axe-core; a token is made with the keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tafel.api import opendata
from tafel.submissions.models import Submission
from tests.e2e.conftest import login
from tests.e2e.test_pages import Tour
from tests.factories import make_submission

pytestmark = pytest.mark.e2e


@pytest.fixture
def open_data_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "OPEN_DATA_DIR", str(tmp_path))


def test_public_figures_and_documentation(app, page, demo_data, screenshot, open_data_dir):
    with app.app_context():
        for status in ("aanvaard", "besloten", "ingediend"):
            make_submission(visibility="openbaar", status=status)
        assert Submission.__tablename__
    tour = Tour(page, screenshot)
    page.goto("/dashboard/")
    tour.check("dashboard", "Dashboard")
    expect(page.locator("svg.chart").first).to_be_visible()
    page.goto("/api/")
    tour.check("api-docs", "API-documentatie")
    page.goto("/open-data")
    tour.check("open-data", "Open data")
    with app.app_context():
        assert opendata.metadata() is not None
    tour.finish()


def test_a_token_is_made_with_the_keyboard(page, demo_data, screenshot, open_data_dir):
    tour = Tour(page, screenshot)
    login(page, "beheer@example.org")
    page.goto("/account/tokens")
    tour.check("api-tokens", "API-tokens")
    page.get_by_label("Naam").fill("Zaaksysteem")
    page.get_by_label("Naam").press("Enter")
    expect(page.locator("#new-token")).to_contain_text("tafel_")
    tour.check("api-token-made", "API-tokens")
    page.goto("/api/webhooks")
    tour.check("webhooks", "Webhooks")
    tour.finish()
