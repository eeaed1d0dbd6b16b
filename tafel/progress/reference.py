"""Load the indicators and the cabinet's targets from programmes.json
(idempotent: matched by slug, existing rows left as the beheerder keeps them).
No observed values are shipped; they are imported (`progress.imports`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tafel import db
from tafel.progress.models import Indicator, Target


def load_progress_reference(data: dict[str, Any]) -> dict[str, int]:
    indicators = {i.slug: i for i in db.session.scalars(select(Indicator))}
    added = {"indicators": 0, "targets": 0}
    for position, entry in enumerate(data.get("indicators", [])):
        if entry["slug"] in indicators:
            continue
        row = Indicator(
            slug=entry["slug"],
            label_nl=entry["nl"],
            label_en=entry.get("en"),
            unit=entry["unit"],
            direction=entry.get("direction", "up"),
            frequency=entry.get("frequency", "year"),
            definition=entry.get("definition", ""),
            datasets=list(entry.get("source_datasets", [])),
            position=position,
        )
        db.session.add(row)
        indicators[row.slug] = row
        added["indicators"] += 1
    db.session.flush()
    targets = set(db.session.scalars(select(Target.slug)))
    for entry in data.get("targets", []):
        if entry["slug"] in targets:
            continue
        db.session.add(
            Target(
                slug=entry["slug"],
                indicator=indicators[entry["indicator"]],
                label_nl=entry["nl"],
                label_en=entry.get("en"),
                operator=entry.get("operator", ">="),
                value=float(entry["value"]),
                unit=entry["unit"],
                year=int(entry["year"]),
                source=entry.get("source", ""),
            )
        )
        added["targets"] += 1
    db.session.flush()
    return added
