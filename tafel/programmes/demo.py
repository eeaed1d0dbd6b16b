"""Demo programme actions: a few actions of the semiconductors programme, one
of them taking up the demo's netcongestie knelpunt. Idempotent (matched by
title). They are examples of how the table could fill a programme, marked
"(demo)" in their description, not the cabinet's actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from tafel import db
from tafel.accounts.models import User
from tafel.programmes import services
from tafel.programmes.models import Dimension, FundingStatus, Programme, ProgrammeAction
from tafel.reference.models import ActionLine, Ministry
from tafel.submissions.models import Submission

DEMO_NOTE = "Voorbeeldactie (demo): geen besluit van het kabinet of de tafel."
ACTIONS: list[dict[str, Any]] = [
    {
        "title": "Netcapaciteit voor toeleveranciers in de halfgeleiderketen",
        "line": "ruimte-infrastructuur",
        "status": "in_uitvoering",
        "visibility": "openbaar",
        "funding": "geen-middelen",
        "start": date(2026, 3, 1),
        "end": date(2027, 12, 31),
        "lead": "EZK",
        "impacts": {"verdienvermogen": "hoog", "weerbaarheid": "middel"},
        "knelpunt": "Netcongestie blokkeert uitbreiding cleanroom",
    },
    {
        "title": "Talentprogramma chipontwerp met de technische universiteiten",
        "line": "menselijk-kapitaal",
        "status": "gepland",
        "visibility": "openbaar",
        "funding": "herprioritering",
        "start": date(2026, 9, 1),
        "end": date(2029, 8, 31),
        "lead": "OCW",
        "impacts": {"verdienvermogen": "middel"},
        "knelpunt": None,
    },
    {
        "title": "Verkenning Nederlandse deelname aan pilotlijnen Chips Act",
        "line": "kennis-onderzoek",
        "status": "gepland",
        "visibility": "tafel",
        "funding": "geen-middelen",
        "start": date(2026, 6, 1),
        "end": None,
        "lead": None,
        "impacts": {"weerbaarheid": "hoog"},
        "knelpunt": None,
    },
]


def _by_slug(model, slug):
    return db.session.scalars(select(model).where(model.slug == slug)).first() if slug else None


def load_programme_actions() -> int:
    programme = _by_slug(Programme, "halfgeleiders")
    secretariat = db.session.scalars(
        select(User).where(User.email == "secretariaat@example.org")
    ).first()
    if programme is None or secretariat is None:
        return 0
    existing = set(
        db.session.scalars(
            select(ProgrammeAction.title).where(ProgrammeAction.programme_id == programme.id)
        )
    )
    dims = {d.slug: d.id for d in db.session.scalars(select(Dimension))}
    added = 0
    for raw in ACTIONS:
        if raw["title"] in existing:
            continue
        lead = _by_slug(Ministry, raw["lead"])
        data = services.ActionData(
            title=raw["title"],
            description=DEMO_NOTE,
            action_line_id=_by_slug(ActionLine, raw["line"]).id,
            status=raw["status"],
            visibility=raw["visibility"],
            funding_status_id=_by_slug(FundingStatus, raw["funding"]).id,
            start_date=raw["start"],
            end_date=raw["end"],
            lead_ministry_id=lead.id if lead else None,
            impacts={dims[k]: (v, "") for k, v in raw["impacts"].items() if k in dims},
        )
        action = services.create_action(programme, secretariat, data)
        added += 1
        if raw["knelpunt"]:
            sub = db.session.scalars(
                select(Submission).where(Submission.title.startswith(raw["knelpunt"]))
            ).first()
            if sub is not None and sub.status in services.LINKABLE:
                services.link_submission(action, sub, secretariat)
    return added
