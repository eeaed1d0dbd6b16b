"""The secretariat's part of a programme: adding one (for a market, a sector or
the broad base), changing its particulars, and its goals. Audited; flushes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from tafel import db
from tafel.core import audit
from tafel.db import Base
from tafel.programmes.models import (
    GOAL_STATUSES,
    PROGRAMME_STATUSES,
    VISIBILITIES,
    Goal,
    Programme,
)
from tafel.programmes.services import ProgrammeError
from tafel.reference.models import Market

FIELDS = (
    "name_nl",
    "name_en",
    "market_id",
    "summary",
    "lead_ministry_id",
    "ez_lead_id",
    "period_start",
    "period_end",
    "status",
    "visibility",
)


@dataclass
class ProgrammeData:
    name_nl: str
    name_en: str | None = None
    market_id: int | None = None
    summary: str = ""
    lead_ministry_id: int | None = None
    ez_lead_id: int | None = None
    period_start: int | None = None
    period_end: int | None = None
    status: str = "in_voorbereiding"
    visibility: str = "openbaar"


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60] or "programma"


def _check(data: ProgrammeData) -> None:
    if not data.name_nl.strip():
        raise ProgrammeError(_("Geef het programma een naam."), "name_nl")
    if data.status not in PROGRAMME_STATUSES:
        raise ProgrammeError(_("Kies een bekende stand."), "status")
    if data.visibility not in VISIBILITIES:
        raise ProgrammeError(_("Kies wie de actie mag zien."), "visibility")
    if data.period_start and data.period_end and data.period_end < data.period_start:
        raise ProgrammeError(_("Het einde ligt voor het begin."), "period_end")


def _snapshot(programme: Programme) -> dict[str, Any]:
    return {name: getattr(programme, name) for name in FIELDS}


def create_programme(actor, data: ProgrammeData) -> Programme:
    _check(data)
    market = db.session.get(Market, data.market_id) if data.market_id else None
    base = market.slug if market else slugify(data.name_nl)
    slug, n = base, 1
    taken = set(db.session.scalars(select(Programme.slug).where(Programme.slug.startswith(base))))
    while slug in taken or slug == "actions":
        n += 1
        slug = f"{base}-{n}"
    programme = Programme(slug=slug, initiatives=[], forecasts=[])
    for name in FIELDS:
        setattr(programme, name, getattr(data, name))
    db.session.add(programme)
    db.session.flush()
    audit.record("programme.create", programme, actor, after=_snapshot(programme))
    return programme


def update_programme(programme: Programme, actor, data: ProgrammeData) -> None:
    _check(data)
    before = _snapshot(programme)
    for name in FIELDS:
        setattr(programme, name, getattr(data, name))
    old, new = audit.changes(before, _snapshot(programme))
    if new:
        db.session.flush()
        audit.record("programme.update", programme, actor, before=old, after=new)


def indicator_choices() -> list[tuple[int, str]]:
    """The indicators of tafel.progress (a higher feature), read from their table."""
    table = Base.metadata.tables["indicators"]
    rows = db.session.execute(
        select(table.c.id, table.c.label_nl).order_by(table.c.position, table.c.id)
    )
    return [(row.id, row.label_nl) for row in rows]


GOAL_FIELDS = (
    "text",
    "indicator",
    "baseline_value",
    "baseline_year",
    "target_value",
    "target_year",
    "status",
)


def add_goal(programme: Programme, actor, **fields) -> Goal:
    text = (fields.get("text") or "").strip()
    if not text:
        raise ProgrammeError(_("Beschrijf het doel."), "text")
    if fields.get("status", "open") not in GOAL_STATUSES:
        raise ProgrammeError(_("Kies een bekende stand."), "status")
    known = {i for i, _label in indicator_choices()}
    chosen = fields.get("indicator") or fields.get("indicator_id")
    if chosen and chosen not in known:
        raise ProgrammeError(_("Kies een bekende indicator."), "indicator")
    fields["indicator_id"] = fields.pop("indicator", None) or fields.get("indicator_id")
    goal = Goal(programme_id=programme.id, position=len(programme.goals), **fields)
    goal.text = text
    db.session.add(goal)
    db.session.flush()
    audit.record(
        "programme.goal",
        programme,
        actor,
        after={"goal": goal.id, "text": text, "indicator": goal.indicator_id},
    )
    return goal
