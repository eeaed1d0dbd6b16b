"""Real invitations and guarded downloads: a meeting can be cancelled
(status "geannuleerd", with who, when and why in meeting_cancellations); a
queued mail may carry the address of the mail preferences (List-Unsubscribe);
the per-address counter that limits expensive documents across workers.

Going back keeps what people wrote: a cancelled meeting returns as
"gepubliceerd" with "[Geannuleerd] reason" added to its description. The
unsubscribe addresses (derived from the base URL) and the download counters
(a few minutes' worth of request counts) are emptied before their column and
table go.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

OLD_STATUSES = "status IN ('concept', 'gepubliceerd', 'gehouden', 'notulen_vastgesteld')"
NEW_STATUSES = (
    "status IN ('concept', 'gepubliceerd', 'gehouden', 'notulen_vastgesteld', 'geannuleerd')"
)


def upgrade() -> None:
    with op.batch_alter_table("meetings") as batch_op:
        batch_op.drop_constraint(op.f("ck_meetings_status_known"), type_="check")
        batch_op.create_check_constraint(op.f("ck_meetings_status_known"), NEW_STATUSES)
    op.create_table(
        "meeting_cancellations",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("cancelled_by_id", sa.Integer(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_cancellations_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["cancelled_by_id"],
            ["users.id"],
            name=op.f("fk_meeting_cancellations_cancelled_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("meeting_id", name=op.f("pk_meeting_cancellations")),
    )
    with op.batch_alter_table("meeting_cancellations") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_cancellations_cancelled_by_id"), ["cancelled_by_id"]
        )
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
    op.execute("DELETE FROM download_counters")
    op.drop_table("download_counters")
    op.execute("UPDATE mail_outbox SET unsubscribe_url = NULL")
    with op.batch_alter_table("mail_outbox") as batch_op:
        batch_op.drop_column("unsubscribe_url")
    op.execute(
        "UPDATE meetings SET status = 'gepubliceerd', description = description || "
        "'\n\n[Geannuleerd] ' || (SELECT reason FROM meeting_cancellations c "
        "WHERE c.meeting_id = meetings.id) WHERE status = 'geannuleerd'"
    )
    op.execute("DELETE FROM meeting_cancellations")
    op.drop_table("meeting_cancellations")
    with op.batch_alter_table("meetings") as batch_op:
        batch_op.drop_constraint(op.f("ck_meetings_status_known"), type_="check")
        batch_op.create_check_constraint(op.f("ck_meetings_status_known"), OLD_STATUSES)
