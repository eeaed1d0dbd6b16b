"""Permission checks for views: anonymous visitors go to the login page, others get 403.

The predicates themselves live in each feature's policies.py, so they can be
tested without a request.
"""

from __future__ import annotations

import time
from functools import wraps

from flask import abort, current_app, redirect, request, session, url_for
from flask_login import current_user

from tafel.extensions import login_manager


def requires(policy):
    """Guard a view with a policy predicate `policy(user) -> bool`."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not policy(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


REAUTH_KEY = "reauth_at"


def confirmed_recently() -> bool:
    """Whether the user logged in, or confirmed the password, within
    REAUTH_MINUTES (the time is kept in the signed session cookie)."""
    at = session.get(REAUTH_KEY)
    window = 60 * current_app.config.get("REAUTH_MINUTES", 10)
    return isinstance(at, int) and 0 <= time.time() - at <= window


def mark_confirmed() -> None:
    session[REAUTH_KEY] = int(time.time())


def recent_login(view):
    """Guard a sensitive view (roles, e-mail addresses): without a recent
    login or password confirmation, ask for the password first and come back."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user.is_authenticated and not confirmed_recently():
            back = request.full_path if request.method == "GET" else request.path
            return redirect(url_for("auth.confirm", next=back.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped
