"""The worker and the mail outbox: a message is claimed before it is sent
(`claimed_until`), retried with backoff (`next_attempt_at`), given up
(`dead_at`, listed at /admin/mail) and carries its own Message-ID; the
scheduler's lease and heartbeat live in `job_leases`.

Messages that the old sender had given up on (5 failed attempts) become dead
messages, so the beheerder sees them instead of them lying unsent forever.

Only columns are added and a table created, so SQLite adds them in place
(no table copy; `submissions` is not touched).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

OLD_MAX_ATTEMPTS = 5
COLUMNS = ("next_attempt_at", "claimed_until", "dead_at", "message_id")


def upgrade() -> None:
    with op.batch_alter_table("mail_outbox") as batch:
        batch.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("dead_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("message_id", sa.String(length=255), nullable=True))
    op.execute("UPDATE mail_outbox SET next_attempt_at = created_at")
    op.execute(
        "UPDATE mail_outbox SET dead_at = created_at "
        f"WHERE sent_at IS NULL AND attempts >= {OLD_MAX_ATTEMPTS}"
    )
    op.create_index(
        "ix_mail_outbox_due", "mail_outbox", ["sent_at", "dead_at", "next_attempt_at"]
    )
    op.create_table(
        "job_leases",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_leases")),
    )


def downgrade() -> None:
    # Dropping these loses only delivery bookkeeping: the messages stay, and
    # dead ones look to the old sender like messages that ran out of attempts.
    op.drop_table("job_leases")
    op.drop_index("ix_mail_outbox_due", table_name="mail_outbox")
    op.execute(
        f"UPDATE mail_outbox SET attempts = {OLD_MAX_ATTEMPTS} "
        f"WHERE dead_at IS NOT NULL AND attempts < {OLD_MAX_ATTEMPTS}"
    )
    with op.batch_alter_table("mail_outbox") as batch:
        for column in reversed(COLUMNS):
            batch.drop_column(column)
