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
from tafel.accounts.models import LoginAttempt, User
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


def _retry_minutes(oldest: datetime | None) -> int:
    window = timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    if oldest is None:
        return 1
    remaining = oldest + window - utcnow()
    return max(1, int(remaining.total_seconds() // 60) + 1)


def throttle_state(email: str, ip: str) -> tuple[bool, int]:
    """Is a login for this account or from this address refused right now?

    Counts failures in the window, read from the database so every worker
    and every app server sees the same count. A successful login for the
    account clears its count.
    """
    config = current_app.config
    since = _window_start()
    last_success = db.session.scalar(
        select(func.max(LoginAttempt.created_at)).where(
            LoginAttempt.email == email, LoginAttempt.success.is_(True)
        )
    )
    account_since = max(since, last_success) if last_success else since
    account_count, account_oldest = db.session.execute(
        select(func.count(), func.min(LoginAttempt.created_at)).where(
            LoginAttempt.email == email,
            LoginAttempt.success.is_(False),
            LoginAttempt.created_at > account_since,
        )
    ).one()
    if account_count >= config["LOGIN_MAX_FAILURES_ACCOUNT"]:
        log.warning("login refused: %d failed attempts for the account", account_count)
        return True, _retry_minutes(account_oldest)
    ip_count, ip_oldest = db.session.execute(
        select(func.count(), func.min(LoginAttempt.created_at)).where(
            LoginAttempt.ip == ip,
            LoginAttempt.success.is_(False),
            LoginAttempt.created_at > since,
        )
    ).one()
    if ip_count >= config["LOGIN_MAX_FAILURES_ADDRESS"]:
        log.warning("login refused: %d failed attempts from the address", ip_count)
        return True, _retry_minutes(ip_oldest)
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
