"""Real invitations and guarded downloads: a meeting can be cancelled
("geannuleerd", with its time and reason) and remembers when its latest
invitation went out (DTSTAMP); a queued mail may carry the address of the
mail preferences (List-Unsubscribe); the per-address download counter that
limits expensive documents across workers.

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-04 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None

OLD_STATUSES = "status IN ('concept', 'gepubliceerd', 'gehouden', 'notulen_vastgesteld')"
NEW_STATUSES = (
    "status IN ('concept', 'gepubliceerd', 'gehouden', 'notulen_vastgesteld', 'geannuleerd')"
)


def upgrade() -> None:
    with op.batch_alter_table("meetings") as batch_op:
        batch_op.add_column(sa.Column("announced_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("cancel_reason", sa.Text(), nullable=True))
        batch_op.drop_constraint(op.f("ck_meetings_status_known"), type_="check")
        batch_op.create_check_constraint(op.f("ck_meetings_status_known"), NEW_STATUSES)
    with op.batch_alter_table("mail_outbox") as batch_op:
        batch_op.add_column(sa.Column("unsubscribe_url", sa.String(length=500), nullable=True))
    op.create_table(
        "download_counters",
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("address", "window_start", name=op.f("pk_download_counters")),
    )


def downgrade() -> None:
    op.drop_table("download_counters")
    with op.batch_alter_table("mail_outbox") as batch_op:
        batch_op.drop_column("unsubscribe_url")
    # A cancelled meeting cannot be expressed before 0012: it goes back to
    # "gepubliceerd" with its reason in the description, so nothing is lost.
    op.execute(
        "UPDATE meetings SET status = 'gepubliceerd', description = description || "
        "'\n\n[Geannuleerd] ' || COALESCE(cancel_reason, '') WHERE status = 'geannuleerd'"
    )
    with op.batch_alter_table("meetings") as batch_op:
        batch_op.drop_constraint(op.f("ck_meetings_status_known"), type_="check")
        batch_op.create_check_constraint(op.f("ck_meetings_status_known"), OLD_STATUSES)
        batch_op.drop_column("cancel_reason")
        batch_op.drop_column("cancelled_at")
        batch_op.drop_column("announced_at")
