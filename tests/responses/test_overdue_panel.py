"""The triage inbox's overdue-responses panel: the earliest deadlines first, a
count that stops at a cap ("meer dan …") so the panel costs the same with any
backlog, and a query count that does not grow with it."""

from __future__ import annotations

from tafel.responses import views as response_views
from tests.conftest import login
from tests.factories import make_user
from tests.responses.factories import due_submission, make_response


def _panel(client) -> str:
    html = client.get("/triage/").get_data(as_text=True)
    return html.split('id="overdue-heading"')[1]


def test_panel_lists_earliest_deadline_first_and_skips_published(app, client):
    with app.app_context():
        make_user(email="sec@example.org", roles=("secretariaat",))
        due_submission(days=-2, title="Twee dagen te laat")
        due_submission(days=-9, title="Negen dagen te laat")
        due_submission(days=5, title="Nog op tijd")
        answered = due_submission(days=-20, title="Al beantwoord")
        make_response(answered, status="gepubliceerd")
    login(client, "sec@example.org")
    panel = _panel(client)
    assert panel.index("Negen dagen te laat") < panel.index("Twee dagen te laat")
    assert "Nog op tijd" not in panel and "Al beantwoord" not in panel
    assert "2 aanvaarde meldingen wachten" in panel


def test_count_stops_at_the_cap(app, client, monkeypatch):
    monkeypatch.setattr(response_views, "OVERDUE_COUNT_CAP", 3)
    with app.app_context():
        make_user(email="sec@example.org", roles=("secretariaat",))
        for n in range(3):
            due_submission(days=-1 - n, title=f"Te laat {n}")
    login(client, "sec@example.org")
    assert "3 aanvaarde meldingen wachten" in _panel(client)
    with app.app_context():
        due_submission(days=-10, title="Nog een")
    panel = _panel(client)
    assert "Meer dan 3 aanvaarde meldingen wachten" in panel
    assert "Nog een" in panel  # the earliest deadline still comes first


def test_panel_query_count_is_flat(app, client, count_queries):
    with app.app_context():
        make_user(email="sec@example.org", roles=("secretariaat",))
        due_submission(days=-1)
    login(client, "sec@example.org")
    client.get("/triage/")
    with count_queries() as few:
        client.get("/triage/")
    with app.app_context():
        for n in range(15):
            due_submission(days=-2 - n, slug="IenW" if n % 2 else "EZK")
    with count_queries() as many:
        client.get("/triage/")
    assert len(few) == len(many)
