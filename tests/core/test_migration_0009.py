"""Migration 0009 adds the outbox's delivery columns and the scheduler's lease
table to a database holding mail, keeps every message, and goes back again
(SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import inspect

from tafel.cli import alembic_config
from tafel.db import make_engine
from tests.conftest import fresh_database

OUTBOX = sa.table(
    "mail_outbox",
    sa.column("id", sa.Integer),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("recipient", sa.String),
    sa.column("subject", sa.String),
    sa.column("body", sa.Text),
    sa.column("sent_at", sa.DateTime(timezone=True)),
    sa.column("attempts", sa.Integer),
    sa.column("last_error", sa.Text),
)
CREATED = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
ROWS = [
    {"recipient": "wacht@example.org", "sent_at": None, "attempts": 1},
    {"recipient": "opgegeven@example.org", "sent_at": None, "attempts": 5},
    {"recipient": "verstuurd@example.org", "sent_at": CREATED, "attempts": 1},
]
NEW_COLUMNS = {"next_attempt_at", "claimed_until", "dead_at", "message_id"}


def outbox(engine) -> dict[str, dict]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT * FROM mail_outbox")).mappings().all()
    return {row["recipient"]: dict(row) for row in rows}


def test_0009_up_and_down_with_mail_in_the_outbox(app, tmp_path_factory, monkeypatch):
    with fresh_database(tmp_path_factory, "m0009") as url:
        cfg = alembic_config(url)
        cfg.attributes["configure_logger"] = False
        engine = make_engine(url)
        try:
            with app.app_context():
                command.upgrade(cfg, "0008")
                with engine.begin() as conn:
                    conn.execute(
                        OUTBOX.insert(),
                        [
                            {**row, "created_at": CREATED, "subject": "S", "body": "B"}
                            for row in ROWS
                        ],
                    )

                command.upgrade(cfg, "0009")
                rows = outbox(engine)
                assert len(rows) == 3
                assert all(row["next_attempt_at"] is not None for row in rows.values())
                dead = {r for r, row in rows.items() if row["dead_at"] is not None}
                assert dead == {"opgegeven@example.org"}  # the old sender had given up
                assert "job_leases" in inspect(engine).get_table_names()

                # Going back drops dead_at, which now holds data: only when forced.
                with pytest.raises(RuntimeError, match="dead_at"):
                    command.downgrade(cfg, "0008")
                monkeypatch.setenv("TAFEL_ALLOW_DESTRUCTIVE_DOWNGRADE", "1")
                command.downgrade(cfg, "0008")
                monkeypatch.delenv("TAFEL_ALLOW_DESTRUCTIVE_DOWNGRADE")
                rows = outbox(engine)
                assert len(rows) == 3 and not NEW_COLUMNS & set(rows["wacht@example.org"])
                assert rows["opgegeven@example.org"]["attempts"] == 5
                assert "job_leases" not in inspect(engine).get_table_names()

                command.upgrade(cfg, "head")
                assert len(outbox(engine)) == 3
        finally:
            engine.dispose()
