"""Migrations and models agree, and the schema goes up, down and up again."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from tafel.cli import alembic_config
from tafel.core.search import include_name
from tafel.db import Base, make_engine
from tests.conftest import fresh_database


def test_models_and_migrations_agree(app, database_url):
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "render_as_batch": conn.dialect.name == "sqlite",
                    # The search tables come from migration 0004, not the models.
                    "include_name": include_name,
                },
            )
            diff = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert diff == [], f"models and migrations differ: {diff}"


def test_upgrade_downgrade_upgrade(app, tmp_path_factory):
    with fresh_database(tmp_path_factory, "migrations") as url:
        cfg = alembic_config(url)
        cfg.attributes["configure_logger"] = False
        with app.app_context():
            command.upgrade(cfg, "head")
            engine = make_engine(url)
            tables = set(inspect(engine).get_table_names())
            assert set(Base.metadata.tables) <= tables
            command.downgrade(cfg, "base")
            assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
            command.upgrade(cfg, "head")
            assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
            engine.dispose()
