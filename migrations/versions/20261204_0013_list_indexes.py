"""Indexes that match the report lists: one covering index per list filter
(market, kind, status, province, government level, ministry, organisation,
the co-signature sort), the link tables read as (value, report), and the
overdue-responses panel's (response_deadline, id, status, ministry_id).
The single-column indexes they start with go. Statistics are refreshed at
the end (`ANALYZE`), so the planners know which index is selective; a closed
round keeps its result (`priority_rounds.result`); `cache_versions` tells
every process when its in-memory copy of the reference data is stale.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# Written out, not imported: a migration keeps the schema of its day.
_WHO = ("visibility", "status", "organisation_id", "ministry_id", "kind")


def _list(column: str) -> tuple[str, ...]:
    return (column, "created_at", "id", *(c for c in _WHO if c != column))


NEW = (
    *(
        ("submissions", f"ix_submissions_{name}_list", _list(column))
        for name, column in (
            ("kind", "kind"),
            ("market", "market_id"),
            ("province", "province_id"),
            ("government_level", "government_level_id"),
            ("status", "status"),
            ("ministry", "ministry_id"),
            ("organisation", "organisation_id"),
        )
    ),
    ("submissions", "ix_submissions_cosign_list", ("cosign_count", "id", *_WHO)),
    (
        "submissions",
        "ix_submissions_response_deadline",
        ("response_deadline", "id", "status", "ministry_id"),
    ),
    (
        "submission_action_lines",
        "ix_submission_action_lines_list",
        ("action_line_id", "submission_id"),
    ),
    (
        "submission_technologies",
        "ix_submission_technologies_list",
        ("technology_id", "submission_id"),
    ),
    ("submission_missions", "ix_submission_missions_list", ("mission_id", "submission_id")),
)

# Replaced by the indexes above, which start with the same column.
OLD = (
    ("submissions", "ix_submissions_kind", ("kind",)),
    ("submissions", "ix_submissions_market_id", ("market_id",)),
    ("submissions", "ix_submissions_province_id", ("province_id",)),
    ("submissions", "ix_submissions_government_level_id", ("government_level_id",)),
    ("submissions", "ix_submissions_ministry_id", ("ministry_id",)),
    ("submissions", "ix_submissions_organisation_id", ("organisation_id",)),
    ("submissions", "ix_submissions_cosign_count", ("cosign_count", "id")),
    (
        "submission_action_lines",
        "ix_submission_action_lines_action_line_id",
        ("action_line_id",),
    ),
    ("submission_technologies", "ix_submission_technologies_technology_id", ("technology_id",)),
    ("submission_missions", "ix_submission_missions_mission_id", ("mission_id",)),
)


def analyze() -> None:
    """Fresh planner statistics (SQLite keeps them in sqlite_stat1)."""
    op.execute("ANALYZE")


def upgrade() -> None:
    for table, name, columns in NEW:
        op.create_index(name, table, list(columns), unique=False)
    for table, name, _columns in OLD:
        op.drop_index(name, table_name=table)
    op.add_column("priority_rounds", sa.Column("result", sa.JSON(), nullable=True))
    op.create_table(
        "cache_versions",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_cache_versions")),
    )
    analyze()


def downgrade() -> None:
    # Indexes, a stored tally (computed again from the ballots) and cache
    # versions: nothing that cannot be rebuilt.
    op.drop_table("cache_versions")
    with op.batch_alter_table("priority_rounds") as batch_op:
        batch_op.drop_column("result")
    for table, name, columns in OLD:
        op.create_index(name, table, list(columns), unique=False)
    for table, name, _columns in NEW:
        op.drop_index(name, table_name=table)
    analyze()
