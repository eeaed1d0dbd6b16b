"""The secretariat adds a programme for the broad base, changes particulars,
and adds goals whose indicator's latest value shows against the target."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from tafel import db
from tafel.core.models import AuditEntry
from tafel.programmes.models import Goal, Programme
from tafel.progress.models import Indicator, Observation
from tests.conftest import login, post
from tests.factories import make_user


def _login(app, client, role="secretariaat"):
    with app.app_context():
        email = make_user(roles=(role,)).email
    login(client, email)


def test_the_secretariat_adds_a_programme_for_the_broad_base(app, client):
    _login(app, client)
    with app.app_context():
        from tafel.reference.models import Market

        breed = db.session.scalars(select(Market).where(Market.slug == "breed")).one().id
    fields = {
        "name_nl": "Programma brede basis",
        "market": str(breed),
        "status": "in_voorbereiding",
        "visibility": "tafel",
        "period_start": "2026",
        "period_end": "2030",
    }
    response = post(client, "/programmes/new", fields)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/programmes/breed")
    assert "Programma brede basis" in client.get("/programmes/breed").get_data(as_text=True)
    bad = post(client, "/programmes/new", fields | {"name_nl": "Tweede", "period_end": "2020"})
    assert bad.status_code == 422
    assert "Het einde ligt voor het begin." in bad.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Programme)) == 7


def test_a_member_cannot_add_or_change_programmes(app, client):
    _login(app, client, "tafellid")
    assert client.get("/programmes/new").status_code == 403
    assert client.get("/programmes/halfgeleiders/edit").status_code == 403
    assert post(client, "/programmes/halfgeleiders/goals", {"text": "x"}).status_code == 403


def test_changing_particulars_is_audited(app, client):
    _login(app, client)
    page = client.get("/programmes/halfgeleiders/edit")
    assert page.status_code == 200
    response = post(
        client,
        "/programmes/halfgeleiders/edit",
        {
            "name_nl": "Programma Halfgeleiders",
            "status": "actief",
            "visibility": "openbaar",
            "summary": "Nieuwe samenvatting",
            "period_start": "2026",
            "period_end": "2030",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "programme.update")
        ).one()
        assert entry.after["summary"] == "Nieuwe samenvatting"
        assert entry.after["period_start"] == 2026


def test_a_goal_shows_its_indicators_latest_value_and_target(app, client):
    _login(app, client)
    with app.app_context():
        ind = db.session.scalars(select(Indicator).where(Indicator.slug == "rd-intensiteit")).one()
        db.session.add(
            Observation(
                indicator_id=ind.id,
                period="2023",
                value=2.24,
                provisional=True,
                source="Eurostat rd_e_gerdtot",
                retrieved_on=date(2026, 12, 1),
            )
        )
        db.session.commit()
        ind_id = ind.id
    response = post(
        client,
        "/programmes/halfgeleiders/goals",
        {
            "text": "Meer R&D in de chipketen",
            "indicator": str(ind_id),
            "baseline_value": "2.1",
            "baseline_year": "2022",
            "target_value": "3",
            "target_year": "2030",
            "status": "achter",
        },
    )
    assert response.status_code == 302
    page = client.get("/programmes/halfgeleiders").get_data(as_text=True)
    assert "Meer R&amp;D in de chipketen" in page
    assert "laatste waarde 2.24 (2023, bron: Eurostat rd_e_gerdtot)" in page
    assert "(voorlopig)" in page and "doel 3.0 in 2030" in page
    empty = post(client, "/programmes/halfgeleiders/goals", {"text": " ", "status": "open"})
    assert empty.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Goal)) == 1
