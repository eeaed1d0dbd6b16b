"""A meeting in the browser: the secretariat builds an agenda of five items by
keyboard from the ready-to-schedule panel and publishes it, a member replies,
the submitter sees the report scheduled, another company sees only what is public."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from tafel import db
from tafel.meetings.models import Meeting
from tafel.submissions.models import Submission
from tests.e2e.conftest import login

FOTONICA_REPORT = "Doorlooptijd van exportvergunningen voor fotonische chips"  # tafel, by Fotonica
PUBLIC_REPORTS = [
    "Naleving AI-verordening",
    "CSRD-vragenlijsten van grote klanten",
    "Tekort aan ML-II-laboratoriumruimte",
    "Onvoorspelbare WBSO-beoordeling",
]


def report_ids(app) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(select(Submission.id, Submission.title)).all()
    found = {}
    for prefix in [FOTONICA_REPORT, *PUBLIC_REPORTS]:
        found[prefix] = next(sub_id for sub_id, title in rows if title.startswith(prefix))
    return found


def press(page, locator, key: str = "Enter", navigate: bool = True) -> None:
    locator.focus()
    if navigate:
        with page.expect_navigation():
            page.keyboard.press(key)
    else:
        page.keyboard.press(key)


def test_agenda_by_keyboard_publish_reply_and_timeline(
    app, browser, live_server, page, demo_data, axe_check, screenshot
):
    ids = report_ids(app)

    # The secretariat creates the meeting, without the standard items.
    login(page, "secretariaat@example.org")
    page.goto("/meetings/new")
    page.get_by_label("Titel").fill("Extra vergadering maart 2027")
    page.get_by_label("Datum").fill("2027-03-11")
    page.get_by_label("Begintijd").fill("13:30")
    page.get_by_label("Eindtijd").fill("16:30")
    page.get_by_label("Locatie").fill("Bezuidenhoutseweg 73, Den Haag")
    press(page, page.get_by_label("Standaardpunten toevoegen", exact=False), "Space", False)
    expect(page.get_by_label("Standaardpunten toevoegen", exact=False)).not_to_be_checked()
    axe_check(page)
    press(page, page.get_by_role("button", name="Vergadering aanmaken"))
    expect(page.get_by_role("heading", name="Agenda opstellen")).to_be_visible()

    # Five reports from the panel, each as a new item, by keyboard only.
    for prefix in [*PUBLIC_REPORTS, FOTONICA_REPORT]:
        sub_id = ids[prefix]
        target = page.locator(f"#target-{sub_id}")
        expect(target).to_have_value("")  # "Nieuw agendapunt"
        target.focus()
        page.keyboard.press("Tab")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.locator(".flash--success")).to_contain_text("staat nu bij punt")
    rows = page.locator(".agenda-table tbody tr")
    expect(rows).to_have_count(5)
    expect(page.locator("#total")).to_contain_text("Totaal 100 van 180 minuten")
    with app.app_context():
        meeting = db.session.scalars(select(Meeting).where(Meeting.title.like("Extra%"))).one()
        meeting_id, last = meeting.id, meeting.items[-1]
        last_id = last.id
    expect(rows.nth(4)).to_contain_text(FOTONICA_REPORT)

    # Reorder by keyboard: the last item one place up; focus stays on its button.
    press(page, page.locator(f"#move-up-{last_id}"))
    expect(page.locator(f"#move-up-{last_id}")).to_be_focused()
    expect(rows.nth(3)).to_contain_text(FOTONICA_REPORT)
    expect(rows.nth(3).locator("td").nth(1)).to_have_text("14:30")
    axe_check(page)
    screenshot(page, "meeting-agenda-builder")

    # Publish from the meeting page.
    page.goto(f"/meetings/{meeting_id}")
    press(page, page.get_by_role("button", name="Agenda publiceren"))
    expect(page.locator(".flash--success")).to_contain_text("De agenda is gepubliceerd")
    axe_check(page)

    # A member replies.
    member = browser.new_context(base_url=live_server, locale="nl-NL")
    member_page = member.new_page()
    login(member_page, "lid-kennis@example.org")
    member_page.goto(f"/meetings/{meeting_id}")
    expect(
        member_page.get_by_role("heading", name=f"4. {FOTONICA_REPORT}", exact=False)
    ).to_be_visible()
    press(member_page, member_page.get_by_label("Aanwezig", exact=True), "Space", False)
    press(member_page, member_page.get_by_role("button", name="Antwoord opslaan"))
    expect(member_page.locator(".flash--success")).to_contain_text("Uw antwoord is opgeslagen.")
    expect(member_page.locator("#rsvp")).to_contain_text("U heeft geantwoord: Aanwezig.")
    axe_check(member_page)
    member.close()

    # The submitting company sees its report scheduled, with the date.
    submitter = browser.new_context(base_url=live_server, locale="nl-NL")
    submitter_page = submitter.new_page()
    login(submitter_page, "indiener@example.net")
    submitter_page.goto(f"/submissions/{ids[FOTONICA_REPORT]}")
    expect(submitter_page.locator(".timeline")).to_contain_text(
        "Geagendeerd voor de vergadering van 11 maart 2027"
    )
    expect(submitter_page.locator(".status").first).to_have_text("Geagendeerd")
    axe_check(submitter_page)
    screenshot(submitter_page, "meeting-submitter-timeline")
    submitter.close()

    # Another company sees the public items, not the table-only report.
    other = browser.new_context(base_url=live_server, locale="nl-NL")
    other_page = other.new_page()
    login(other_page, "indiener@example.com")
    other_page.goto(f"/meetings/{meeting_id}")
    expect(other_page.locator(".agenda")).to_contain_text(PUBLIC_REPORTS[0])
    expect(other_page.locator("main")).not_to_contain_text(FOTONICA_REPORT)
    expect(other_page.locator("main")).to_contain_text("1 punt is alleen zichtbaar voor de tafel.")
    axe_check(other_page)
    other.close()
