"""Shared models: the audit log, the mail outbox and the scheduler's lease."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tafel.db import Base, UTCDateTime, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_object", "object_type", "object_id"),
        Index("ix_audit_entries_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    ip: Mapped[str | None] = mapped_column(String(45))

    actor = relationship("User", lazy="joined")


class MailMessage(Base):
    """Outbox: queued by services, sent by the worker or `flask --app tafel send-mail`.

    A sender claims a message (`claimed_until`) before sending it, so two
    senders never send one message twice. A failure moves `next_attempt_at`
    back (exponentially); after the last attempt the message is dead
    (`dead_at`) and listed at /admin/mail until a beheerder re-queues it.
    """

    __tablename__ = "mail_outbox"
    __table_args__ = (
        Index("ix_mail_outbox_pending", "sent_at", "id"),
        Index("ix_mail_outbox_due", "sent_at", "dead_at", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dead_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_id: Mapped[str | None] = mapped_column(String(255))
    # The body holds a one-time secret (a password-reset link): blanked once sent.
    secret: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # One optional text attachment (a calendar invitation).
    attachment_name: Mapped[str | None] = mapped_column(String(100))
    attachment_type: Mapped[str | None] = mapped_column(String(100))
    attachment_text: Mapped[str | None] = mapped_column(Text)
    # For messages a user may choose not to get: the mail preferences page,
    # sent as List-Unsubscribe. None for what must reach them (passwords, …).
    unsubscribe_url: Mapped[str | None] = mapped_column(String(500))


class JobLease(Base):
    """Who runs the scheduled jobs: on SQLite this row is the lock (taken by
    compare-and-set, renewed every tick, free once `expires_at` has passed);
    on PostgreSQL an advisory lock decides and the row only tells who holds
    it. `heartbeat_at` is the last tick of the active runner (see /healthz)."""

    __tablename__ = "job_leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(200))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RateEvent(Base):
    """One counted use of a limited action (`core.ratelimit`): kept in the
    database so every worker and app server counts the same."""

    __tablename__ = "rate_events"
    __table_args__ = (Index("ix_rate_events_kind_key_time", "kind", "key", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DownloadCounter(Base):
    """How many expensive documents (PDFs, exports) one address fetched in
    one window: in the database, so the limit holds across workers."""

    __tablename__ = "download_counters"

    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    hits: Mapped[int] = mapped_column(Integer, default=0)


class CacheVersion(Base):
    """The version of data that processes cache in memory (see core/cache.py):
    a change bumps it in the same transaction, every process reads it once
    per request and reloads its copy when it moved."""

    __tablename__ = "cache_versions"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
