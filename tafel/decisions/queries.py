"""The decision register's query (the visibility of `decisions.policies` and
the register's filters), a meeting's decisions, and how far a decision's
implementation is.

The implementation is read from the decision's action items, which belong to
a higher feature: `tafel.actions.queries` installs the two rules (in Python
for one decision, in SQL for the register's filter) when it is imported, as
the app does with every feature. Until then every decision has no items.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import selectinload

from tafel import db
from tafel.decisions.models import (
    IMPLEMENTATION,
    OUTCOMES,
    Decision,
    DecisionLink,
    Motion,
    Recusal,
)
from tafel.decisions.policies import visible_clause
from tafel.meetings.models import AgendaItem, AgendaLink
from tafel.submissions.models import Submission


def _int(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else None


@dataclass(frozen=True)
class RegisterFilters:
    q: str = ""
    market: int | None = None
    ministry: int | None = None
    outcome: str | None = None
    implementation: str | None = None
    year: int | None = None

    @classmethod
    def from_args(cls, args) -> RegisterFilters:
        outcome = args.get("outcome") or None
        implementation = args.get("implementation") or None
        return cls(
            q=(args.get("q") or "").strip()[:200],
            market=_int(args.get("market")),
            ministry=_int(args.get("ministry")),
            outcome=outcome if outcome in OUTCOMES else None,
            implementation=implementation if implementation in IMPLEMENTATION else None,
            year=_int(args.get("year")),
        )

    def args(self) -> dict:
        values = {
            "q": self.q,
            "market": self.market,
            "ministry": self.ministry,
            "outcome": self.outcome,
            "implementation": self.implementation,
            "year": self.year,
        }
        return {k: v for k, v in values.items() if v not in (None, "")}


# Implementation ---------------------------------------------------------------------


@dataclass
class ImplementationRules:
    """`of(decision)` → one of IMPLEMENTATION; `clause(value)` → a WHERE clause on Decision."""

    of: Callable[[Decision], str] = lambda decision: _not_installed()
    clause: Callable[[str], Any] = lambda value: _not_installed()


def _not_installed():
    raise RuntimeError("tafel.actions has not installed the implementation rules (create_app does)")


RULES = ImplementationRules()


def install_implementation(of: Callable[[Decision], str], clause: Callable[[str], Any]) -> None:
    """Called by tafel.actions: how its items make a decision's implementation."""
    RULES.of = of
    RULES.clause = clause


def implementation_of(decision: Decision) -> str:
    return RULES.of(decision)


# The register -----------------------------------------------------------------------


def register_query(user, filters: RegisterFilters) -> Select:
    query = select(Decision).where(visible_clause(user))
    if filters.year:
        query = query.where(Decision.year == filters.year)
    if filters.outcome:
        query = query.where(Decision.outcome == filters.outcome)
    if filters.ministry:
        query = query.where(Decision.ministry_id == filters.ministry)
    if filters.market:
        query = query.where(
            exists().where(
                DecisionLink.decision_id == Decision.id,
                Submission.id == DecisionLink.submission_id,
                Submission.market_id == filters.market,
            )
        )
    if filters.q:
        pattern = "%" + filters.q.lower().replace("%", "").replace("_", "") + "%"
        query = query.where(
            or_(
                func.lower(Decision.number).like(pattern),
                func.lower(Decision.text).like(pattern),
                func.lower(Decision.explanation).like(pattern),
            )
        )
    if filters.implementation:
        query = query.where(RULES.clause(filters.implementation))
    return query.order_by(Decision.year.desc(), Decision.sequence.desc())


def with_details(query: Select) -> Select:
    return query.options(
        selectinload(Decision.links).selectinload(DecisionLink.submission),
        selectinload(Decision.agenda_item)
        .selectinload(AgendaItem.links)
        .selectinload(AgendaLink.submission),
        selectinload(Decision.ministry),
        selectinload(Decision.organisation),
        selectinload(Decision.meeting),
        selectinload(Decision.actions),
        selectinload(Decision.motion),
        selectinload(Decision.amendments),
    )


def decisions_of_meeting(meeting_id: int) -> list[Decision]:
    return list(
        db.session.scalars(
            select(Decision)
            .where(Decision.meeting_id == meeting_id)
            .options(
                selectinload(Decision.links).selectinload(DecisionLink.submission),
                selectinload(Decision.ministry),
                selectinload(Decision.organisation),
                selectinload(Decision.actions),
                selectinload(Decision.motion)
                .selectinload(Motion.recusals)
                .selectinload(Recusal.user),
            )
            .order_by(Decision.year, Decision.sequence)
        )
    )
