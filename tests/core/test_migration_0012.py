"""Migration 0012 on a database holding the demo data and a cancelled
meeting: up, down (the cancellation's reason kept in the description, the
status back to one 0010 knows) and up again, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import inspect

from tests.conftest import migration_database

NEW_TABLES = {"meeting_cancellations", "download_counters"}


def meetings(engine) -> dict[int, dict]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT id, status, description FROM meetings")).mappings()
        return {row["id"]: dict(row) for row in rows}


def test_0012_up_down_up_with_a_cancelled_meeting(tmp_path_factory):
    with migration_database(tmp_path_factory, "m0012") as m, m.app.app_context():
        command.upgrade(m.cfg, "0010")
        m.load_demo()
        before = meetings(m.engine)
        assert before
        command.upgrade(m.cfg, "0012")
        assert NEW_TABLES <= set(inspect(m.engine).get_table_names())
        target = min(before)
        with m.engine.begin() as conn:
            user = conn.execute(sa.text("SELECT min(id) FROM users")).scalar_one()
            conn.execute(
                sa.text("UPDATE meetings SET status = 'geannuleerd' WHERE id = :id"), {"id": target}
            )
            conn.execute(
                sa.text(
                    "INSERT INTO meeting_cancellations (meeting_id, reason, cancelled_by_id, "
                    "cancelled_at) VALUES (:id, 'Zaal onder water', :user, CURRENT_TIMESTAMP)"
                ),
                {"id": target, "user": user},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO download_counters (address, window_start, hits) "
                    "VALUES ('10.0.0.1', CURRENT_TIMESTAMP, 3)"
                )
            )
        # Going back needs no force: nothing anyone wrote is lost.
        command.downgrade(m.cfg, "0010")
        after = meetings(m.engine)
        assert set(after) == set(before)
        assert after[target]["status"] == "gepubliceerd"
        assert after[target]["description"].endswith("[Geannuleerd] Zaal onder water")
        assert not NEW_TABLES & set(inspect(m.engine).get_table_names())
        columns = {c["name"] for c in inspect(m.engine).get_columns("mail_outbox")}
        assert "unsubscribe_url" not in columns
        with m.engine.begin() as conn, pytest.raises(sa.exc.IntegrityError):
            conn.execute(sa.text("UPDATE meetings SET status = 'geannuleerd' WHERE id = :id"),
                         {"id": target})  # fmt: skip
        command.upgrade(m.cfg, "head")
        assert meetings(m.engine) == after
