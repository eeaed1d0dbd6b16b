"""What /voortgang/ shows: per target the latest value, trend, gap and the
yearly change needed; per indicator its current series. Three queries in all."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from tafel import db
from tafel.progress.models import Indicator, Observation, Target

TREND_YEARS = 5


@dataclass
class TargetStatus:
    target: Target
    series: list[Observation]
    latest: Observation | None
    trend: float | None  # average change per year over the last observations
    gap: float | None  # how far the latest value is from the target (0 when met)
    needed: float | None  # change per year needed to reach the target in time
    met: bool

    @property
    def demo(self) -> bool:
        return any(o.demo for o in self.series)


def current_series(indicator_ids=None) -> dict[int, list[Observation]]:
    query = select(Observation).where(Observation.replaced_at.is_(None))
    if indicator_ids is not None:
        ids = [i for i in indicator_ids if i]
        if not ids:
            return {}
        query = query.where(Observation.indicator_id.in_(ids))
    result: dict[int, list[Observation]] = defaultdict(list)
    for obs in db.session.scalars(query):
        result[obs.indicator_id].append(obs)
    for series in result.values():
        series.sort(key=lambda o: o.year)
    return result


def latest_values(indicator_ids) -> dict[int, Observation]:
    """For lower features' pages (programme goals): the latest value per indicator."""
    return {k: v[-1] for k, v in current_series(indicator_ids).items() if v}


def target_status(target: Target, series: list[Observation]) -> TargetStatus:
    latest = series[-1] if series else None
    recent = [o for o in series if latest and o.year > latest.year - TREND_YEARS]
    trend = None
    if len(recent) >= 2 and recent[-1].year > recent[0].year:
        trend = (recent[-1].value - recent[0].value) / (recent[-1].year - recent[0].year)
    gap = needed = None
    met = False
    if latest is not None:
        sign = 1 if target.operator == ">=" else -1
        gap = max(0.0, sign * (target.value - latest.value))
        met = gap == 0
        years = target.year - latest.year
        needed = 0.0 if met else (sign * gap / years if years > 0 else None)
    return TargetStatus(target, series, latest, trend, gap, needed, met)


def overview():
    indicators = list(db.session.scalars(select(Indicator).order_by(Indicator.position)))
    targets = list(db.session.scalars(select(Target).order_by(Target.id)))
    series = current_series()
    statuses = [target_status(t, series.get(t.indicator_id, [])) for t in targets]
    return indicators, statuses, series


def csv_rows(series: dict[int, list[Observation]], indicators: list[Indicator]):
    for indicator in indicators:
        for obs in series.get(indicator.id, []):
            yield [
                indicator.slug,
                obs.period,
                obs.value,
                indicator.unit,
                "voorlopig" if obs.provisional else "definitief",
                obs.source,
                obs.retrieved_on.isoformat(),
                "demo" if obs.demo else "",
            ]
