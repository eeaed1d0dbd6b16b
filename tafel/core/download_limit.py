"""A per-address limit on expensive documents (PDFs, exports), kept in the
database so it holds across workers and machines.

Each address has one counter per fixed window (DOWNLOAD_WINDOW_SECONDS); every
request for an expensive document adds one, in one upsert (`INSERT … ON
CONFLICT DO UPDATE … RETURNING`, on SQLite and PostgreSQL), in a transaction
of its own: the GET view itself still commits nothing. Past
DOWNLOAD_LIMIT the request is answered 429 with Retry-After (the seconds
until the window ends), before anything is rendered.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta

from flask import current_app, render_template
from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite

from tafel import db
from tafel.core.forms import client_ip
from tafel.core.models import DownloadCounter
from tafel.db import utcnow


def window_of(now: datetime, seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=now.tzinfo)


def count_hit(address: str, now: datetime | None = None) -> tuple[int, int]:
    """Add one request of `address`; returns (requests in this window,
    seconds until the window ends)."""
    now = now or utcnow()
    seconds = int(current_app.config["DOWNLOAD_WINDOW_SECONDS"])
    start = window_of(now, seconds)
    engine = db.engine()
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    upsert = dialect.insert(DownloadCounter).values(address=address, window_start=start, hits=1)
    upsert = upsert.on_conflict_do_update(
        index_elements=["address", "window_start"],
        set_={"hits": DownloadCounter.hits + 1},
    ).returning(DownloadCounter.hits)
    with engine.begin() as conn:
        hits = conn.execute(upsert).scalar_one()
        # The address's earlier windows are of no use any more (the same
        # statements every time, so a page's query count stays flat).
        conn.execute(
            delete(DownloadCounter).where(
                DownloadCounter.address == address, DownloadCounter.window_start < start
            )
        )
    left = start + timedelta(seconds=seconds) - now
    return hits, max(1, int(left.total_seconds() + 0.999))


def expensive(view):
    """Decorate a view that renders an expensive document: over the limit,
    answer 429 with Retry-After instead of rendering it."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        limit = int(current_app.config["DOWNLOAD_LIMIT"])
        hits, retry_after = count_hit(client_ip()[:64])
        if hits > limit:
            body = render_template("errors/429.html", retry_after=retry_after)
            response = current_app.make_response((body, 429))
            response.headers["Retry-After"] = str(retry_after)
            return response
        return view(*args, **kwargs)

    return wrapped
