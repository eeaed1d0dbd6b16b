"""Attendance: a member's reply before the meeting (rsvp) and the presence
the secretariat records at it."""

from __future__ import annotations

from flask_babel import gettext as _

from tafel import db
from tafel.accounts.models import User
from tafel.core import audit
from tafel.db import utcnow
from tafel.meetings.base import MeetingError, members
from tafel.meetings.models import PRESENCE, Attendance, Meeting


def _check_presence(answer: str | None, substitute: str) -> None:
    if answer not in PRESENCE:
        raise MeetingError(_("Kies aanwezig, afwezig of vervanger."), "answer")
    if answer == "vervanger" and not substitute.strip():
        raise MeetingError(_("Geef de naam van uw vervanger."), "substitute")


def _attendance(meeting: Meeting, user_id: int) -> Attendance:
    row = next((a for a in meeting.attendance if a.user_id == user_id), None)
    if row is None:
        row = Attendance(meeting_id=meeting.id, user_id=user_id)
        meeting.attendance.append(row)
    return row


def rsvp(meeting: Meeting, user: User, answer: str | None, substitute: str = "") -> Attendance:
    _check_presence(answer, substitute)
    row = _attendance(meeting, user.id)
    row.rsvp = answer
    row.rsvp_substitute = substitute.strip() if answer == "vervanger" else ""
    row.rsvp_at = utcnow()
    db.session.flush()
    audit.record("meeting.rsvp", meeting, user, after={"user": user.id, "rsvp": answer})
    return row


def record_presence(meeting: Meeting, actor: User, entries: dict[int, tuple[str, str]]) -> None:
    """entries: user id → (presence, substitute name). Checks all before saving any."""
    allowed = {user.id for user in members()} | {a.user_id for a in meeting.attendance}
    for user_id, (answer, substitute) in entries.items():
        if user_id not in allowed:
            raise MeetingError(_("Onbekend tafellid."), "presence")
        try:
            _check_presence(answer, substitute)
        except MeetingError as error:
            raise MeetingError(error.message, f"presence-{user_id}") from None
    for user_id, (answer, substitute) in entries.items():
        row = _attendance(meeting, user_id)
        row.presence = answer
        row.substitute = substitute.strip() if answer == "vervanger" else ""
        row.recorded_at = utcnow()
    db.session.flush()
    audit.record(
        "meeting.presence",
        meeting,
        actor,
        after={str(k): v[0] for k, v in entries.items()},
    )
