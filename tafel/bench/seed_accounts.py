"""Seeding organisations and users (with their roles)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from argon2 import PasswordHasher, Type

from tafel.accounts.models import Organisation, User, UserRole
from tafel.bench.seed_base import Reference, Run, insert_rows, next_id
from tafel.bench.words import (
    BENCH_DOMAIN,
    BENCH_PASSWORD,
    CITIES,
    FIRST,
    LAST,
    ORG_TYPE_WEIGHTS,
    SECRETARIAT_EMAIL,
    org_name,
    weighted,
)


@dataclass
class Organisations:
    base: int
    ids: list[int]
    slugs: list[str]
    names: list[str]

    def name_of(self, org_id: int) -> str:
        return self.names[org_id - self.base]


@dataclass
class Users:
    base: int
    ids: list[int]
    org_of: list[int]
    rng: random.Random
    by_org: dict[int, list[int]] = field(default_factory=dict)

    def user_of(self, org_id: int) -> int:
        """A member of the organisation, or any user but the secretariat."""
        members = self.by_org.get(org_id)
        return (
            self.rng.choice(members) if members else self.ids[self.rng.randrange(1, len(self.ids))]
        )


def password_hash() -> str:
    """One cheap argon2id hash shared by every seeded account."""
    return PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1, type=Type.ID).hash(
        BENCH_PASSWORD
    )


def seed_organisations(run: Run, ref: Reference, n_orgs: int) -> Organisations:
    """`n_orgs` organisations of weighted types; the first is a ministry
    (home of the secretariat) when that type exists."""
    base = next_id(run.session, Organisation)
    type_weights = {slug: ORG_TYPE_WEIGHTS.get(slug, 1) for slug in ref.org_types}
    slugs = weighted(run.rng, type_weights, n_orgs)
    if "ministerie" in ref.org_types:
        slugs[0] = "ministerie"
    names = [org_name(run.rng, slug, ref.ministry_names) for slug in slugs]
    orgs = Organisations(base, list(range(base, base + n_orgs)), slugs, names)
    with run.phase("organisations"):
        insert_rows(run.session, Organisation.__table__, _organisation_rows(run, ref, orgs))
    return orgs


def _organisation_rows(run: Run, ref: Reference, orgs: Organisations) -> Iterator[dict[str, Any]]:
    rng = run.rng
    for i, org_id in enumerate(orgs.ids):
        kind = ref.org_types[orgs.slugs[i]]
        verified = rng.random() < 0.9
        created = run.now - timedelta(days=rng.uniform(30, 900))
        yield {
            "id": org_id,
            "name": orgs.names[i],
            "org_type_id": kind.id,
            "kvk": f"{60_000_000 + org_id:08d}" if kind.kvk_required else None,
            "province_id": rng.choice(ref.provinces),
            "city": rng.choice(CITIES),
            "ministry_id": rng.choice(ref.ministries) if orgs.slugs[i] == "ministerie" else None,
            "verified": verified,
            "verified_at": created + timedelta(days=2) if verified else None,
            "created_at": created,
        }


def seed_users(run: Run, orgs: Organisations, n_users: int) -> Users:
    """`n_users` accounts spread over the organisations; the first is the
    secretariat (`SECRETARIAT_EMAIL`, password `BENCH_PASSWORD`)."""
    base = next_id(run.session, User)
    n_orgs = len(orgs.ids)
    org_of = [orgs.ids[(i - 1) % n_orgs] if i else orgs.ids[0] for i in range(n_users)]
    users = Users(base, list(range(base, base + n_users)), org_of, run.rng)
    for user_id, org_id in zip(users.ids, org_of, strict=True):
        users.by_org.setdefault(org_id, []).append(user_id)
    hashed = password_hash()
    with run.phase("users"):
        insert_rows(run.session, User.__table__, _user_rows(run, users, hashed))
        insert_rows(run.session, UserRole.__table__, _role_rows(run.rng, users))
    return users


def _user_rows(run: Run, users: Users, hashed: str) -> Iterator[dict[str, Any]]:
    rng = run.rng
    for i, user_id in enumerate(users.ids):
        yield {
            "id": user_id,
            "email": SECRETARIAT_EMAIL if i == 0 else f"gebruiker{user_id}@{BENCH_DOMAIN}",
            "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "password_hash": hashed,
            "organisation_id": users.org_of[i],
            "active": True,
            "session_version": 1,
            "created_at": run.now - timedelta(days=rng.uniform(1, 800)),
            "last_login_at": None,
        }


def _role_rows(rng: random.Random, users: Users) -> Iterator[dict[str, Any]]:
    for i, user_id in enumerate(users.ids):
        if i == 0:
            yield {"user_id": user_id, "role": "secretariaat"}
            continue
        yield {"user_id": user_id, "role": "indiener"}
        if rng.random() < 0.01:
            yield {"user_id": user_id, "role": "tafellid"}
