"""International files (internationale dossiers) and their key dates."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tafel.db import Base, UTCDateTime, one_of, utcnow
from tafel.reference.models import Market, Ministry
from tafel.submissions.models import VISIBILITIES  # visibility as for reports

KINDS = (
    "eu-wetgeving",
    "eu-financiering",
    "handelsmaatregel",
    "exportkans",
    "acquisitie",
    "strategische-afhankelijkheid",
    "samenwerking",
)
KIND_LABELS = {
    "eu-wetgeving": _l("EU-wetgeving"),
    "eu-financiering": _l("EU-financiering (zoals een IPCEI)"),
    "handelsmaatregel": _l("Handelsmaatregel"),
    "exportkans": _l("Exportkans"),
    "acquisitie": _l("Acquisitie"),
    "strategische-afhankelijkheid": _l("Strategische afhankelijkheid"),
    "samenwerking": _l("Samenwerking of alliantie"),
}
# The letter: analyses of strategic dependencies are confidential.
ALWAYS_CONFIDENTIAL = "strategische-afhankelijkheid"
STATUSES = ("lopend", "onderhandeling", "besloten", "afgerond")
STATUS_LABELS = {
    "lopend": _l("Lopend"),
    "onderhandeling": _l("In onderhandeling"),
    "besloten": _l("Besloten"),
    "afgerond": _l("Afgerond"),
}

file_markets = Table(
    "international_file_markets",
    Base.metadata,
    Column("file_id", ForeignKey("international_files.id", ondelete="CASCADE"), primary_key=True),
    Column("market_id", ForeignKey("markets.id"), primary_key=True, index=True),
)
file_submissions = Table(
    "international_file_submissions",
    Base.metadata,
    Column("file_id", ForeignKey("international_files.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "submission_id",
        ForeignKey("submissions.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)
file_decisions = Table(
    "international_file_decisions",
    Base.metadata,
    Column("file_id", ForeignKey("international_files.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "decision_id", ForeignKey("decisions.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)
file_actions = Table(
    "international_file_actions",
    Base.metadata,
    Column("file_id", ForeignKey("international_files.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "action_id",
        ForeignKey("programme_actions.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class InternationalFile(Base):
    __tablename__ = "international_files"
    __table_args__ = (
        CheckConstraint(one_of("kind", KINDS), name="kind_known"),
        CheckConstraint(one_of("status", STATUSES), name="status_known"),
        CheckConstraint(one_of("visibility", VISIBILITIES), name="visibility_known"),
        CheckConstraint(
            f"kind <> '{ALWAYS_CONFIDENTIAL}' OR visibility = 'vertrouwelijk'",
            name="dependency_confidential",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(30))
    celex: Mapped[str | None] = mapped_column(String(20), index=True)
    com_number: Mapped[str | None] = mapped_column(String(30))
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    lead_ministry_id: Mapped[int | None] = mapped_column(ForeignKey("ministries.id"))
    position: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="lopend")
    visibility: Mapped[str] = mapped_column(String(15), default="openbaar")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lead_ministry: Mapped[Ministry | None] = relationship()
    markets: Mapped[list[Market]] = relationship(secondary=file_markets)
    dates: Mapped[list[KeyDate]] = relationship(
        cascade="all, delete-orphan", order_by="KeyDate.day, KeyDate.id"
    )


class KeyDate(Base):
    __tablename__ = "international_dates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_id: Mapped[int] = mapped_column(
        ForeignKey("international_files.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    day: Mapped[date] = mapped_column(Date, index=True)
    deadline: Mapped[bool] = mapped_column(Boolean, default=False)
