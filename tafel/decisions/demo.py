"""The decisions of demo.json with their action items: numbered in order of
the meetings, dated on the meeting day, their reports moved to `besloten`
with the timeline entries they would have had. Idempotent: nothing is added
when the meeting already has decisions.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from tafel import db
from tafel.accounts.models import Organisation, User
from tafel.core.timefmt import AMSTERDAM
from tafel.decisions.models import (
    ActionItem,
    ActionUpdate,
    Decision,
    DecisionLink,
)
from tafel.decisions.services import format_number, next_sequence
from tafel.meetings.models import AgendaItem, Meeting
from tafel.reference.models import Ministry
from tafel.submissions.demo import past_event
from tafel.submissions.models import Submission

DONE = ("gerealiseerd", "vervallen")


def load_decisions(
    data: dict[str, Any], submissions: list[Submission], organisations: dict[str, Organisation]
) -> int:
    secretariat = db.session.scalar(select(User).where(User.email == "secretariaat@example.org"))
    if secretariat is None:
        return 0
    ministries = {m.slug: m for m in db.session.scalars(select(Ministry))}
    added = 0
    for entry in data.get("meetings", []):
        meeting = db.session.scalar(select(Meeting).where(Meeting.title == entry["title"]))
        if meeting is None or not entry.get("decisions"):
            continue
        if db.session.scalar(select(Decision.id).where(Decision.meeting_id == meeting.id)):
            continue
        items = list(
            db.session.scalars(
                select(AgendaItem)
                .where(AgendaItem.meeting_id == meeting.id)
                .order_by(AgendaItem.position)
            )
        )
        for raw in entry["decisions"]:
            decision = _decision(raw, meeting, items, submissions, ministries, secretariat)
            for action in raw.get("action_items", []):
                _action(action, decision, ministries, organisations, secretariat)
            added += 1
    db.session.flush()
    return added


def _decision(raw, meeting, items, submissions, ministries, secretariat) -> Decision:
    when = meeting.ends_at
    year = when.astimezone(AMSTERDAM).year
    sequence = next_sequence(year)
    linked = [submissions[i] for i in raw.get("submission_indices", [])]
    decision = Decision(
        number=format_number(year, sequence),
        year=year,
        sequence=sequence,
        meeting_id=meeting.id,
        agenda_item_id=items[raw["agenda_item_index"]].id,
        text=raw["text"],
        outcome=raw["outcome"],
        explanation=raw.get("explanation") or "",
        ministry=ministries.get(raw.get("responsible") or ""),
        public=all(sub.visibility == "openbaar" for sub in linked),
        created_by_id=secretariat.id,
        created_at=when,
    )
    decision.links = [DecisionLink(submission_id=sub.id) for sub in linked]
    db.session.add(decision)
    db.session.flush()
    for sub in linked:
        data = {
            "decision": decision.id,
            "number": decision.number,
            "outcome": decision.outcome,
        }
        if sub.status == "besproken":
            data.update(action="decide", previous="besproken", status="besloten")
            sub.status, sub.status_changed_at = "besloten", when
        past_event(sub, "decision", when, secretariat, True, **data)
    return decision


def _action(raw, decision, ministries, organisations, secretariat) -> None:
    due = date.fromisoformat(raw["due"])
    owner = raw.get("owner") or ""
    status = raw.get("status") or "gepland"
    finished = datetime.combine(min(due, date(2026, 11, 27)), time(12), AMSTERDAM)
    action = ActionItem(
        decision_id=decision.id,
        description=raw["description"],
        owner_ministry_id=ministries[owner].id if owner in ministries else None,
        owner_organisation_id=organisations[owner].id if owner in organisations else None,
        due_date=due,
        status=status,
        reason="Vervallen na overleg in de tafel." if status == "vervallen" else "",
        completed_at=finished if status in DONE else None,
        created_by_id=secretariat.id,
        created_at=decision.created_at,
    )
    db.session.add(action)
    db.session.flush()
    if status != "gepland":
        started = decision.created_at + timedelta(days=14)
        db.session.add(
            ActionUpdate(
                action_id=action.id,
                text="",
                status=status,
                author_id=secretariat.id,
                created_at=finished if status in DONE else started,
            )
        )
