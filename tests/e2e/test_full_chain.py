"""The whole chain in the browser, as its users walk it.

A company submits a public knelpunt; the secretariat accepts it and assigns
EZK; it enters a priority round and members vote; it is put on an agenda, the
meeting is held and a decision is recorded with a motion vote (one member
recused); EZK's liaison responds "deels" with an explanation and an action
item; the action item is completed; the secretariat closes the report. The
company's timeline shows every step with its date, while a user of another
company sees only what is public. axe-core checks every page visited.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from playwright.sync_api import expect
from sqlalchemy import select

from tafel import db
from tafel.accounts.models import User
from tests.e2e.conftest import login
from tests.e2e.test_submission_flow import (
    SIMILAR_HEADING,
    TITLE,
    fill_knelpunt,
    section,
    submission_id,
    triage_panel,
)

EXPLANATION = "Voorrang bij netaansluiting kan niet voor één sector; wel een regionale aanpak."
RESPONSE = "EZK neemt het voorstel deels over: een regionale netcapaciteitstafel, geen voorrang."
ACTION = "Regionale netcapaciteitstafel Brainport instellen met netbeheerder en provincie."
RECUSAL = "Mijn organisatie is klant van de betrokken netbeheerder."


def last_id(page, pattern: str) -> int:
    match = re.search(pattern, urlsplit(page.url).path)
    assert match, page.url
    return int(match.group(1))


def click(page, name: str, *, exact: bool = True) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=exact).click()


def test_from_knelpunt_to_closed_with_every_step(app, browser, live_server, demo_data, axe_check):
    pages = {}

    def as_user(email: str):
        if email not in pages:
            context = browser.new_context(
                base_url=live_server, locale="nl-NL", viewport={"width": 1280, "height": 900}
            )
            context.set_default_timeout(15_000)
            pages[email] = context.new_page()
            login(pages[email], email)
        return pages[email]

    # 1. The company submits a public knelpunt -------------------------------------------
    company = as_user("indiener@example.com")
    company.goto("/submissions/new")
    fill_knelpunt(company)
    company.get_by_label(re.compile(r"^Openbaar: iedereen")).check()
    click(company, "Indienen")
    if company.get_by_role("heading", name=SIMILAR_HEADING).count():
        click(company, "Toch indienen")
    sub_id = submission_id(company)
    axe_check(company)

    # 2. The secretariat takes it and accepts it for EZK ---------------------------------
    secretariat = as_user("secretariaat@example.org")
    secretariat.goto(f"/submissions/{sub_id}")
    click(secretariat, "In behandeling nemen")
    accept = triage_panel(secretariat, "Aanvaarden")
    accept.locator("summary").click()
    accept.get_by_label("Markt", exact=True).select_option(label="Halfgeleiders")
    accept.get_by_label("Verantwoordelijk ministerie").select_option(
        label="Ministerie van Economische Zaken en Klimaat"
    )
    axe_check(secretariat)
    with secretariat.expect_navigation():
        accept.get_by_role("button", name="Aanvaarden").click()
    expect(secretariat.locator(".submission-meta .status")).to_have_text("Aanvaard")

    # 3. A priority round: created, opened, voted on, closed ------------------------------
    secretariat.goto("/rounds/new")
    secretariat.get_by_label("Titel", exact=True).fill("Prioriteringsronde december")
    secretariat.get_by_label(re.compile(r"^Rangschikken")).check()
    secretariat.get_by_label(TITLE).check()
    others = secretariat.locator("#candidate-list input[type=checkbox]:not(:checked)")
    others.first.check()
    axe_check(secretariat)
    click(secretariat, "Ronde aanmaken")
    round_id = last_id(secretariat, r"/rounds/(\d+)$")
    click(secretariat, "Nu openen")
    for email in ("lid-bedrijf@example.org", "lid-kennis@example.org"):
        member = as_user(email)
        member.goto(f"/rounds/{round_id}")
        member.locator(f"#rank-{sub_id}").fill("1")
        click(member, "Stem", exact=False)
        expect(member.locator(".flash--success").first).to_contain_text("Uw stem is vastgelegd")
        axe_check(member)
    secretariat.goto(f"/rounds/{round_id}")
    click(secretariat, "Nu sluiten")
    axe_check(secretariat)

    # 4. The agenda: a meeting today, the report from the panel, for decision --------------
    today = datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    secretariat.goto("/meetings/new")
    secretariat.get_by_label("Titel").fill("Vergadering van de tafel")
    secretariat.get_by_label("Datum").fill(today.isoformat())
    secretariat.get_by_label("Begintijd").fill("00:00")
    secretariat.get_by_label("Eindtijd").fill("23:59")
    secretariat.get_by_label("Locatie").fill("Bezuidenhoutseweg 73, Den Haag")
    click(secretariat, "Vergadering aanmaken")
    meeting_id = last_id(secretariat, r"/meetings/(\d+)/agenda$")
    secretariat.locator(f"#target-{sub_id}").focus()
    secretariat.keyboard.press("Tab")
    with secretariat.expect_navigation():
        secretariat.keyboard.press("Enter")
    row = secretariat.locator(".agenda-table tbody tr").filter(has_text=TITLE)
    with secretariat.expect_navigation():
        row.get_by_role("link", name=re.compile("^Bewerken")).click()
    secretariat.get_by_label("Soort").select_option(label="Ter besluitvorming")
    click(secretariat, "Opslaan")
    axe_check(secretariat)
    secretariat.goto(f"/meetings/{meeting_id}")
    click(secretariat, "Agenda publiceren")
    expect(secretariat.locator(".flash--success")).to_contain_text("De agenda is gepubliceerd")

    # 5. The meeting: presence, the item discussed, held ----------------------------------
    with app.app_context():
        ids = {
            u.email: u.id
            for u in db.session.scalars(select(User).where(User.email.like("%@example.org")))
        }
    secretariat.goto(f"/meetings/{meeting_id}/attendance")
    for email in ("voorzitter", "lid-bedrijf", "lid-kennis", "lid-overheid"):
        secretariat.locator(f"#presence-{ids[email + '@example.org']}-aanwezig").check()
    axe_check(secretariat)
    click(secretariat, "Aanwezigheid opslaan")
    our_item = secretariat.locator(".agenda__item").filter(has_text=TITLE)
    with secretariat.expect_navigation():
        our_item.get_by_role("button", name=re.compile(r"^Markeren als besproken")).click()
    click(secretariat, "Markeren als gehouden")
    expect(secretariat.locator(".submission-meta .status")).to_have_text("Gehouden")

    # 6. The decision with a motion vote ---------------------------------------------------
    our_item = secretariat.locator(".agenda__item").filter(has_text=TITLE)
    with secretariat.expect_navigation():
        our_item.get_by_role("link", name=re.compile(r"^Besluit vastleggen")).click()
    secretariat.get_by_label("Tekst van het besluit").fill(
        "De tafel vraagt EZK een regionale netcapaciteitstafel in te stellen."
    )
    secretariat.get_by_label("Deels overnemen").check()
    secretariat.get_by_label("Toelichting", exact=True).fill(EXPLANATION)
    secretariat.get_by_label("Verantwoordelijk ministerie").select_option(
        label="Ministerie van Economische Zaken en Klimaat (EZK)"
    )
    secretariat.get_by_label("De tafel stemt over dit besluit").check()
    secretariat.get_by_label("Quorum: aantal aanwezige leden dat nodig is").fill("3")
    axe_check(secretariat)
    click(secretariat, "Besluit vastleggen")
    decision_id = last_id(secretariat, r"/decisions/(\d+)$")
    number = secretariat.get_by_role("heading", level=1).inner_text().removeprefix("Besluit ")

    for email, choice in (("lid-bedrijf@example.org", "Voor"), ("lid-kennis@example.org", "Voor"),
                          ("voorzitter@example.org", "Tegen")):  # fmt: skip
        member = as_user(email)
        member.goto(f"/decisions/{decision_id}")
        member.get_by_label(choice, exact=True).check()
        click(member, "Stem uitbrengen")
        expect(member.locator(".flash--success").first).to_contain_text("Uw stem is vastgelegd")
    recused = as_user("lid-overheid@example.org")
    recused.goto(f"/decisions/{decision_id}")
    axe_check(recused)
    recused.get_by_label("Welk belang heeft u?").fill(RECUSAL)
    click(recused, "Niet deelnemen aan de stemming")
    chair = as_user("voorzitter@example.org")
    chair.goto(f"/decisions/{decision_id}")
    click(chair, "Stemming sluiten")
    motion = chair.locator("#motion")
    expect(motion).to_contain_text("Aangenomen")
    expect(motion).to_contain_text("voor 2, tegen 1, onthouding 0")
    expect(motion).to_contain_text(RECUSAL)
    axe_check(chair)

    # 7. EZK responds "deels" and adds an action item; the secretariat publishes -------------
    ezk = as_user("ezk@example.org")
    ezk.goto("/responses/")
    axe_check(ezk)
    ezk.goto(f"/responses/{sub_id}")
    ezk.get_by_label("Deels overnemen").check()
    ezk.get_by_label("Toelichting", exact=True).fill(RESPONSE)
    ezk.get_by_label("Voorgenomen maatregelen").fill("Eerste bijeenkomst in het eerste kwartaal.")
    axe_check(ezk)
    click(ezk, "Ter beoordeling aanbieden")
    with ezk.expect_navigation():
        ezk.get_by_role("link", name="Actiepunt toevoegen").click()
    ezk.get_by_label("Actiepunt", exact=True).fill(ACTION)
    ezk.get_by_label("Eigenaar").select_option(
        label="Ministerie: Ministerie van Economische Zaken en Klimaat"
    )
    ezk.get_by_label("Uiterlijk af op").fill((today + timedelta(days=60)).isoformat())
    axe_check(ezk)
    click(ezk, "Actiepunt aanmaken")
    action_id = last_id(ezk, r"/actions/(\d+)$")

    secretariat.goto(f"/responses/{sub_id}")
    axe_check(secretariat)
    click(secretariat, "Publiceren")

    # 8. The action item is completed; the secretariat closes the report ------------------
    ezk.goto(f"/actions/{action_id}")
    ezk.get_by_label("Gerealiseerd").check()
    ezk.get_by_label("Voortgang of toelichting").fill("De tafel is op 15 januari gestart.")
    axe_check(ezk)
    click(ezk, "Voortgang vastleggen")
    secretariat.goto(f"/submissions/{sub_id}")
    with secretariat.expect_navigation():
        secretariat.get_by_role("link", name="Melding afhandelen").click()
    axe_check(secretariat)
    click(secretariat, "Melding afhandelen")

    # 9. The company's timeline shows every step, each with its date ----------------------
    company.goto(f"/submissions/{sub_id}")
    expect(company.locator(".submission-meta .status")).to_have_text("Afgehandeld")
    timeline = section(company, "Verloop")
    steps = [
        "diende de melding in",
        "nam de melding in behandeling",
        "aanvaardde de melding",
        "Opgenomen in prioriteringsronde",
        "Plaats 1 van 2 in prioriteringsronde",
        f"Geagendeerd voor de vergadering van {today.day}",
        f"Besproken in de vergadering van {today.day}",
        f"Besluit {number} van de tafel: Deels overnemen",
        "Nieuw actiepunt",
        "reageerde op de melding: Deels overnemen",
        "Gerealiseerd",
        "handelde de melding af",
    ]
    for step in steps:
        expect(timeline).to_contain_text(step)
    items = timeline.locator(".timeline__item")
    for index in range(items.count()):
        expect(items.nth(index).locator("time")).to_have_attribute(
            "datetime", re.compile(r"^\d{4}-")
        )
    axe_check(company)
    company.goto(f"/decisions/{decision_id}")
    expect(company.locator("main")).to_contain_text(EXPLANATION)

    # 10. Another company sees what is public, not the table's named votes ----------------
    other = as_user("indiener@example.net")
    other.goto(f"/submissions/{sub_id}")
    expect(section(other, "Verloop")).to_contain_text(f"Besluit {number}")
    axe_check(other)
    other.goto(f"/decisions/{decision_id}")
    expect(other.locator("#motion")).to_contain_text("Aangenomen")
    expect(other.locator("main")).not_to_contain_text(RECUSAL)
    expect(other.locator("main")).not_to_contain_text("Lotte de Boer")
    axe_check(other)
    other.goto(f"/responses/{sub_id}")
    expect(other.locator("main")).to_contain_text(RESPONSE)
    axe_check(other)
    assert other.goto(f"/actions/{action_id}").status == 200
    axe_check(other)
    other.goto("/decisions/")
    expect(other.locator("main")).to_contain_text(number)

    for page in pages.values():
        page.context.close()
