"""Migration 0013 swaps the single-column report indexes for covering list
indexes, adds the stored round result, refreshes the statistics, and goes
back again without touching a row (SQLite and PostgreSQL)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from tests.conftest import migration_database

NEW = {
    "ix_submissions_market_list",
    "ix_submissions_status_list",
    "ix_submissions_kind_list",
    "ix_submissions_organisation_list",
    "ix_submissions_cosign_list",
    "ix_submissions_response_deadline",
}
OLD = {"ix_submissions_market_id", "ix_submissions_kind", "ix_submissions_cosign_count"}


def _indexes(engine, table: str = "submissions") -> set[str]:
    return {index["name"] for index in inspect(engine).get_indexes(table)}


def test_0013_up_and_down(tmp_path_factory):
    with migration_database(tmp_path_factory, "m0013") as db:
        with db.app.app_context():
            command.upgrade(db.cfg, "0010")
            assert OLD <= _indexes(db.engine)
            command.upgrade(db.cfg, "0013")
            after = _indexes(db.engine)
            assert NEW <= after and not (OLD & after)
            assert "ix_submission_action_lines_list" in _indexes(
                db.engine, "submission_action_lines"
            )
            columns = {c["name"] for c in inspect(db.engine).get_columns("priority_rounds")}
            assert "result" in columns
            with db.engine.connect() as conn:
                if conn.dialect.name == "sqlite":
                    # ANALYZE ran: the planner has statistics, and the search
                    # index's delete trigger is still there (no table rebuilt).
                    assert conn.scalar(
                        text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
                    )
                    assert conn.scalar(
                        text(
                            "SELECT count(*) FROM sqlite_master "
                            "WHERE type = 'trigger' AND name = 'submission_search_delete'"
                        )
                    )
            command.downgrade(db.cfg, "0010")
            back = _indexes(db.engine)
            assert OLD <= back and not (NEW & back)
            columns = {c["name"] for c in inspect(db.engine).get_columns("priority_rounds")}
            assert "result" not in columns
