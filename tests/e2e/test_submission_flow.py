"""A knelpunt from the form to its acceptance, in two browsers at once.

The company (indiener@example.com, Dommeldal Vacuümtechniek) files a knelpunt
with an attachment; the secretariat takes it, asks a question, gets an answer
and accepts it; the company follows every step on the submission page and in
its messages. Every distinct page on the way is checked with axe-core and
saved as a screenshot in test-artifacts/.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

COMPANY = "indiener@example.com"
COMPANY_ORG = "Dommeldal Vacuümtechniek"
SECRETARIAT = "secretariaat@example.org"

TITLE = "Omgevingsvergunning voor nieuwe vacuümtestruimte blijft maanden liggen"
SUMMARY = (
    "De gemeente beslist niet binnen de wettelijke termijn op onze aanvraag voor een "
    "omgevingsvergunning, waardoor de bouw van een testruimte voor vacuümkamers stilligt."
)
BODY = (
    "Wij vroegen in januari een omgevingsvergunning aan voor een testruimte naast onze "
    "fabriek. De beslistermijn is twee keer verlengd.\n\n"
    "Zonder de testruimte kunnen wij geen nieuwe generatie vacuümkamers kwalificeren."
)
QUESTION = "Kunt u het zaaknummer van de gemeente en de datum van de aanvraag sturen?"
ANSWER = "Het zaaknummer is OLO-2026-0415; de aanvraag is ingediend op 12 januari 2026."
PDF_NAME = "vergunningsaanvraag.pdf"
PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

SIMILAR_HEADING = "Lijkt uw melding op een van deze?"


@pytest.fixture
def second_page(browser, live_server):
    """A second, independent browser context (its own cookies): the secretariat."""
    context = browser.new_context(
        base_url=live_server, locale="nl-NL", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def pdf_file(tmp_path):
    path = tmp_path / PDF_NAME
    path.write_bytes(PDF_BYTES)
    return path


@pytest.fixture
def check(axe_check, screenshot):
    """`check(page, name)`: axe-core on the current page, then a full-page screenshot."""

    def run(page, name: str) -> None:
        screenshot(page, f"submission-flow-{name}")
        axe_check(page)

    return run


def fill_knelpunt(page, *, identifier: str = "BWBR0037885") -> None:
    """Fill in the new-submission form the way a person does, label by label."""
    page.get_by_label("Knelpunt: iets houdt u concreet tegen").check()
    page.get_by_label("Titel", exact=True).fill(TITLE)
    page.get_by_label("Samenvatting", exact=True).fill(SUMMARY)
    page.get_by_label("Toelichting", exact=True).fill(BODY)
    page.get_by_label("Markt", exact=True).select_option(label="Halfgeleiders")
    page.get_by_label("Bestuurslaag van de regel").select_option(label="Rijk (wet- en regelgeving)")
    page.get_by_label("Naam van de regel").fill("Omgevingswet")
    page.get_by_label("Aanduiding", exact=True).fill(identifier)
    page.get_by_label("Verantwoordelijk ministerie").select_option(
        label="Ministerie van Economische Zaken en Klimaat"
    )
    page.get_by_label("Soort gevolg").select_option(label="Vertraging")
    page.get_by_label("Geschatte kosten in euro").fill("250000")
    page.get_by_label("Vertraging in maanden").fill("9")
    page.get_by_label(re.compile(r"^Tafel: de tafelleden")).check()


def submission_id(page) -> int:
    match = re.fullmatch(r"/submissions/(\d+)", urlsplit(page.url).path)
    assert match, page.url
    return int(match.group(1))


def section(page, heading: str):
    """The <section> whose heading reads `heading`."""
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading))


def triage_panel(page, summary: str):
    """The <details> of the secretariat's panel whose summary reads `summary`."""
    return page.locator(".card--triage details").filter(
        has=page.locator("summary", has_text=summary)
    )


