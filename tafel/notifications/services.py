"""Notify a user in the app and by e-mail (through the outbox)."""

from __future__ import annotations

from contextlib import contextmanager

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import func, select, update

from tafel import db
from tafel.accounts.models import User, UserRole
from tafel.core import mail
from tafel.db import utcnow
from tafel.notifications.models import Notification


@contextmanager
def in_platform_language():
    """Compose stored messages and mail in the platform's language (Dutch),
    not in the language of whoever happens to trigger them."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        yield


def notify(
    user: User, title: str, url: str, body: str, attachment: tuple[str, str, str] | None = None
) -> Notification:
    """An in-app notification plus an e-mail with a link to `url` (a path)."""
    note = Notification(user_id=user.id, title=title, url=url)
    db.session.add(note)
    link = current_app.config["BASE_URL"].rstrip("/") + url
    mail.queue(user.email, title, f"{body}\n\n{link}\n", attachment)
    return note


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
