"""Full-text search index for submissions (see tafel/core/search.py).

SQLite: an FTS5 virtual table with the trigram tokenizer (SQLite >= 3.34),
rowid = submission id, plus a trigger that drops a submission's row when the
submission is deleted. NB: a future batch-mode migration that recreates the
`submissions` table on SQLite drops that trigger; recreate it there
(tests/core/test_search.py checks that it exists).

PostgreSQL: a plain table with a GIN trigram index (extension pg_trgm, a
trusted extension: the database owner may create it) and ON DELETE CASCADE.

The index starts empty; fill it with tafel.submissions.search.rebuild_index(session).
These objects are not in the models: migrations/env.py skips them in autogenerate.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 23:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE submission_search USING fts5("
            "title, summary, meta, body, tokenize='trigram', columnsize=0)"
        )
        op.execute(
            "CREATE TRIGGER submission_search_delete AFTER DELETE ON submissions "
            "BEGIN DELETE FROM submission_search WHERE rowid = old.id; END"
        )
    elif dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_table(
            "submission_search",
            sa.Column("submission_id", sa.Integer(), nullable=False),
            sa.Column("title", sa.Text(), nullable=False),
            sa.Column("summary", sa.Text(), nullable=False),
            sa.Column("meta", sa.Text(), nullable=False),
            sa.Column("document", sa.Text(), nullable=False),
            sa.ForeignKeyConstraint(
                ["submission_id"],
                ["submissions.id"],
                name="fk_submission_search_submission_id_submissions",
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("submission_id", name="pk_submission_search"),
        )
        op.create_index(
            "ix_submission_search_document",
            "submission_search",
            ["document"],
            postgresql_using="gin",
            postgresql_ops={"document": "gin_trgm_ops"},
        )
    else:
        raise NotImplementedError(f"no full-text search for {dialect}")


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS submission_search_delete")
        op.execute("DROP TABLE IF EXISTS submission_search")
    elif dialect == "postgresql":
        op.drop_index("ix_submission_search_document", table_name="submission_search")
        op.drop_table("submission_search")
        # pg_trgm stays: other objects may use it, and it costs nothing.