def test_knelpunt_from_form_to_acceptance(page, second_page, demo_data, pdf_file, check):
    company, secretariat = page, second_page

    # 1. The company files a knelpunt with a PDF -------------------------------------
    login(company, COMPANY)
    expect(company.locator(".site-nav__user")).to_contain_text(COMPANY_ORG)
    company.goto("/submissions/new")
    expect(company.get_by_role("heading", level=1)).to_have_text("Nieuwe melding")
    check(company, "01-new-form")

    fill_knelpunt(company)
    company.get_by_label("Bijlagen").set_input_files(pdf_file)
    with company.expect_navigation():
        company.get_by_role("button", name="Indienen", exact=True).click()

    similar = company.get_by_role("heading", name=SIMILAR_HEADING)
    if similar.count():
        # The title resembles existing submissions: the form comes back with a list.
        assert urlsplit(company.url).path == "/submissions/new"
        expect(company.get_by_label("Titel", exact=True)).to_have_value(TITLE)
        expect(company.get_by_label("Samenvatting", exact=True)).to_have_value(SUMMARY)
        expect(company.get_by_label("Aanduiding", exact=True)).to_have_value("BWBR0037885")
        expect(company.get_by_label("Markt", exact=True).locator("option:checked")).to_have_text(
            "Halfgeleiders"
        )
        check(company, "02-new-form-similar")
        # A browser never keeps chosen files across a page load: select the PDF again.
        company.get_by_label("Bijlagen").set_input_files(pdf_file)
        with company.expect_navigation():
            company.get_by_role("button", name="Toch indienen").click()

    sub_id = submission_id(company)
    expect(company.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(company.locator(".submission-meta .status")).to_have_text("Ingediend")
    expect(company.get_by_role("status")).to_contain_text("Uw melding is ingediend.")
    attachment = company.get_by_role("link", name=PDF_NAME)
    expect(attachment).to_have_attribute(
        "href", re.compile(rf"^/submissions/{sub_id}/attachments/\d+$")
    )
    details = company.locator(".details")
    expect(details).to_contain_text("Halfgeleiders")
    expect(details).to_contain_text("Omgevingswet (BWBR0037885)")
    expect(details).to_contain_text("Ministerie van Economische Zaken en Klimaat")
    check(company, "03-detail-company-submitted")

    # 2. The secretariat finds it in the triage inbox and takes it -------------------
    login(secretariat, SECRETARIAT)
    secretariat.goto("/triage/")
    expect(secretariat.get_by_role("heading", level=1)).to_have_text("Triage")
    check(secretariat, "04-triage-inbox")
    row_link = secretariat.get_by_role("link", name=f"#{sub_id} {TITLE}")
    # Oldest first: a brand-new submission may be on a later page.
    for _ in range(20):
        if row_link.count():
            break
        with secretariat.expect_navigation():
            secretariat.get_by_role("link", name="Volgende").click()
    with secretariat.expect_navigation():
        row_link.click()
    assert submission_id(secretariat) == sub_id
    expect(section(secretariat, "Behandeling door het secretariaat")).to_be_visible()

    with secretariat.expect_navigation():
        secretariat.get_by_role("button", name="In behandeling nemen").click()
    expect(secretariat.get_by_role("status")).to_contain_text("in behandeling genomen")
    expect(secretariat.locator(".submission-meta .status")).to_have_text("In behandeling")

    # 3. … and asks for more information ---------------------------------------------
    ask = triage_panel(secretariat, "Om aanvulling vragen")
    ask.locator("summary").click()
    expect(ask).to_have_attribute("open", "")
    check(secretariat, "05-detail-secretariat-triage-open")
    question = ask.get_by_label("Uw vraag aan de indiener", exact=True)
    question.fill(QUESTION)
    with secretariat.expect_navigation():
        ask.get_by_role("button", name="Vraag versturen").click()
    expect(secretariat.get_by_role("status")).to_contain_text("vraag om aanvulling")
    expect(secretariat.locator(".submission-meta .status")).to_have_text("Aanvulling gevraagd")

    # 4. The company sees the question and answers it ---------------------------------
    company.reload()
    reply = section(company, "Het secretariaat vraagt om aanvulling")
    expect(reply).to_be_visible()
    expect(reply.locator("blockquote")).to_have_text(QUESTION)
    check(company, "06-detail-company-question")
    reply.get_by_label("Uw aanvulling voor het secretariaat", exact=True).fill(ANSWER)
    with company.expect_navigation():
        reply.get_by_role("button", name="Aanvulling versturen").click()
    expect(company.get_by_role("status")).to_contain_text("Uw aanvulling is verstuurd")
    expect(reply).to_have_count(0)

    # 5. The secretariat accepts it with the default deadline --------------------------
    secretariat.reload()
    expect(secretariat.locator(".submission-meta .status")).to_have_text("In behandeling")
    expect(section(secretariat, "Verloop")).to_contain_text(ANSWER)
    accept = triage_panel(secretariat, "Aanvaarden")
    accept.locator("summary").click()
    accept.get_by_label("Markt", exact=True).select_option(label="Halfgeleiders")
    accept.get_by_label("Verantwoordelijk ministerie").select_option(
        label="Ministerie van Economische Zaken en Klimaat"
    )
    deadline = accept.get_by_label("Reactie van het ministerie uiterlijk op")
    assert deadline.input_value(), "the deadline has a default"
    check(secretariat, "07-detail-secretariat-accept-open")
    with secretariat.expect_navigation():
        accept.get_by_role("button", name="Aanvaarden").click()
    expect(secretariat.get_by_role("status")).to_contain_text("is aanvaard")
    expect(secretariat.locator(".submission-meta .status")).to_have_text("Aanvaard")
    check(secretariat, "08-detail-secretariat-accepted")

    # 6. The company follows every step ---------------------------------------------------
    company.reload()
    expect(company.locator(".submission-meta .status")).to_have_text("Aanvaard")
    timeline = section(company, "Verloop")
    steps = [
        "diende de melding in",
        "nam de melding in behandeling",
        "vroeg om aanvulling",
        "stuurde een aanvulling",
        "aanvaardde de melding",
    ]
    for step in steps:
        expect(timeline).to_contain_text(step)
    text = timeline.inner_text()
    positions = [text.index(step) for step in steps]
    assert positions == sorted(positions), f"timeline out of order:\n{text}"
    expect(timeline).to_contain_text(QUESTION)
    expect(timeline).to_contain_text(ANSWER)
    expect(timeline).to_contain_text("Het secretariaat nam de melding in behandeling")

    messages = company.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name=re.compile(r"^Berichten")
    )
    unread = messages.locator(".count")
    expect(unread).to_have_text(re.compile(r"^\d+ ongelezen$"))
    assert int(unread.inner_text().split()[0]) >= 3  # taken, question, accepted
    check(company, "09-detail-company-accepted")

    with company.expect_navigation():
        messages.click()
    assert urlsplit(company.url).path == "/notifications/"
    notes = company.locator(".notification-list")
    for status in ("In behandeling", "Aanvulling gevraagd", "Aanvaard"):
        expect(notes).to_contain_text(
            re.compile(rf"‘{re.escape(TITLE)}’ heeft de status ‘?{status}’?(\s|$)")
        )
    accepted_note = notes.get_by_role("link", name=re.compile("heeft de status ‘?Aanvaard"))
    expect(accepted_note).to_have_attribute("href", f"/submissions/{sub_id}")
    check(company, "10-notifications")
    with company.expect_navigation():
        company.get_by_role("button", name="Alles als gelezen markeren").click()
    expect(messages.locator(".count")).to_have_count(0)
    expect(notes.locator(".notification--unread")).to_have_count(0)

    company.goto("/submissions/")
    expect(company.get_by_role("link", name=TITLE)).to_be_visible()
    check(company, "11-submissions-index")

    company.goto("/submissions/mine")
    card = company.locator(".submission-card").filter(has=company.get_by_role("link", name=TITLE))
    expect(card.locator(".status")).to_have_text("Aanvaard")
    check(company, "12-submissions-mine")


