"""Market programmes (marktprogramma's): goals, actions per action line, their
impact, money, milestones and dated progress updates; and the reference lists
of programmes.json the actions choose from (dimensions, funding statuses and
sources, instruments)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tafel.accounts.models import Organisation, User
from tafel.db import Base, UTCDateTime, one_of, utcnow
from tafel.reference.models import (
    ActionLine,
    Market,
    Ministry,
    Mission,
    ReferenceMixin,
    Technology,
)
from tafel.submissions.models import VISIBILITIES  # visibility as for reports

VISIBILITY_LABELS = {
    "openbaar": _l("Openbaar"),
    "tafel": _l("Tafel"),
    "vertrouwelijk": _l("Vertrouwelijk"),
}
PROGRAMME_STATUSES = ("in_voorbereiding", "actief", "afgerond")
PROGRAMME_STATUS_LABELS = {
    "in_voorbereiding": _l("In voorbereiding"),
    "actief": _l("Actief"),
    "afgerond": _l("Afgerond"),
}
ACTION_STATUSES = ("gepland", "in_uitvoering", "gerealiseerd", "vervallen")
ACTION_STATUS_LABELS = {
    "gepland": _l("Gepland"),
    "in_uitvoering": _l("In uitvoering"),
    "gerealiseerd": _l("Gerealiseerd"),
    "vervallen": _l("Vervallen"),
}
GOAL_STATUSES = ("open", "op_koers", "achter", "bereikt")
GOAL_STATUS_LABELS = {
    "open": _l("Nog niet gemeten"),
    "op_koers": _l("Op koers"),
    "achter": _l("Loopt achter"),
    "bereikt": _l("Bereikt"),
}
LEVELS = ("laag", "middel", "hoog")
LEVEL_LABELS = {"laag": _l("Laag"), "middel": _l("Middel"), "hoog": _l("Hoog")}
RAG = ("groen", "oranje", "rood")
RAG_LABELS = {
    "groen": _l("Groen: op schema"),
    "oranje": _l("Oranje: risico"),
    "rood": _l("Rood: loopt vast"),
}


class Dimension(ReferenceMixin, Base):
    """Verdienvermogen, economische weerbaarheid, maatschappelijke opgaven."""

    __tablename__ = "programme_dimensions"


class FundingStatus(ReferenceMixin, Base):
    __tablename__ = "funding_statuses"


class FundingSource(ReferenceMixin, Base):
    __tablename__ = "funding_sources"


class Instrument(ReferenceMixin, Base):
    __tablename__ = "instruments"

    kind: Mapped[str] = mapped_column(String(40), default="")


# The programme reference kinds, keyed by their programmes.json section.
REFERENCE_KINDS: dict[str, type[ReferenceMixin]] = {
    "programme_dimensions": Dimension,
    "funding_statuses": FundingStatus,
    "funding_sources": FundingSource,
    "instruments": Instrument,
}


class Programme(Base):
    __tablename__ = "programmes"
    __table_args__ = (
        CheckConstraint(one_of("status", PROGRAMME_STATUSES), name="status_known"),
        CheckConstraint(one_of("visibility", VISIBILITIES), name="visibility_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    market_id: Mapped[int | None] = mapped_column(ForeignKey("markets.id"), index=True)
    name_nl: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str | None] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    lead_ministry_id: Mapped[int | None] = mapped_column(ForeignKey("ministries.id"))
    ez_lead_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    period_start: Mapped[int | None] = mapped_column(Integer)
    period_end: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="in_voorbereiding")
    visibility: Mapped[str] = mapped_column(String(15), default="openbaar")
    initiatives: Mapped[list[str]] = mapped_column(JSON, default=list)
    forecasts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    market: Mapped[Market | None] = relationship()
    lead_ministry: Mapped[Ministry | None] = relationship()
    ez_lead: Mapped[User | None] = relationship()
    goals: Mapped[list[Goal]] = relationship(
        back_populates="programme", order_by="Goal.position, Goal.id"
    )

    @property
    def name(self) -> str:
        from flask_babel import get_locale

        locale = get_locale()
        if locale is not None and locale.language == "en" and self.name_en:
            return self.name_en
        return self.name_nl


class Goal(Base):
    __tablename__ = "programme_goals"
    __table_args__ = (CheckConstraint(one_of("status", GOAL_STATUSES), name="status_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    # An indicator of tafel.progress (a higher feature: no relationship here;
    # progress shows the latest value through a template helper).
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("indicators.id"), index=True)
    baseline_value: Mapped[float | None] = mapped_column()
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    target_value: Mapped[float | None] = mapped_column()
    target_year: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(15), default="open")

    programme: Mapped[Programme] = relationship(back_populates="goals")


def _link(name: str, column: str, target: str) -> Table:
    return Table(
        name,
        Base.metadata,
        Column(
            "action_id", ForeignKey("programme_actions.id", ondelete="CASCADE"), primary_key=True
        ),
        Column(column, ForeignKey(target), primary_key=True, index=True),
    )


action_technologies = _link("programme_action_technologies", "technology_id", "technologies.id")
action_missions = _link("programme_action_missions", "mission_id", "missions.id")
action_instruments = _link("programme_action_instruments", "instrument_id", "instruments.id")
action_organisations = _link(
    "programme_action_organisations", "organisation_id", "organisations.id"
)
action_ministries = _link("programme_action_ministries", "ministry_id", "ministries.id")


class ProgrammeAction(Base):
    __tablename__ = "programme_actions"
    __table_args__ = (
        CheckConstraint(one_of("status", ACTION_STATUSES), name="status_known"),
        CheckConstraint(one_of("visibility", VISIBILITIES), name="visibility_known"),
        CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="period_order"
        ),
        # The rules of the letter, also in the database.
        CheckConstraint(
            "status <> 'in_uitvoering' OR (end_date IS NOT NULL AND "
            "(lead_organisation_id IS NOT NULL OR lead_ministry_id IS NOT NULL))",
            name="running_has_lead_and_end",
        ),
        CheckConstraint("status <> 'vervallen' OR reason <> ''", name="lapsed_has_reason"),
        CheckConstraint("amount_eur IS NULL OR amount_eur >= 0", name="amount_positive"),
        Index("ix_programme_actions_programme_line", "programme_id", "action_line_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    action_line_id: Mapped[int] = mapped_column(ForeignKey("action_lines.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(15), default="gepland")
    reason: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[str] = mapped_column(String(15), default="tafel")
    amount_eur: Mapped[int | None] = mapped_column(BigInteger)
    funding_source_id: Mapped[int | None] = mapped_column(ForeignKey("funding_sources.id"))
    funding_status_id: Mapped[int | None] = mapped_column(ForeignKey("funding_statuses.id"))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    lead_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    lead_ministry_id: Mapped[int | None] = mapped_column(ForeignKey("ministries.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    programme: Mapped[Programme] = relationship()
    action_line: Mapped[ActionLine] = relationship()
    funding_source: Mapped[FundingSource | None] = relationship()
    funding_status: Mapped[FundingStatus | None] = relationship()
    lead_organisation: Mapped[Organisation | None] = relationship()
    lead_ministry: Mapped[Ministry | None] = relationship()
    technologies: Mapped[list[Technology]] = relationship(secondary=action_technologies)
    missions: Mapped[list[Mission]] = relationship(secondary=action_missions)
    instruments: Mapped[list[Instrument]] = relationship(secondary=action_instruments)
    organisations: Mapped[list[Organisation]] = relationship(secondary=action_organisations)
    ministries: Mapped[list[Ministry]] = relationship(secondary=action_ministries)
    impacts: Mapped[list[ActionImpact]] = relationship(
        cascade="all, delete-orphan", order_by="ActionImpact.dimension_id"
    )
    milestones: Mapped[list[Milestone]] = relationship(
        cascade="all, delete-orphan", order_by="Milestone.due_date, Milestone.id"
    )
    updates: Mapped[list[ProgressUpdate]] = relationship(
        cascade="all, delete-orphan", order_by="ProgressUpdate.id"
    )

    @property
    def lead_label(self) -> str:
        if self.lead_organisation is not None:
            return self.lead_organisation.name
        return self.lead_ministry.label if self.lead_ministry is not None else ""


class ActionImpact(Base):
    __tablename__ = "programme_action_impacts"
    __table_args__ = (
        UniqueConstraint("action_id", "dimension_id"),
        CheckConstraint(one_of("level", LEVELS), name="level_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("programme_actions.id", ondelete="CASCADE"), index=True
    )
    dimension_id: Mapped[int] = mapped_column(ForeignKey("programme_dimensions.id"))
    level: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text, default="")

    dimension: Mapped[Dimension] = relationship(lazy="joined")


class Milestone(Base):
    __tablename__ = "programme_milestones"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("programme_actions.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    due_date: Mapped[date] = mapped_column(Date, index=True)
    done_on: Mapped[date | None] = mapped_column(Date)


class ProgressUpdate(Base):
    __tablename__ = "programme_updates"
    __table_args__ = (CheckConstraint(one_of("rag", RAG), name="rag_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("programme_actions.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date)
    rag: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship()


class ActionVersion(Base):
    """Every saved state of an action, numbered (the audit log says who and why)."""

    __tablename__ = "programme_action_versions"
    __table_args__ = (UniqueConstraint("action_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("programme_actions.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SubmissionLink(Base):
    """A report (knelpunt or signaal) taken up in a programme action."""

    __tablename__ = "programme_action_submissions"
    __table_args__ = (UniqueConstraint("action_id", "submission_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("programme_actions.id", ondelete="CASCADE"), index=True
    )
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    action: Mapped[ProgrammeAction] = relationship()


class ProgrammeDecisionLink(Base):
    """A decision of the table that creates or changes a programme action."""

    __tablename__ = "programme_action_decisions"
    __table_args__ = (UniqueConstraint("action_id", "decision_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("programme_actions.id", ondelete="CASCADE"), index=True
    )
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decisions.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
