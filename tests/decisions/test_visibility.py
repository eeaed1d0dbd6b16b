"""The decisions' visibility: the SQL clause of the register agrees with the
check on a loaded decision (decisions/policies.py), for every viewer × report
visibility × how the report is tied to the decision."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from tafel import db
from tafel.accounts.models import ROLES
from tafel.decisions import services
from tafel.decisions.models import Decision
from tafel.decisions.policies import can_view_decision, visible_clause
from tests.decisions.factories import held_decision_item, ministry
from tests.factories import make_org, make_user

VIEWERS = ["anonymous", "same-org", *ROLES, "departement-responsible"]
# A confidential report never reaches an agenda (the meetings refuse it).
VISIBILITIES = ["openbaar", "tafel"]
# linked: the decision is about the item's report; item: the report is only on
# the agenda item; none: the item has no reports.
TIES = ["linked", "item", "none"]


def viewer(kind: str, submitter_org):
    if kind == "anonymous":
        return AnonymousUserMixin()
    if kind == "same-org":
        return make_user(org=submitter_org, roles=("indiener",))
    if kind == "departement-responsible":
        return make_user(org=make_org("ministerie", ministry=ministry()), roles=("departement",))
    return make_user(org=make_org(), roles=(kind,))


def build(visibility: str, tie: str) -> Decision:
    secretariat, _meeting, item, reports = held_decision_item(
        visibility=visibility, subs=0 if tie == "none" else 1
    )
    linked = [sub.id for sub in reports] if tie == "linked" else []
    decision = services.record_decision(
        item, secretariat, text="Besluit.", outcome="overnemen", submission_ids=linked
    )
    db.session.commit()
    return decision


@pytest.mark.parametrize("tie", TIES)
@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("who", VIEWERS)
def test_clause_agrees_with_predicate(ctx, who, visibility, tie):
    decision = build(visibility, tie)
    item_subs = [link.submission for link in decision.agenda_item.links]
    user = viewer(who, item_subs[0].organisation if item_subs else make_org())
    listed = db.session.scalars(
        select(Decision.id).where(visible_clause(user), Decision.id == decision.id)
    ).all()
    assert (listed == [decision.id]) is can_view_decision(user, decision)


@pytest.mark.parametrize(
    ("who", "visibility", "tie", "expected"),
    [
        ("anonymous", "openbaar", "linked", True),
        ("anonymous", "tafel", "linked", False),
        ("anonymous", "tafel", "item", False),
        ("anonymous", "tafel", "none", True),
        ("same-org", "tafel", "linked", True),
        ("same-org", "tafel", "item", True),
        ("indiener", "tafel", "linked", False),
        ("tafellid", "tafel", "item", True),
        ("secretariaat", "tafel", "linked", True),
    ],
)
def test_some_cases_by_name(ctx, who, visibility, tie, expected):
    """A few rows of the table spelled out, so agreement is not agreement on a mistake."""
    decision = build(visibility, tie)
    item_subs = [link.submission for link in decision.agenda_item.links]
    user = viewer(who, item_subs[0].organisation if item_subs else make_org())
    assert can_view_decision(user, decision) is expected
