"""`demo --reset` names the database it would empty, asks first, and refuses
outright when the database holds more than the demo or under production."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tafel import db
from tafel.accounts.models import Organisation, User
from tafel.submissions.models import Submission
from tests.factories import make_org, make_submission, make_user


def users(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


@pytest.fixture
def demo(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    return users(app)


def reset(app, *extra, **kwargs):
    return app.test_cli_runner().invoke(args=["demo", "--reset", *extra], **kwargs)


def test_without_a_terminal_it_refuses_unless_yes(app, demo):
    result = reset(app)
    assert result.exit_code != 0
    assert "without a terminal" in result.output and "--yes" in result.output
    assert app.config["DATABASE_URL"].split("/")[-1] in result.output  # names the database
    assert users(app) == demo
    assert reset(app, "--yes").exit_code == 0


def test_at_a_terminal_it_asks_and_no_keeps_everything(app, demo, monkeypatch):
    monkeypatch.setattr("tafel.cli._interactive", lambda: True)
    with app.app_context():
        demo_org = db.session.scalars(select(Organisation)).first()
        make_user(email="tester@example.org", org=demo_org)
    answer_no = reset(app, input="n\n")
    assert answer_no.exit_code != 0 and "empties every table of" in answer_no.output
    assert users(app) == demo + 1
    answer_yes = reset(app, input="y\n")
    assert answer_yes.exit_code == 0, answer_yes.output
    assert users(app) == demo  # the extra account is gone, the demo is back


def test_it_refuses_an_organisation_the_demo_did_not_create(app, demo):
    with app.app_context():
        make_org(name="Gemeente Echtstad")
    result = reset(app, "--yes")
    assert result.exit_code != 0
    assert "Gemeente Echtstad" in result.output and "did not create" in result.output
    with app.app_context():
        kept = select(Organisation).where(Organisation.name == "Gemeente Echtstad")
        assert db.session.scalar(kept) is not None


def test_it_refuses_a_report_the_demo_did_not_create(app, demo):
    with app.app_context():
        demo_org = db.session.scalars(select(Organisation)).first()
        make_submission(org=demo_org, title="Een echte melding van een echte indiener")
    result = reset(app, "--yes")
    assert result.exit_code != 0 and "echte melding" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Submission.id))) > 0


def test_under_production_it_always_refuses(app, demo, monkeypatch):
    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    result = reset(app, "--yes")
    assert result.exit_code != 0 and "production" in result.output
    assert users(app) == demo
