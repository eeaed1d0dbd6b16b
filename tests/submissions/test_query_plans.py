"""The report list's count and page queries read `submissions` through an
index on both databases, for every filter and sort, anonymous and as the
secretariat: the database's own plan (EXPLAIN) never shows a full scan of the
table. On PostgreSQL sequential scans are switched off for the question, so a
tiny test table cannot hide a missing index (the planner still falls back to
one when no index fits)."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select, text
from werkzeug.datastructures import MultiDict

from tafel import db
from tafel.submissions.models import Submission
from tafel.submissions.queries import Filters, search_hits, submission_query
from tests.factories import make_submission, make_user

FILTERS = [
    "",
    "market=1&status=aanvaard",
    "kind=knelpunt&province=3",
    "status=in_behandeling",
    "ministry=2",
    "government_level=2",
    "action_line=2",
    "technology=3",
    "mission=1",
    "constituency=1",
    "from=2026-01-01&to=2026-06-30",
    "sort=cosigned",
    "sort=oldest_open",
]


def plan(sql: str) -> list[str]:
    if db.engine().dialect.name == "sqlite":
        return [row[-1] for row in db.session.execute(text("EXPLAIN QUERY PLAN " + sql))]
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    return [row[0] for row in db.session.execute(text("EXPLAIN " + sql))]


def full_scans(lines: list[str]) -> list[str]:
    """Plan lines that read every row of `submissions` from the table itself."""
    if db.engine().dialect.name == "sqlite":
        return [
            line for line in lines if line.startswith("SCAN submissions") and "INDEX" not in line
        ]
    return [line for line in lines if "Seq Scan on submissions" in line]


def compiled(stmt) -> str:
    return str(stmt.compile(db.engine(), compile_kwargs={"literal_binds": True}))


@pytest.fixture
def users(ctx):
    secretariat = make_user(roles=("secretariaat",))
    member = make_user(roles=("tafellid",))
    for visibility in ("openbaar", "tafel", "vertrouwelijk"):
        make_submission(visibility=visibility, status="aanvaard")
    return {"anonymous": AnonymousUserMixin(), "secretariat": secretariat, "member": member}


@pytest.mark.parametrize("who", ["anonymous", "secretariat", "member"])
@pytest.mark.parametrize("args", FILTERS)
def test_list_count_and_page_use_an_index(users, who, args):
    filters = Filters.from_args(MultiDict([p.split("=") for p in args.split("&") if p]))
    user = users[who]
    page = submission_query(user, filters, columns=[Submission.id]).limit(25).offset(24975)
    count = select(func.count()).select_from(
        submission_query(user, filters, columns=[Submission.id], ordered=False).subquery()
    )
    for name, stmt in (("page", page), ("count", count)):
        lines = plan(compiled(stmt))
        assert not full_scans(lines), f"{name} of {args or 'the whole list'}: {lines}"


@pytest.mark.parametrize("who", ["anonymous", "secretariat"])
def test_search_count_and_page_read_reports_by_id(users, who):
    filters = Filters.from_args(MultiDict({"q": "vergunning", "market": "1"}))
    hits, key = search_hits(users[who], filters)
    for stmt in (hits.order_by(key.desc()).limit(25), hits.limit(1001)):
        lines = plan(compiled(stmt))
        assert not full_scans(lines), lines


def test_the_overdue_panel_uses_the_deadline_index(users):
    from tafel.responses import queries

    late = queries.queue_query(None).where(Submission.response_deadline < "2026-12-01")
    lines = plan(compiled(late.with_only_columns(Submission.id).limit(10)))
    assert not full_scans(lines), lines


@pytest.mark.parametrize("url", ["/submissions/", "/submissions/?market={market}&status=aanvaard"])
def test_list_query_count_is_flat_for_visitor_and_secretariat(app, client, count_queries, url):
    from sqlalchemy import select

    from tafel.reference.models import Market
    from tests.conftest import login

    with app.app_context():
        market = db.session.scalar(select(Market.id).order_by(Market.id).limit(1))
        make_user(email="sec@example.org", roles=("secretariaat",))
        make_submission(visibility="openbaar", status="aanvaard", market_id=market)
    url = url.format(market=market)
    for signed_in in (False, True):
        if signed_in:
            login(client, "sec@example.org")
        client.get(url)
        with count_queries() as few:
            client.get(url)
        with app.app_context():
            for _ in range(12):
                make_submission(visibility="openbaar", status="aanvaard", market_id=market)
        with count_queries() as many:
            client.get(url)
        assert len(few) == len(many), (signed_in, url)
