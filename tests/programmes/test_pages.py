"""The programme pages over HTTP: the form's messages, the matrix, the timeline."""

from __future__ import annotations

from sqlalchemy import func, select

from tafel import db
from tafel.programmes import services
from tafel.programmes.models import Dimension, ProgrammeAction
from tests.conftest import login, post
from tests.factories import make_submission, make_user
from tests.programmes.helpers import funding, line, make_action, ministry


def _secretariat(app):
    with app.app_context():
        return make_user(roles=("secretariaat",)).email


def test_the_form_names_the_field_and_keeps_the_input(app, client):
    login(client, _secretariat(app))
    with app.app_context():
        line_id = line().id
    form = {
        "title": "Warmtenet",
        "action_line": str(line_id),
        "status": "gepland",
        "visibility": "tafel",
        "amount_eur": "veel geld",
        "start_date": "2027-01-01",
        "end_date": "2026-01-01",
    }
    response = post(client, "/programmes/halfgeleiders/actions/new", form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Vul een bedrag in hele euro’s in" in html
    assert 'value="Warmtenet"' in html
    form["amount_eur"] = "250.000"
    response = post(client, "/programmes/halfgeleiders/actions/new", form)
    assert response.status_code == 422
    assert "Het einde ligt voor het begin." in response.get_data(as_text=True)
    form["action_line"] = "4242"
    form["end_date"] = "2028-01-01"
    response = post(client, "/programmes/halfgeleiders/actions/new", form)
    assert "Kies een van de negen actielijnen." in response.get_data(as_text=True)
    form["action_line"] = str(line_id)
    form["status"] = "in_uitvoering"
    response = post(client, "/programmes/halfgeleiders/actions/new", form)
    assert "Een actie in uitvoering heeft een trekker." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProgrammeAction)) == 0


def test_the_secretariat_adds_an_action_through_the_form(app, client):
    login(client, _secretariat(app))
    with app.app_context():
        dim = db.session.scalars(select(Dimension).where(Dimension.slug == "verdienvermogen")).one()
        fields = {
            "title": "Netcapaciteit voor de chipcluster",
            "action_line": str(line().id),
            "status": "gepland",
            "visibility": "openbaar",
            "amount_eur": "",
            "funding_status": str(funding().id),
            "start_date": "2026-03-01",
            "end_date": "2028-12-31",
            "lead_ministry": str(ministry().id),
            f"impact-{dim.id}-level": "hoog",
            f"impact-{dim.id}-text": "Uitbreiding fabrieken mogelijk",
        }
    huge = post(client, "/programmes/halfgeleiders/actions/new", fields | {"amount_eur": "1" * 20})
    assert huge.status_code == 422
    assert "Dit bedrag is te groot." in huge.get_data(as_text=True)
    response = post(client, "/programmes/halfgeleiders/actions/new", fields)
    assert response.status_code == 302
    again = post(client, "/programmes/halfgeleiders/actions/new", fields | {"form_token": ""})
    page = client.get("/programmes/halfgeleiders").get_data(as_text=True)
    assert "Netcapaciteit voor de chipcluster" in page
    assert page.count("geen acties") == 8  # the other eight lines are gaps
    with app.app_context():
        action = db.session.scalars(select(ProgrammeAction)).first()
        assert action.impacts[0].text == "Uitbreiding fabrieken mogelijk"
        assert action.funding_status.slug == "geen-middelen"
    assert again.status_code == 302


def test_the_same_form_posted_twice_makes_one_action(app, client):
    login(client, _secretariat(app))
    with app.app_context():
        fields = {
            "title": "Eén actie",
            "action_line": str(line().id),
            "status": "gepland",
            "visibility": "tafel",
            "form_token": "abcdefghijklmnopqrstuvwx",
        }
    first = post(client, "/programmes/halfgeleiders/actions/new", fields)
    second = post(client, "/programmes/halfgeleiders/actions/new", fields)
    assert first.status_code == second.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProgrammeAction)) == 1


