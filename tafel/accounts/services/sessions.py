"""Server-side session records: a session ends when its row says so.

The signed cookie carries the user id with its session version (ended by
"log out everywhere") and a random token whose hash names one row here.
Logging out, "end this session", the absolute lifetime and the idle timeout
for privileged roles all end that row, so a copy of the cookie stops working
on every app server at once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from tafel import db
from tafel.accounts import roles
from tafel.accounts.models import User, UserSession
from tafel.core import audit
from tafel.db import utcnow

# How often the row's "last seen" is written at most (only by requests that write).
SEEN_EVERY = timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, ip: str | None, device: str | None) -> str:
    """A new session row for `user`; returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            user_id=user.id,
            token_hash=_hash(token),
            ip=(ip or "")[:45] or None,
            device=(device or "")[:200] or None,
        )
    )
    db.session.flush()
    return token


def find_session(token: str | None) -> UserSession | None:
    if not token:
        return None
    return db.session.scalar(select(UserSession).where(UserSession.token_hash == _hash(token)))


def expired(row: UserSession, user: User, idle_since: datetime, now: datetime) -> bool:
    """Past the absolute lifetime, or idle too long for a privileged role."""
    config = current_app.config
    if now - row.created_at > config["PERMANENT_SESSION_LIFETIME"]:
        return True
    idle = timedelta(minutes=config["SESSION_IDLE_MINUTES_PRIVILEGED"])
    return roles.is_privileged(user) and now - max(idle_since, row.last_seen_at) > idle


def current_row(user: User, token: str | None, seen: datetime | None) -> UserSession | None:
    """The open session row of `user` for this cookie, or None when it ended.

    `seen` is the cookie's own last-request time (signed, so not forged);
    the row's `last_seen_at` is written at most once a minute by a request
    that writes anyway (GET requests never write).
    """
    row = find_session(token)
    if row is None or row.user_id != user.id or row.ended_at is not None:
        return None
    now = utcnow()
    if expired(row, user, seen or row.last_seen_at, now):
        return None
    if db.may_write() and now - row.last_seen_at > SEEN_EVERY:
        row.last_seen_at = now  # committed with the request's own commit
    return row


def open_sessions(user: User) -> list[UserSession]:
    """The user's sessions that have not ended, newest first."""
    since = utcnow() - current_app.config["PERMANENT_SESSION_LIFETIME"]
    return list(
        db.session.scalars(
            select(UserSession)
            .where(
                UserSession.user_id == user.id,
                UserSession.ended_at.is_(None),
                UserSession.created_at > since,
            )
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
        )
    )


def end_session(row: UserSession, actor: User | None, ip: str | None = None) -> bool:
    """End one session; False when it had ended already (a second click)."""
    if not db.compare_and_set(row, {"ended_at": None}, ended_at=utcnow()):
        return False
    user = db.session.get(User, row.user_id)
    audit.record("user.session_end", user, actor, ip=ip, after={"session": row.id})
    return True


def end_user_sessions(user: User, keep: UserSession | None = None) -> None:
    """End every open session row of `user` (except `keep`)."""
    statement = update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)
    )
    if keep is not None:
        statement = statement.where(UserSession.id != keep.id)
    db.session.execute(
        statement.values(ended_at=utcnow()).execution_options(synchronize_session=False)
    )
