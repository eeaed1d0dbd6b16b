"""Builders for API tests: tokens and authorised calls."""

from __future__ import annotations

from tafel import db
from tafel.accounts.tokens import create_token


def token_for(user, scope: str = "read", days: int = 30) -> str:
    # A request made in this app context leaves the session reading (GET);
    # end that transaction before writing.
    db.session.commit()
    _row, secret = create_token(user, "test", scope, days)
    db.session.commit()
    return secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}
