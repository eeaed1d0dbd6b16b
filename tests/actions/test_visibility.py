"""The action items' visibility: the SQL clause of the list agrees with the
check on a loaded item (actions/policies.py), for every viewer × report
visibility × origin (a decision, or a response in each state) × owner."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from tafel import db
from tafel.accounts.models import ROLES
from tafel.actions.models import ActionItem
from tafel.actions.policies import can_view_action, is_owner, owned_clause, visible_clause
from tests.decisions.factories import ministry
from tests.factories import make_org, make_user
from tests.responses.factories import due_submission, make_action, make_decision, make_response

VIEWERS = ["anonymous", "same-org", *ROLES, "departement-responsible"]
VISIBILITIES = ["openbaar", "tafel", "vertrouwelijk"]
ORIGINS = ["decision", "concept", "ter_review", "gepubliceerd"]
OWNERS = ["ministry", "submitter"]


def viewer(kind: str, submitter_org):
    if kind == "anonymous":
        return AnonymousUserMixin()
    if kind == "same-org":
        return make_user(org=submitter_org, roles=("indiener",))
    if kind == "departement-responsible":
        return make_user(org=make_org("ministerie", ministry=ministry()), roles=("departement",))
    return make_user(org=make_org(), roles=(kind,))


def build(visibility: str, origin: str, owner: str) -> ActionItem:
    sub = due_submission(visibility=visibility)
    owned_by = ministry() if owner == "ministry" else sub.organisation
    if origin == "decision":
        return make_action(decision=make_decision([sub]), owner=owned_by)
    return make_action(response=make_response(sub, status=origin), owner=owned_by)


def listed(clause, action: ActionItem) -> bool:
    found = db.session.scalars(
        select(ActionItem.id).where(clause, ActionItem.id == action.id)
    ).all()
    return found == [action.id]


@pytest.mark.parametrize("owner", OWNERS)
@pytest.mark.parametrize("origin", ORIGINS)
@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("who", VIEWERS)
def test_clauses_agree_with_predicates(ctx, who, visibility, origin, owner):
    action = build(visibility, origin, owner)
    sub = action.decision.links[0].submission if action.decision else action.response.submission
    user = viewer(who, sub.organisation)
    assert listed(visible_clause(user), action) is can_view_action(user, action)
    assert listed(owned_clause(user), action) is is_owner(user, action)


@pytest.mark.parametrize(
    ("who", "visibility", "origin", "owner", "expected"),
    [
        ("anonymous", "openbaar", "decision", "ministry", True),
        ("anonymous", "openbaar", "concept", "ministry", False),
        ("anonymous", "openbaar", "gepubliceerd", "ministry", True),
        ("anonymous", "tafel", "gepubliceerd", "ministry", False),
        ("indiener", "vertrouwelijk", "decision", "ministry", False),
        ("same-org", "vertrouwelijk", "concept", "submitter", True),  # the owner
        ("departement", "openbaar", "ter_review", "ministry", False),
        ("departement-responsible", "vertrouwelijk", "concept", "submitter", True),
        ("voorzitter", "vertrouwelijk", "concept", "submitter", True),
        ("tafellid", "tafel", "gepubliceerd", "submitter", True),
    ],
)
def test_some_cases_by_name(ctx, who, visibility, origin, owner, expected):
    """A few rows of the table spelled out, so agreement is not agreement on a mistake."""
    action = build(visibility, origin, owner)
    sub = action.decision.links[0].submission if action.decision else action.response.submission
    assert can_view_action(viewer(who, sub.organisation), action) is expected
