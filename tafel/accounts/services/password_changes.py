"""Changing a password, and resetting a forgotten one with a single-use,
expiring link (only its hash is stored)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from tafel import db
from tafel.accounts import passwords
from tafel.accounts.models import PasswordResetToken, User
from tafel.accounts.services.common import AccountError, find_user_by_email
from tafel.accounts.services.sessions import end_user_sessions
from tafel.core import audit, mail, ratelimit
from tafel.core.i18n import in_platform_language
from tafel.db import utcnow


def change_password(user: User, current: str, new: str, ip: str | None = None) -> None:
    if not passwords.verify_password(user.password_hash, current):
        raise AccountError(_("Het huidige wachtwoord klopt niet."), "current_password")
    problem = passwords.password_problem(new, user.email)
    if problem:
        raise AccountError(problem, "password")
    user.password_hash = passwords.hash_password(new)
    user.session_version += 1
    end_user_sessions(user)
    spend_reset_links(user, utcnow())  # a link mailed before no longer works
    audit.record("user.password_change", user, user, ip=ip)


def spend_reset_links(user: User, now) -> None:
    """Every open reset link of the user stops working."""
    for row in db.session.scalars(
        select(PasswordResetToken).where(
            PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None)
        )
    ):
        row.used_at = now


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_password_reset(email: str, ip: str | None = None) -> None:
    """Mail a single-use reset link if the address has an active account.

    The caller shows the same message either way, so the form does not reveal
    which addresses have an account.
    """
    if not ratelimit.allow("password_reset", [f"ip:{ip or 'unknown'}"]):
        raise AccountError(
            _("Te veel aanvragen in korte tijd. Probeer het later opnieuw."), code="rate_limited"
        )
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    if not ratelimit.allow("password_reset", [f"email:{user.email}"]):
        # No more links (mail bombing); the answer on the page stays the same.
        return
    token = secrets.token_urlsafe(32)
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    db.session.add(
        PasswordResetToken(
            user=user, token_hash=_token_hash(token), expires_at=utcnow() + timedelta(hours=hours)
        )
    )
    link = current_app.config["BASE_URL"].rstrip("/") + url_for("auth.reset_password", token=token)
    with in_platform_language():
        mail.queue(
            user.email,
            _("Wachtwoord herstellen op Tafel"),
            _(
                "Beste %(name)s,\n\nMet deze link kiest u een nieuw wachtwoord voor Tafel:\n"
                "%(link)s\n\n"
                "De link werkt één keer en verloopt na %(hours)d uur. "
                "Heeft u dit niet aangevraagd? Dan kunt u dit bericht negeren.",
                name=user.name,
                link=link,
                hours=hours,
            ),
            secret=True,
        )
    audit.record("user.password_reset_requested", user, None, ip=ip)


def valid_reset_token(token: str) -> PasswordResetToken | None:
    row = db.session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == _token_hash(token))
    )
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    if not row.user.active:
        return None
    return row


def reset_password(token_row: PasswordResetToken, new: str, ip: str | None = None) -> User:
    user = token_row.user
    problem = passwords.password_problem(new, user.email)
    if problem:
        raise AccountError(problem, "password")
    now = utcnow()
    # This token and every other open token of the user are spent.
    spend_reset_links(user, now)
    user.password_hash = passwords.hash_password(new)
    user.session_version += 1
    end_user_sessions(user)
    audit.record("user.password_reset", user, user, ip=ip)
    return user
