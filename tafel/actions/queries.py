"""Reading action items: the list with its filters, one's own items, and
the implementation of a decision (installed into `decisions.queries`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import selectinload

from tafel import db
from tafel.actions.models import OPEN, STATUS_LABELS, ActionItem
from tafel.actions.policies import owned_clause, visible_clause
from tafel.core.timefmt import local_today
from tafel.decisions import queries as decision_queries
from tafel.decisions.models import Decision, DecisionLink
from tafel.meetings.models import AgendaItem, AgendaLink
from tafel.responses.models import Response

MINE_LIMIT = 50


@dataclass(frozen=True)
class ActionFilters:
    status: str | None = None
    overdue: bool = False
    ministry: int | None = None

    @classmethod
    def from_args(cls, args) -> ActionFilters:
        status = args.get("status") or None
        ministry = args.get("ministry") or ""
        return cls(
            status=status if status in STATUS_LABELS else None,
            overdue=args.get("overdue") == "1",
            ministry=int(ministry) if ministry.isascii() and ministry.isdigit() else None,
        )

    def args(self) -> dict:
        values = {
            "status": self.status,
            "overdue": "1" if self.overdue else None,
            "ministry": self.ministry,
        }
        return {k: v for k, v in values.items() if v is not None}


def with_details(query: Select) -> Select:
    return query.options(
        selectinload(ActionItem.decision)
        .selectinload(Decision.links)
        .selectinload(DecisionLink.submission),
        selectinload(ActionItem.decision)
        .selectinload(Decision.agenda_item)
        .selectinload(AgendaItem.links)
        .selectinload(AgendaLink.submission),
        selectinload(ActionItem.response).selectinload(Response.submission),
        selectinload(ActionItem.owner_ministry),
        selectinload(ActionItem.owner_organisation),
        selectinload(ActionItem.owner_user),
    )


def list_query(user, filters: ActionFilters, today: date | None = None) -> Select:
    query = select(ActionItem).where(visible_clause(user))
    if filters.status:
        query = query.where(ActionItem.status == filters.status)
    if filters.overdue:
        query = query.where(
            ActionItem.status.in_(OPEN), ActionItem.due_date < (today or local_today())
        )
    if filters.ministry:
        query = query.where(ActionItem.owner_ministry_id == filters.ministry)
    return with_details(query).order_by(ActionItem.due_date, ActionItem.id)


def mine(user) -> list[ActionItem]:
    """The user's own open items first, then the finished ones (bounded)."""
    if not user.is_authenticated:
        return []
    query = with_details(select(ActionItem).where(owned_clause(user))).order_by(
        ActionItem.completed_at.is_not(None), ActionItem.due_date, ActionItem.id
    )
    return list(db.session.scalars(query.limit(MINE_LIMIT)))


# A decision's implementation --------------------------------------------------------


def implementation_of(decision: Decision) -> str:
    """geen_acties, uitgevoerd (all finished), achterstallig (one open past
    its day) or lopend."""
    if not decision.actions:
        return "geen_acties"
    today = local_today()
    open_items = [a for a in decision.actions if a.status in OPEN]
    if not open_items:
        return "uitgevoerd"
    if any(a.due_date < today for a in open_items):
        return "achterstallig"
    return "lopend"


def _items(*conditions):
    return exists().where(ActionItem.decision_id == Decision.id, *conditions)


def implementation_clause(value: str):
    """A WHERE clause on Decision: the decisions whose implementation is `value`."""
    is_open = ActionItem.status.in_(OPEN)
    overdue = _items(is_open, ActionItem.due_date < local_today())
    return {
        "geen_acties": lambda: ~_items(),
        "lopend": lambda: _items(is_open) & ~overdue,
        "achterstallig": lambda: overdue,
        "uitgevoerd": lambda: _items() & ~_items(is_open),
    }[value]()


decision_queries.install_implementation(implementation_of, implementation_clause)
