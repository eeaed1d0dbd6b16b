"""One small register for API tests: a public, a table-only and a confidential
report, each decided, answered and with an action item."""

from __future__ import annotations

from dataclasses import dataclass, field

from tafel import db
from tests.api.helpers import token_for
from tests.factories import make_user
from tests.responses.factories import (
    due_submission,
    make_action,
    make_decision,
    make_response,
    ministry,
    ministry_user,
)

SECRET_TITLE = "Vertrouwelijk knelpunt X"
TABLE_TITLE = "Tafel-knelpunt Y"


@dataclass
class World:
    reports: dict[str, int] = field(default_factory=dict)
    decisions: dict[str, int] = field(default_factory=dict)
    responses: dict[str, int] = field(default_factory=dict)
    actions: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)


def build() -> World:
    world = World()
    secretariat = make_user(roles=("secretariaat",))
    titles = {"openbaar": "Openbaar knelpunt Z", "tafel": TABLE_TITLE,
              "vertrouwelijk": SECRET_TITLE}  # fmt: skip
    for visibility, title in titles.items():
        sub = due_submission(visibility=visibility, title=title)
        decision = make_decision([sub], secretariat)
        response = make_response(sub, status="gepubliceerd")
        make_action(decision=decision, owner=ministry())
        action = make_action(response=response, owner=ministry())
        world.reports[visibility] = sub.id
        world.decisions[visibility] = decision.id
        world.responses[visibility] = response.id
        world.actions[visibility] = action.id
    world.tokens["tafellid"] = token_for(make_user(roles=("tafellid",)))
    world.tokens["departement"] = token_for(ministry_user())
    world.tokens["secretariaat"] = token_for(secretariat)
    db.session.commit()
    return world
