"""Rules in the database: a merged report names its target and only a merged
one does; "deels" and "niet" are explained; a published response has its
outcome and publication time; progress updates carry a known status.

A merge target can no longer be deleted from under its merged reports (the
foreign key no longer sets their link to NULL, which the first rule forbids).

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


MERGE_KEY = "fk_submissions_merged_into_id_submissions"
SEARCH_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS submission_search_delete AFTER DELETE ON submissions "
    "BEGIN DELETE FROM submission_search WHERE rowid = old.id; END"
)


def _restore_search_trigger() -> None:
    """SQLite drops a table's triggers with it; batch mode just recreated
    `submissions`, so the search index's delete trigger (0004) comes back."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(SEARCH_TRIGGER)


def _merge_key(batch_op, ondelete: str | None) -> None:
    batch_op.drop_constraint(op.f(MERGE_KEY), type_="foreignkey")
    batch_op.create_foreign_key(
        op.f(MERGE_KEY), "submissions", ["merged_into_id"], ["id"], ondelete=ondelete
    )


def _refuse_breaking_rows() -> None:
    """Name the rows that break a rule before adding it, so the operator can
    repair them (a merged report whose target was deleted, say) instead of
    reading a bare constraint error."""
    bind = op.get_bind()
    broken = []
    for table, rules in RULES.items():
        for name, condition in rules.items():
            ids = bind.exec_driver_sql(
                f"SELECT id FROM {table} WHERE NOT ({condition}) ORDER BY id LIMIT 20"  # noqa: S608
            ).scalars()
            found = list(ids)
            if found:
                broken.append(f"{table} breaks {name}: ids {found}")
    if broken:
        raise RuntimeError("repair these rows before migrating to 0008: " + "; ".join(broken))


def upgrade() -> None:
    _refuse_breaking_rows()
    with op.batch_alter_table("submissions") as batch_op:
        _merge_key(batch_op, None)
    for table, rules in RULES.items():
        with op.batch_alter_table(table) as batch_op:
            for name, condition in rules.items():
                batch_op.create_check_constraint(op.f(f"ck_{table}_{name}"), condition)
    _restore_search_trigger()


def downgrade() -> None:
    for table, rules in RULES.items():
        with op.batch_alter_table(table) as batch_op:
            for name in rules:
                batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
    with op.batch_alter_table("submissions") as batch_op:
        _merge_key(batch_op, "SET NULL")
    _restore_search_trigger()
