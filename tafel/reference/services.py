"""Load taxonomy.json into the reference tables.

Loading is idempotent: entries are matched by slug (abbreviation for
ministries, ISO code for provinces); missing entries are added, existing
ones are left as the admin keeps them.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from tafel import db
from tafel.reference import cache as _cache  # noqa: F401 - bumps the version on every change
from tafel.reference.models import KINDS, Constituency, Ministry, OrganisationType


def taxonomy_path(reference_dir: Path) -> Path:
    return Path(reference_dir) / "taxonomy.json"


def read_taxonomy(reference_dir: Path) -> dict[str, Any]:
    with taxonomy_path(reference_dir).open(encoding="utf-8") as handle:
        return json.load(handle)


def _slug(entry: dict[str, Any]) -> str:
    return entry.get("slug") or entry.get("abbr") or entry["code"]


def load_reference_data(taxonomy: dict[str, Any]) -> dict[str, int]:
    """Insert missing reference entries; return how many were added per kind."""
    added: dict[str, int] = {}
    # Constituencies first: organisation types refer to them.
    order = ["constituencies"] + [k for k in KINDS if k != "constituencies"]
    for kind in order:
        model = KINDS[kind]
        existing = {row.slug: row for row in db.session.scalars(select(model))}
        count = 0
        for position, entry in enumerate(taxonomy.get(kind, [])):
            slug = _slug(entry)
            if slug in existing:
                continue
            row = model(
                slug=slug,
                label_nl=entry["nl"],
                label_en=entry.get("en"),
                position=position,
                active=True,
            )
            if model is OrganisationType:
                row.constituency = _by_slug(Constituency, entry["constituency"])
                row.kvk_required = bool(entry.get("kvk"))
            if model is Ministry:
                row.valid_from = _date(entry.get("valid_from"))
                row.valid_until = _date(entry.get("valid_until"))
            db.session.add(row)
            existing[slug] = row
            count += 1
        db.session.flush()
        added[kind] = count
    _link_successors(taxonomy.get("ministries", []))
    return added


def _link_successors(entries: list[dict[str, Any]]) -> None:
    ministries = {m.slug: m for m in db.session.scalars(select(Ministry))}
    for entry in entries:
        successor = entry.get("successor")
        ministry = ministries.get(entry["abbr"])
        if successor and ministry is not None and ministry.successor_id is None:
            ministry.successor = ministries.get(successor)
    db.session.flush()


def _by_slug(model, slug: str):
    return db.session.scalars(select(model).where(model.slug == slug)).one()


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def active_choices(model) -> list:
    """Active entries of a reference kind, in file order."""
    return list(
        db.session.scalars(
            select(model).where(model.active.is_(True)).order_by(model.position, model.id)
        )
    )


def current_ministries(today: date) -> list[Ministry]:
    return [m for m in active_choices(Ministry) if m.is_valid_on(today)]


def update_entry(entry, actor, *, label_nl: str, label_en: str | None, active: bool) -> None:
    """Edit a reference entry's labels or (de)activate it; audited."""
    from tafel.core import audit

    before = {"label_nl": entry.label_nl, "label_en": entry.label_en, "active": entry.active}
    entry.label_nl = label_nl.strip()
    entry.label_en = (label_en or "").strip() or None
    entry.active = active
    after = {"label_nl": entry.label_nl, "label_en": entry.label_en, "active": entry.active}
    old, new = audit.changes(before, after)
    if new:
        audit.record("reference.update", entry, actor, before=old, after=new)
