"""The list: filters, search, sort, CSV and the visibility filter everywhere."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from tafel import db
from tafel.core.exports import csv_cell
from tafel.reference.models import Market
from tests.conftest import login
from tests.factories import make_org, make_submission, make_user


def ids_on(client, url) -> list[int]:
    html = client.get(url).get_data(as_text=True)
    import re

    return [int(x) for x in re.findall(r'href="/submissions/(\d+)"', html)]


@pytest.fixture
def data(app):
    with app.app_context():
        chips = db.session.scalars(select(Market).where(Market.slug == "halfgeleiders")).one()
        org_a, org_b = make_org(name="Alfa B.V."), make_org(name="Bravo B.V.")
        public = make_submission(org=org_a, visibility="openbaar", title="Omgevingsvergunning "
                                 "cleanroom", market_id=chips.id, status="aanvaard")  # fmt: skip
        table = make_submission(org=org_a, visibility="tafel", title="Netcongestie Brainport")
        secret = make_submission(org=org_a, visibility="vertrouwelijk",
                                 title="Vertrouwelijke vergunning")  # fmt: skip
        concept = make_submission(org=org_a, status="concept", title="Concept vergunning")
        make_user(email="b@bravo.example", org=org_b)
        make_user(email="a@alfa.example", org=org_a)
        make_user(email="lid@example.org", roles=("tafellid",))
        return {"public": public.id, "table": table.id, "secret": secret.id,
                "concept": concept.id, "market": chips.id}  # fmt: skip


def test_anonymous_sees_only_public(app, client, data):
    assert set(ids_on(client, "/submissions/")) == {data["public"]}


def test_other_organisation_sees_public_only_everywhere(app, client, data):
    login(client, "b@bravo.example")
    assert set(ids_on(client, "/submissions/")) == {data["public"]}
    assert set(ids_on(client, "/submissions/?q=vergunning")) == {data["public"]}
    exported = client.get("/submissions/export.csv?q=vergunning").get_data(as_text=True)
    assert "Vertrouwelijke" not in exported and "Concept" not in exported
    similar = client.get("/submissions/similar?title=vertrouwelijke vergunning").get_json()
    assert [row["id"] for row in similar] == [data["public"]]
    for key in ("table", "secret", "concept"):
        assert client.get(f"/submissions/{data[key]}").status_code == 404


def test_own_organisation_sees_everything_of_its_own(app, client, data):
    login(client, "a@alfa.example")
    everything = {data[k] for k in ("public", "table", "secret", "concept")}
    assert set(ids_on(client, "/submissions/")) == everything
    assert set(ids_on(client, "/submissions/mine")) == everything


def test_member_sees_public_and_table(app, client, data):
    login(client, "lid@example.org")
    assert set(ids_on(client, "/submissions/")) == {data["public"], data["table"]}
    assert "1 melding gevonden" in client.get("/submissions/?q=netcongestie").get_data(as_text=True)


def test_filters_and_compound_search(app, client, data):
    login(client, "a@alfa.example")
    assert ids_on(client, f"/submissions/?market={data['market']}") == [data["public"]]
    assert ids_on(client, "/submissions/?status=aanvaard") == [data["public"]]
    # "vergunning" finds "Omgevingsvergunning".
    found = ids_on(client, "/submissions/?q=vergunning")
    assert data["public"] in found and data["table"] not in found
    assert ids_on(client, "/submissions/?q=Alfa&kind=signaal") == []


def test_csv_neutralises_formulas(app, client):
    with app.app_context():
        make_submission(visibility="openbaar", title='=HYPERLINK("http://evil")')
    rows = list(csv.reader(io.StringIO(client.get("/submissions/export.csv").get_data(
        as_text=True)), delimiter=";"))  # fmt: skip
    assert rows[1][3] == '\'=HYPERLINK("http://evil")'
    for value in ("=1+1", "+1", "-1", "@SUM(A1)"):
        assert csv_cell(value) == "'" + value
    assert csv_cell("Gewoon") == "Gewoon"


def test_list_query_count_is_flat(app, client, count_queries):
    with app.app_context():
        for _ in range(3):
            make_submission(visibility="openbaar")
    login_user = None  # anonymous
    with count_queries() as few:
        client.get("/submissions/")
    with app.app_context():
        for _ in range(30):
            make_submission(visibility="openbaar")
    with count_queries() as many:
        client.get("/submissions/")
    assert len(few) == len(many), login_user


def test_detail_query_count_does_not_grow_with_support(app, client, count_queries):
    from tafel.submissions.models import Comment, CoSignature

    with app.app_context():
        sub = make_submission(visibility="openbaar", status="aanvaard")
        sub_id = sub.id

    def add(n):
        with app.app_context():
            for _ in range(n):
                user = make_user(org=make_org())
                org_id = user.organisation_id
                db.session.add(CoSignature(submission_id=sub_id, organisation_id=org_id,
                                           user_id=user.id, evidence="x"))  # fmt: skip
                db.session.add(Comment(submission_id=sub_id, author_id=user.id,
                                       organisation_id=user.organisation_id, body="y"))  # fmt: skip
            db.session.commit()

    add(2)
    with count_queries() as few:
        assert client.get(f"/submissions/{sub_id}").status_code == 200
    add(10)
    with count_queries() as many:
        client.get(f"/submissions/{sub_id}")
    assert len(few) == len(many)


EMPTY = "Geen meldingen gevonden. Probeer minder filters of andere zoekwoorden."


def test_page_far_beyond_the_end_is_empty_not_an_error(app, client):
    response = client.get("/submissions/?page=1000")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert EMPTY in html
    assert "0 meldingen gevonden" in html
    assert ids_on(client, "/submissions/?page=1000") == []


def test_page_beyond_the_last_shows_no_rows(app, client):
    with app.app_context():
        make_submission(visibility="openbaar")
    assert len(ids_on(client, "/submissions/")) == 1
    response = client.get("/submissions/?page=1000")
    assert response.status_code == 200
    assert EMPTY in response.get_data(as_text=True)
    assert ids_on(client, "/submissions/?page=1000") == []


def test_search_puts_title_matches_first_and_counts_all(app, client):
    with app.app_context():
        in_title = make_submission(
            visibility="openbaar", title="Stikstofvergunning voor de fabriek"
        )
        make_submission(
            visibility="openbaar", title="Uitbreiding loopt vast", body="Wacht op stikstof."
        )
        make_submission(visibility="openbaar", title="Iets anders")
        first_id = in_title.id
    html = client.get("/submissions/?q=stikstof").get_data(as_text=True)
    assert "2 meldingen gevonden" in html
    assert ids_on(client, "/submissions/?q=stikstof")[0] == first_id
