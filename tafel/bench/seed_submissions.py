"""Seeding submissions (with their market links and search index rows),
co-signatures and comments.

The first submission is the showcase: public and accepted, with
`SHOWCASE_COSIGNATURES` co-signatures and `SHOWCASE_COMMENTS` comments.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert

from tafel.bench.seed_accounts import Organisations, Users
from tafel.bench.seed_base import BATCH, Reference, Run, insert_rows, next_id
from tafel.bench.words import (
    ACCEPTED,
    COMMENTS,
    EVIDENCE,
    REGULATIONS,
    SENTENCES,
    STATUS_WEIGHTS,
    TITLE_TEMPLATES,
    TRIAGED,
    VISIBILITY_WEIGHTS,
    fill,
    weighted,
)
from tafel.core import search
from tafel.submissions.models import (
    IMPACT_TYPES,
    Comment,
    CoSignature,
    Submission,
    submission_action_lines,
    submission_missions,
    submission_technologies,
)

SHOWCASE_COSIGNATURES = 20
SHOWCASE_COMMENTS = 30


@dataclass
class Plan:
    """Submission skeletons: who, when, which state; and the co-signing pairs
    (submission index, organisation id)."""

    ids: list[int]
    org: list[int]
    statuses: list[str]
    visibilities: list[str]
    created: list[datetime]
    counts: list[int] = field(default_factory=list)
    pairs: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Seeding:
    run: Run
    ref: Reference
    orgs: Organisations
    users: Users
    plan: Plan

    @property
    def rng(self) -> random.Random:
        return self.run.rng


def seed_submissions(
    run: Run,
    ref: Reference,
    orgs: Organisations,
    users: Users,
    n_submissions: int,
    n_cosignatures: int,
) -> dict[str, int]:
    """Write the submissions, their links and search rows, the co-signatures
    and the showcase's comments; returns the counts and the showcase id."""
    plan = plan_submissions(run, orgs, n_submissions)
    plan_cosignatures(run.rng, plan, orgs.ids, n_cosignatures)
    seeding = Seeding(run, ref, orgs, users, plan)
    with run.phase("submissions + search index"):
        for start in range(0, n_submissions, BATCH):
            write_batch(seeding, start, min(start + BATCH, n_submissions))
    cosign_base = next_id(run.session, CoSignature)
    comment_base = next_id(run.session, Comment)
    with run.phase("co-signatures + comments"):
        n_cosign = insert_rows(
            run.session, CoSignature.__table__, cosignature_rows(seeding, cosign_base)
        )
        n_comments = insert_rows(
            run.session, Comment.__table__, comment_rows(seeding, comment_base)
        )
    return {
        "submissions": n_submissions,
        "cosignatures": n_cosign,
        "comments": n_comments,
        "showcase_id": plan.ids[0],
    }


def plan_submissions(run: Run, orgs: Organisations, n_submissions: int) -> Plan:
    rng, n_orgs = run.rng, len(orgs.ids)
    base = next_id(run.session, Submission)
    sub_ids = list(range(base, base + n_submissions))
    # Some organisations submit a lot, most only a few times.
    sub_org = [orgs.ids[int(n_orgs * rng.random() ** 2)] for _ in sub_ids]
    statuses = weighted(rng, STATUS_WEIGHTS, n_submissions)
    visibilities = weighted(rng, VISIBILITY_WEIGHTS, n_submissions)
    created = sorted(
        run.now - timedelta(seconds=rng.uniform(3600, 730 * 86400)) for _ in sub_ids
    )  # ids grow with time, as they do in real life
    statuses[0], visibilities[0] = "aanvaard", "openbaar"  # the showcase
    return Plan(sub_ids, sub_org, statuses, visibilities, created, [0] * n_submissions)


