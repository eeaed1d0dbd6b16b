"""Economic progress: indicators, the cabinet's targets and the observations
imported for them. An observation that is revised stays, marked replaced."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tafel.db import Base, UTCDateTime, one_of, utcnow

DIRECTIONS = ("up", "down")
OPERATORS = (">=", "<=")
FORMATS = ("csv", "cbs-odata", "sdmx-csv")
FORMAT_LABELS = {
    "csv": _l("CSV (indicator, periode, waarde, …)"),
    "cbs-odata": _l("CBS OData v4 (JSON)"),
    "sdmx-csv": _l("Eurostat SDMX-CSV"),
}
DEMO_SOURCE = "voorbeeldcijfers (demo)"


def _label(nl: str, en: str | None) -> str:
    locale = get_locale()
    return en if locale is not None and locale.language == "en" and en else nl


class Indicator(Base):
    __tablename__ = "indicators"
    __table_args__ = (CheckConstraint(one_of("direction", DIRECTIONS), name="direction_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    label_nl: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str | None] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(4), default="up")
    frequency: Mapped[str] = mapped_column(String(10), default="year")
    definition: Mapped[str] = mapped_column(Text, default="")
    # [{"publisher": "CBS", "dataset": "…"}, …] as in programmes.json
    datasets: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def label(self) -> str:
        return _label(self.label_nl, self.label_en)


class Target(Base):
    __tablename__ = "targets"
    __table_args__ = (CheckConstraint(one_of("operator", OPERATORS), name="operator_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    label_nl: Mapped[str] = mapped_column(String(300))
    label_en: Mapped[str | None] = mapped_column(String(300))
    operator: Mapped[str] = mapped_column(String(2), default=">=")
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text, default="")

    indicator: Mapped[Indicator] = relationship(lazy="joined")

    @property
    def label(self) -> str:
        return _label(self.label_nl, self.label_en)


class Observation(Base):
    """One value of an indicator for a period ("2023", "2023-Q2"). A revision
    adds a row and marks the old one replaced (`replaced_at`), so the old value
    is kept and a frozen snapshot can still name it."""

    __tablename__ = "observations"
    __table_args__ = (
        Index("ix_observations_current", "indicator_id", "replaced_at", "period"),
        # One current value per indicator and period, even with two imports at once.
        Index(
            "uq_observations_current_period",
            "indicator_id",
            "period",
            unique=True,
            sqlite_where=text("replaced_at IS NULL"),
            postgresql_where=text("replaced_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    period: Mapped[str] = mapped_column(String(10))
    value: Mapped[float] = mapped_column(Float)
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(300))
    retrieved_on: Mapped[date] = mapped_column(Date)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    replaced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    indicator: Mapped[Indicator] = relationship()

    @property
    def year(self) -> float:
        """The period as a number on the time axis (2023-Q3 is 2023.5)."""
        year, _, rest = self.period.partition("-")
        quarter = int(rest[1:]) if rest.startswith("Q") else 0
        return int(year) + (quarter - 1) / 4 if quarter else float(year)


class AgendaSnapshot(Base):
    """A "voortgang" agenda item's subject ("voortgang" for the economic progress,
    "programme:<slug>" for a programme) and the figures and action statuses
    frozen when its meeting is published (`progress.snapshots`)."""

    __tablename__ = "agenda_snapshots"

    item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True
    )
    subject: Mapped[str] = mapped_column(String(80), default="voortgang")
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
