"""The submission timeline: one event per step, rendered per kind.

Later features add an event with `add_event(sub, "decision", …)` and a
template `templates/submissions/timeline/decision.html`; nothing here changes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tafel import db
from tafel.submissions.models import Submission, TimelineEvent


def add_event(
    sub: Submission,
    kind: str,
    actor=None,
    *,
    reason: str | None = None,
    by_secretariat: bool = False,
    **data: Any,
) -> TimelineEvent:
    if by_secretariat:
        data["by"] = "secretariaat"
    event = TimelineEvent(
        submission_id=sub.id,
        kind=kind,
        actor_id=getattr(actor, "id", None),
        organisation_id=getattr(actor, "organisation_id", None),
        reason=reason,
        data=data,
    )
    db.session.add(event)
    return event


def events_for(sub: Submission) -> list[TimelineEvent]:
    return list(
        db.session.scalars(
            select(TimelineEvent)
            .where(TimelineEvent.submission_id == sub.id)
            .options(selectinload(TimelineEvent.actor), selectinload(TimelineEvent.organisation))
            .order_by(TimelineEvent.created_at, TimelineEvent.id)
        )
    )