def test_wrong_identifier_shows_error_and_keeps_input(page, demo_data, check):
    login(page, COMPANY)
    page.goto("/submissions/new")
    fill_knelpunt(page, identifier="3201R679")
    with page.expect_navigation():
        page.get_by_role("button", name="Indienen", exact=True).click()

    assert urlsplit(page.url).path == "/submissions/new"
    expect(page.get_by_role("alert")).to_contain_text("Controleer het formulier")
    identifier = page.get_by_label("Aanduiding", exact=True)
    expect(identifier).to_have_attribute("aria-invalid", "true")
    expect(identifier).to_have_value("3201R679")
    # The message sits with the field and is read out with it.
    error = page.locator("#regulation_identifier-error")
    expect(error).to_contain_text("Dit is geen geldige aanduiding.")
    expect(identifier).to_have_attribute(
        "aria-describedby", re.compile(r"\bregulation_identifier-error\b")
    )
    field = page.locator(".field--error").filter(has=identifier)
    expect(field).to_contain_text("Dit is geen geldige aanduiding.")
    expect(page.get_by_label("Titel", exact=True)).to_have_value(TITLE)
    expect(page.get_by_label("Samenvatting", exact=True)).to_have_value(SUMMARY)
    expect(page.get_by_role("heading", name=SIMILAR_HEADING)).to_have_count(0)
    check(page, "13-new-form-identifier-error")
    # Nothing was saved, not even as a concept.
    page.goto("/submissions/mine")
    expect(page.get_by_role("link", name=TITLE)).to_have_count(0)
