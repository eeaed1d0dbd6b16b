"""Building the submission list: filters, search and sort, always through the
visibility filter."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Select, case, func, literal, select
from sqlalchemy.orm import joinedload

from tafel import db
from tafel.accounts.models import Organisation
from tafel.core.search import parse_query
from tafel.core.timefmt import AMSTERDAM
from tafel.reference.models import OrganisationType
from tafel.submissions import search
from tafel.submissions.models import (
    STATUSES,
    Submission,
    submission_action_lines,
    submission_missions,
    submission_technologies,
)
from tafel.submissions.policies import visible_clause

CLOSED = ("concept", "samengevoegd", "niet_ontvankelijk", "afgehandeld")
SORTS = ("newest", "cosigned", "oldest_open", "relevance")
INT_FILTERS = (
    "market",
    "action_line",
    "technology",
    "mission",
    "province",
    "government_level",
    "ministry",
    "constituency",
    "sector",
    "theme",
)


@dataclass
class Filters:
    q: str = ""
    kind: str | None = None
    status: str | None = None
    sort: str = "newest"
    sort_chosen: bool = False
    date_from: date | None = None
    date_to: date | None = None
    ids: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_args(cls, args) -> Filters:
        filters = cls(q=(args.get("q") or "").strip()[:200])
        if args.get("kind") in ("signaal", "knelpunt"):
            filters.kind = args["kind"]
        if args.get("status") in STATUSES:
            filters.status = args["status"]
        for name in INT_FILTERS:
            value = args.get(name, type=int)
            if value:
                filters.ids[name] = value
        filters.date_from = _date(args.get("from"))
        filters.date_to = _date(args.get("to"))
        sort = args.get("sort")
        # No explicit choice: best match when searching, otherwise newest first.
        filters.sort_chosen = sort in SORTS
        filters.sort = sort if sort in SORTS else ("relevance" if filters.q else "newest")
        return filters

    def args(self) -> dict:
        """The filters as URL parameters (for pagination and export links)."""
        out = {k: v for k, v in self.ids.items()}
        for name in ("q", "kind", "status"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        if self.date_from:
            out["from"] = self.date_from.isoformat()
        if self.date_to:
            out["to"] = self.date_to.isoformat()
        if self.sort_chosen:
            out["sort"] = self.sort
        return out


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _link_filter(table, column: str, value: int):
    return Submission.id.in_(select(table.c.submission_id).where(getattr(table.c, column) == value))


# Filters on a column of the submission, then on a link table, in this order.
_COLUMN_FILTERS = (
    ("market", Submission.market_id),
    ("province", Submission.province_id),
    ("government_level", Submission.government_level_id),
    ("ministry", Submission.ministry_id),
    ("sector", Submission.sector_id),
    ("theme", Submission.theme_id),
)
_LINK_FILTERS = (
    ("action_line", submission_action_lines, "action_line_id"),
    ("technology", submission_technologies, "technology_id"),
    ("mission", submission_missions, "mission_id"),
)


def _choice_clauses(filters: Filters) -> list:
    clauses = []
    if filters.kind:
        clauses.append(Submission.kind == filters.kind)
    if filters.status:
        clauses.append(Submission.status == filters.status)
    return clauses


def _reference_clauses(ids: dict[str, int]) -> list:
    clauses = [column == ids[name] for name, column in _COLUMN_FILTERS if name in ids]
    clauses += [
        _link_filter(table, column, ids[name])
        for name, table, column in _LINK_FILTERS
        if name in ids
    ]
    if "constituency" in ids:
        clauses.append(
            Submission.organisation_id.in_(
                select(Organisation.id)
                .join(OrganisationType, OrganisationType.id == Organisation.org_type_id)
                .where(OrganisationType.constituency_id == ids["constituency"])
            )
        )
    return clauses


def _date_clauses(filters: Filters) -> list:
    clauses = []
    if filters.date_from:
        start = datetime.combine(filters.date_from, time.min, AMSTERDAM)
        clauses.append(Submission.created_at >= start)
    if filters.date_to:
        end = datetime.combine(filters.date_to, time.max, AMSTERDAM)
        clauses.append(Submission.created_at <= end)
    return clauses


def _searched(query: Select, filters: Filters, ordered: bool) -> tuple[Select, Any]:
    """The query joined to the search matches, and the relevance to sort by (or None)."""
    if not search.has_terms(filters.q):
        return query, None
    matches = search.matching_ids(filters.q, rank=False).subquery()
    query = query.join(matches, matches.c.submission_id == Submission.id)
    rank = _title_rank(filters.q) if ordered and filters.sort == "relevance" else None
    return query, rank


def submission_query(user, filters: Filters, *, columns=None, ordered: bool = True) -> Select:
    """The submissions `user` may see that match `filters`.

    `columns` selects something other than whole rows (the list pages select
    ids only); `ordered=False` skips sorting and relevance ranking, for counts.
    """
    query = select(*(columns or [Submission])).where(
        visible_clause(user),
        *_choice_clauses(filters),
        *_reference_clauses(filters.ids),
        *_date_clauses(filters),
    )
    query, rank = _searched(query, filters, ordered)
    if filters.sort == "oldest_open":
        query = query.where(Submission.status.not_in(CLOSED))
    return _sorted(query, filters, rank) if ordered else query


def _title_rank(q: str):
    """Relevance among the matches: a hit in the title weighs most, then the
    summary. Computed on the submission row the query reads anyway, which is
    far cheaper than reading the search index's text back for every match."""
    position = func.instr if db.engine().dialect.name == "sqlite" else func.strpos
    title, summary = func.lower(Submission.title), func.lower(Submission.summary)
    score = literal(0)
    for term in parse_query(q):
        score = score + case((position(title, term.text) > 0, 8), else_=0)
        score = score + case((position(summary, term.text) > 0, 3), else_=0)
    return score


def load_for_list(ids: list[int]) -> list[Submission]:
    """The rows of one page, with what the list shows of them."""
    return list(
        db.session.scalars(with_list_relations(select(Submission).where(Submission.id.in_(ids))))
    )


def _sorted(query: Select, filters: Filters, rank) -> Select:
    if filters.sort == "relevance" and rank is not None:
        return query.order_by(rank.desc(), Submission.id.desc())
    if filters.sort == "cosigned":
        return query.order_by(Submission.cosign_count.desc(), Submission.id.desc())
    if filters.sort == "oldest_open":
        return query.order_by(Submission.created_at, Submission.id)
    return query.order_by(Submission.created_at.desc(), Submission.id.desc())


def with_list_relations(query: Select) -> Select:
    return query.options(joinedload(Submission.organisation), joinedload(Submission.market))
