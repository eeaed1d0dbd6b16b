"""Keeping the search index of reports current and the search filter on
report lists (tafel.submissions.search), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select

from tafel import db
from tafel.core import search
from tafel.submissions import search as reports
from tafel.submissions.models import Submission
from tests.core.test_search import add, found
from tests.factories import make_org, make_user


@pytest.fixture
def author(ctx):
    return make_user(org=make_org(name="Dommeldal Vacuümtechniek B.V."))


def test_apply_search_filters_and_orders_by_relevance(author):
    body = add(author, body="netcongestie", visibility="openbaar")
    title = add(author, title="Netcongestie", visibility="openbaar")
    add(author, title="Netcongestie", visibility="vertrouwelijk")
    add(author, title="Iets anders")
    stmt = select(Submission).where(Submission.visibility == "openbaar").order_by(Submission.id)
    result = db.session.scalars(reports.apply_search(stmt, "netcongestie")).all()
    assert [s.id for s in result] == [title.id, body.id]
    assert reports.apply_search(stmt, "") is stmt
    assert reports.apply_search(stmt, "  ?! ") is stmt


def test_without_terms_every_submission_matches(author):
    subs = [add(author, title=f"Signaal {n}") for n in range(2)]
    unindexed = Submission(
        kind="signaal", title="Nog niet in de index", summary="x", status="ingediend",
        visibility="openbaar", organisation=author.organisation, author=author,
    )  # fmt: skip
    db.session.add(unindexed)
    db.session.commit()
    for query in ("", None, "?!"):
        hits = reports.matching_ids(query).subquery()
        rows = db.session.execute(select(hits.c.submission_id, hits.c.rank)).all()
        assert sorted(rows) == [(s.id, 0) for s in [*subs, unindexed]]
    assert sorted(
        db.session.scalars(select(reports.matching_ids("signaal").subquery().c.submission_id))
    ) == [s.id for s in subs]


# Keeping the index current ---------------------------------------------------------


def test_reindexing_after_an_edit(author):
    sub = add(author, title="Netcongestie in Twente")
    sub.title = "Stikstofdepositie in Twente"
    reports.index_submission(db.session, sub)
    db.session.commit()
    assert found("netcongestie") == []
    assert found("stikstof") == [sub.id]
    assert found("twente") == [sub.id]  # one row, not two


def test_removal_and_deletion(author):
    removed = add(author, title="Netcongestie A")
    deleted = add(author, title="Netcongestie B")
    kept = add(author, title="Netcongestie C")
    reports.remove_submission(db.session, removed.id)
    db.session.execute(delete(Submission).where(Submission.id == deleted.id))
    db.session.commit()
    assert found("netcongestie") == [kept.id]
    table = search._table(db.session.get_bind().dialect.name)
    count = db.session.scalar(select(func.count()).select_from(table))
    assert count == 1  # the deleted submission's row went with it


def test_renamed_organisation_is_reindexed(author):
    org = make_org(name="Oude Naam B.V.")
    sub = add(author, organisation=org)
    org.name = "Fotonica Twente B.V."
    reports.reindex_organisation(db.session, org.id)
    db.session.commit()
    assert found("fotonica") == [sub.id]
    assert found("oude naam") == []


def test_rebuild_index(author):
    a = add(author, title="Netcongestie")
    b = add(author, body="Omgevingsvergunning")
    table = search._table(db.session.get_bind().dialect.name)
    db.session.execute(delete(table))
    db.session.commit()
    assert found("netcongestie") == []
    assert reports.rebuild_index(db.session) == 2
    db.session.commit()
    assert found("netcongestie") == [a.id]
    assert found("vergunning") == [b.id]
