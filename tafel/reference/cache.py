"""Reference data for filter dropdowns and labels, cached per process.

`choices(Model)` gives the active entries of a reference kind as immutable
`Choice` values, read from the database only when the reference version
(core/cache.py) has moved. Any flush that adds, changes or removes a
reference row — an admin edit, loading taxonomy.json, a test factory — bumps
that version in the same transaction, so every process sees the change after
the commit. Forms that assign the chosen entry to a row keep using
`services.active_choices` (ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import chain

from flask_babel import get_locale
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from tafel import db
from tafel.core import cache
from tafel.reference.models import KINDS, Ministry, ReferenceMixin

NAME = "reference"


@dataclass(frozen=True, slots=True)
class Choice:
    id: int
    slug: str
    label_nl: str
    label_en: str | None
    position: int
    valid_from: date | None = None
    valid_until: date | None = None

    @property
    def label(self) -> str:
        locale = get_locale()
        if locale is not None and locale.language == "en" and self.label_en:
            return self.label_en
        return self.label_nl

    def __str__(self) -> str:
        return self.label

    def is_valid_on(self, day: date) -> bool:
        return Ministry.is_valid_on(self, day)  # type: ignore[arg-type]


def _load() -> dict[str, tuple[Choice, ...]]:
    """Every reference kind's active entries, in file order (one query each)."""
    loaded = {}
    for model in KINDS.values():
        rows = db.session.scalars(
            select(model).where(model.active.is_(True)).order_by(model.position, model.id)
        )
        loaded[model.__name__] = tuple(
            Choice(
                id=row.id,
                slug=row.slug,
                label_nl=row.label_nl,
                label_en=row.label_en,
                position=row.position,
                valid_from=getattr(row, "valid_from", None),
                valid_until=getattr(row, "valid_until", None),
            )
            for row in rows
        )
    return loaded


def choices(model: type[ReferenceMixin]) -> tuple[Choice, ...]:
    """The active entries of `model`, from this process's copy."""
    return cache.cached(NAME, _load)[model.__name__]


@event.listens_for(Session, "after_flush")
def _reference_changed(session: Session, _context) -> None:
    changed = chain(session.new, session.dirty, session.deleted)
    if any(isinstance(obj, ReferenceMixin) for obj in changed):
        cache.bump(session.connection(), NAME)
