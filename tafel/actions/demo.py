"""The demo's decisions with their action items: `decisions.demo` records each
decision of demo.json, and the items of that decision follow it at once."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from tafel import db
from tafel.accounts.models import Organisation
from tafel.actions.models import FINAL, ActionItem, ActionUpdate
from tafel.core.timefmt import AMSTERDAM
from tafel.decisions import demo as decisions_demo
from tafel.submissions.models import Submission


def load_decisions(
    data: dict[str, Any], submissions: list[Submission], organisations: dict[str, Organisation]
) -> int:
    """The decisions of demo.json and their action items; returns the decisions added."""

    def items(raw, decision, ministries, secretariat) -> None:
        for action in raw.get("action_items", []):
            _action(action, decision, ministries, organisations, secretariat)

    return decisions_demo.load_decisions(data, submissions, organisations, each=items)


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
        completed_at=finished if status in FINAL else None,
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
                created_at=finished if status in FINAL else started,
            )
        )
