"""A "voortgang" agenda item: the published pack keeps the figures and action
statuses as they were; a later import or change does not alter it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from tafel import db
from tafel.meetings import lifecycle
from tafel.meetings.models import AgendaItem
from tafel.progress import imports
from tafel.progress.models import AgendaSnapshot
from tests.conftest import login, post
from tests.factories import make_user
from tests.meetings.factories import make_meeting, pdf_text
from tests.programmes.helpers import make_action, programme

FIXTURES = Path(__file__).parent / "fixtures"
DAY = date(2026, 12, 1)


def _import(raw: bytes) -> None:
    rows = imports.parse("sdmx-csv", raw, indicator="rd-intensiteit", source=None, retrieved_on=DAY)
    imports.store(rows, None)
    db.session.commit()


def test_the_published_pack_keeps_its_figures(app, client):
    raw = (FIXTURES / "rd_e_gerdtot_nl.sdmx.csv").read_bytes()
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        _import(raw)
        make_action(secretariat, visibility="openbaar", title="Openbare actie", status="gepland")
        make_action(secretariat, visibility="vertrouwelijk", title="Vertrouwelijke actie")
        meeting = make_meeting(secretariat, items=1)
        meeting_id, email = meeting.id, secretariat.email
        member = make_user(roles=("tafellid",)).email
    login(client, email)
    for subject in ("voortgang", "programme:halfgeleiders"):
        response = post(client, "/voortgang/agenda", {"meeting": meeting_id, "subject": subject})
        assert response.status_code == 302
    with app.app_context():
        items = db.session.scalars(
            select(AgendaItem).where(
                AgendaItem.meeting_id == meeting_id, AgendaItem.kind == "voortgang"
            )
        ).all()
        assert [i.title for i in items] == [
            "Economische voortgang",
            "Voortgang: Programma Halfgeleiders",
        ]
        meeting = items[0].meeting
        lifecycle.publish(
            meeting,
            meeting.created_by
            if hasattr(meeting, "created_by")
            else make_user(roles=("secretariaat",)),
            accept_overlap=True,
        )
        db.session.commit()
        frozen = db.session.get(AgendaSnapshot, items[0].id)
        assert frozen.data["targets"][1]["value"] == 2.24
        # A later revision of 2023 does not change the published pack.
        _import(raw.replace(b"NL,2023,2.24,p", b"NL,2023,2.31,"))
    login(client, member)
    page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "2.24%" in page and "2.31" not in page
    assert "Openbare actie" in page and "Vertrouwelijke actie" not in page
    text = pdf_text(client.get(f"/meetings/{meeting_id}/agenda.pdf").data)
    assert "2.24%" in text and "2.31" not in text
    assert "Openbare actie" in text


def test_only_the_secretariat_puts_progress_on_the_agenda(app, client):
    with app.app_context():
        meeting = make_meeting(items=1)
        meeting_id = meeting.id
        member = make_user(roles=("tafellid",)).email
        chair = make_user(roles=("voorzitter",)).email
    form = {"meeting": meeting_id, "subject": "voortgang"}
    login(client, member)
    assert post(client, "/voortgang/agenda", form).status_code == 404  # a concept is not theirs
    other = app.test_client()
    login(other, chair)
    assert post(other, "/voortgang/agenda", form).status_code == 403


def _voortgang_titles(meeting_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(AgendaItem.title).where(
                AgendaItem.meeting_id == meeting_id, AgendaItem.kind == "voortgang"
            )
        )
    )


def test_a_programme_that_is_not_public_stays_off_the_agenda(app, client):
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        prog = programme("halfgeleiders")
        prog.visibility = "tafel"
        db.session.commit()
        meeting_id, email = make_meeting(secretariat, items=1).id, secretariat.email
    login(client, email)
    form = {"meeting": meeting_id, "subject": "programme:halfgeleiders"}
    response = post(client, "/voortgang/agenda", form, follow_redirects=True)
    assert "Alleen een openbaar programma" in response.get_data(as_text=True)
    with app.app_context():
        assert _voortgang_titles(meeting_id) == []


def test_progress_goes_only_on_a_concept_meeting(app, client):
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        meeting_id = make_meeting(secretariat, items=1, status="gepubliceerd").id
        email = secretariat.email
    login(client, email)
    form = {"meeting": meeting_id, "subject": "voortgang"}
    response = post(client, "/voortgang/agenda", form, follow_redirects=True)
    assert "alleen op een conceptvergadering" in response.get_data(as_text=True)
    with app.app_context():
        assert _voortgang_titles(meeting_id) == []


def test_a_meeting_number_too_large_for_an_id_is_not_found(app, client):
    with app.app_context():
        email = make_user(roles=("secretariaat",)).email
    login(client, email)
    form = {"meeting": str(10**20), "subject": "voortgang"}
    assert post(client, "/voortgang/agenda", form).status_code == 404
