"""Timelines show only published facts (audit finding 11 and the shared
decision): round steps only to table roles, a draft response's state only to
the ministry and the secretariat, a decision only where its page is visible."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from tafel import db
from tafel.submissions.models import Submission
from tafel.voting import services as voting
from tests.conftest import login
from tests.decisions.factories import ministry
from tests.factories import make_org, make_submission, make_user
from tests.responses.factories import due_submission, make_decision, make_response
from tests.voting.factories import make_round


def page(client, sub_id: int) -> str:
    response = client.get(f"/submissions/{sub_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def as_user(app, roles: tuple[str, ...], **fields):
    with app.app_context():
        email = make_user(roles=roles, **fields).email
    client = app.test_client()
    login(client, email)
    return client


def test_round_steps_stay_off_the_public_timeline(app, client):
    with app.app_context():
        rnd, sub_ids, secretariat = make_round(candidates=2)
        db.session.execute(update(Submission).values(visibility="openbaar"))
        voting.close_round(rnd, secretariat)
        db.session.commit()
    public = page(client, sub_ids[0])
    assert "prioriteringsronde" not in public.lower()
    assert "Plaats" not in public
    member = as_user(app, ("tafellid",))
    seen = page(member, sub_ids[0])
    assert "Opgenomen in prioriteringsronde" in seen
    assert "in prioriteringsronde" in seen and "van 2" in seen
    with app.app_context():  # the submitting organisation follows its own report
        org_id = db.session.get(Submission, sub_ids[0]).organisation_id
        from tafel.accounts.models import Organisation

        org = db.session.get(Organisation, org_id)
    own = as_user(app, ("indiener",), org=org)
    assert "Opgenomen in prioriteringsronde" in page(own, sub_ids[0])
    other = as_user(app, ("indiener",))
    assert "prioriteringsronde" not in page(other, sub_ids[0]).lower()


@pytest.mark.parametrize(
    ("who", "sees_state"),
    [
        (None, False),
        ("indiener", False),
        ("tafellid", False),
        ("secretariaat", True),
        ("ezk", True),
    ],
)
def test_a_draft_response_state_is_only_for_the_ministry_and_the_secretariat(
    app, client, who, sees_state
):
    with app.app_context():
        sub = due_submission("EZK", visibility="openbaar")
        make_response(sub, status="concept")
        sub_id = sub.id
    if who == "ezk":
        with app.app_context():
            org = make_org("ministerie", ministry=ministry("EZK"), name="Ministerie EZK")
        reader = as_user(app, ("departement",), org=org)
    elif who:
        reader = as_user(app, (who,))
    else:
        reader = client
    text = page(reader, sub_id)
    assert "Reactie uiterlijk" in text
    assert ("· Concept" in text) is sees_state


def test_a_decision_shared_with_a_table_report_is_not_on_the_public_timeline(app, client):
    with app.app_context():
        public = make_submission(status="aanvaard", visibility="openbaar")
        closed = make_submission(status="aanvaard", visibility="tafel")
        decision = make_decision([public, closed])
        number, decision_id, public_id = decision.number, decision.id, public.id
        from tafel.submissions.timeline import add_event

        add_event(
            public, "decision", None, decision=decision_id, number=number, outcome="overnemen"
        )
        db.session.commit()
    assert client.get(f"/decisions/{decision_id}").status_code == 404
    assert number not in page(client, public_id)
    member = as_user(app, ("tafellid",))
    assert member.get(f"/decisions/{decision_id}").status_code == 200
    assert number in page(member, public_id)
