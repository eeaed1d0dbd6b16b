"""Downgrades that would drop data refuse unless forced; forced, the whole
chain goes down to base and up again with the demo data (SQLite and PostgreSQL)."""

from __future__ import annotations

import argparse

import pytest
from alembic import command
from sqlalchemy import inspect

from tafel.db import Base
from tests.conftest import migration_database
from tests.core.test_migration_rules import row_counts

FORCE = "TAFEL_ALLOW_DESTRUCTIVE_DOWNGRADE"


def test_a_downgrade_that_drops_data_refuses_and_forced_goes_to_base_and_back(
    tmp_path_factory, monkeypatch
):
    monkeypatch.delenv(FORCE, raising=False)
    with migration_database(tmp_path_factory, "downgrade") as m:
        with m.app.app_context():
            command.upgrade(m.cfg, "head")
        m.load_demo()
        demo = row_counts(m.engine)
        assert demo["decisions"] > 0 and demo["users"] > 0

        with m.app.app_context(), pytest.raises(RuntimeError, match="Refusing to drop"):
            command.downgrade(m.cfg, "base")
        after = row_counts(m.engine)
        # Nothing lost: every table that held rows still holds them (empty
        # tables of later migrations may already be gone: SQLite applies
        # each downgrade step in a transaction of its own).
        assert all(after.get(t) == n for t, n in demo.items() if n)

        with m.app.app_context():
            command.upgrade(m.cfg, "head")  # back where it was
            monkeypatch.setenv(FORCE, "1")
            command.downgrade(m.cfg, "base")
            assert set(inspect(m.engine).get_table_names()) <= {"alembic_version"}
            monkeypatch.delenv(FORCE)
            command.upgrade(m.cfg, "head")
        assert set(Base.metadata.tables) <= set(inspect(m.engine).get_table_names())
        m.load_demo()
        assert row_counts(m.engine) == demo


def test_alembic_x_force_also_allows_it(tmp_path_factory, monkeypatch):
    monkeypatch.delenv(FORCE, raising=False)
    with migration_database(tmp_path_factory, "force") as m:
        with m.app.app_context():
            command.upgrade(m.cfg, "head")
        m.load_demo()
        m.cfg.cmd_opts = argparse.Namespace(x=["force=1"])
        with m.app.app_context():
            command.downgrade(m.cfg, "0006")
        assert "decisions" not in inspect(m.engine).get_table_names()
