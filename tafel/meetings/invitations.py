"""The mail of a meeting to the members: the invitation when it is
published, the update when its time or place changes, the cancellation.

Every mail says what a member needs without opening anything: the date, the
time, the place or link, the agenda with times, and for an update what changed
(old → new). The attached calendar object is a real invitation (REQUEST with
the organizer and every attendee, or CANCEL), so a calendar updates the one
event it holds (see calendar.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from tafel.core.i18n import in_platform_language
from tafel.core.timefmt import AMSTERDAM, local_day
from tafel.db import utcnow
from tafel.meetings import agenda, calendar, policies
from tafel.meetings.base import meeting_path, members
from tafel.meetings.models import Meeting
from tafel.notifications.services import notify


def _clock(value) -> str:
    return value.astimezone(AMSTERDAM).strftime("%H:%M")


def when(snapshot: dict[str, Any]) -> str:
    """'vrijdag 12 december 2026, 13:00–16:00' from a meeting snapshot."""
    starts = datetime.fromisoformat(snapshot["starts_at"])
    ends = datetime.fromisoformat(snapshot["ends_at"])
    return f"{local_day(starts, 'full')}, {_clock(starts)}–{_clock(ends)}"


def where(snapshot: dict[str, Any]) -> str:
    parts = [snapshot["location"].strip(), snapshot["online_url"].strip()]
    return " / ".join(part for part in parts if part) or "–"


def changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What moved, in words: 'Tijd: old → new', 'Plaats: old → new'."""
    lines = []
    if (before["starts_at"], before["ends_at"]) != (after["starts_at"], after["ends_at"]):
        lines.append(_("Tijd: %(old)s → %(new)s", old=when(before), new=when(after)))
    if (before["location"], before["online_url"]) != (after["location"], after["online_url"]):
        lines.append(_("Plaats: %(old)s → %(new)s", old=where(before), new=where(after)))
    return lines


def _details(meeting: Meeting, user) -> list[str]:
    lines = [
        _("Datum: %(day)s", day=local_day(meeting.starts_at, "full")),
        _("Tijd: %(start)s–%(end)s", start=_clock(meeting.starts_at), end=_clock(meeting.ends_at)),
    ]
    if meeting.location.strip():
        lines.append(_("Plaats: %(place)s", place=meeting.location.strip()))
    if meeting.online_url.strip():
        lines.append(_("Online deelnemen: %(url)s", url=meeting.online_url.strip()))
    visible = [item for item in meeting.items if policies.can_see_item(user, item)]
    lines += ["", _("Agenda") + ":"]
    for slot in agenda.timetable(meeting, visible):
        lines.append(f"{_clock(slot.starts)}  {slot.item.position}. {slot.item.title}")
    return lines


def _message(meeting: Meeting, user, kind: str, moved: list[str], reason: str) -> tuple[str, str]:
    day = local_day(meeting.starts_at)
    if kind == "cancel":
        title = _("Geannuleerd: vergadering van %(day)s", day=day)
        intro = [_("De vergadering ‘%(title)s’ gaat niet door.", title=meeting.title)]
        intro.append(_("Reden: %(reason)s", reason=reason))
        intro.append(_("De bijgevoegde annulering haalt de afspraak uit uw agenda."))
        return title, "\n".join(intro)
    if kind == "update":
        title = _("Gewijzigd: vergadering van %(day)s", day=day)
        intro = [_("De tijd of plaats van ‘%(title)s’ is gewijzigd:", title=meeting.title)]
        intro += [f"- {line}" for line in moved]
        intro.append(_("De bijgevoegde uitnodiging werkt uw agenda bij."))
    else:
        title = _("Uitnodiging: vergadering van %(day)s", day=day)
        intro = [
            _(
                "De agenda van ‘%(title)s’ is gepubliceerd. Laat via de vergaderpagina weten "
                "of u aanwezig bent.",
                title=meeting.title,
            )
        ]
    return title, "\n".join(intro) + "\n\n" + "\n".join(_details(meeting, user))


def tell_members(
    meeting: Meeting, kind: str = "invite", moved: list[str] | None = None, reason: str = ""
) -> int:
    """Mail every member the invitation (`invite`), the update (`update`,
    with the lines of `moved`) or the cancellation (`cancel`, with `reason`).
    Each mail has a new DTSTAMP; the caller has raised SEQUENCE for a change."""
    stamp = utcnow()  # DTSTAMP: when this version of the invitation was made
    invitees = members()
    with in_platform_language():
        for user in invitees:
            title, body = _message(meeting, user, kind, moved or [], reason)
            invite = calendar.invitation(meeting, user, invitees, stamp)
            notify(user, title, meeting_path(meeting), body, invite)
    return len(invitees)
