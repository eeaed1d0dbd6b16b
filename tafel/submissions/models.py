"""Submissions (signalen and knelpunten), their co-signatures, comments,
attachments, edit history and timeline."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
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
from tafel.core.uploads import FileColumns
from tafel.db import Base, UTCDateTime, one_of, utcnow
from tafel.reference.models import (
    ActionLine,
    GovernmentLevel,
    Market,
    Ministry,
    Mission,
    Province,
    Sector,
    Technology,
    Theme,
)

KINDS = ("signaal", "knelpunt")
STATUSES = (
    "concept",
    "ingediend",
    "in_behandeling",
    "aanvulling_gevraagd",
    "aanvaard",
    "samengevoegd",
    "niet_ontvankelijk",
    "geagendeerd",
    "besproken",
    "besloten",
    "afgehandeld",
)
STATUS_LABELS = {
    "concept": _l("Concept"),
    "ingediend": _l("Ingediend"),
    "in_behandeling": _l("In behandeling"),
    "aanvulling_gevraagd": _l("Aanvulling gevraagd"),
    "aanvaard": _l("Aanvaard"),
    "samengevoegd": _l("Samengevoegd"),
    "niet_ontvankelijk": _l("Niet ontvankelijk"),
    "geagendeerd": _l("Geagendeerd"),
    "besproken": _l("Besproken"),
    "besloten": _l("Besloten"),
    "afgehandeld": _l("Afgehandeld"),
}
VISIBILITIES = ("openbaar", "tafel", "vertrouwelijk")
IMPACT_TYPES = ("kosten", "vertraging", "belemmering", "risico")
IMPACT_LABELS = {
    "kosten": _l("Kosten"),
    "vertraging": _l("Vertraging"),
    "belemmering": _l("Belemmering"),
    "risico": _l("Risico"),
}


submission_action_lines = Table(
    "submission_action_lines",
    Base.metadata,
    Column("submission_id", ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True),
    Column("action_line_id", ForeignKey("action_lines.id"), primary_key=True),
    # A filter on this link reads (value, submission id) from this index alone.
    Index("ix_submission_action_lines_list", "action_line_id", "submission_id"),
)
submission_technologies = Table(
    "submission_technologies",
    Base.metadata,
    Column("submission_id", ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True),
    Column("technology_id", ForeignKey("technologies.id"), primary_key=True),
    # A filter on this link reads (value, submission id) from this index alone.
    Index("ix_submission_technologies_list", "technology_id", "submission_id"),
)
submission_missions = Table(
    "submission_missions",
    Base.metadata,
    Column("submission_id", ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True),
    Column("mission_id", ForeignKey("missions.id"), primary_key=True),
    # A filter on this link reads (value, submission id) from this index alone.
    Index("ix_submission_missions_list", "mission_id", "submission_id"),
)


# The covering list indexes (migration 0013): a filter's column first, then
# the sort, then every column the visibility filter and the kind filter read.
_WHO = ("visibility", "status", "organisation_id", "ministry_id", "kind")
LIST_INDEXES = {
    name: (column, "created_at", "id", *(c for c in _WHO if c != column))
    for name, column in (
        ("kind", "kind"),
        ("market", "market_id"),
        ("province", "province_id"),
        ("government_level", "government_level_id"),
        ("status", "status"),
        ("ministry", "ministry_id"),
        ("organisation", "organisation_id"),
    )
}
LIST_INDEXES["cosign"] = ("cosign_count", "id", *_WHO)


class Submission(Base):
    __tablename__ = "submissions"
    __table_args__ = (
        CheckConstraint(one_of("kind", KINDS), name="kind_known"),
        CheckConstraint(one_of("status", STATUSES), name="status_known"),
        # A merged report names the report it went into; no other report does.
        CheckConstraint(
            "(status = 'samengevoegd') = (merged_into_id IS NOT NULL)", name="merge_target"
        ),
        CheckConstraint(one_of("visibility", VISIBILITIES), name="visibility_known"),
        CheckConstraint(
            "impact_type IS NULL OR " + one_of("impact_type", IMPACT_TYPES), name="impact_known"
        ),
        # The list reads ids in date order straight from these indexes, which
        # also hold every column the visibility filter needs (no row lookups,
        # so page 1 000 costs about as much as page 1).
        Index("ix_submissions_public_list", "visibility", "created_at", "id", "status"),
        Index(
            "ix_submissions_list",
            "created_at",
            "id",
            "visibility",
            "status",
            "organisation_id",
            "ministry_id",
        ),
        Index("ix_submissions_status_submitted", "status", "submitted_at", "id"),
        # One covering index per list filter and for the co-signature sort:
        # a filtered count and a filtered page read one index range, no rows.
        *(Index(f"ix_submissions_{name}_list", *cols) for name, cols in LIST_INDEXES.items()),
        # The overdue-responses panel of the triage inbox: deadline order,
        # with the status and ministry it filters on.
        Index(
            "ix_submissions_response_deadline", "response_deadline", "id", "status", "ministry_id"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="concept")
    title: Mapped[str] = mapped_column(String(150))
    summary: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text, default="")
    proposed_solution: Mapped[str] = mapped_column(Text, default="")

    market_id: Mapped[int | None] = mapped_column(ForeignKey("markets.id"))
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("sectors.id"), index=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id"), index=True)
    province_id: Mapped[int | None] = mapped_column(ForeignKey("provinces.id"))

    government_level_id: Mapped[int | None] = mapped_column(ForeignKey("government_levels.id"))
    regulation_name: Mapped[str | None] = mapped_column(String(300))
    regulation_identifier: Mapped[str | None] = mapped_column(String(40))
    regulation_article: Mapped[str | None] = mapped_column(String(100))
    ministry_id: Mapped[int | None] = mapped_column(ForeignKey("ministries.id"))

    impact_type: Mapped[str | None] = mapped_column(String(20))
    impact_euro: Mapped[int | None] = mapped_column(BigInteger)
    impact_delay_months: Mapped[int | None] = mapped_column(Integer)

    visibility: Mapped[str] = mapped_column(String(15), default="tafel")
    show_organisation: Mapped[bool] = mapped_column(Boolean, default=True)

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response_deadline: Mapped[date | None] = mapped_column(Date)
    # A merge target stays while reports point to it (ck_submissions_merge_target).
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    # Kept in step by the co-signing services; lists sort on it.
    cosign_count: Mapped[int] = mapped_column(Integer, default=0)
    # A token from the form, so a double-clicked submit creates one submission.
    form_token: Mapped[str | None] = mapped_column(String(64), unique=True)

    market: Mapped[Market | None] = relationship()
    sector: Mapped[Sector | None] = relationship()
    theme: Mapped[Theme | None] = relationship()
    province: Mapped[Province | None] = relationship()
    government_level: Mapped[GovernmentLevel | None] = relationship()
    ministry: Mapped[Ministry | None] = relationship()
    organisation: Mapped[Organisation] = relationship()
    author: Mapped[User] = relationship()
    merged_into: Mapped[Submission | None] = relationship(remote_side="Submission.id")
    action_lines: Mapped[list[ActionLine]] = relationship(
        secondary=submission_action_lines, order_by="ActionLine.position"
    )
    technologies: Mapped[list[Technology]] = relationship(
        secondary=submission_technologies, order_by="Technology.position"
    )
    missions: Mapped[list[Mission]] = relationship(
        secondary=submission_missions, order_by="Mission.position"
    )


class CoSignature(Base):
    """A steunbetuiging: another organisation supports the submission."""

    __tablename__ = "cosignatures"
    __table_args__ = (UniqueConstraint("submission_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    evidence: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    user: Mapped[User] = relationship()


class Comment(Base):
    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_submission_created", "submission_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    hidden_reason: Mapped[str | None] = mapped_column(String(500))

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    organisation: Mapped[Organisation] = relationship()


class Attachment(FileColumns, Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)


class SubmissionVersion(Base):
    """The submission's content after each edit made after submitting."""

    __tablename__ = "submission_versions"
    __table_args__ = (UniqueConstraint("submission_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)


class TimelineEvent(Base):
    """One step in a submission's life, shown on its timeline.

    `kind` names the event ("status", "edit", "cosign", "comment", and later
    "agenda", "vote", "decision", "response", "action"); each kind has its
    own small template, so a new feature adds a kind without changing the
    timeline. `data` holds what that template needs.
    """

    __tablename__ = "timeline_events"
    __table_args__ = (Index("ix_timeline_events_submission", "submission_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
