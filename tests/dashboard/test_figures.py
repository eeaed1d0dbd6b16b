"""Every dashboard figure equals the count of the list it links to, for every
role, over random data (hypothesis); and the page shows charts a screen
reader and a colour-blind reader can use."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from flask import url_for
from flask_login import AnonymousUserMixin
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from tafel import db
from tafel.actions.queries import ActionFilters, list_query
from tafel.dashboard.figures import DashboardFilters, figures
from tafel.decisions.queries import RegisterFilters, register_query
from tafel.reference.models import ActionLine, Market, Province
from tafel.submissions.models import Submission
from tafel.submissions.queries import Filters, submission_query
from tests.conftest import empty_tables
from tests.factories import make_org, make_submission, make_user
from tests.responses.factories import make_action, make_decision, ministry, ministry_user

ROLES = ("anonymous", "indiener", "tafellid", "departement", "secretariaat", "voorzitter",
         "beheerder")  # fmt: skip


def list_count(user, endpoint: str, args: dict) -> int:
    """The count the linked list shows `user`, read the way that list reads its URL."""
    multi = MultiDict({name: str(value) for name, value in args.items()})
    if endpoint == "submissions.index":
        query = submission_query(user, Filters.from_args(multi), columns=[Submission.id],
                                 ordered=False)  # fmt: skip
    elif endpoint == "decisions.index":
        query = register_query(user, RegisterFilters.from_args(multi))
    else:
        query = list_query(user, ActionFilters.from_args(multi))
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def users() -> dict:
    submitter_org = make_org()
    return {
        "anonymous": AnonymousUserMixin(),
        "indiener": make_user(org=submitter_org),
        "tafellid": make_user(roles=("tafellid",)),
        "departement": ministry_user("EZK"),
        "secretariaat": make_user(roles=("secretariaat",)),
        "voorzitter": make_user(roles=("voorzitter",)),
        "beheerder": make_user(roles=("beheerder",)),
    }


report = st.fixed_dictionaries({
    "visibility": st.sampled_from(["openbaar", "tafel", "vertrouwelijk"]),
    "status": st.sampled_from(["concept", "ingediend", "aanvaard", "besloten", "afgehandeld"]),
    "market": st.integers(0, 6),
    "province": st.integers(0, 11),
    "lines": st.sets(st.integers(0, 8), max_size=2),
    "own": st.booleans(),
    "decided": st.booleans(),
    "action": st.sampled_from([None, "gepland", "gerealiseerd"]),
    "ezk": st.booleans(),
})  # fmt: skip


def build(reports: list[dict], people: dict) -> None:
    markets = db.session.scalars(select(Market).order_by(Market.id)).all()
    provinces = db.session.scalars(select(Province).order_by(Province.id)).all()
    lines = db.session.scalars(select(ActionLine).order_by(ActionLine.id)).all()
    secretariat = people["secretariaat"]
    for spec in reports:
        org = people["indiener"].organisation if spec["own"] else None
        responsible = ministry("EZK" if spec["ezk"] else "IenW")
        sub = make_submission(org=org, visibility=spec["visibility"], status=spec["status"],
                              market_id=markets[spec["market"]].id,
                              province_id=provinces[spec["province"]].id,
                              ministry_id=responsible.id)  # fmt: skip
        sub.action_lines = [lines[i] for i in spec["lines"]]
        db.session.commit()
        if spec["decided"] and spec["status"] != "concept":
            decision = make_decision([sub], secretariat)
            if spec["action"]:
                make_action(decision=decision, owner=ministry(), status=spec["action"],
                            days=-3, creator=secretariat)  # fmt: skip


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(reports=st.lists(report, max_size=5), market=st.one_of(st.none(), st.integers(0, 6)))
def test_every_figure_equals_the_list_it_links_to_for_every_role(app, reports, market):
    empty_tables(app.extensions["tafel_engine"])
    with app.test_request_context():
        people = users()
        build(reports, people)
        market_id = None
        if market is not None:
            market_id = db.session.scalars(select(Market.id).order_by(Market.id)).all()[market]
        filters = DashboardFilters(market=market_id)
        for role in ROLES:
            for figure in figures(people[role], filters):
                for bar in figure.bars:
                    expected = list_count(people[role], bar.endpoint, bar.args)
                    assert bar.value == expected, (role, figure.key, bar.label, reports, market)
        db.session.rollback()


@pytest.fixture
def public_and_hidden(app):
    with app.app_context():
        make_submission(visibility="openbaar", status="aanvaard")
        make_submission(visibility="vertrouwelijk", status="aanvaard")
        make_submission(visibility="tafel", status="aanvaard")


def test_the_page_has_a_chart_a_table_and_a_summary_per_figure(client, public_and_hidden):
    html = client.get("/dashboard/").get_data(as_text=True)
    assert html.count("<svg") == html.count('<table class="table">') >= 5
    assert html.count("<desc") == html.count("<svg")
    assert "het hoogste aantal is 1, bij ‘Aanvaard’, van 1 in totaal" in html


def test_bars_link_to_their_filtered_list(app, client, public_and_hidden):
    html = client.get("/dashboard/?market=1").get_data(as_text=True)
    with app.test_request_context():
        link = url_for("submissions.index", market=1, status="aanvaard")
    assert f'href="{link}"'.replace("&", "&amp;") in html
    query = parse_qs(urlsplit(link).query)
    assert query == {"market": ["1"], "status": ["aanvaard"]}


def test_the_dashboard_query_count_does_not_grow(app, client, count_queries):
    def statements() -> int:
        client.get("/dashboard/")
        with count_queries() as seen:
            assert client.get("/dashboard/").status_code == 200
        return len(seen)

    with app.app_context():
        make_submission(visibility="openbaar")
    small = statements()
    with app.app_context():
        for _ in range(15):
            make_submission(visibility="openbaar", status="aanvaard")
    assert statements() == small


def test_the_api_gives_the_same_figures(client, public_and_hidden):
    figures_ = client.get("/api/v1/dashboard").get_json()["figures"]
    statuses = next(f for f in figures_ if f["key"] == "statuses")
    accepted = next(b for b in statuses["bars"] if b["list_url"].endswith("status=aanvaard"))
    assert accepted["value"] == 1  # the confidential and table-only reports are not counted
