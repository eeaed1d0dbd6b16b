"""Personal API tokens: a user's key for the JSON API (`/api/v1/`).

A token acts as its user, through the same visibility filters as the pages.
It is shown once, when it is made; only its SHA-256 is stored (the token is
32 random bytes, so a slow password hash would add nothing but latency to
every API call). A token has a scope (`read`: reading only; `write`: also the
writes the API offers to the user's roles), an expiry, and can be revoked.

Services here never read the request and never commit.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tafel import db
from tafel.accounts.models import User
from tafel.core.audit import record
from tafel.core.errors import ServiceError
from tafel.db import Base, UTCDateTime, one_of, utcnow

SCOPES = ("read", "write")
PREFIX = "tafel_"
MAX_DAYS = 366
MAX_TOKENS = 20


class ApiToken(Base):
    __tablename__ = "api_tokens"
    __table_args__ = (CheckConstraint(one_of("scope", SCOPES), name="scope_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # The first characters, to recognise a token in the list; not secret.
    hint: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[str] = mapped_column(String(10), default="read")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def usable(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.revoked_at is None and self.expires_at > now and self.user.active

    @property
    def writes(self) -> bool:
        return self.scope == "write"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
        )
    )


def create_token(user: User, name: str, scope: str, days: int) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the secret (shown once)."""
    name = name.strip()
    if not name:
        raise ServiceError(_("Geef het token een naam."), field="name")
    if scope not in SCOPES:
        raise ServiceError(_("Onbekend bereik."), field="scope")
    if not 1 <= days <= MAX_DAYS:
        raise ServiceError(_("Een token geldt 1 tot %(max)d dagen.", max=MAX_DAYS), field="days")
    active = [t for t in tokens_of(user) if t.usable()]
    if len(active) >= MAX_TOKENS:
        raise ServiceError(
            _("U hebt al %(max)d geldige tokens; trek er eerst een in.", max=MAX_TOKENS)
        )
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name[:100],
        hint=secret[: len(PREFIX) + 6],
        token_hash=digest(secret),
        scope=scope,
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(token)
    db.session.flush()
    after = {"name": token.name, "scope": scope, "expires_at": token.expires_at.isoformat()}
    record("api_token.create", token, user, after=after)
    return token, secret


def revoke_token(token: ApiToken, actor: User) -> None:
    """Revoking twice is revoking once: the first moment stays."""
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    record("api_token.revoke", token, actor, before={"name": token.name})


def find_token(secret: str) -> ApiToken | None:
    """The token row for a presented secret, usable or not (the caller checks)."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    return db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret)))
