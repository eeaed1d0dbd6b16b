"""The decision register's query: the one visibility rule of the submissions
applied to decisions, and the register's filters."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, exists, func, not_, or_, select
from sqlalchemy.orm import selectinload

from tafel.core.timefmt import local_today
from tafel.decisions.models import OUTCOMES, ActionItem, Decision, DecisionLink
from tafel.meetings.models import AgendaItem, AgendaLink
from tafel.submissions import policies as submission_policies
from tafel.submissions.models import Submission

IMPLEMENTATION_LABELS = {
    "geen_acties": _l("Geen actiepunten"),
    "lopend": _l("In uitvoering"),
    "achterstallig": _l("Achterstallig"),
    "uitgevoerd": _l("Uitgevoerd"),
}
IMPLEMENTATION = tuple(IMPLEMENTATION_LABELS)
OPEN = ("gepland", "in_uitvoering")


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


def visible_clause(user):
    """Decisions none of whose reports, nor those of its agenda item, is hidden
    from `user`, plus those about the user's own reports (as policies.can_view_decision)."""
    hidden = not_(submission_policies.visible_clause(user))
    hidden_link = (
        select(DecisionLink.id)
        .join(Submission, Submission.id == DecisionLink.submission_id)
        .where(DecisionLink.decision_id == Decision.id, hidden)
    )
    hidden_on_item = (
        select(AgendaLink.id)
        .join(Submission, Submission.id == AgendaLink.submission_id)
        .where(AgendaLink.agenda_item_id == Decision.agenda_item_id, hidden)
    )
    visible = and_(~hidden_link.exists(), ~hidden_on_item.exists())
    if not user.is_authenticated:
        return visible
    own = (
        select(DecisionLink.id)
        .join(Submission, Submission.id == DecisionLink.submission_id)
        .where(
            DecisionLink.decision_id == Decision.id,
            Submission.organisation_id == user.organisation_id,
        )
    )
    return or_(visible, own.exists())


def _actions(*conditions):
    return exists().where(ActionItem.decision_id == Decision.id, *conditions)


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
    today = local_today()
    overdue = _actions(ActionItem.status.in_(OPEN), ActionItem.due_date < today)
    if filters.implementation == "geen_acties":
        query = query.where(~_actions())
    elif filters.implementation == "lopend":
        query = query.where(_actions(ActionItem.status.in_(OPEN)), ~overdue)
    elif filters.implementation == "achterstallig":
        query = query.where(overdue)
    elif filters.implementation == "uitgevoerd":
        query = query.where(_actions(), ~_actions(ActionItem.status.in_(OPEN)))
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
    )


def implementation_of(decision: Decision) -> str:
    if not decision.actions:
        return "geen_acties"
    today = local_today()
    open_items = [a for a in decision.actions if a.status in OPEN]
    if not open_items:
        return "uitgevoerd"
    if any(a.due_date < today for a in open_items):
        return "achterstallig"
    return "lopend"
