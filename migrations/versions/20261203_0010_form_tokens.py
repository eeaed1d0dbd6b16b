"""One-time form tokens: a form that creates something, posted twice, creates one row.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_form_tokens_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_tokens")),
        sa.UniqueConstraint("token", name=op.f("uq_form_tokens_token")),
    )
    with op.batch_alter_table("form_tokens") as batch_op:
        batch_op.create_index("ix_form_tokens_created_at", ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_form_tokens_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    # Only the memory of forms already sent goes: nothing a user made.
    op.drop_table("form_tokens")
