"""Logging in: throttled authentication (counted in the database, so every
worker and app server agrees) and ending every session of a user."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from tafel import db
from tafel.accounts import passwords
from tafel.accounts.models import LoginAttempt, PasswordResetToken, User
from tafel.accounts.services.common import find_user_by_email
from tafel.accounts.services.sessions import end_user_sessions
from tafel.accounts.validators import normalise_email
from tafel.core import audit
from tafel.db import utcnow

log = logging.getLogger(__name__)


@dataclass
class LoginResult:
    user: User | None = None
    throttled: bool = False
    retry_minutes: int = 0


def _window_start() -> datetime:
    return utcnow() - timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])


def delay_after(failures: int, free: int) -> timedelta:
    """How long to wait after the last failure: nothing for the first `free`
    failures, then 1 minute, doubling with each failure, at most the window."""
    if failures < free:
        return timedelta(0)
    window = timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    return min(timedelta(minutes=2 ** min(failures - free, 10)), window)


def _minutes(until: datetime) -> int:
    return max(1, int((until - utcnow()).total_seconds() // 60) + 1)


def _failures(*conditions) -> tuple[int, datetime | None]:
    count, latest = db.session.execute(
        select(func.count(), func.max(LoginAttempt.created_at)).where(
            LoginAttempt.success.is_(False), *conditions
        )
    ).one()
    return count, latest


def _pair_since(email: str, ip: str, since: datetime) -> datetime:
    """Failures of the pair count from the later of: the window's start, the
    pair's last successful login, the account's last completed reset."""
    last_success = db.session.scalar(
        select(func.max(LoginAttempt.created_at)).where(
            LoginAttempt.email == email, LoginAttempt.ip == ip, LoginAttempt.success.is_(True)
        )
    )
    # A reset link used (or spent by a password change): the owner proved who
    # they are, so the failures before it no longer count.
    cleared = db.session.scalar(
        select(func.max(PasswordResetToken.used_at))
        .join(User, User.id == PasswordResetToken.user_id)
        .where(User.email == email)
    )
    return max(moment for moment in (since, last_success, cleared) if moment is not None)


def throttle_state(email: str, ip: str) -> tuple[bool, int]:
    """Must a login for this account from this address wait right now?

    Failures are counted per (account, address) pair and per address, never
    for the account alone: someone guessing from elsewhere slows down only
    themselves, never the owner. Each failure past the free ones doubles the
    wait (progressive delay, no hard lock). Counted in the database, so every
    worker and every app server sees the same numbers.
    """
    config = current_app.config
    since = _window_start()
    now = utcnow()
    count, latest = _failures(
        LoginAttempt.email == email,
        LoginAttempt.ip == ip,
        LoginAttempt.created_at > _pair_since(email, ip, since),
    )
    wait = delay_after(count, config["LOGIN_MAX_FAILURES_ACCOUNT"])
    if latest is not None and wait and now < latest + wait:
        log.warning("login delayed: %d failed attempts for the account from the address", count)
        return True, _minutes(latest + wait)
    count, latest = _failures(LoginAttempt.ip == ip, LoginAttempt.created_at > since)
    wait = delay_after(count, config["LOGIN_MAX_FAILURES_ADDRESS"])
    if latest is not None and wait and now < latest + wait:
        log.warning("login delayed: %d failed attempts from the address", count)
        return True, _minutes(latest + wait)
    return False, 0


def authenticate(email: str, password: str, ip: str) -> LoginResult:
    """Check a login. Records the attempt; the caller commits."""
    email = normalise_email(email)
    throttled, minutes = throttle_state(email, ip)
    if throttled:
        return LoginResult(throttled=True, retry_minutes=minutes)
    user = find_user_by_email(email)
    ok = False
    if user is None:
        passwords.burn_time(password)
    else:
        ok = passwords.verify_password(user.password_hash, password) and user.active
    db.session.add(LoginAttempt(email=email, ip=ip, success=ok))
    if not ok:
        return LoginResult()
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = utcnow()
    return LoginResult(user=user)


def end_all_sessions(user: User, actor: User | None, ip: str | None = None) -> None:
    """Bump the session version: every session carrying the old one ends."""
    user.session_version += 1
    end_user_sessions(user)
    audit.record("user.logout_everywhere", user, actor, ip=ip)
