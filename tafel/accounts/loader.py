"""Flask-Login's user loader: the session carries "<id>:<session version>"
and the token of a server-side session record (`services.sessions`)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import session

from tafel import db
from tafel.accounts.models import User
from tafel.accounts.services import sessions
from tafel.db import utcnow

SEEN_KEY = "seen"
TOKEN_KEY = "sid"  # noqa: S105 - the name of a session key, not a secret


def load_user(value: str) -> User | None:
    try:
        user_id, version = (int(part) for part in value.split(":", 1))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_version != version:
        # A deactivated user, a password change or "log out everywhere" ends
        # this session on its next request.
        return None
    seen = session.get(SEEN_KEY)
    row = sessions.current_row(
        user,
        session.get(TOKEN_KEY),
        datetime.fromtimestamp(seen, UTC) if isinstance(seen, int) else None,
    )
    if row is None:
        # Logged out, ended from another device, too old or idle too long.
        session.clear()
        return None
    now = int(utcnow().timestamp())
    if not isinstance(seen, int) or now - seen >= 30:
        session[SEEN_KEY] = now
    return user


def remember(token: str) -> None:
    """Put a new session's token in the (fresh) cookie."""
    session[TOKEN_KEY] = token
    session[SEEN_KEY] = int(utcnow().timestamp())


def current_token() -> str | None:
    return session.get(TOKEN_KEY)
