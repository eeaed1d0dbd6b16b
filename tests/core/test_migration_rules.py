"""Migration 0008 adds the cross-column rules on a database that holds the demo
data, without losing a row, and takes them away again (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from tests.conftest import migration_database

BREAK_MERGE = (
    "UPDATE submissions SET status = 'samengevoegd', merged_into_id = NULL "
    "WHERE id = (SELECT min(id) FROM submissions WHERE status <> 'samengevoegd')"
)
FORBIDDEN = [
    BREAK_MERGE,
    "UPDATE submissions SET merged_into_id = id WHERE status <> 'samengevoegd'",
    "UPDATE decisions SET outcome = 'niet', explanation = '  '",
    "UPDATE action_updates SET status = 'klaar'",
]


def row_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            table: conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()  # noqa: S608
            for table in inspect(conn).get_table_names()
            if table != "alembic_version" and not table.startswith("submission_search_")
        }


def search_trigger_present(engine) -> bool:
    """On SQLite the search index loses a report's row through a trigger on
    `submissions`, which a table copy drops; PostgreSQL uses a cascade."""
    if engine.dialect.name != "sqlite":
        return True
    with engine.connect() as conn:
        found = conn.execute(
            text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = :name"),
            {"name": "submission_search_delete"},
        )
        return found.scalar_one() == 1


def breaks_rule(engine, statement: str) -> bool:
    """Whether the database refuses `statement` (always rolled back)."""
    with engine.connect() as conn:
        try:
            conn.execute(text(statement))
        except IntegrityError:
            return True
        finally:
            conn.rollback()
    return False


def kept(engine, demo: dict[str, int]) -> bool:
    """Every table holds the demo's rows; tables of later migrations are empty."""
    counts = row_counts(engine)
    return all(counts.get(t) == n for t, n in demo.items()) and not any(
        n for t, n in counts.items() if t not in demo
    )


def test_rules_go_up_and_down_with_the_demo_data(tmp_path_factory):
    with migration_database(tmp_path_factory, "rules") as m, m.app.app_context():
        command.upgrade(m.cfg, "0007")
        m.load_demo()
        demo = row_counts(m.engine)
        assert min(demo[t] for t in ("submissions", "decisions", "action_updates")) > 0

        command.upgrade(m.cfg, "head")
        assert kept(m.engine, demo)
        assert all(breaks_rule(m.engine, statement) for statement in FORBIDDEN)

        command.downgrade(m.cfg, "0007")
        assert kept(m.engine, demo)
        assert search_trigger_present(m.engine)
        assert not breaks_rule(m.engine, BREAK_MERGE)

        command.upgrade(m.cfg, "head")
        assert kept(m.engine, demo)
        assert search_trigger_present(m.engine)


def test_rows_that_break_a_rule_are_named_before_migrating(tmp_path_factory):
    with migration_database(tmp_path_factory, "broken") as m, m.app.app_context():
        command.upgrade(m.cfg, "0007")
        m.load_demo()
        with m.engine.begin() as conn:
            conn.execute(text(BREAK_MERGE))
            broken = conn.execute(
                text(
                    "SELECT id FROM submissions "
                    "WHERE status = 'samengevoegd' AND merged_into_id IS NULL"
                )
            ).scalar_one()
        with pytest.raises(
            RuntimeError, match=rf"submissions breaks merge_target: ids \[{broken}\]"
        ):
            command.upgrade(m.cfg, "head")
        with m.engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version"))
            assert version.scalar_one() == "0007"
