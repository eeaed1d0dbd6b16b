"""Browser test of issue 16's "done when": the secretariat adds an action to the
semiconductors programme and links the netcongestie knelpunt to it (the
submitter's timeline shows it), the beheerder imports an R&D series in
SDMX-CSV and /voortgang/ shows the gap to 3 %, and a meeting with a
"voortgang" item publishes a pack with the frozen figures. axe-core checks
every page visited, in Dutch and in English."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from tafel import db
from tafel.international.reference import load_programmes_file
from tafel.meetings.models import Meeting
from tafel.submissions.models import Submission
from tests.e2e.conftest import login
from tests.meetings.factories import pdf_text

FIXTURE = Path(__file__).resolve().parents[1] / "progress" / "fixtures" / "rd_e_gerdtot_nl.sdmx.csv"
KNELPUNT = "Netcongestie blokkeert uitbreiding cleanroom"


def click(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def test_programme_progress_and_the_pack(app, browser, live_server, demo_data, axe_check):
    with app.app_context():
        load_programmes_file(app.config["REFERENCE_DIR"])
        db.session.commit()
        sub = db.session.scalars(
            select(Submission).where(Submission.title.startswith(KNELPUNT))
        ).one()
        meeting = db.session.scalars(select(Meeting).where(Meeting.status == "concept")).first()
        sub_id, meeting_id = sub.id, meeting.id
    visited: set[str] = set()

    def as_user(email: str, locale: str = "nl-NL"):
        context = browser.new_context(
            base_url=live_server, locale=locale, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        login(page, email)
        return page

    def check(page) -> None:
        axe_check(page)
        visited.add(re.sub(r"^https?://[^/]+", "", page.url))

    # 1. The secretariat adds an action in the "Ruimte, infrastructuur, water en gebouwen" line.
    secretariat = as_user("secretariaat@example.org")
    secretariat.goto("/programmes/halfgeleiders")
    check(secretariat)
    with secretariat.expect_navigation():
        secretariat.get_by_role("link", name="Actie toevoegen").click()
    check(secretariat)
    secretariat.get_by_label("Titel").fill("Netcapaciteit voor toeleveranciers in Brainport")
    secretariat.get_by_label("Actielijn").select_option(
        label="Ruimte, infrastructuur, water en gebouwen"
    )
    secretariat.get_by_label("Verdienvermogen: inschatting").select_option("hoog")
    secretariat.get_by_label("Verdienvermogen: toelichting").fill(
        "Uitbreiding van cleanrooms wordt mogelijk"
    )
    secretariat.get_by_label("Economische weerbaarheid: inschatting").select_option("middel")
    secretariat.get_by_label("Bedrag (euro)").fill("")
    secretariat.get_by_label("Financieringsstatus").select_option(label="Nog geen middelen")
    secretariat.get_by_label("Begin").fill("2026-03-01")
    secretariat.get_by_label("Einde").fill("2027-12-31")
    secretariat.get_by_label("Trekker (ministerie)").select_option(
        label="Ministerie van Economische Zaken en Klimaat"
    )
    secretariat.get_by_label("Betrokken organisaties").select_option(
        label="Vereniging Hightech Toeleveranciers Nederland"
    )
    secretariat.get_by_label("Openbaar", exact=True).check()  # the submitter may read it
    click(secretariat, "Actie opslaan")
    assert "/programmes/actions/" in secretariat.url
    assert "Nog geen middelen" in secretariat.content()
    check(secretariat)

    # 2. It links the accepted netcongestie knelpunt to the action.
    secretariat.get_by_label("Nummer van de melding").fill(str(sub_id))
    click(secretariat, "Melding koppelen")
    assert "De melding is opgepakt in deze actie." in secretariat.content()
    secretariat.goto("/programmes/halfgeleiders")
    assert (
        "opgepakt in actie ‘Netcapaciteit voor toeleveranciers in Brainport’"
        in secretariat.content()
    )
    assert "geen acties" in secretariat.content()  # a line without actions is a gap

    submitter = as_user("indiener@example.com")
    submitter.goto(f"/submissions/{sub_id}")
    assert (
        "Opgenomen in programma-actie ‘Netcapaciteit voor toeleveranciers in Brainport’"
        in submitter.content()
    )
    check(submitter)

    # 3. The beheerder imports an R&D-intensity series in SDMX-CSV.
    beheer = as_user("beheer@example.org")
    beheer.goto("/voortgang/import")
    check(beheer)
    beheer.get_by_label("Bestand").set_input_files(str(FIXTURE))
    beheer.get_by_label("Formaat").select_option("sdmx-csv")
    beheer.get_by_label("Indicator").select_option("rd-intensiteit")
    click(beheer, "Inlezen")
    assert beheer.url.endswith("/voortgang/")
    html = beheer.content()
    assert "0,76 procentpunt" in html and "(2023)" in html
    assert "Eurostat ESTAT:RD_E_GERDTOT" in html
    assert beheer.locator("svg.chart").count() >= 1 and "<caption" in html
    check(beheer)

    # 4. A meeting with a "voortgang" item publishes a pack with the frozen snapshot.
    secretariat.goto("/voortgang/")
    secretariat.get_by_label("Agenderen als voortgangspunt in").select_option(str(meeting_id))
    click(secretariat, "Op de agenda zetten")
    secretariat.goto("/programmes/halfgeleiders")
    secretariat.get_by_label("Agenderen als voortgangspunt in").select_option(str(meeting_id))
    click(secretariat, "Op de agenda zetten")
    assert f"/meetings/{meeting_id}" in secretariat.url
    click(secretariat, "Agenda publiceren")
    if secretariat.get_by_label(re.compile("overlap|toch", re.I)).count():
        secretariat.get_by_label(re.compile("overlap|toch", re.I)).check()
        click(secretariat, "Agenda publiceren")
    html = secretariat.content()
    assert "Stand zoals gepubliceerd op" in html and "2.24%" in html
    check(secretariat)
    pack = secretariat.request.get(f"/meetings/{meeting_id}/agenda.pdf")
    text = " ".join(pdf_text(pack.body()).split())
    assert "2.24%" in text and "Netcapaciteit voor toeleveranciers in Brainport" in text

    # 5. A member reads the programme, the figures and the files, in Dutch and in English.
    member = as_user("lid-bedrijf@example.org")
    member_pages = [
        "/programmes/",
        "/programmes/halfgeleiders",
        "/voortgang/",
        "/internationaal/",
        f"/meetings/{meeting_id}",
    ]
    for url in member_pages:
        member.goto(url)
        check(member)

    # Every page visited, again in English.
    for page in (member, secretariat, beheer):
        with page.expect_navigation():  # the language switch in the header
            page.get_by_role("link", name="English", exact=True).click()
    member.goto("/voortgang/")
    assert 'lang="en"' in member.content() and "Economic progress" in member.content()
    for url in member_pages:
        member.goto(url)
        axe_check(member)
    for url in sorted(visited - set(member_pages)):
        page = beheer if url.startswith("/voortgang/import") else secretariat
        page.goto(url)
        assert 'lang="en"' in page.content(), url
        axe_check(page)
