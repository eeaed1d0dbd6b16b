"""The worker's job for the API (see tafel/cli.py, SCHEDULED_JOBS): forget
past rate-limit minutes, queue and post webhook deliveries, and write the
nightly open-data files when they are due. The caller commits."""

from __future__ import annotations

from collections.abc import Callable

from tafel import db
from tafel.api import opendata, webhooks
from tafel.api.auth import purge_counters


def upkeep(echo: Callable[[str], object] = print) -> None:
    purge_counters(db.session)
    sent = webhooks.run()
    if any(sent.values()):
        echo(f"Webhooks queued: {sent['queued']}, attempted: {sent['attempted']}")
    if opendata.due():
        echo(f"Open data written ({opendata.generate()['generated_at']})")
