"""Who calls the API: a personal token (`Authorization: Bearer tafel_…`) or
nobody (an anonymous visitor); and the rate limits per token and per address.

Session cookies do not count here: the API is for programs, and a cookie
would make every write a cross-site request forgery risk. A token acts as its
user through the same visibility filters as the pages.

Rate limits are counted in the database (`api_rate_counters`), one row per
caller and minute, raised by one `INSERT … ON CONFLICT DO UPDATE` in a short
transaction of its own, so they hold across workers and machines and cost one
statement per call, plus one to look up a presented token in the same
transaction: only a token that exists gets a counter of its own. Only the
counter and the token's last use are written there; the request's own
session stays a reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_login import AnonymousUserMixin
from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from tafel import db
from tafel.accounts.tokens import ApiToken, digest, find_token
from tafel.api.models import RateCounter
from tafel.api.problems import ApiError
from tafel.db import utcnow

WINDOW = 60  # seconds
DEFAULT_TOKEN_LIMIT = 600
DEFAULT_ADDRESS_LIMIT = 120


@dataclass
class Caller:
    user: object
    token: ApiToken | None

    @property
    def may_write(self) -> bool:
        return self.token is not None and self.token.writes


def _unauthorized(detail: str) -> ApiError:
    return ApiError(401, detail, headers={"WWW-Authenticate": 'Bearer realm="tafel"'})


def identify(header: str | None) -> Caller:
    """The caller presenting this Authorization header; a bad token is a 401,
    never anonymous access."""
    if header is None:
        return Caller(AnonymousUserMixin(), None)
    secret = _presented(header)
    if secret is None:
        raise _unauthorized("Use 'Authorization: Bearer <token>'.")
    token = find_token(secret)
    if token is None:
        raise _unauthorized("Unknown token.")
    if token.revoked_at is not None:
        raise _unauthorized("This token has been revoked.")
    if not token.usable():
        raise _unauthorized("This token has expired or its account is inactive.")
    return Caller(token.user, token)


def _window(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0)


def _upsert(key: str, start: datetime):
    dialect = sqlite if db.engine().dialect.name == "sqlite" else postgresql
    statement = dialect.insert(RateCounter).values(key=key, window_start=start, count=1)
    return statement.on_conflict_do_update(
        index_elements=[RateCounter.key, RateCounter.window_start],
        set_={"count": RateCounter.count + 1},
    ).returning(RateCounter.count)


def _note_use(conn, token_hash: str, now: datetime) -> None:
    conn.execute(
        update(ApiToken)
        .where(ApiToken.token_hash == token_hash)
        .where((ApiToken.last_used_at.is_(None)) | (ApiToken.last_used_at < _window(now)))
        .values(last_used_at=now)
    )


def count_call(key: str, token_hash: str | None, now: datetime | None = None) -> int:
    """Raise the caller's counter for this minute (and note the token's use);
    returns the new count. Its own short transaction, run before the request's
    session opens one, so that a request that writes (and on SQLite holds the
    write lock from its first statement) never waits for its own counter."""
    now = now or utcnow()
    with db.engine().begin() as conn:
        count = conn.execute(_upsert(key, _window(now))).scalar_one()
        if token_hash is not None:
            _note_use(conn, token_hash, now)
    return count


def _presented(header: str | None) -> str | None:
    scheme, _, secret = (header or "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" and secret.strip() else None


def _known(conn, token_hash: str) -> bool:
    query = select(ApiToken.id).where(
        ApiToken.token_hash == token_hash, ApiToken.revoked_at.is_(None)
    )
    return conn.execute(query).first() is not None


def _count_caller(header: str | None, address: str | None, now: datetime) -> tuple[int, int]:
    """The new count and the limit of this call's counter, in one short
    transaction (see `count_call`): a token that exists (and is not revoked)
    counts per token; anything else — no token, or a made-up one — per
    address, so random Bearer values do not each get a fresh counter."""
    config = current_app.config
    secret = _presented(header)
    token_hash = digest(secret) if secret is not None else None
    with db.engine().begin() as conn:
        if token_hash is not None and _known(conn, token_hash):
            key = f"token:{token_hash[:40]}"
            limit = config.get("API_RATE_LIMIT_TOKEN", DEFAULT_TOKEN_LIMIT)
            _note_use(conn, token_hash, now)
        else:
            key = f"addr:{address or '-'}"[:80]
            limit = config.get("API_RATE_LIMIT_ADDRESS", DEFAULT_ADDRESS_LIMIT)
        count = conn.execute(_upsert(key, _window(now))).scalar_one()
    return count, limit


def check_rate(header: str | None, address: str | None, now: datetime | None = None) -> None:
    """429 with Retry-After once the caller has used up this minute: a known
    token counts per token (whoever presents it), every other call per address."""
    now = now or utcnow()
    count, limit = _count_caller(header, address, now)
    if count > limit:
        wait = WINDOW - (now - _window(now)).seconds
        raise ApiError(
            429,
            f"Rate limit of {limit} requests per minute reached.",
            headers={"Retry-After": str(max(1, wait))},
        )


def purge_counters(session, now: datetime | None = None) -> int:
    """Forget the windows that have passed (the worker runs this)."""
    cutoff = _window(now or utcnow()) - timedelta(seconds=WINDOW)
    result = session.execute(delete(RateCounter).where(RateCounter.window_start < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)
