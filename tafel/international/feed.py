"""The deadlines of international files in a member's personal iCal feed
(core.signals.calendar_feed_requested, sent by the meetings feed)."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from icalendar import Event
from sqlalchemy import select

from tafel import db
from tafel.core.signals import calendar_feed_requested
from tafel.core.timefmt import local_today
from tafel.international import policies
from tafel.international.models import InternationalFile, KeyDate

# Deadlines from a year back on: a feed does not grow without end.
HISTORY = timedelta(days=365)


@calendar_feed_requested.connect
def deadline_events(user) -> list[Event]:
    rows = db.session.execute(
        select(KeyDate, InternationalFile)
        .join(InternationalFile, InternationalFile.id == KeyDate.file_id)
        .where(
            KeyDate.deadline.is_(True),
            KeyDate.day >= local_today() - HISTORY,
            policies.visible_clause(user),
        )
        .order_by(KeyDate.day)
    )
    host = current_app.config.get("SERVER_NAME") or "tafel"
    events = []
    for key_date, item in rows:
        event = Event()
        event.add("uid", f"deadline-{key_date.id}@{host}")
        event.add("dtstamp", item.created_at)
        event.add("dtstart", key_date.day)
        event.add("dtend", key_date.day + timedelta(days=1))
        event.add(
            "summary", _("Deadline: %(what)s (%(file)s)", what=key_date.title, file=item.title)
        )
        event.add("url", url_for("international.detail", slug=item.slug, _external=True))
        events.append(event)
    return events
