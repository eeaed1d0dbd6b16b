"""Decisions with their amendments and motion votes.

A decision's action items (`Decision.actions`) are `tafel.actions.models.ActionItem`,
named by string so this module imports no higher feature; `tafel.models` imports
every model module, so the mapper is complete before it is used.

Decision numbers (B-2026-001, …) come from a counter row per year that is
raised inside the transaction that records the decision: a rollback gives
the number back, and concurrent transactions wait for each other's row lock,
so numbers are gap-free and unique.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tafel.accounts.models import Organisation, User
from tafel.db import Base, UTCDateTime, one_of, utcnow
from tafel.meetings.models import AgendaItem, Meeting
from tafel.reference.models import Ministry
from tafel.submissions.models import Submission

# A decision's outcome; a ministry's response (tafel.responses) uses the same values.
OUTCOMES = ("overnemen", "deels", "niet", "nader_onderzoek")
OUTCOME_LABELS = {
    "overnemen": _l("Overnemen"),
    "deels": _l("Deels overnemen"),
    "niet": _l("Niet overnemen"),
    "nader_onderzoek": _l("Nader onderzoek"),
}
# The outcomes that need an explanation.
EXPLAIN = frozenset({"deels", "niet"})
# SQL: the explanation holds more than spaces (the database requires it for EXPLAIN).
EXPLAINED = "length(trim(explanation)) > 0"
CHOICES = ("voor", "tegen", "onthouding")
CHOICE_LABELS = {"voor": _l("Voor"), "tegen": _l("Tegen"), "onthouding": _l("Onthouding")}
MAJORITIES = ("simple", "two_thirds")
MAJORITY_LABELS = {
    "simple": _l("Gewone meerderheid van de uitgebrachte stemmen"),
    "two_thirds": _l("Twee derde van de uitgebrachte stemmen"),
}
# How far a decision's action items are (derived, not stored): see queries.implementation_of.
IMPLEMENTATION = ("geen_acties", "lopend", "achterstallig", "uitgevoerd")
IMPLEMENTATION_LABELS = {
    "geen_acties": _l("Geen actiepunten"),
    "lopend": _l("In uitvoering"),
    "achterstallig": _l("Achterstallig"),
    "uitgevoerd": _l("Uitgevoerd"),
}


class DecisionCounter(Base):
    __tablename__ = "decision_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Decision(Base):
    __tablename__ = "decisions"
    __table_args__ = (
        UniqueConstraint("year", "sequence"),
        CheckConstraint(one_of("outcome", OUTCOMES), name="outcome_known"),
        CheckConstraint(f"outcome NOT IN ('deels', 'niet') OR {EXPLAINED}", name="explained"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(20), index=True)
    explanation: Mapped[str] = mapped_column(Text, default="")
    ministry_id: Mapped[int | None] = mapped_column(ForeignKey("ministries.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    # Openbaar only when every linked submission is; kept up to date by the services.
    public: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    meeting: Mapped[Meeting] = relationship()
    agenda_item: Mapped[AgendaItem] = relationship()
    ministry: Mapped[Ministry | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    created_by: Mapped[User] = relationship()
    links: Mapped[list[DecisionLink]] = relationship(
        cascade="all, delete-orphan", order_by="DecisionLink.id"
    )
    amendments: Mapped[list[DecisionAmendment]] = relationship(
        cascade="all, delete-orphan", order_by="DecisionAmendment.id"
    )
    motion: Mapped[Motion | None] = relationship(cascade="all, delete-orphan", uselist=False)
    # tafel.actions.models.ActionItem, by name (a higher feature).
    actions: Mapped[list[Any]] = relationship(
        "ActionItem",
        order_by="ActionItem.due_date",
        foreign_keys="ActionItem.decision_id",
        back_populates="decision",
    )


class DecisionLink(Base):
    __tablename__ = "decision_links"
    __table_args__ = (UniqueConstraint("decision_id", "submission_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"))
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)

    submission: Mapped[Submission] = relationship()


class DecisionAmendment(Base):
    """A dated, visible correction; the original decision text stays as it was."""

    __tablename__ = "decision_amendments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decisions.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship()


class Motion(Base):
    """A named vote on a decision by the members present."""

    __tablename__ = "motions"
    __table_args__ = (CheckConstraint(one_of("majority", MAJORITIES), name="majority_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decisions.id", ondelete="CASCADE"), unique=True
    )
    majority: Mapped[str] = mapped_column(String(12), default="simple")
    # The vote counts only when at least this many members are recorded as present.
    quorum: Mapped[int] = mapped_column(Integer, default=1)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    votes_for: Mapped[int | None] = mapped_column(Integer)
    votes_against: Mapped[int | None] = mapped_column(Integer)
    abstentions: Mapped[int | None] = mapped_column(Integer)
    quorum_met: Mapped[bool | None] = mapped_column(Boolean)
    adopted: Mapped[bool | None] = mapped_column(Boolean)

    votes: Mapped[list[MotionVote]] = relationship(
        cascade="all, delete-orphan", order_by="MotionVote.id"
    )
    recusals: Mapped[list[Recusal]] = relationship(
        cascade="all, delete-orphan", order_by="Recusal.id"
    )


class MotionVote(Base):
    __tablename__ = "motion_votes"
    __table_args__ = (
        UniqueConstraint("motion_id", "user_id"),
        CheckConstraint(one_of("choice", CHOICES), name="choice_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    motion_id: Mapped[int] = mapped_column(ForeignKey("motions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    choice: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class Recusal(Base):
    """A member who declared a conflict of interest and does not vote."""

    __tablename__ = "recusals"
    __table_args__ = (UniqueConstraint("motion_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    motion_id: Mapped[int] = mapped_column(ForeignKey("motions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
