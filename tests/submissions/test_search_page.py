"""Search on the report list: counted in SQL up to a cap ("meer dan …"), one
page fetched with LIMIT/OFFSET, never every matching id; relevance while the
hits are countable, newest first beyond; the visibility filter throughout."""

from __future__ import annotations

import pytest

from tafel.submissions import queries
from tests.conftest import login
from tests.factories import make_submission, make_user
from tests.submissions.test_list import ids_on


@pytest.fixture
def cap(monkeypatch):
    monkeypatch.setattr(queries, "SEARCH_COUNT_CAP", 3)
    return 3


def test_beyond_the_cap_the_count_says_more_and_newest_come_first(app, client, cap):
    with app.app_context():
        made = [
            make_submission(visibility="openbaar", title=f"Netcongestie {n}").id
            for n in range(cap + 2)
        ]
        make_submission(visibility="vertrouwelijk", title="Netcongestie geheim")
    html = client.get("/submissions/?q=netcongestie").get_data(as_text=True)
    assert f"Meer dan {cap} meldingen gevonden" in html
    assert "nieuwste eerst" in html
    assert ids_on(client, "/submissions/?q=netcongestie") == sorted(made, reverse=True)[: cap + 2]


def test_within_the_cap_the_count_is_exact_and_title_matches_rank_first(app, client, cap):
    with app.app_context():
        body = make_submission(visibility="openbaar", title="Iets", body="over stikstof").id
        title = make_submission(visibility="openbaar", title="Stikstof in de titel").id
        make_submission(visibility="tafel", title="Stikstof voor de tafel")
    html = client.get("/submissions/?q=stikstof").get_data(as_text=True)
    assert "2 meldingen gevonden" in html and "Meer dan" not in html
    assert ids_on(client, "/submissions/?q=stikstof") == [title, body]


def test_hidden_reports_never_count_or_show(app, client, cap):
    with app.app_context():
        make_user(email="lid@example.org", roles=("tafellid",))
        for n in range(cap + 1):
            make_submission(visibility="vertrouwelijk", title=f"Waterstof {n}")
        shared = make_submission(visibility="tafel", title="Waterstof gedeeld").id
    assert "0 meldingen gevonden" in client.get("/submissions/?q=waterstof").get_data(as_text=True)
    login(client, "lid@example.org")
    html = client.get("/submissions/?q=waterstof").get_data(as_text=True)
    assert "1 melding gevonden" in html
    assert ids_on(client, "/submissions/?q=waterstof") == [shared]


def test_every_search_statement_is_bounded(app, client, count_queries):
    """Neither the count nor the page reads every hit: both carry a LIMIT."""
    with app.app_context():
        for n in range(4):
            make_submission(visibility="openbaar", title=f"Vergunning {n}")
    with count_queries() as statements:
        client.get("/submissions/?q=vergunning&market=1")
    searching = [s for s in statements if "submission_search" in s]
    assert len(searching) == 2
    assert all("LIMIT" in s for s in searching)


def test_search_query_count_is_flat(app, client, count_queries):
    with app.app_context():
        make_submission(visibility="openbaar", title="Vergunning een")
    client.get("/submissions/?q=vergunning")
    with count_queries() as few:
        client.get("/submissions/?q=vergunning")
    with app.app_context():
        for n in range(30):
            make_submission(visibility="openbaar", title=f"Vergunning {n}")
    with count_queries() as many:
        client.get("/submissions/?q=vergunning&page=2")
    assert len(few) == len(many)
