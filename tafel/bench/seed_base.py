"""What every seeding step shares: the run (session, random source, timed
phases), the reference ids, and batched bulk inserts."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from tafel.reference.models import (
    ActionLine,
    GovernmentLevel,
    Market,
    Ministry,
    Mission,
    OrganisationType,
    Province,
    Sector,
    Technology,
    Theme,
)

BATCH = 5000


@dataclass
class Run:
    """One seeding run: the session, the random source, 'now' and the timings."""

    session: Session
    rng: random.Random
    now: datetime
    progress: Callable[[str], None] | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Time a block, commit what it wrote and report its duration."""
        start = time.perf_counter()
        yield
        self.session.commit()
        self.timings[name] = time.perf_counter() - start
        if self.progress:
            self.progress(f"  {name}: {self.timings[name]:.1f} s")


@dataclass
class Reference:
    """The active reference ids the seeded rows point to."""

    markets: list[int]
    provinces: list[int]
    sectors: list[int]
    themes: list[int]
    levels: list[int]
    action_lines: list[int]
    technologies: list[int]
    missions: list[int]
    ministries: list[int]
    ministry_names: list[str]
    org_types: dict[str, Any]

    @property
    def market_weights(self) -> list[float]:
        return [1 / (i + 1) for i in range(len(self.markets))]  # a few markets dominate


def ids(session: Session, model) -> list[int]:
    return list(session.scalars(select(model.id).where(model.active.is_(True)).order_by(model.id)))


def next_id(session: Session, model) -> int:
    return (session.scalar(select(func.max(model.id))) or 0) + 1


def insert_rows(session: Session, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """Insert in batches of `BATCH`; returns the number of rows."""
    count, batch = 0, []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            session.execute(insert(table), batch)
            count += len(batch)
            batch = []
    if batch:
        session.execute(insert(table), batch)
        count += len(batch)
    return count


def load_reference(session: Session, now: datetime) -> Reference:
    """The reference ids; the reference data must be loaded."""
    today = now.date()
    found = {
        name: ids(session, model)
        for name, model in (
            ("markets", Market),
            ("provinces", Province),
            ("sectors", Sector),
            ("themes", Theme),
            ("levels", GovernmentLevel),
            ("action_lines", ActionLine),
            ("technologies", Technology),
            ("missions", Mission),
        )
    }
    ministry_rows = session.execute(
        select(Ministry.id, Ministry.label_nl, Ministry.valid_from, Ministry.valid_until).where(
            Ministry.active.is_(True)
        )
    ).all()
    current = [
        m.id
        for m in ministry_rows
        if (m.valid_from is None or m.valid_from <= today)
        and (m.valid_until is None or today < m.valid_until)
    ]
    org_types = {
        row.slug: row
        for row in session.execute(
            select(OrganisationType.slug, OrganisationType.id, OrganisationType.kvk_required)
        )
    }
    if not (found["markets"] and org_types and found["provinces"]):
        raise RuntimeError("load the reference data before seeding")
    return Reference(
        **found,
        ministries=current or [m.id for m in ministry_rows],
        ministry_names=[m.label_nl for m in ministry_rows],
        org_types=org_types,
    )
