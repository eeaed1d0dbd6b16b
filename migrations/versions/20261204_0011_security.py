"""Security (ASVS level 2): server-side session records; rate limits counted in the database;
a mail holding a one-time link is marked, so its body is blanked once sent;
secret ballots never link to their voter: `eligible_voters.ballot_id` goes
(the link it held in open secret rounds is dropped with it), and on SQLite the
ballots table is rebuilt WITHOUT ROWID, so no hidden row number keeps the
order in which ballots were written.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("eligible_voters") as batch_op:
        batch_op.drop_constraint("fk_eligible_voters_ballot_id_ballots", type_="foreignkey")
        batch_op.drop_constraint("uq_eligible_voters_ballot_id", type_="unique")
        batch_op.drop_column("ballot_id")
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table(
            "ballots", recreate="always", table_kwargs={"sqlite_with_rowid": False}
        ):
            pass
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("ip", sa.String(length=45), nullable=True),
        sa.Column("device", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_user_sessions_token_hash")),
    )
    op.create_index("ix_user_sessions_user_open", "user_sessions", ["user_id", "ended_at"])
    op.create_table(
        "rate_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rate_events")),
    )
    op.create_index("ix_rate_events_kind_key_time", "rate_events", ["kind", "key", "created_at"])
    with op.batch_alter_table("mail_outbox") as batch_op:
        batch_op.add_column(
            sa.Column("secret", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    # Everyone signed in logs in again: nothing a user made is lost.
    with op.batch_alter_table("mail_outbox") as batch_op:
        batch_op.drop_column("secret")
    op.drop_index("ix_rate_events_kind_key_time", table_name="rate_events")
    op.drop_table("rate_events")
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("ballots", recreate="always"):
            pass
    with op.batch_alter_table("eligible_voters") as batch_op:
        batch_op.add_column(sa.Column("ballot_id", sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint("uq_eligible_voters_ballot_id", ["ballot_id"])
        batch_op.create_foreign_key(
            "fk_eligible_voters_ballot_id_ballots",
            "ballots",
            ["ballot_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.drop_index("ix_user_sessions_user_open", table_name="user_sessions")
    op.drop_table("user_sessions")
