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
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from icalendar import Alarm, Calendar, Event, vCalAddress, vText
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
    if meeting.online_url and policies.can_see_join_link(user, meeting):
        lines += ["", _("Online deelnemen") + ": " + meeting.online_url]
    lines += ["", meeting_url(meeting)]
    return "\n".join(lines)


PARTSTAT = {"aanwezig": "ACCEPTED", "vervanger": "DELEGATED", "afwezig": "DECLINED"}


def organizer() -> vCalAddress:
    """The secretariat sends every invitation and receives the replies."""
    address = vCalAddress("mailto:" + current_app.config["SECRETARIAT_EMAIL"])
    address.params["cn"] = vText(current_app.config["SECRETARIAT_NAME"])
    return address


def attendee(user, replies: dict[int, str]) -> vCalAddress:
    address = vCalAddress("mailto:" + user.email)
    address.params["cn"] = vText(user.name)
    address.params["role"] = vText("REQ-PARTICIPANT")
    address.params["partstat"] = vText(PARTSTAT.get(replies.get(user.id, ""), "NEEDS-ACTION"))
    address.params["rsvp"] = vText("TRUE")
    return address


def _alarm(meeting: Meeting) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", _("Morgen: %(title)s", title=meeting.title))
    alarm.add("trigger", timedelta(days=-1))
    return alarm


def event(
    meeting: Meeting, user, invitees: list | None = None, stamp: datetime | None = None
) -> Event:
    """The meeting as a VEVENT; with `invitees` (the members), an invitation
    naming the organizer and every attendee, with a reminder a day before."""
    item = Event()
    item.add("uid", uid(meeting))
    item.add("sequence", meeting.sequence)
    item.add("dtstamp", stamp or meeting.published_at or meeting.created_at)
    item.add("dtstart", meeting.starts_at.astimezone(AMSTERDAM))
    item.add("dtend", meeting.ends_at.astimezone(AMSTERDAM))
    item.add("summary", meeting.title)
    join = meeting.online_url if policies.can_see_join_link(user, meeting) else ""
    item.add("location", meeting.location or join or _("Online"))
    item.add("description", _description(meeting, user))
    item.add("url", meeting_url(meeting))
    cancelled = meeting.status == "geannuleerd"
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if invitees is not None:
        item.add("organizer", organizer())
        replies = {a.user_id: a.rsvp for a in meeting.attendance if a.rsvp}
        for member in invitees:
            item.add("attendee", attendee(member, replies))
        if not cancelled:
            item.add_component(_alarm(meeting))
    return item


def calendar(
    meetings: list[Meeting],
    user,
    method: str | None = None,
    invitees: list | None = None,
    stamp: datetime | None = None,
    extra=(),
) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", _("Industrie- en technologietafel"))
    for meeting in meetings:
        cal.add_component(event(meeting, user, invitees, stamp))
    for other in extra:  # events of higher features (core.signals.calendar_feed_requested)
        cal.add_component(other)
    if meetings:
        first = min(m.starts_at for m in meetings).year - 1
        last = max(m.ends_at for m in meetings).year + 2
        cal.add_missing_timezones(first_date=date(first, 1, 1), last_date=date(last, 1, 1))
    return cal.to_ical()


def invitation(meeting: Meeting, user, invitees: list, stamp: datetime) -> tuple[str, str, str]:
    """The .ics of the mail that announces, moves (REQUEST, a higher
    SEQUENCE) or cancels (CANCEL) a meeting: the same UID each time, so the
    calendar updates or removes the one event it holds."""
    method = "CANCEL" if meeting.status == "geannuleerd" else "REQUEST"
    body = calendar([meeting], user, method=method, invitees=invitees, stamp=stamp).decode()
    return (f"vergadering-{meeting.id}.ics", f"text/calendar; method={method}", body)


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
    # The feed is a right of the role, checked on every fetch: a user who lost
    # the table role that granted it no longer reads the table's calendar.
    if not policies.can_use_feed(feed.user):
        return None
    return feed.user
