"""Health check, configuration and the demo command."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

import config as tafel_config
from tafel import create_app, db
from tafel.accounts.models import Organisation, User
from tafel.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.conftest import login, make_config, post
from tests.factories import make_org, make_user


def test_healthz_503_when_database_unreachable(tmp_path):
    app = create_app(make_config(f"sqlite:///{tmp_path}/missing/dir/tafel.db"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert (body["status"], body["database"]) == ("error", "error")


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.setattr(tafel_config.ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="TAFEL_SECRET_KEY"):
        create_app("production")


def test_production_cookie_is_secure(monkeypatch):
    monkeypatch.setattr(tafel_config.ProductionConfig, "SECRET_KEY", "x" * 64)
    assert tafel_config.ProductionConfig().SESSION_COOKIE_SECURE is True


def test_development_generates_a_secret_once(monkeypatch, tmp_path):
    monkeypatch.setattr(tafel_config, "INSTANCE", tmp_path)
    monkeypatch.setattr(tafel_config.DevelopmentConfig, "SECRET_KEY", None)
    first = tafel_config.DevelopmentConfig().SECRET_KEY
    second = tafel_config.DevelopmentConfig().SECRET_KEY
    assert first == second and len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_demo_command_is_idempotent_and_every_account_logs_in(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "9 accounts added" in first.output
    second = runner.invoke(args=["demo"])
    assert "0 accounts added" in second.output
    with app.app_context():
        active = select(func.count(User.id)).where(User.active.is_(True))
        assert db.session.scalar(active) == len(DEMO_ACCOUNTS)
        orgs = db.session.scalar(select(func.count(Organisation.id)))
    assert orgs == 24
    for email, _name, roles, _org in DEMO_ACCOUNTS:
        client = app.test_client()
        assert login(client, email, DEMO_PASSWORD).status_code == 302, email
        with app.app_context():
            user = db.session.scalars(select(User).where(User.email == email)).one()
            assert user.roles == set(roles)
        post(client, "/auth/logout")


def test_demo_constituencies_cover_all_four_for_members(app):
    app.test_cli_runner().invoke(args=["demo"])
    with app.app_context():
        members = db.session.scalars(select(User).where(User.email.like("lid-%"))).all()
        assert {m.organisation.constituency.slug for m in members} == {
            "bedrijfsleven",
            "kennisinstellingen",
            "overheid",
        }
        ezk = db.session.scalars(select(User).where(User.email == "ezk@example.org")).one()
        assert ezk.organisation.ministry.slug == "EZK"
        a = db.session.scalars(select(User).where(User.email == "indiener@example.com")).one()
        b = db.session.scalars(select(User).where(User.email == "indiener@example.net")).one()
        assert a.organisation_id != b.organisation_id


def test_demo_refuses_production(monkeypatch, database_url):
    monkeypatch.setattr(tafel_config.ProductionConfig, "SECRET_KEY", "x" * 64)
    monkeypatch.setattr(tafel_config.ProductionConfig, "DATABASE_URL", database_url)
    app = create_app("production")
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code != 0 and "production" in result.output
    app.extensions["tafel_engine"].dispose()


def test_create_user_command(app):
    with app.app_context():
        org = make_org(name="Provincie Utrecht", type_slug="provincie")
        assert org.id
    runner = app.test_cli_runner()
    password = "een-sterk-beheerderswachtwoord"
    args = [
        "create-user",
        "--email",
        "Nina@Utrecht.example",
        "--name",
        "Nina",
        "--organisation",
        "Provincie Utrecht",
        "--role",
        "tafellid",
        "--role",
        "beheerder",
    ]
    result = runner.invoke(args=args, input=f"{password}\n{password}\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == "nina@utrecht.example")).one()
        assert user.roles == {"tafellid", "beheerder"}
    assert login(app.test_client(), "nina@utrecht.example", password).status_code == 302
    again = runner.invoke(args=args, input=f"{password}\n{password}\n")
    assert again.exit_code != 0 and "already has an account" in again.output
    weak = runner.invoke(args=[*args[:2], "x@utrecht.example", *args[3:]], input="kort\nkort\n")
    assert weak.exit_code != 0 and "minstens 12" in weak.output


def test_demo_reset_empties_and_reloads(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo"])
    with app.app_context():
        demo_org = db.session.scalars(select(Organisation).order_by(Organisation.id)).first()
        make_user(email="extra@example.com", org=demo_org)
    result = runner.invoke(args=["demo", "--reset", "--yes"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        emails = set(db.session.scalars(select(User.email)))
    assert "extra@example.com" not in emails
    assert {email for email, *_ in DEMO_ACCOUNTS} <= emails
    assert "<li>Halfgeleiders</li>" in app.test_client().get("/").get_data(as_text=True)


def test_demo_if_empty_leaves_a_populated_database_alone(app):
    with app.app_context():
        make_user(email="real@example.com")
    result = app.test_cli_runner().invoke(args=["demo", "--if-empty"])
    assert "not loaded" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 1
