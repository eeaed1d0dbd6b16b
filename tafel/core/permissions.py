"""Permission checks for views: anonymous visitors go to the login page, others get 403.

The predicates themselves live in each feature's policies.py, so they can be
tested without a request.
"""

from __future__ import annotations

from functools import wraps

from flask import abort
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
