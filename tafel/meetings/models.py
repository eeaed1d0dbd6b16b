"""Meetings, their agenda items, linked submissions, documents, attendance
and minutes (every revision kept; addenda after approval)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
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
from tafel.core.uploads import FileColumns
from tafel.db import Base, UTCDateTime, one_of, utcnow
from tafel.submissions.models import Submission

MEETING_STATUSES = ("concept", "gepubliceerd", "gehouden", "notulen_vastgesteld", "geannuleerd")
STATUS_LABELS = {
    "concept": _l("Concept"),
    "gepubliceerd": _l("Gepubliceerd"),
    "gehouden": _l("Gehouden"),
    "notulen_vastgesteld": _l("Notulen vastgesteld"),
    "geannuleerd": _l("Geannuleerd"),
}
ITEM_KINDS = ("informatie", "bespreking", "besluitvorming", "voortgang")
KIND_LABELS = {
    "informatie": _l("Ter informatie"),
    "bespreking": _l("Ter bespreking"),
    "besluitvorming": _l("Ter besluitvorming"),
    "voortgang": _l("Voortgang"),
}
PRESENCE = ("aanwezig", "afwezig", "vervanger")
PRESENCE_LABELS = {
    "aanwezig": _l("Aanwezig"),
    "afwezig": _l("Afwezig"),
    "vervanger": _l("Vervanger"),
}
DOCUMENT_VISIBILITY = ("openbaar", "tafel")
STANDARD_ITEMS = ("opening", "minutes", "closing")


class Meeting(Base):
    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint(one_of("status", MEETING_STATUSES), name="status_known"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_meetings_status_starts", "status", "starts_at"),
        Index("ix_meetings_starts", "starts_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    location: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(20), default="concept")
    # iCalendar SEQUENCE: raised whenever the time or place of a published meeting changes.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The later meeting at which these minutes were approved.
    minutes_approved_in_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    items: Mapped[list[AgendaItem]] = relationship(
        order_by="AgendaItem.position",
        cascade="all, delete-orphan",
        foreign_keys="AgendaItem.meeting_id",
        back_populates="meeting",
    )
    documents: Mapped[list[MeetingDocument]] = relationship(
        order_by="MeetingDocument.id", cascade="all, delete-orphan", back_populates="meeting"
    )
    attendance: Mapped[list[Attendance]] = relationship(cascade="all, delete-orphan")
    created_by: Mapped[User] = relationship()
    minutes_approved_in: Mapped[Meeting | None] = relationship(remote_side="Meeting.id")
    # Loaded when asked for (only a cancelled meeting has one).
    cancellation: Mapped[MeetingCancellation | None] = relationship(cascade="all, delete-orphan")

    @property
    def cancel_reason(self) -> str | None:
        return self.cancellation.reason if self.cancellation else None

    @property
    def length_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class AgendaItem(Base):
    __tablename__ = "agenda_items"
    __table_args__ = (
        CheckConstraint(one_of("kind", ITEM_KINDS), name="kind_known"),
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
        Index("ix_agenda_items_meeting_position", "meeting_id", "position"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="bespreking")
    duration_minutes: Mapped[int] = mapped_column(Integer, default=15)
    presenter: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    standard: Mapped[str | None] = mapped_column(String(10))
    # For "Vaststellen notulen": the earlier meeting whose minutes are approved here.
    approves_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    discussed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The current minutes (the latest revision, kept here for fast reading).
    minutes: Mapped[str] = mapped_column(Text, default="")
    minutes_revision: Mapped[int] = mapped_column(Integer, default=0)

    meeting: Mapped[Meeting] = relationship(foreign_keys=[meeting_id], back_populates="items")
    approves_meeting: Mapped[Meeting | None] = relationship(foreign_keys=[approves_meeting_id])
    links: Mapped[list[AgendaLink]] = relationship(
        order_by="AgendaLink.id", cascade="all, delete-orphan", back_populates="item"
    )
    documents: Mapped[list[MeetingDocument]] = relationship(
        order_by="MeetingDocument.id", back_populates="item", viewonly=True
    )


class AgendaLink(Base):
    """A submission discussed under an agenda item."""

    __tablename__ = "agenda_links"
    __table_args__ = (UniqueConstraint("agenda_item_id", "submission_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"))
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    item: Mapped[AgendaItem] = relationship(back_populates="links")
    submission: Mapped[Submission] = relationship()


class MeetingDocument(FileColumns, Base):
    __tablename__ = "meeting_documents"
    __table_args__ = (CheckConstraint(one_of("visibility", DOCUMENT_VISIBILITY), name="vis_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL"), index=True
    )
    visibility: Mapped[str] = mapped_column(String(10), default="tafel")
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    meeting: Mapped[Meeting] = relationship(back_populates="documents")
    item: Mapped[AgendaItem | None] = relationship(back_populates="documents")


class Attendance(Base):
    """A member's reply before the meeting and the presence recorded at it."""

    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("meeting_id", "user_id"),
        CheckConstraint(one_of("rsvp", PRESENCE), name="rsvp_known"),
        CheckConstraint(one_of("presence", PRESENCE), name="presence_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    rsvp: Mapped[str | None] = mapped_column(String(10))
    rsvp_substitute: Mapped[str] = mapped_column(String(200), default="")
    rsvp_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    presence: Mapped[str | None] = mapped_column(String(10))
    substitute: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class MinutesRevision(Base):
    """Every saved version of an item's minutes: who, when and the text."""

    __tablename__ = "minutes_revisions"
    __table_args__ = (UniqueConstraint("agenda_item_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship()


class MinutesAddendum(Base):
    """A correction to approved minutes: dated, visible, never replacing them."""

    __tablename__ = "minutes_addenda"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship()
    item: Mapped[AgendaItem | None] = relationship()


class CalendarFeed(Base):
    """A member's personal iCal feed: only the token's hash is stored."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class MeetingCancellation(Base):
    """Why and when a published meeting was called off (status "geannuleerd")."""

    __tablename__ = "meeting_cancellations"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    reason: Mapped[str] = mapped_column(Text)
    cancelled_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    cancelled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
