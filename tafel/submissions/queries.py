"""Building the submission list: filters, search and sort, always through the
visibility filter."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from flask import current_app
from sqlalchemy import Select, case, func, literal, select
from sqlalchemy.orm import joinedload

from tafel import db
from tafel.accounts.models import Organisation
from tafel.core import search as core_search
from tafel.core.pagination import Page, page_number
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
    # EXISTS, not IN: the list then walks its date-ordered index and probes
    # the link's primary key, instead of fetching every linked report's row
    # and sorting them (100 ms → under 1 ms for a page at 100 000 reports).
    return (
        select(table.c.submission_id)
        .where(table.c.submission_id == Submission.id, getattr(table.c, column) == value)
        .exists()
    )


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


def _constituency_clause(constituency_id: int, ordered: bool):
    """Reports of organisations in a constituency. A page walks the date index
    and probes each report's organisation (EXISTS); a count reads the
    organisations first and then each one's reports from its index (IN)."""
    organisations = (
        select(Organisation.id)
        .join(OrganisationType, OrganisationType.id == Organisation.org_type_id)
        .where(OrganisationType.constituency_id == constituency_id)
    )
    if not ordered:
        return Submission.organisation_id.in_(organisations)
    return organisations.where(Organisation.id == Submission.organisation_id).exists()


def _reference_clauses(ids: dict[str, int], ordered: bool = True) -> list:
    clauses = [column == ids[name] for name, column in _COLUMN_FILTERS if name in ids]
    clauses += [
        _link_filter(table, column, ids[name])
        for name, table, column in _LINK_FILTERS
        if name in ids
    ]
    if "constituency" in ids:
        clauses.append(_constituency_clause(ids["constituency"], ordered))
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
        *_reference_clauses(filters.ids, ordered),
        *_date_clauses(filters),
    )
    query, rank = _searched(query, filters, ordered)
    if filters.sort == "oldest_open":
        query = query.where(Submission.status.not_in(CLOSED))
    return _sorted(query, filters, rank) if ordered else query


# A search counts its hits up to this many, then says "more than"; beyond it
# the hits come newest first (by number) instead of by relevance: ranking
# needs every hit, and a common word's hits are most of the reports.
SEARCH_COUNT_CAP = 1000


def search_hits(user, filters: Filters):
    """The ids of the reports `user` may see that match `filters` (with a
    search), driven by the text index: with a LIMIT this stops after enough
    hits. Returns (query, index key) or None when the search has no terms."""
    source = core_search.match_source(filters.q)
    if source is None:
        return None
    table, key, match = source
    query = (
        select(Submission.id)
        .select_from(table)
        .join(Submission, Submission.id == key)
        .where(
            match,
            visible_clause(user),
            *_choice_clauses(filters),
            *_reference_clauses(filters.ids),
            *_date_clauses(filters),
        )
    )
    if filters.sort == "oldest_open":
        query = query.where(Submission.status.not_in(CLOSED))
    return query, table.c.submission_id


def search_page(user, filters: Filters) -> Page:
    """One page of search results: a capped count and one LIMIT/OFFSET page,
    never every matching id."""
    found = search_hits(user, filters)
    assert found is not None
    hits, key = found
    counted = hits.limit(SEARCH_COUNT_CAP + 1).subquery()
    total = db.session.scalar(select(func.count()).select_from(counted)) or 0
    more = total > SEARCH_COUNT_CAP
    if filters.sort == "relevance" and not more:
        ordered = hits.order_by(_title_rank(filters.q).desc(), Submission.id.desc())
    elif filters.sort == "cosigned":
        ordered = hits.order_by(Submission.cosign_count.desc(), Submission.id.desc())
    elif filters.sort == "oldest_open":
        ordered = hits.order_by(Submission.created_at, Submission.id)
    else:  # newest, or relevance beyond the cap: highest number first, as the index streams
        ordered = hits.order_by(key.desc())
    per_page = current_app.config["PAGE_SIZE"]
    page = page_number()
    ids = list(db.session.scalars(ordered.limit(per_page).offset((page - 1) * per_page)))
    rows = {row.id: row for row in load_for_list(ids)} if ids else {}
    items = [rows[i] for i in ids if i in rows]
    shown = min(total, SEARCH_COUNT_CAP)
    return Page(items=items, page=page, per_page=per_page, total=shown, more=more, ranked=not more)


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