def plan_cosignatures(
    rng: random.Random, plan: Plan, org_ids: list[int], n_cosignatures: int
) -> None:
    """Co-signatures: the showcase's first, then skewed towards popular
    submissions, at most one per organisation and never by the submitter."""
    showcase_orgs = [o for o in org_ids if o != plan.org[0]][:SHOWCASE_COSIGNATURES]
    for org_id in showcase_orgs[: max(0, n_cosignatures)]:
        plan.pairs.append((0, org_id))
    plan.counts[0] = len(plan.pairs)
    eligible = [i for i in range(1, len(plan.ids)) if plan.statuses[i] != "concept"]
    rng.shuffle(eligible)
    capacity = len(eligible) * (len(org_ids) - 1)
    wanted = min(max(0, n_cosignatures - len(plan.pairs)), capacity)
    skew = 1.6 if wanted < capacity / 4 else 1.0
    _spread_cosignatures(rng, plan, org_ids, eligible, wanted, skew)


def _spread_cosignatures(
    rng: random.Random,
    plan: Plan,
    org_ids: list[int],
    eligible: list[int],
    wanted: int,
    skew: float,
) -> None:
    n_orgs = len(org_ids)
    seen: set[int] = set()
    while len(seen) < wanted:
        i = eligible[int(len(eligible) * rng.random() ** skew)]
        org_idx = rng.randrange(n_orgs)
        if org_ids[org_idx] == plan.org[i]:
            continue
        key = i * n_orgs + org_idx
        if key in seen:
            continue
        seen.add(key)
        plan.pairs.append((i, org_ids[org_idx]))
        plan.counts[i] += 1


def write_batch(seeding: Seeding, start: int, stop: int) -> None:
    """Submissions `start`..`stop`: their rows, links and search index rows."""
    session, ref, orgs = seeding.run.session, seeding.ref, seeding.orgs
    rows = [submission_row(seeding, i) for i in range(start, stop)]
    session.execute(insert(Submission.__table__), rows)
    for table, ids, column, most, share in (
        (submission_action_lines, ref.action_lines, "action_line_id", 3, 0.7),
        (submission_technologies, ref.technologies, "technology_id", 2, 0.5),
        (submission_missions, ref.missions, "mission_id", 1, 0.4),
    ):
        linked = links(seeding.rng, rows, ids, column, most, share)
        if linked:
            session.execute(insert(table), linked)
    search.bulk_index(
        session,
        (
            row
            | {
                "organisation_name": orgs.name_of(row["organisation_id"])
                if row["show_organisation"]
                else None
            }
            for row in rows
        ),
    )


def links(
    rng: random.Random,
    rows: list[dict[str, Any]],
    ids: list[int],
    column: str,
    most: int,
    share: float,
) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    if not ids:
        return result
    for row in rows:
        if rng.random() < share:
            for ref in rng.sample(ids, rng.randint(1, min(most, len(ids)))):
                result.append({"submission_id": row["id"], column: ref})
    return result


def submission_row(seeding: Seeding, i: int) -> dict[str, Any]:
    """One submission. The random draws happen in a fixed order, so one seed
    gives one database."""
    rng, plan = seeding.rng, seeding.plan
    status = plan.statuses[i]
    kind = "knelpunt" if rng.random() < 0.55 else "signaal"
    regulatory = kind == "knelpunt" and rng.random() < 0.7
    regulation = rng.choice(REGULATIONS) if regulatory else (None, None)
    made = plan.created[i]
    submitted = made + timedelta(hours=rng.uniform(0.1, 48)) if status != "concept" else None
    changed = (submitted or made) + timedelta(days=rng.uniform(0, 60))
    merged_into = plan.ids[rng.randrange(0, i)] if status == "samengevoegd" and i > 0 else None
    if status == "samengevoegd" and merged_into is None:
        status = "ingediend"  # the very first report has nothing to be merged into
    row: dict[str, Any] = {"id": plan.ids[i], "kind": kind, "status": status}
    row |= _texts(rng)
    row |= _classification(seeding, status, regulatory, regulation)
    row |= _impact(rng, kind)
    org_id = plan.org[i]
    row |= {
        "visibility": plan.visibilities[i],
        "show_organisation": rng.random() < 0.9,
        "organisation_id": org_id,
        "author_id": seeding.users.user_of(org_id),
        "created_at": made,
        "updated_at": changed,
        "submitted_at": submitted,
        "status_changed_at": changed,
        "first_response_at": changed if status in TRIAGED else None,
        "response_deadline": (changed + timedelta(days=90)).date() if status in ACCEPTED else None,
        "merged_into_id": merged_into,
        "cosign_count": plan.counts[i],
        "form_token": None,
    }
    return row


