"""The API's lists run a fixed number of statements, whatever the number of rows."""

from __future__ import annotations

from tafel import db
from tafel.accounts.models import Organisation, User
from tafel.reference.models import ActionLine, Market
from tafel.submissions.models import Submission
from tests.api.helpers import bearer, token_for
from tests.factories import make_user
from tests.responses.factories import (
    due_submission,
    make_action,
    make_decision,
    make_response,
    ministry,
)


def add_reports(author: User, n: int) -> None:
    market = db.session.query(Market).first()
    lines = db.session.query(ActionLine).limit(2).all()
    for i in range(n):
        sub = Submission(kind="knelpunt", status="ingediend", visibility="openbaar",
                         title=f"Rapport {i}", summary="Kort.", author=author,
                         organisation_id=author.organisation_id, market=market)  # fmt: skip
        sub.action_lines = list(lines)
        db.session.add(sub)
    db.session.commit()


def statements(client, count_queries, url: str, headers: dict) -> int:
    client.get(url, headers=headers)  # warm caches (the token row, reference rows)
    with count_queries() as seen:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return len(seen)


def test_submission_list_is_flat_from_10_to_1000_rows(client, app_ctx, count_queries):
    member = make_user(roles=("tafellid",))
    headers = bearer(token_for(member))
    add_reports(member, 10)
    small = statements(client, count_queries, "/api/v1/submissions?limit=200", headers)
    db.session.commit()
    add_reports(db.session.get(User, member.id), 990)
    large = statements(client, count_queries, "/api/v1/submissions?limit=200", headers)
    assert large == small
    assert db.session.query(Organisation).count() >= 1


def add_register(n: int) -> None:
    secretariat = make_user(roles=("secretariaat",))
    for _ in range(n):
        sub = due_submission(visibility="openbaar")
        decision = make_decision([sub], secretariat)
        response = make_response(sub, status="gepubliceerd")
        make_action(decision=decision, owner=ministry(), creator=secretariat)
        make_action(response=response, owner=ministry(), creator=secretariat)


def test_decision_response_and_action_lists_are_flat(client, app_ctx, count_queries):
    add_register(2)
    urls = ["/api/v1/decisions", "/api/v1/responses", "/api/v1/actions"]
    small = [statements(client, count_queries, url, {}) for url in urls]
    db.session.commit()
    add_register(10)
    large = [statements(client, count_queries, url, {}) for url in urls]
    assert large == small
