"""Priority rounds: candidates, the eligible voters (a snapshot taken when the
round opens) and the ballots.

In a secret round nothing ties a ballot to its voter at any moment: casting
sets `EligibleVoter.voted` (the voter's "has voted" row) and adds a ballot
row with only the round, the content and — for a constituency of at least
MIN_GROUP voters — its constituency. A secret ballot is therefore final once
cast. Ballots carry no timestamp and a random text id, and on SQLite the
table has no rowid (`WITHOUT ROWID`: rows are kept in id order, not in the
order they were written); closing a secret round writes them again in random
order under new ids.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tafel.accounts.models import User
from tafel.db import Base, UTCDateTime, one_of, utcnow
from tafel.reference.models import Constituency
from tafel.submissions.models import Submission

METHODS = ("approval", "dot", "ranked", "score")
METHOD_LABELS = {
    "approval": _l("Goedkeuren (kies er hoogstens k)"),
    "dot": _l("Punten verdelen"),
    "ranked": _l("Rangschikken"),
    "score": _l("Cijfer geven (0–5)"),
}
ROUND_STATUSES = ("concept", "open", "gesloten")


class PriorityRound(Base):
    __tablename__ = "priority_rounds"
    __table_args__ = (
        CheckConstraint(one_of("method", METHODS), name="method_known"),
        CheckConstraint(one_of("status", ROUND_STATUSES), name="status_known"),
        CheckConstraint("quorum_percent BETWEEN 0 AND 100", name="quorum_range"),
        CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
        Index("ix_priority_rounds_status_closes", "status", "closes_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    explanation: Mapped[str] = mapped_column(Text, default="")
    method: Mapped[str] = mapped_column(String(10))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    secret: Mapped[bool] = mapped_column(Boolean, default=True)
    quorum_percent: Mapped[int] = mapped_column(Integer, default=50)
    status: Mapped[str] = mapped_column(String(10), default="concept")
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The tally overall and per constituency, stored when the round closes
    # (results.stored_outcome reads it back; nothing can change it after).
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    candidates: Mapped[list[RoundCandidate]] = relationship(
        order_by="RoundCandidate.position", cascade="all, delete-orphan", lazy="selectin"
    )
    created_by: Mapped[User] = relationship()

    def shown_status(self, now: datetime | None = None) -> str:
        """The status as the round's times say it: past its opening time a
        concept shows as open, past its closing time a round shows as closed,
        before the scheduled job (`services.run_schedule`) has made the step.
        Results wait for the real closing (`status == "gesloten"`)."""
        now = now or utcnow()
        if self.status == "gesloten" or self.closes_at <= now:
            return "gesloten"
        if self.status == "open" or self.opens_at <= now:
            return "open"
        return "concept"


class RoundCandidate(Base):
    __tablename__ = "round_candidates"
    __table_args__ = (UniqueConstraint("round_id", "submission_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("priority_rounds.id", ondelete="CASCADE"))
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    # The final rank, stored when the round closes (for timelines and agendas).
    final_position: Mapped[int | None] = mapped_column(Integer)

    submission: Mapped[Submission] = relationship(lazy="joined")


class Ballot(Base):
    __tablename__ = "ballots"
    __table_args__ = (
        # Named rounds: one ballot per member, enforced here as well.
        UniqueConstraint("round_id", "voter_id"),
        {"sqlite_with_rowid": False},
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, no order
    round_id: Mapped[int] = mapped_column(
        ForeignKey("priority_rounds.id", ondelete="CASCADE"), index=True
    )
    constituency_id: Mapped[int | None] = mapped_column(ForeignKey("constituencies.id"))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Set in named rounds only.
    voter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    constituency: Mapped[Constituency | None] = relationship()
    voter: Mapped[User | None] = relationship()


class EligibleVoter(Base):
    """A member who may vote in a round: taken from the tafelleden at opening."""

    __tablename__ = "eligible_voters"
    __table_args__ = (UniqueConstraint("round_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("priority_rounds.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    constituency_id: Mapped[int | None] = mapped_column(ForeignKey("constituencies.id"))
    # The "has voted" mark; in a secret round the only trace of the vote here.
    voted: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User] = relationship()
    constituency: Mapped[Constituency | None] = relationship()
