"""Keeping the reports' search index current (the text engine is tafel.core.search)."""

from __future__ import annotations

from tafel import db
from tafel.core import search, signals


@signals.organisation_renamed.connect
def reindex_renamed(organisation) -> None:
    """A renamed organisation's reports are found by its new name."""
    search.reindex_organisation(db.session, organisation.id)
