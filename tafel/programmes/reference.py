"""Load programmes.json: the lists actions choose from (dimensions, funding
statuses and sources, instruments) and one programme per market.

Idempotent like the taxonomy loader: entries are matched by slug; missing ones
are added, existing ones are left as the secretariat and the beheerder keep them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from tafel import db
from tafel.programmes.models import REFERENCE_KINDS, Instrument, Programme
from tafel.reference.models import Market, Ministry

LEAD_MINISTRY = "EZK"


def read_programmes(reference_dir: Path) -> dict[str, Any] | None:
    path = Path(reference_dir) / "programmes.json"
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def load_programme_reference(data: dict[str, Any]) -> dict[str, int]:
    """Insert the missing entries; return how many were added per section."""
    added: dict[str, int] = {}
    for kind, model in REFERENCE_KINDS.items():
        model_: Any = model
        existing = set(db.session.scalars(select(model_.slug)))
        count = 0
        for position, entry in enumerate(data.get(kind, [])):
            if entry["slug"] in existing:
                continue
            row = model_(
                slug=entry["slug"],
                label_nl=entry["nl"],
                label_en=entry.get("en"),
                position=position,
                active=True,
            )
            if model is Instrument:
                row.kind = entry.get("kind", "")
            db.session.add(row)
            existing.add(entry["slug"])
            count += 1
        added[kind] = count
    db.session.flush()
    added["programmes"] = _load_programmes(data.get("programmes", []))
    return added


def _load_programmes(entries: list[dict[str, Any]]) -> int:
    existing = set(db.session.scalars(select(Programme.slug)))
    markets = {m.slug: m for m in db.session.scalars(select(Market))}
    lead = db.session.scalar(select(Ministry).where(Ministry.slug == LEAD_MINISTRY))
    count = 0
    for entry in entries:
        if entry["market"] in existing:
            continue
        db.session.add(
            Programme(
                slug=entry["market"],
                market=markets.get(entry["market"]),
                name_nl=entry["nl"],
                name_en=entry.get("en"),
                summary=entry.get("summary_nl", ""),
                lead_ministry=lead,
                status="actief",
                visibility="openbaar",
                initiatives=list(entry.get("initiatives", [])),
                forecasts=list(entry.get("forecasts", [])),
            )
        )
        count += 1
    db.session.flush()
    return count
