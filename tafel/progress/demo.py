"""Demo observations: invented figures so the page has something to show,
every row with the source "voorbeeldcijfers (demo)" and the demo flag, which
every page that shows them states. Never statistics; a real import of the
same period revises them (the demo row stays, marked replaced)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tafel import db
from tafel.progress.models import DEMO_SOURCE, Indicator, Observation

# Invented example series (not CBS or Eurostat figures).
SERIES = {
    "industrie-aandeel": [("2020", 12.0), ("2021", 12.2), ("2022", 12.1), ("2023", 12.3)],
    "rd-intensiteit": [("2020", 2.2), ("2021", 2.25), ("2022", 2.3), ("2023", 2.35)],
}
RETRIEVED = date(2026, 12, 1)


def load_observations() -> int:
    indicators = {i.slug: i for i in db.session.scalars(select(Indicator))}
    added = 0
    for slug, points in SERIES.items():
        indicator = indicators.get(slug)
        if indicator is None:
            continue
        have = set(
            db.session.scalars(
                select(Observation.period).where(Observation.indicator_id == indicator.id)
            )
        )
        for period, value in points:
            if period in have:
                continue
            db.session.add(
                Observation(
                    indicator_id=indicator.id,
                    period=period,
                    value=value,
                    provisional=period == points[-1][0],
                    source=DEMO_SOURCE,
                    retrieved_on=RETRIEVED,
                    demo=True,
                )
            )
            added += 1
    db.session.flush()
    return added
