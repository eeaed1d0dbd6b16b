"""Flask-Login's user loader: the session carries "<id>:<session version>"."""

from __future__ import annotations

from tafel import db
from tafel.accounts.models import User


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
    return user
