"""One-time form tokens in core: the claim, two claims at the same moment, the
hidden field, and purging old claims."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select

from tafel import db
from tafel.core import form_tokens
from tafel.core.form_tokens import FormToken
from tafel.core.once import TOKEN, OnceForm
from tafel.db import utcnow
from tests.factories import make_user


def test_a_token_is_claimed_once_and_then_names_what_it_made(app, ctx):
    user = make_user()
    first = form_tokens.claim(db.session, "t" * 32, user.id, "decision")
    assert first.first
    first.record(db.session, user)  # any object with an id
    db.session.commit()
    again = form_tokens.claim(db.session, "t" * 32, user.id, "decision")
    assert not again.first
    assert (again.earlier.user_id, again.earlier.kind, again.earlier.object_id) == (
        user.id,
        "decision",
        user.id,
    )
    db.session.commit()
    assert db.session.scalar(select(func.count(FormToken.id))) == 1


def test_a_rolled_back_claim_leaves_the_token_free(app, ctx):
    user = make_user()
    assert form_tokens.claim(db.session, "r" * 32, user.id, "comment").first
    db.session.rollback()
    assert form_tokens.claim(db.session, "r" * 32, user.id, "comment").first


def test_two_claims_of_one_token_at_the_same_moment(app, database_url):
    """Two workers claim the same token at once (both databases): exactly one
    claims it; the other waits for it and reads the earlier claim back."""
    from tafel import create_app
    from tests.conftest import make_config

    with app.app_context():
        user_id = make_user().id
    workers = [app, create_app(make_config(database_url))]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def work(worker, n):
        try:
            with worker.app_context():
                barrier.wait(timeout=10)
                claim = form_tokens.claim(db.session, "c" * 32, user_id, "meeting")
                if claim.first:
                    claim.row.object_id = 41 + n
                    db.session.flush()
                    threading.Event().wait(0.3)  # the other request comes meanwhile
                    outcomes.append("first")
                else:
                    outcomes.append(f"earlier:{claim.earlier.object_id}")
                db.session.commit()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(w, n)) for n, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    workers[1].extensions["tafel_engine"].dispose()
    assert errors == []
    assert sorted(outcomes)[0] == "earlier:41" or sorted(outcomes)[0] == "earlier:42"
    assert sorted(outcomes)[1] == "first"
    with app.app_context():
        assert db.session.scalar(select(func.count(FormToken.id))) == 1


def test_the_hidden_field_gets_a_token_and_keeps_a_posted_one(app):
    from flask_wtf import FlaskForm

    class Form(OnceForm, FlaskForm):
        pass

    with app.test_request_context("/"):
        shown = Form(meta={"csrf": False})
        assert TOKEN.fullmatch(shown.form_token.data)
        assert Form(meta={"csrf": False}).form_token.data != shown.form_token.data
    kept = "k" * 32
    with app.test_request_context("/", method="POST", data={"form_token": kept}):
        assert Form(meta={"csrf": False}).form_token.data == kept
    # Anything else than a token (too long for the column, odd characters) is replaced.
    with app.test_request_context("/", method="POST", data={"form_token": "x" * 65}):
        assert Form(meta={"csrf": False}).form_token.data != "x" * 65
    with app.test_request_context("/", method="POST", data={"form_token": "<b>" * 8}):
        assert TOKEN.fullmatch(Form(meta={"csrf": False}).form_token.data)


def test_old_claims_are_purged(app, ctx):
    user = make_user()
    for n, age in enumerate((40, 31, 1)):
        db.session.add(FormToken(token=f"{n}" * 32, user_id=user.id, kind="comment",
                                 created_at=utcnow() - timedelta(days=age)))  # fmt: skip
    db.session.commit()
    assert form_tokens.purge(db.session) == 2
    db.session.commit()
    assert db.session.scalars(select(FormToken.token)).all() == ["2" * 32]


def test_purge_command(app):
    with app.app_context():
        user = make_user()
        db.session.add(FormToken(token="p" * 32, user_id=user.id, kind="comment",
                                 created_at=utcnow() - timedelta(days=8)))  # fmt: skip
        db.session.commit()
    runner = app.test_cli_runner()
    assert "Form tokens removed: 0" in runner.invoke(args=["purge-form-tokens"]).output
    result = runner.invoke(args=["purge-form-tokens", "--days", "7"])
    assert result.exit_code == 0 and "Form tokens removed: 1" in result.output
