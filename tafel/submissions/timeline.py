"""The submission timeline: one event per step, rendered per kind.

Later features add an event with `add_event(sub, "decision", …)` and a
template `templates/submissions/timeline/decision.html`; nothing here changes.
An event that tells of an object with its own visibility (a round, a decision,
an action item) is shown only to who may see that object: the feature
registers the rule with `register_visibility(kind, rule)`, and `visible_events`
applies it, so the timeline never shows more than the object's own page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tafel import db
from tafel.submissions.models import Submission, TimelineEvent

# kind → rule(user, event): whether `user` may see this event.
_VISIBILITY: dict[str, Callable[[Any, TimelineEvent], bool]] = {}


def register_visibility(kind: str, rule: Callable[[Any, TimelineEvent], bool]) -> None:
    _VISIBILITY[kind] = rule


def visible_events(user, events: list[TimelineEvent]) -> list[TimelineEvent]:
    """The events `user` may see (every kind without a rule is part of the report)."""
    return [event for event in events if _VISIBILITY.get(event.kind, _always)(user, event)]


def _always(_user, _event: TimelineEvent) -> bool:
    return True


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
