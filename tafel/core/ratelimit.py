"""Rate limits counted in the database: registration, access requests,
password resets, comments and co-signatures, per address and per account.

`allow(kind, keys)` counts the uses of `kind` by each key (``"ip:…"``,
``"user:…"``, ``"email:…"``) within the limit's window; if every key is below
its limit, the use is recorded (in the caller's transaction) and True comes
back. A refused use is not recorded, so waiting always helps.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from tafel import db
from tafel.core.models import RateEvent
from tafel.db import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    count: int
    window: timedelta


HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
# (kind, key prefix) → limit. Override with RATE_LIMITS in the configuration.
DEFAULTS: dict[tuple[str, str], Limit] = {
    ("register", "ip"): Limit(10, HOUR),
    ("access_request", "ip"): Limit(10, HOUR),
    ("access_request", "email"): Limit(3, DAY),
    ("password_reset", "ip"): Limit(10, HOUR),
    ("password_reset", "email"): Limit(3, HOUR),
    ("comment", "ip"): Limit(60, HOUR),
    ("comment", "user"): Limit(30, HOUR),
    ("cosign", "ip"): Limit(60, HOUR),
    ("cosign", "user"): Limit(20, HOUR),
}


def limit_for(kind: str, key: str) -> Limit | None:
    prefix = key.split(":", 1)[0]
    configured = current_app.config.get("RATE_LIMITS") or {}
    return configured.get((kind, prefix), DEFAULTS.get((kind, prefix)))


def exceeded(kind: str, keys: list[str]) -> list[str]:
    """The keys among `keys` that have used up their limit for `kind`."""
    now = utcnow()
    full = []
    for key in keys:
        limit = limit_for(kind, key)
        if limit is None:
            continue
        used = db.session.scalar(
            select(func.count(RateEvent.id)).where(
                RateEvent.kind == kind,
                RateEvent.key == key,
                RateEvent.created_at > now - limit.window,
            )
        )
        if (used or 0) >= limit.count:
            full.append(key)
    return full


def allow(kind: str, keys: list[str]) -> bool:
    """Count one use of `kind` by every key, unless one of them is at its limit."""
    keys = [key[:300] for key in keys if key and not key.endswith(":")]
    full = exceeded(kind, keys)
    if full:
        log.warning(
            "rate limit for %s reached by %s", kind, ", ".join(k.split(":")[0] for k in full)
        )
        return False
    db.session.add_all(RateEvent(kind=kind, key=key) for key in keys)
    return True


def purge(older_than: timedelta = 2 * DAY) -> int:
    """Forget uses older than any window (run by the worker)."""
    result = db.session.execute(
        delete(RateEvent).where(RateEvent.created_at < utcnow() - older_than)
    )
    return int(getattr(result, "rowcount", 0) or 0)
