"""The API's writes: a departement token drafts its ministry's response and
posts action-item progress through the same services as the forms."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tafel import db
from tafel.actions.models import ActionUpdate
from tafel.core.models import AuditEntry
from tafel.responses.models import Response
from tests.api.helpers import bearer, token_for
from tests.factories import make_user
from tests.responses.factories import (
    due_submission,
    make_action,
    make_response,
    ministry,
    ministry_user,
)

DRAFT = {"outcome": "overnemen", "explanation": "Wij passen de regeling aan.", "measures": ""}


@pytest.fixture
def setup(app):
    with app.app_context():
        ezk_sub = due_submission("EZK", visibility="vertrouwelijk")
        ienw_sub = due_submission("IenW")
        ezk = ministry_user("EZK")
        response = make_response(due_submission("EZK"), status="gepubliceerd")
        action = make_action(response=response, owner=ministry("EZK"))
        return {
            "ezk_sub": ezk_sub.id,
            "ienw_sub": ienw_sub.id,
            "action": action.id,
            "write": token_for(ezk, "write"),
            "read": token_for(ezk, "read"),
            "member": token_for(make_user(roles=("tafellid",)), "write"),
        }


def test_a_departement_token_drafts_and_offers_its_ministrys_response(app, client, setup):
    url = f"/api/v1/submissions/{setup['ezk_sub']}/response"
    saved = client.post(url, json=DRAFT, headers=bearer(setup["write"]))
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()["status"] == "concept"
    offered = client.post(url, json=DRAFT | {"submit": True}, headers=bearer(setup["write"]))
    assert offered.get_json()["status"] == "ter_review"
    again = client.post(url, json=DRAFT | {"submit": True}, headers=bearer(setup["write"]))
    assert again.status_code == 409  # already offered: nothing changes
    with app.app_context():
        row = db.session.scalars(select(Response).filter_by(submission_id=setup["ezk_sub"])).one()
        assert (row.status, row.explanation) == ("ter_review", DRAFT["explanation"])
        submitted = select(func.count()).where(AuditEntry.action == "response.submit")
        assert db.session.scalar(submitted) == 1


def test_the_services_validation_applies(client, setup):
    url = f"/api/v1/submissions/{setup['ezk_sub']}/response"
    refused = client.post(url, json={"outcome": "niet", "explanation": "", "submit": True},
                          headers=bearer(setup["write"]))  # fmt: skip
    assert refused.status_code == 422
    assert refused.mimetype == "application/problem+json"


@pytest.mark.parametrize(
    ("token", "target", "status"),
    [
        ("read", "ezk_sub", 403),  # a read-only token writing
        ("write", "ienw_sub", 404),  # ministry EZK drafting for IenW
        ("member", "ezk_sub", 404),  # a table member may not see the confidential draft
        (None, "ezk_sub", 401),
    ],
)
def test_who_may_draft(client, setup, token, target, status):
    headers = bearer(setup[token]) if token else {}
    url = f"/api/v1/submissions/{setup[target]}/response"
    response = client.post(url, json=DRAFT, headers=headers)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize(
    ("body", "status"),
    [({"outcome": "misschien"}, 400), ({"colour": "red"}, 400), (["x"], 400)],
)
def test_bad_bodies_are_400(client, setup, body, status):
    url = f"/api/v1/submissions/{setup['ezk_sub']}/response"
    response = client.post(url, json=body, headers=bearer(setup["write"]))
    assert response.status_code == status
    assert response.get_json()["invalid_params"]


def test_a_body_that_is_not_json_is_415(client, setup):
    url = f"/api/v1/submissions/{setup['ezk_sub']}/response"
    response = client.post(url, data="x", headers=bearer(setup["write"]))
    assert response.status_code == 415


def test_an_action_update_with_an_idempotency_key_is_recorded_once(app, client, setup):
    url = f"/api/v1/actions/{setup['action']}/updates"
    headers = bearer(setup["write"]) | {"Idempotency-Key": "k" * 20}
    body = {"status": "in_uitvoering", "text": "Wetsvoorstel in consultatie."}
    first = client.post(url, json=body, headers=headers)
    assert first.status_code == 201
    assert first.get_json()["status"] == "in_uitvoering"
    second = client.post(url, json=body, headers=headers)
    assert second.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count(ActionUpdate.id))) == 1


def test_a_read_token_cannot_post_progress(client, setup):
    url = f"/api/v1/actions/{setup['action']}/updates"
    response = client.post(url, json={"status": "in_uitvoering", "text": "x"},
                           headers=bearer(setup["read"]))  # fmt: skip
    assert response.status_code == 403
