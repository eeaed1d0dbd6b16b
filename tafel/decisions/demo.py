"""The decisions of demo.json: numbered in order of the meetings, dated on
the meeting day, their reports moved to `besloten` with the timeline entries
they would have had. Idempotent: nothing is added when the meeting already
has decisions. Their action items are added by `tafel.actions.demo`, through
the `each` callback, right after each decision (so ids come in the same order).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from tafel import db
from tafel.accounts.models import Organisation, User
from tafel.core.timefmt import AMSTERDAM
from tafel.decisions.models import Decision, DecisionLink
from tafel.decisions.services import format_number, next_sequence
from tafel.meetings.models import AgendaItem, Meeting
from tafel.reference.models import Ministry
from tafel.submissions.demo import past_event
from tafel.submissions.models import Submission

# Called after each decision: (its raw entry, the decision, ministries by slug, the secretariat).
EachDecision = Callable[[dict[str, Any], Decision, dict[str, Ministry], User], None]


def load_decisions(
    data: dict[str, Any],
    submissions: list[Submission],
    organisations: dict[str, Organisation],
    each: EachDecision | None = None,
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
            if each is not None:
                each(raw, decision, ministries, secretariat)
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
