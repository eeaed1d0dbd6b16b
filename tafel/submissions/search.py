"""Searching reports: what goes into a report's index row and when, the search
filter on report lists, and finding similar reports.

The text engine (folding, stemming, the index tables and their matching) is
``tafel.core.search``; this module feeds it reports:

- ``index_submission(session, submission)`` after creating or editing one,
  ``remove_submission(session, submission_id)`` to take one out;
- ``reindex_organisation(session, organisation_id)`` after a rename (run by the
  ``organisation_renamed`` signal), ``rebuild_index(session)`` for everything;
- ``matching_ids(query)`` and ``apply_search(stmt, query)`` restrict report
  queries to the matches.

None of these commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, case, func, literal, select, union_all
from sqlalchemy.orm import Session

from tafel import db
from tafel.accounts.models import Organisation
from tafel.core import search, signals
from tafel.submissions.models import Submission
from tafel.submissions.policies import visible_clause

has_terms = search.has_terms


def matching_ids(query: str | None, *, rank: bool = True) -> Select:
    """``tafel.core.search.matching_ids`` over reports: a query without terms
    matches every submission (rank 0)."""
    if not has_terms(query):
        return select(Submission.id.label("submission_id"), literal(0).label("rank"))
    return search.matching_ids(query, rank=rank)


def apply_search(stmt: Select, query: str | None, *, order: bool = True) -> Select:
    """Restrict a ``select(Submission …)`` to submissions matching ``query``.

    Without terms the statement comes back unchanged. With ``order`` the
    statement's ORDER BY is replaced by relevance, then newest id first.
    """
    if not has_terms(query):
        return stmt
    hits = search.matching_ids(query).subquery("search_hits")
    stmt = stmt.join(hits, hits.c.submission_id == Submission.id)
    if order:
        stmt = stmt.order_by(None).order_by(hits.c.rank.desc(), Submission.id.desc())
    return stmt


# Keeping the index current ----------------------------------------------------------


def _fields(submission: Submission) -> dict[str, Any]:
    organisation = submission.organisation
    return {
        "id": submission.id,
        "title": submission.title,
        "summary": submission.summary,
        "body": submission.body,
        "regulation_name": submission.regulation_name,
        "regulation_identifier": submission.regulation_identifier,
        # An organisation that asked to stay anonymous is not findable by name.
        "organisation_name": organisation.name
        if organisation is not None and submission.show_organisation
        else None,
    }


def index_submission(session: Session, submission: Submission) -> None:
    """(Re)index one submission after it was created or edited. Does not commit."""
    if submission.id is None:
        session.flush()
    search.index_row(session, _fields(submission))


def remove_submission(session: Session, submission_id: int) -> None:
    search.remove_rows(session, [submission_id])


def _source_rows(*where) -> Select:
    return (
        select(
            Submission.id,
            Submission.title,
            Submission.summary,
            Submission.body,
            Submission.regulation_name,
            Submission.regulation_identifier,
            case((Submission.show_organisation, Organisation.name), else_=None).label(
                "organisation_name"
            ),
        )
        .outerjoin(Organisation, Organisation.id == Submission.organisation_id)
        .where(*where)
        .order_by(Submission.id)
    )


def _reindex(session: Session, *where, batch: int = 2000) -> int:
    total, last_id = 0, 0
    while True:
        stmt = _source_rows(Submission.id > last_id, *where).limit(batch)
        rows = [dict(row) for row in session.execute(stmt).mappings()]
        if not rows:
            return total
        total += search.replace_rows(session, rows)
        last_id = rows[-1]["id"]


def reindex_organisation(session: Session, organisation_id: int) -> int:
    """Re-index the submissions of an organisation (after it was renamed)."""
    return _reindex(session, Submission.organisation_id == organisation_id)


def rebuild_index(session: Session) -> int:
    """Empty the index and index every submission again; returns the count."""
    search.clear_index(session)
    return _reindex(session)


@signals.organisation_renamed.connect
def reindex_renamed(organisation) -> None:
    """A renamed organisation's reports are found by its new name."""
    reindex_organisation(db.session, organisation.id)


# Similar reports --------------------------------------------------------------------


def similar_submissions(user, text: str, exclude: int | None = None, limit: int = 5) -> list:
    """Open submissions the user may see that share the most words with `text`."""
    # Whole words of the title; matching_ids() does the stemming.
    words = sorted(
        {w for w in search.fold(text).split() if len(w) >= 5 and w not in search.STOPWORDS},
        key=len,
        reverse=True,
    )[:5]
    if not words:
        return []
    # With three or more meaningful words, one shared word is not similarity.
    needed = 2 if len(words) >= 3 else 1
    per_word = [search.matching_ids(word, rank=False).subquery() for word in words]
    hits = union_all(*(select(part.c.submission_id) for part in per_word)).subquery()
    shared = func.count().label("shared")
    best = (
        select(hits.c.submission_id, shared)
        .group_by(hits.c.submission_id)
        .having(func.count() >= needed)
        .subquery()
    )
    query = (
        select(Submission)
        .join(best, best.c.submission_id == Submission.id)
        .where(
            visible_clause(user),
            Submission.status.not_in(("concept", "samengevoegd", "niet_ontvankelijk")),
        )
        .order_by(best.c.shared.desc(), Submission.cosign_count.desc(), Submission.id.desc())
        .limit(limit)
    )
    if exclude:
        query = query.where(Submission.id != exclude)
    return list(db.session.scalars(query))
