"""The meeting page runs a fixed number of SQL statements, however long the agenda."""

from __future__ import annotations

import pytest

from tafel import db
from tafel.meetings import agenda, lifecycle
from tests.conftest import login
from tests.factories import make_user
from tests.meetings.factories import accepted, make_meeting


def meeting_with(app, items: int, per_item: int = 3) -> tuple[int, list[str]]:
    """A published meeting with `items` items, each with `per_item` linked
    public submissions of different organisations; returns its id and titles."""
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        meeting = make_meeting(secretariat, items=items, hours=6)
        titles = []
        for item in meeting.items:
            for _ in range(per_item):
                sub = accepted(visibility="openbaar")
                agenda.link_submission(item, sub, secretariat)
                titles.append(sub.title)
        lifecycle.publish(meeting, secretariat, accept_overlap=True)
        db.session.commit()
        return meeting.id, titles


def page_statements(client, count_queries, meeting_id: int, titles: list[str]) -> int:
    client.get(f"/meetings/{meeting_id}")  # warm up: session, translations
    with count_queries() as statements:
        response = client.get(f"/meetings/{meeting_id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for title in titles:
        assert title in page
    return len(statements)


@pytest.mark.parametrize("role", [None, "tafellid", "secretariaat"])
def test_meeting_page_queries_do_not_grow_with_the_agenda(app, client, count_queries, role):
    small = meeting_with(app, items=3)
    large = meeting_with(app, items=12)
    if role:
        with app.app_context():
            make_user(email="lid@example.com", roles=(role,))
        login(client, "lid@example.com")
    few = page_statements(client, count_queries, *small)
    many = page_statements(client, count_queries, *large)
    assert few == many, f"{few} statements for 3 items, {many} for 12"