def _texts(rng: random.Random) -> dict[str, str]:
    return {
        "title": fill(rng, rng.choice(TITLE_TEMPLATES))[:150],
        "summary": " ".join(fill(rng, s) for s in rng.sample(SENTENCES, 2))[:500],
        "body": " ".join(fill(rng, s) for s in rng.choices(SENTENCES, k=rng.randint(3, 9))),
        "proposed_solution": fill(rng, "Wij stellen {solution} voor."),
    }


def _classification(
    seeding: Seeding, status: str, regulatory: bool, regulation: tuple
) -> dict[str, Any]:
    rng, ref = seeding.rng, seeding.ref
    return {
        "market_id": rng.choices(ref.markets, weights=ref.market_weights)[0]
        if rng.random() < 0.9
        else None,
        "sector_id": rng.choice(ref.sectors) if ref.sectors and rng.random() < 0.8 else None,
        "theme_id": rng.choice(ref.themes) if ref.themes and rng.random() < 0.6 else None,
        "province_id": rng.choice(ref.provinces) if rng.random() < 0.85 else None,
        "government_level_id": rng.choice(ref.levels) if regulatory and ref.levels else None,
        "regulation_name": regulation[0],
        "regulation_identifier": regulation[1],
        "regulation_article": f"artikel {rng.randint(1, 40)}.{rng.randint(1, 9)}"
        if regulatory
        else None,
        "ministry_id": rng.choice(ref.ministries)
        if (regulatory or status in ACCEPTED) and ref.ministries
        else None,
    }


def _impact(rng: random.Random, kind: str) -> dict[str, Any]:
    knelpunt = kind == "knelpunt"
    return {
        "impact_type": rng.choice(IMPACT_TYPES) if knelpunt else None,
        "impact_euro": int(math.exp(rng.uniform(8, 16))) if knelpunt else None,
        "impact_delay_months": rng.randint(1, 36) if knelpunt else None,
    }


def cosignature_rows(seeding: Seeding, base: int) -> Iterator[dict[str, Any]]:
    rng, plan = seeding.rng, seeding.plan
    for n, (i, org_id) in enumerate(plan.pairs):
        yield {
            "id": base + n,
            "submission_id": plan.ids[i],
            "organisation_id": org_id,
            "user_id": seeding.users.user_of(org_id),
            "evidence": rng.choice(EVIDENCE),
            "created_at": plan.created[i] + timedelta(days=rng.uniform(1, 120)),
        }


def comment_rows(seeding: Seeding, base: int) -> Iterator[dict[str, Any]]:
    """The showcase's comments, by users other than the secretariat."""
    rng, users = seeding.rng, seeding.users
    for n in range(SHOWCASE_COMMENTS):
        author = users.ids[rng.randrange(1, len(users.ids))]
        yield {
            "id": base + n,
            "submission_id": seeding.plan.ids[0],
            "author_id": author,
            "organisation_id": users.org_of[author - users.base],
            "body": rng.choice(COMMENTS),
            "created_at": seeding.plan.created[0] + timedelta(hours=n + 1),
            "hidden_at": None,
            "hidden_by_id": None,
            "hidden_reason": None,
        }
