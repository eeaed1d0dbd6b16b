"""Ministry responses ("comply or explain") to accepted reports.

A response's action items (`Response.actions`) are `tafel.actions.models.ActionItem`,
named by string so this module imports no higher feature.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tafel.accounts.models import User
from tafel.db import Base, UTCDateTime, one_of, utcnow
from tafel.decisions.models import EXPLAINED, OUTCOMES
from tafel.reference.models import Ministry
from tafel.submissions.models import Submission

STATUSES = ("concept", "ter_review", "gepubliceerd")
STATUS_LABELS = {
    "concept": _l("Concept"),
    "ter_review": _l("Ter beoordeling"),
    "gepubliceerd": _l("Gepubliceerd"),
}


class Response(Base):
    """The responsible ministry's answer to an accepted submission ("comply or explain")."""

    __tablename__ = "responses"
    __table_args__ = (
        CheckConstraint(one_of("status", STATUSES), name="status_known"),
        CheckConstraint("outcome IS NULL OR " + one_of("outcome", OUTCOMES), name="outcome_known"),
        CheckConstraint(
            f"outcome IS NULL OR outcome NOT IN ('deels', 'niet') OR {EXPLAINED}",
            name="explained",
        ),
        # A published response has its outcome and its moment of publication.
        CheckConstraint(
            "status <> 'gepubliceerd' OR (outcome IS NOT NULL AND published_at IS NOT NULL)",
            name="published_complete",
        ),
        Index("ix_responses_ministry_status_due", "ministry_id", "status", "due_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), unique=True)
    ministry_id: Mapped[int] = mapped_column(ForeignKey("ministries.id"))
    due_date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(12), default="concept")
    outcome: Mapped[str | None] = mapped_column(String(20))
    explanation: Mapped[str] = mapped_column(Text, default="")
    measures: Mapped[str] = mapped_column(Text, default="")
    drafted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    review_note: Mapped[str] = mapped_column(Text, default="")
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    overdue_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    submission: Mapped[Submission] = relationship()
    ministry: Mapped[Ministry] = relationship()
    drafted_by: Mapped[User | None] = relationship(foreign_keys=[drafted_by_id])
    # tafel.actions.models.ActionItem, by name (a higher feature).
    actions: Mapped[list[Any]] = relationship(
        "ActionItem",
        order_by="ActionItem.due_date",
        foreign_keys="ActionItem.response_id",
        back_populates="response",
    )
