"""Searching reports: keeping the index current and finding similar reports
(the text engine is tafel.core.search)."""

from __future__ import annotations

from sqlalchemy import func, select, union_all

from tafel import db
from tafel.core import search, signals
from tafel.submissions.models import Submission
from tafel.submissions.policies import visible_clause


@signals.organisation_renamed.connect
def reindex_renamed(organisation) -> None:
    """A renamed organisation's reports are found by its new name."""
    search.reindex_organisation(db.session, organisation.id)


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
