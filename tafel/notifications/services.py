"""Notify a user in the app and by e-mail (through the outbox), and the daily
digest. `in_platform_language` lives in tafel.core.i18n; importing it from here
keeps working."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from tafel import db
from tafel.accounts.models import User, UserRole
from tafel.core import mail, signals
from tafel.core.i18n import in_platform_language
from tafel.db import utcnow
from tafel.notifications.models import Notification

__all__ = [
    "in_platform_language",
    "mark_all_read",
    "notify",
    "notify_role",
    "send_digest_now",
    "send_digests",
    "unread_count",
]


def notify(
    user: User,
    title: str,
    url: str,
    body: str,
    attachment: tuple[str, str, str] | None = None,
    urgent: bool = False,
) -> Notification:
    """An in-app notification plus an e-mail with a link to `url` (a path).

    A user who chose the daily digest gets the mail in the next digest,
    unless it is `urgent` (a decision or response on their own report) or
    carries an attachment (an invitation).
    """
    note = Notification(user_id=user.id, title=title, url=url)
    db.session.add(note)
    if user.mail_digest and not urgent and attachment is None:
        note.mail_pending = True
        return note
    mail.queue(
        user.email,
        title,
        f"{body}\n\n{_link(url)}\n",
        attachment,
        unsubscribe_url=None if urgent else preferences_url(),
    )
    return note


def preferences_url() -> str:
    """Where a user chooses how mail reaches them (List-Unsubscribe)."""
    return _link("/account/#mail-heading")


def _link(url: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + url


def send_digests(now=None) -> int:
    """One mail per digest user with everything that waited, at most once a
    day; returns the number of digests queued."""
    now = now or utcnow()
    users = db.session.scalars(
        select(User)
        .where(
            User.mail_digest.is_(True),
            User.active.is_(True),
            select(Notification.id)
            .where(Notification.user_id == User.id, Notification.mail_pending.is_(True))
            .exists(),
        )
        .order_by(User.id)
    ).all()
    sent = 0
    for user in users:
        if user.digest_sent_at and user.digest_sent_at > now - timedelta(hours=23):
            continue
        sent += send_digest_now(user, now)
    return sent


def send_digest_now(user: User, now=None) -> int:
    """Queue one mail with everything waiting for the user's digest."""
    notes = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == user.id, Notification.mail_pending.is_(True))
        .order_by(Notification.id)
    ).all()
    if not notes:
        return 0
    with in_platform_language():
        lines = [f"- {note.title}\n  {_link(note.url or '/')}" for note in notes]
        subject = _("Tafel: %(n)s nieuwe berichten", n=len(notes))
        mail.queue(user.email, subject, "\n".join(lines) + "\n", unsubscribe_url=preferences_url())
    for note in notes:
        note.mail_pending = False
    user.digest_sent_at = now or utcnow()
    return 1


@signals.mail_preference_changed.connect
def send_waiting_mail(user: User, digest: bool, **_extra) -> None:
    """A user who turns the digest off gets what waited for it now."""
    if not digest:
        send_digest_now(user)


def notify_role(role: str, title: str, url: str, body: str) -> int:
    users = db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == role, User.active.is_(True))
    ).all()
    for user in users:
        notify(user, title, url, body)
    return len(users)


def unread_count(user: User) -> int:
    return db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    )


def mark_all_read(user: User) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
