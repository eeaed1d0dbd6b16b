"""Rules in the database: a merged report names its target and only a merged
one does; "deels" and "niet" are explained; a published response has its
outcome and publication time; progress updates carry a known status.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 14:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

EXPLAINED = "length(trim(explanation)) > 0"
RULES = {
    "submissions": {
        "merge_target": "(status = 'samengevoegd') = (merged_into_id IS NOT NULL)",
    },
    "decisions": {
        "explained": f"outcome NOT IN ('deels', 'niet') OR {EXPLAINED}",
    },
    "responses": {
        "explained": f"outcome IS NULL OR outcome NOT IN ('deels', 'niet') OR {EXPLAINED}",
        "published_complete": (
            "status <> 'gepubliceerd' OR (outcome IS NOT NULL AND published_at IS NOT NULL)"
        ),
    },
    "action_updates": {
        "status_known": "status IN ('gepland', 'in_uitvoering', 'gerealiseerd', 'vervallen')",
    },
}


def upgrade() -> None:
    for table, rules in RULES.items():
        with op.batch_alter_table(table) as batch_op:
            for name, condition in rules.items():
                batch_op.create_check_constraint(op.f(f"ck_{table}_{name}"), condition)


def downgrade() -> None:
    for table, rules in RULES.items():
        with op.batch_alter_table(table) as batch_op:
            for name in rules:
                batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
