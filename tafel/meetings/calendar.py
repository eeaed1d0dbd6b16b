"""iCalendar: one meeting as an invitation or download, and a member's
personal feed of all published meetings.

Times are written in Europe/Amsterdam with its VTIMEZONE, so calendars show
the Dutch time whatever their own zone. The UID stays the same for the life of
a meeting; SEQUENCE rises with every change of time or place, so a calendar
replaces the earlier invitation instead of adding a second one.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tafel import db
from tafel.core.timefmt import AMSTERDAM
from tafel.meetings import agenda, policies
from tafel.meetings.models import AgendaItem, AgendaLink, CalendarFeed, Meeting

PRODID = "-//Industrie- en technologietafel//Tafel//NL"
MEDIA_TYPE = "text/calendar; charset=utf-8"


def uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.id}@{current_app.config['MAIL_DOMAIN']}"


def meeting_url(meeting: Meeting) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + f"/meetings/{meeting.id}"


def _description(meeting: Meeting, user) -> str:
    lines = [meeting.description.strip(), ""] if meeting.description.strip() else []
    lines.append(_("Agenda") + ":")
    visible = [item for item in meeting.items if policies.can_see_item(user, item)]
    for slot in agenda.timetable(meeting, visible):
        start = slot.starts.astimezone(AMSTERDAM).strftime("%H:%M")
        lines.append(f"{start}  {slot.item.position}. {slot.item.title}")
    if meeting.online_url:
        lines += ["", _("Online deelnemen") + ": " + meeting.online_url]
    lines += ["", meeting_url(meeting)]
    return "\n".join(lines)


def event(meeting: Meeting, user) -> Event:
    item = Event()
    item.add("uid", uid(meeting))
    item.add("sequence", meeting.sequence)
    item.add("dtstamp", meeting.published_at or meeting.created_at)
    item.add("dtstart", meeting.starts_at.astimezone(AMSTERDAM))
    item.add("dtend", meeting.ends_at.astimezone(AMSTERDAM))
    item.add("summary", meeting.title)
    item.add("location", meeting.location or meeting.online_url)
    item.add("description", _description(meeting, user))
    item.add("url", meeting_url(meeting))
    item.add("status", "CONFIRMED")
    return item


def calendar(meetings: list[Meeting], user, method: str | None = None, extra=()) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", _("Industrie- en technologietafel"))
    for meeting in meetings:
        cal.add_component(event(meeting, user))
    for other in extra:  # events of higher features (core.signals.calendar_feed_requested)
        cal.add_component(other)
    if meetings:
        first = min(m.starts_at for m in meetings).year - 1
        last = max(m.ends_at for m in meetings).year + 2
        cal.add_missing_timezones(first_date=date(first, 1, 1), last_date=date(last, 1, 1))
    return cal.to_ical()


def invitation(meeting: Meeting, user) -> tuple[str, str, str]:
    """The .ics attached to the mail that announces (or moves) a meeting."""
    body = calendar([meeting], user, method="PUBLISH").decode()
    return (f"vergadering-{meeting.id}.ics", "text/calendar; method=PUBLISH", body)


def with_agenda(query):
    return query.options(
        selectinload(Meeting.items)
        .selectinload(AgendaItem.links)
        .selectinload(AgendaLink.submission)
    )


def published_meetings() -> list[Meeting]:
    return list(
        db.session.scalars(
            with_agenda(select(Meeting).where(Meeting.status != "concept")).order_by(
                Meeting.starts_at
            )
        )
    )


# Personal feeds ---------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed_token(user) -> str:
    """Create or replace the user's feed; the old address stops working."""
    token = secrets.token_urlsafe(24)
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))
    if feed is None:
        feed = CalendarFeed(user_id=user.id)
        db.session.add(feed)
    feed.token_hash = _hash(token)
    return token


def revoke_feed(user) -> None:
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))
    if feed is not None:
        db.session.delete(feed)


def has_feed(user) -> bool:
    return (
        db.session.scalar(select(CalendarFeed.id).where(CalendarFeed.user_id == user.id))
        is not None
    )


def feed_owner(token: str):
    if not token or len(token) > 100:
        return None
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token)))
    if feed is None or not feed.user.active:
        return None
    return feed.user