def test_linking_a_report_shows_on_the_submitters_timeline(app, client):
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        author = make_user()
        sub = make_submission(author=author, status="aanvaard", title="Netcongestie Eindhoven")
        action = make_action(secretariat, visibility="openbaar")
        services.link_submission(action, sub, secretariat)
        services.link_submission(action, sub, secretariat)
        db.session.commit()
        sub_id, email = sub.id, author.email
    login(client, email)
    page = client.get(f"/submissions/{sub_id}").get_data(as_text=True)
    assert "Opgenomen in programma-actie ‘Netcapaciteit voor de chipcluster’" in page
    assert page.count("Opgenomen in programma-actie") == 1


def test_a_confidential_action_is_not_named_on_an_outsiders_timeline(app, client):
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        author = make_user()
        sub = make_submission(author=author, status="aanvaard", visibility="openbaar")
        action = make_action(secretariat, visibility="vertrouwelijk", title="Geheime actie")
        services.link_submission(action, sub, secretariat)
        db.session.commit()
        sub_id, email = sub.id, author.email
    login(client, email)
    page = client.get(f"/submissions/{sub_id}").get_data(as_text=True)
    assert "Opgenomen in een programma-actie van de tafel" in page
    assert "Geheime actie" not in page


def test_the_secretariat_links_an_accepted_report_on_the_action_page(app, client):
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        email = secretariat.email
        action = make_action(secretariat)
        sub = make_submission(status="aanvaard", kind="knelpunt", market=action.programme.market)
        sub.action_lines = [line()]
        db.session.commit()
        action_id, sub_id = action.id, sub.id
    login(client, email)
    response = post(client, f"/programmes/actions/{action_id}/submissions", {"submission": sub_id})
    assert response.status_code == 302
    page = client.get("/programmes/halfgeleiders").get_data(as_text=True)
    assert "opgepakt in actie ‘Netcapaciteit voor de chipcluster’" in page


def test_a_decision_is_linked_to_an_action_and_shown_on_both_pages(app, client):
    from tafel.decisions.models import Decision

    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        action = make_action(secretariat, visibility="openbaar")
        action_id, email = action.id, secretariat.email
    login(client, email)
    page = client.get(f"/programmes/actions/{action_id}").get_data(as_text=True)
    assert "Nog geen besluiten gekoppeld." in page
    missing = post(client, f"/programmes/actions/{action_id}/decisions", {"number": "B-1999-999"})
    assert missing.status_code == 422
    assert "Er is geen besluit met dit nummer." in missing.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Decision)) == 0


def test_the_secretariat_links_a_decision_and_the_decision_page_names_the_action(app, client):
    from tests.responses.factories import make_decision

    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        sub = make_submission(status="aanvaard", visibility="openbaar")
        decision = make_decision([sub], secretariat)
        action = make_action(secretariat, visibility="openbaar")
        action_id, decision_id, number = action.id, decision.id, decision.number
        email = secretariat.email
    login(client, email)
    for _ in range(2):  # twice is once
        response = post(client, f"/programmes/actions/{action_id}/decisions", {"number": number})
        assert response.status_code == 302
    assert f"Besluit {number}" in client.get(f"/programmes/actions/{action_id}").get_data(
        as_text=True
    )
    decision_page = client.get(f"/decisions/{decision_id}").get_data(as_text=True)
    assert "Netcapaciteit voor de chipcluster" in decision_page


def test_a_report_number_too_large_for_an_id_is_refused_on_the_form(app, client):
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        action_id, email = make_action(secretariat).id, secretariat.email
    login(client, email)
    url = f"/programmes/actions/{action_id}/submissions"
    response = post(client, url, {"submission": str(10**20)})
    assert response.status_code == 422
    assert "Er is geen melding met dit nummer." in response.get_data(as_text=True)
