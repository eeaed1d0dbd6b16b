"""The frozen snapshot of a "voortgang" agenda item: when a meeting is
published, the figures (latest value, period, source, gap per target) or a
programme's action statuses are copied into the item, so a later import or
change never alters a published pack. Confidential actions stay out."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tafel import db
from tafel.accounts import roles
from tafel.core.signals import meeting_published
from tafel.db import utcnow
from tafel.meetings.models import AgendaItem, Meeting
from tafel.programmes.models import Programme, ProgrammeAction
from tafel.progress import queries
from tafel.progress.models import AgendaSnapshot

PROGRAMME = "programme:"


def progress_snapshot() -> dict[str, Any]:
    _indicators, statuses, _series = queries.overview()
    return {
        "subject": "voortgang",
        "visibility": "openbaar",
        "targets": [
            {
                "label": s.target.label_nl,
                "label_en": s.target.label_en,
                "target": s.target.value,
                "operator": s.target.operator,
                "year": s.target.year,
                "unit": s.target.unit,
                "value": s.latest.value if s.latest else None,
                "period": s.latest.period if s.latest else None,
                "provisional": bool(s.latest and s.latest.provisional),
                "source": s.latest.source if s.latest else None,
                "demo": s.demo,
                "gap": s.gap,
                "needed": s.needed,
            }
            for s in statuses
        ],
    }


def programme_snapshot(slug: str) -> dict[str, Any] | None:
    programme = db.session.scalar(select(Programme).where(Programme.slug == slug))
    if programme is None or programme.visibility == "vertrouwelijk":
        return None
    actions = db.session.scalars(
        select(ProgrammeAction)
        .where(
            ProgrammeAction.programme_id == programme.id,
            ProgrammeAction.visibility != "vertrouwelijk",
        )
        .options(
            selectinload(ProgrammeAction.action_line),
            selectinload(ProgrammeAction.updates),
            selectinload(ProgrammeAction.funding_status),
        )
        .order_by(ProgrammeAction.action_line_id, ProgrammeAction.id)
    ).all()
    public = programme.visibility == "openbaar" and all(a.visibility == "openbaar" for a in actions)
    return {
        "subject": f"{PROGRAMME}{slug}",
        "visibility": "openbaar" if public else "tafel",
        "programme": programme.name_nl,
        "programme_en": programme.name_en,
        "actions": [
            {
                "id": a.id,
                "title": a.title,
                "line": a.action_line.label_nl,
                "line_en": a.action_line.label_en,
                "status": a.status,
                "rag": a.updates[-1].rag if a.updates else None,
                "update": a.updates[-1].day.isoformat() if a.updates else None,
                "funding": a.funding_status.label_nl if a.funding_status else None,
                "amount_eur": a.amount_eur,
            }
            for a in actions
        ],
    }


def snapshot_for(subject: str | None) -> dict[str, Any] | None:
    if subject and subject.startswith(PROGRAMME):
        return programme_snapshot(subject[len(PROGRAMME) :])
    return progress_snapshot()


def set_subject(item: AgendaItem, subject: str) -> AgendaSnapshot:
    row = AgendaSnapshot(item_id=item.id, subject=subject)
    db.session.add(row)
    db.session.flush()
    return row


@meeting_published.connect
def freeze(meeting: Meeting, actor=None) -> None:
    """Copy the figures into every "voortgang" item of a meeting being published."""
    now = utcnow()
    items = [item for item in meeting.items if item.kind == "voortgang"]
    rows = {
        row.item_id: row
        for row in db.session.scalars(
            select(AgendaSnapshot).where(AgendaSnapshot.item_id.in_([i.id for i in items]))
        )
    }
    for item in items:
        row = rows.get(item.id) or set_subject(item, "voortgang")
        if row.data is None:
            row.data = snapshot_for(row.subject)
            row.taken_at = now
    db.session.flush()


def snapshot_of(item: AgendaItem) -> AgendaSnapshot | None:
    """For the meeting page and pack (a lower feature): the item's frozen figures."""
    if item.kind != "voortgang" or item.id is None:
        return None
    return db.session.get(AgendaSnapshot, item.id)


def can_see(user, row: AgendaSnapshot | None) -> bool:
    if row is None or not row.data:
        return False
    return row.data.get("visibility") == "openbaar" or roles.is_table(user)
