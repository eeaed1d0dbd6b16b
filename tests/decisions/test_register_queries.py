"""The register's query count does not grow with the number of decisions."""

from __future__ import annotations

import pytest

from tafel import db
from tafel.decisions import services
from tests.conftest import login
from tests.decisions.factories import held_decision_item
from tests.factories import make_user


def decisions(app, n: int) -> str:
    with app.test_request_context():
        secretariat, _meeting, item, _subs = held_decision_item(subs=2)
        for _ in range(n):
            services.record_decision(
                item, secretariat, text="Besluit.", outcome="overnemen",
                submission_ids=[link.submission_id for link in item.links],
            )  # fmt: skip
        db.session.commit()
        return make_user(roles=("tafellid",)).email


@pytest.mark.parametrize("member", [False, True])
def test_register_queries_are_flat(app, count_queries, member):
    from tests.conftest import empty_tables

    sizes = {}
    for n in (3, 12):
        client = app.test_client()
        email = decisions(app, n)
        if member:
            login(client, email)
        client.get("/decisions/")
        with count_queries() as statements:
            page = client.get("/decisions/").get_data(as_text=True)
        assert page.count("B-") >= n
        sizes[n] = len(statements)
        empty_tables(app.extensions["tafel_engine"])
    assert sizes[3] == sizes[12], sizes
