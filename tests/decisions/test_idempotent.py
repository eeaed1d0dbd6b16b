"""The decision and amendment forms posted twice (double click, proxy retry,
second tab, or two workers at once) make one decision with one register number."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, func, select

from tafel import db
from tafel.core import form_tokens
from tafel.decisions.models import Decision, DecisionAmendment
from tests.conftest import login, post
from tests.core.once import assert_second_shows_first, claims, post_twice, token_of
from tests.decisions.factories import held_decision_item


def _decision_form(client, app):
    with app.app_context():
        secretariat, _meeting, item, (sub,) = held_decision_item()
        item_id, sub_id, email = item.id, sub.id, secretariat.email
    login(client, email)
    url = f"/decisions/new?item={item_id}"
    data = {"text": "De tafel verzoekt EZK een verkenning te doen.", "outcome": "overnemen",
            "submissions": str(sub_id), "form_token": token_of(client, url)}  # fmt: skip
    return url, data, email


def test_the_same_decision_form_twice_makes_one_decision_with_one_number(app, client):
    url, data, _email = _decision_form(client, app)
    first, second = post_twice(client, url, data)
    assert_second_shows_first(client, first, second)
    with app.app_context():
        decision = db.session.scalars(select(Decision)).one()
        assert decision.sequence == 1
        assert first.headers["Location"].endswith(f"/decisions/{decision.id}")
        assert claims() == 1
    # A new form (a new token) is a new decision, with the next number.
    data["form_token"] = token_of(client, url)
    assert post(client, url, data).status_code == 302
    with app.app_context():
        assert sorted(db.session.scalars(select(Decision.sequence))) == [1, 2]


def test_a_refused_or_invalid_post_consumes_no_token(app, client):
    url, data, _email = _decision_form(client, app)
    invalid = post(client, url, {**data, "text": ""})
    assert invalid.status_code == 422
    assert f'value="{data["form_token"]}"' in invalid.get_data(as_text=True)  # kept
    refused = post(client, url, {**data, "outcome": "niet"})  # the service wants a reason
    assert refused.status_code == 422
    assert f'value="{data["form_token"]}"' in refused.get_data(as_text=True)
    with app.app_context():
        assert claims() == 0
        assert db.session.scalar(select(func.count(Decision.id))) == 0
    # The corrected form, with the same token, is saved once.
    assert post(client, url, data).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Decision.id))) == 1


def test_a_refused_user_consumes_no_token(app, client):
    url, data, _email = _decision_form(client, app)
    from tests.factories import make_user

    with app.app_context():
        make_user(email="lid@example.com", roles=("tafellid",))
    other = app.test_client()
    login(other, "lid@example.com")
    assert post(other, url, data).status_code == 403
    with app.app_context():
        assert claims() == 0
    assert post(client, url, data).status_code == 302


def test_another_users_token_is_not_followed(app, client):
    """A token seen before but claimed by someone else shows that user nothing."""
    url, data, _email = _decision_form(client, app)
    assert post(client, url, data).status_code == 302
    from tests.factories import make_user

    with app.app_context():
        make_user(email="sec2@example.com", roles=("secretariaat",))
    other = app.test_client()
    login(other, "sec2@example.com")
    refused = post(other, url, data)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Dit formulier is verlopen" in page
    assert data["form_token"] not in page  # a new token comes with the form
    with app.app_context():
        assert db.session.scalar(select(func.count(Decision.id))) == 1


def test_the_same_amendment_twice_is_added_once(app, client):
    url, data, _email = _decision_form(client, app)
    decision_page = post(client, url, data).headers["Location"]
    token = token_of(client, decision_page)
    amend = decision_page + "/amend"
    first, second = post_twice(client, amend, {"text": "Ook BZK doet mee.", "form_token": token})
    assert_second_shows_first(client, first, second)
    with app.app_context():
        assert db.session.scalar(select(func.count(DecisionAmendment.id))) == 1


def _writers_begin_immediately(app, client, url) -> bool:
    """Whether a POST opens its SQLite transaction with BEGIN IMMEDIATE (issue
    11 item 1): only then does a second writer wait instead of failing."""
    seen: list[str] = []
    engine = app.extensions["tafel_engine"]

    def before(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        post(client, url, {"text": ""})  # refused by the form: writes nothing
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return any(s.strip().upper().startswith("BEGIN IMMEDIATE") for s in seen)


def test_two_posts_of_one_form_at_the_same_moment_make_one_decision(app, database_url):
    """Two workers get the same form at once: one makes the decision, the other
    waits for it and answers with that decision (both databases).

    On PostgreSQL both requests meet just before the claim, past their reads:
    the second insert waits for the first transaction's uncommitted token and
    then fails on it. On SQLite a writer holds the lock from its BEGIN
    IMMEDIATE, so the requests meet at their start and the second waits there."""
    from tafel import create_app
    from tests.conftest import make_config

    first_client = app.test_client()
    url, data, email = _decision_form(first_client, app)
    postgres = database_url.startswith("postgresql")
    if not postgres and not _writers_begin_immediately(app, first_client, url):
        pytest.skip("SQLite writers wait for each other only with BEGIN IMMEDIATE (item 1)")
    other_app = create_app(make_config(database_url))
    second_client = other_app.test_client()
    login(second_client, email)
    barrier = threading.Barrier(2)
    real_claim = form_tokens.claim

    def claim_together(*args, **kwargs):
        barrier.wait(timeout=10)
        return real_claim(*args, **kwargs)

    answers: dict[int, object] = {}
    errors: list[BaseException] = []

    def work(n, client):
        try:
            if not postgres:
                barrier.wait(timeout=10)
            answers[n] = post(client, url, data)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    if postgres:
        form_tokens.claim = claim_together
    try:
        threads = [threading.Thread(target=work, args=(n, c))
                   for n, c in enumerate((first_client, second_client))]  # fmt: skip
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        form_tokens.claim = real_claim
        other_app.extensions["tafel_engine"].dispose()
    assert errors == []
    assert [answers[n].status_code for n in (0, 1)] == [302, 302]
    assert answers[0].headers["Location"] == answers[1].headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Decision.id))) == 1
        assert claims() == 1
