"""Action items, from a decision or a ministry response, and their progress updates."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tafel.accounts.models import Organisation, User
from tafel.db import Base, UTCDateTime, one_of, utcnow
from tafel.decisions.models import Decision
from tafel.reference.models import Ministry
from tafel.responses.models import Response

STATUSES = ("gepland", "in_uitvoering", "gerealiseerd", "vervallen")
STATUS_LABELS = {
    "gepland": _l("Gepland"),
    "in_uitvoering": _l("In uitvoering"),
    "gerealiseerd": _l("Gerealiseerd"),
    "vervallen": _l("Vervallen"),
}
OPEN = ("gepland", "in_uitvoering")
FINAL = ("gerealiseerd", "vervallen")


class ActionItem(Base):
    __tablename__ = "action_items"
    __table_args__ = (
        CheckConstraint(one_of("status", STATUSES), name="status_known"),
        CheckConstraint("decision_id IS NOT NULL OR response_id IS NOT NULL", name="has_origin"),
        Index("ix_action_items_status_due", "status", "due_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"), index=True)
    response_id: Mapped[int | None] = mapped_column(ForeignKey("responses.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner_ministry_id: Mapped[int | None] = mapped_column(ForeignKey("ministries.id"), index=True)
    owner_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id"), index=True
    )
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(15), default="gepland")
    reason: Mapped[str] = mapped_column(Text, default="")
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    decision: Mapped[Decision | None] = relationship(
        foreign_keys=[decision_id], back_populates="actions"
    )
    response: Mapped[Response | None] = relationship(
        foreign_keys=[response_id], back_populates="actions"
    )
    owner_ministry: Mapped[Ministry | None] = relationship()
    owner_organisation: Mapped[Organisation | None] = relationship()
    owner_user: Mapped[User | None] = relationship(foreign_keys=[owner_user_id])
    updates: Mapped[list[ActionUpdate]] = relationship(
        cascade="all, delete-orphan", order_by="ActionUpdate.id"
    )


class ActionUpdate(Base):
    __tablename__ = "action_updates"
    __table_args__ = (CheckConstraint(one_of("status", STATUSES), name="status_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("action_items.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(15))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship()
