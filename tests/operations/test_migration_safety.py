"""Downgrades that would drop data refuse unless forced; forced, the whole
chain goes down to base and up again with the demo data (SQLite and PostgreSQL)."""

from __future__ import annotations

import argparse

import pytest
from alembic import command
from sqlalchemy import inspect

from tafel import create_app, db
from tafel.cli import alembic_config, load_reference
from tafel.db import Base, make_engine
from tafel.demo import load_demo, read_demo
from tests.conftest import fresh_database, make_config
from tests.core.test_migration_rules import row_counts

FORCE = "TAFEL_ALLOW_DESTRUCTIVE_DOWNGRADE"


def load_the_demo(app) -> None:
    with app.app_context():
        load_reference()
        load_demo(read_demo(app.config["REFERENCE_DIR"]))
        db.session.commit()
        db.session.close()


def test_a_downgrade_that_drops_data_refuses_and_forced_goes_to_base_and_back(
    tmp_path_factory, monkeypatch
):
    monkeypatch.delenv(FORCE, raising=False)
    with fresh_database(tmp_path_factory, "downgrade") as url:
        app = create_app(make_config(url))
        cfg = alembic_config(url)
        cfg.attributes["configure_logger"] = False
        engine = make_engine(url)
        try:
            with app.app_context():
                command.upgrade(cfg, "head")
            load_the_demo(app)
            demo = row_counts(engine)
            assert demo["decisions"] > 0 and demo["users"] > 0

            with app.app_context(), pytest.raises(RuntimeError, match="Refusing to drop"):
                command.downgrade(cfg, "base")
            after = row_counts(engine)
            # Nothing lost: every table that held rows still holds them (empty
            # tables of later migrations may already be gone: SQLite applies
            # each downgrade step in a transaction of its own).
            assert all(after.get(t) == n for t, n in demo.items() if n)

            with app.app_context():
                command.upgrade(cfg, "head")  # back where it was
                monkeypatch.setenv(FORCE, "1")
                command.downgrade(cfg, "base")
                assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
                monkeypatch.delenv(FORCE)
                command.upgrade(cfg, "head")
            assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
            load_the_demo(app)
            assert row_counts(engine) == demo
        finally:
            engine.dispose()
            app.extensions["tafel_engine"].dispose()


def test_alembic_x_force_also_allows_it(tmp_path_factory, monkeypatch):
    monkeypatch.delenv(FORCE, raising=False)
    with fresh_database(tmp_path_factory, "force") as url:
        app = create_app(make_config(url))
        cfg = alembic_config(url)
        cfg.attributes["configure_logger"] = False
        engine = make_engine(url)
        try:
            with app.app_context():
                command.upgrade(cfg, "head")
            load_the_demo(app)
            cfg.cmd_opts = argparse.Namespace(x=["force=1"])
            with app.app_context():
                command.downgrade(cfg, "0006")
            assert "decisions" not in inspect(engine).get_table_names()
        finally:
            engine.dispose()
            app.extensions["tafel_engine"].dispose()
