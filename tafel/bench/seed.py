"""Seeding a large, realistic benchmark database: `seed()` runs the steps of
`seed_accounts` and `seed_submissions` in order, each a committed, timed phase."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from tafel.bench.seed_accounts import seed_organisations, seed_users
from tafel.bench.seed_base import Run, load_reference
from tafel.bench.seed_submissions import seed_submissions
from tafel.bench.words import SECRETARIAT_EMAIL
from tafel.submissions.models import Submission


def seed(
    session: Session,
    n_submissions: int,
    n_orgs: int,
    n_users: int,
    n_cosignatures: int,
    seed: int = 2026,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Fill the database with organisations, users, submissions, co-signatures,
    comments and the search index; commits. The reference data must be loaded.

    The first submission (``showcase_id``) is public and accepted, with
    20 co-signatures and 30 comments; ``SECRETARIAT_EMAIL`` (password
    ``BENCH_PASSWORD``) has the role secretariaat.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    run = Run(session, rng, datetime.now(UTC).replace(microsecond=0), progress)
    ref = load_reference(session, run.now)
    orgs = seed_organisations(run, ref, max(n_orgs, 2))
    users = seed_users(run, orgs, max(n_users, 2))
    made = seed_submissions(run, ref, orgs, users, max(n_submissions, 1), n_cosignatures)
    with run.phase("finishing"):
        after_bulk_load(session)
    showcase = made["showcase_id"]
    market = session.scalar(select(Submission.market_id).where(Submission.id == showcase))
    return {
        "organisations": len(orgs.ids),
        "users": len(users.ids),
        "submissions": made["submissions"],
        "cosignatures": made["cosignatures"],
        "comments": made["comments"],
        "showcase_id": showcase,
        "secretariat_email": SECRETARIAT_EMAIL,
        "market_id": market or ref.markets[0],
        "timings": run.timings,
    }


def after_bulk_load(session: Session) -> None:
    """PostgreSQL: move the id sequences past the explicit ids (the command
    then refreshes the statistics, tafel.db.analyze)."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return
    for table in ("organisations", "users", "submissions", "cosignatures", "comments"):
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - fixed names
                f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
            )
        )
    session.commit()
