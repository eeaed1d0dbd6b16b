"""A meeting's life: create, change, publish, mark held, delete a concept,
the overlap check, and the lists of meetings.

Services check the rules that do not depend on who asks (the views check
the policies), flush, audit, add timeline entries and queue notifications;
the view commits. The agenda is in agenda.py, attendance in attendance.py,
the minutes in minutes.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, select

from tafel import db
from tafel.accounts.models import User
from tafel.accounts.roles import is_manager
from tafel.core import audit
from tafel.core.signals import meeting_published
from tafel.core.timefmt import local_day
from tafel.db import utcnow
from tafel.meetings import documents, invitations
from tafel.meetings.base import (
    MeetingError,
    advance,
    move_report,
    schedule_report,
)
from tafel.meetings.models import AgendaItem, AgendaLink, Meeting, MeetingCancellation
from tafel.notifications.services import in_platform_language


def standard_items() -> list[dict[str, Any]]:
    return [
        {"standard": "opening", "title": _("Opening en vaststellen agenda"), "kind": "informatie"},
        {
            "standard": "minutes",
            "title": _("Vaststellen notulen vorige vergadering"),
            "kind": "besluitvorming",
        },
        {"standard": "closing", "title": _("Rondvraag en sluiting"), "kind": "informatie"},
    ]


def check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise MeetingError(_("Het einde moet na het begin liggen."), "end_time")
    if ends_at - starts_at > timedelta(hours=24):
        raise MeetingError(_("Een vergadering duurt hoogstens 24 uur."), "end_time")


def check_place(location: str, online_url: str) -> None:
    if not location.strip() and not online_url.strip():
        raise MeetingError(
            _("Geef een locatie, een link voor online deelname of beide."), "location"
        )


def previous_unapproved(before: datetime, exclude: int | None = None) -> Meeting | None:
    """The latest held meeting whose minutes still await approval."""
    query = select(Meeting).where(Meeting.status == "gehouden", Meeting.starts_at < before)
    if exclude is not None:
        query = query.where(Meeting.id != exclude)
    return db.session.scalar(query.order_by(Meeting.starts_at.desc()).limit(1))


def create_meeting(actor: User, *, with_standard_items: bool = True, **fields: Any) -> Meeting:
    check_times(fields["starts_at"], fields["ends_at"])
    check_place(fields.get("location", ""), fields.get("online_url", ""))
    meeting = Meeting(created_by_id=actor.id, status="concept", sequence=0, **fields)
    db.session.add(meeting)
    db.session.flush()
    if with_standard_items:
        _add_standard_items(meeting)
    audit.record("meeting.create", meeting, actor, after=_snapshot(meeting))
    return meeting


def _add_standard_items(meeting: Meeting) -> None:
    earlier = previous_unapproved(meeting.starts_at, exclude=meeting.id)
    # Without earlier minutes to approve, that item is left out; the
    # others are numbered on without a gap.
    wanted = [
        item for item in standard_items() if item["standard"] != "minutes" or earlier is not None
    ]
    for position, item in enumerate(wanted, start=1):
        db.session.add(
            AgendaItem(
                meeting_id=meeting.id,
                position=position,
                duration_minutes=10,
                approves_meeting_id=earlier.id if item["standard"] == "minutes" else None,
                **item,
            )
        )
    db.session.flush()
    db.session.refresh(meeting)


def _snapshot(meeting: Meeting) -> dict[str, Any]:
    return {
        "title": meeting.title,
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat(),
        "location": meeting.location,
        "online_url": meeting.online_url,
        "description": meeting.description,
    }


def update_meeting(meeting: Meeting, actor: User, **fields: Any) -> bool:
    """Change the details; returns whether members were told of a new time or place."""
    check_times(fields["starts_at"], fields["ends_at"])
    check_place(fields.get("location", ""), fields.get("online_url", ""))
    longest = max((item.duration_minutes for item in meeting.items), default=0)
    length = int((fields["ends_at"] - fields["starts_at"]).total_seconds() // 60)
    if longest > length:
        raise MeetingError(
            _("Een agendapunt duurt %(n)s minuten; dat past niet in deze vergadering.", n=longest),
            "end_time",
        )
    before = _snapshot(meeting)
    for key, value in fields.items():
        setattr(meeting, key, value)
    after = _snapshot(meeting)
    if before == after:
        return False
    moved = any(before[k] != after[k] for k in ("starts_at", "ends_at", "location", "online_url"))
    audit.record("meeting.update", meeting, actor, *audit.changes(before, after))
    if moved and meeting.status == "gepubliceerd":
        meeting.sequence += 1
        db.session.flush()
        invitations.tell_members(meeting, "update", invitations.changes(before, after))
        return True
    return False


def overlapping(meeting: Meeting, starts_at=None, ends_at=None) -> list[Meeting]:
    """Published meetings that overlap this one's time."""
    starts_at = starts_at or meeting.starts_at
    ends_at = ends_at or meeting.ends_at
    query = select(Meeting).where(
        Meeting.status != "concept", Meeting.starts_at < ends_at, Meeting.ends_at > starts_at
    )
    if meeting.id is not None:
        query = query.where(Meeting.id != meeting.id)
    return list(db.session.scalars(query.order_by(Meeting.starts_at)))


def publish(meeting: Meeting, actor: User, *, accept_overlap: bool = False) -> None:
    if meeting.status != "concept":
        raise MeetingError(_("Deze vergadering is al gepubliceerd."))
    if not meeting.items:
        raise MeetingError(_("Zet eerst ten minste één punt op de agenda."), "agenda")
    clash = overlapping(meeting)
    if clash and not accept_overlap:
        raise MeetingError(
            _(
                "Deze vergadering overlapt met ‘%(title)s’ op %(day)s. "
                "Pas de tijd aan, of bevestig dat u toch wilt publiceren.",
                title=clash[0].title,
                day=local_day(clash[0].starts_at),
            ),
            "overlap",
        )
    advance(meeting, "concept", "gepubliceerd", published_at=utcnow())
    audit.record(
        "meeting.publish", meeting, actor, {"status": "concept"}, {"status": "gepubliceerd"}
    )
    for item in meeting.items:
        for link in item.links:
            schedule_report(meeting, link.submission, actor)
    meeting_published.send(meeting, actor=actor)
    invitations.tell_members(meeting, "invite")


def cancel(meeting: Meeting, actor: User, reason: str) -> int:
    """Cancel a published meeting: the members get a CANCEL for the event in
    their calendars, and the reports on its agenda go back to the panel of
    reports ready to be scheduled (with a line on their timelines). Returns
    how many reports went back."""
    reason = reason.strip()
    if not reason:
        raise MeetingError(_("Geef de reden van de annulering."), "reason")
    advance(meeting, "gepubliceerd", "geannuleerd", sequence=meeting.sequence + 1)
    meeting.cancellation = MeetingCancellation(
        meeting_id=meeting.id, reason=reason, cancelled_by_id=actor.id, cancelled_at=utcnow()
    )
    db.session.flush()
    audit.record(
        "meeting.cancel",
        meeting,
        actor,
        {"status": "gepubliceerd"},
        {"status": "geannuleerd", "reason": reason},
    )
    with in_platform_language():
        message = _(
            "De vergadering van %(day)s is geannuleerd. Het secretariaat agendeert uw "
            "melding opnieuw.",
            day=local_day(meeting.starts_at),
        )
    moved = 0
    for item in meeting.items:
        for link in item.links:
            moved += move_report(link.submission, "unschedule", actor, meeting, message)
    invitations.tell_members(meeting, "cancel", reason=reason)
    return moved


def mark_held(meeting: Meeting, actor: User) -> int:
    """Close the meeting. Reports on items that were not discussed go back to
    the ready-to-schedule panel, and their submitters hear so; returns how many."""
    advance(meeting, "gepubliceerd", "gehouden", held_at=utcnow())
    audit.record("meeting.held", meeting, actor, {"status": "gepubliceerd"}, {"status": "gehouden"})
    with in_platform_language():
        message = _(
            "Uw melding is in de vergadering van %(day)s niet behandeld. Het secretariaat "
            "agendeert haar opnieuw.",
            day=local_day(meeting.starts_at),
        )
    moved = 0
    for item in meeting.items:
        if item.discussed_at is not None:
            continue
        for link in item.links:
            moved += move_report(link.submission, "unschedule", actor, meeting, message)
    return moved


def meetings_for(user, upcoming: bool, limit: int = 50) -> list[Meeting]:
    """Coming or past meetings; concepts only for the secretariat and the chair."""
    now = utcnow()
    query = select(Meeting)
    if not is_manager(user):
        query = query.where(Meeting.status != "concept")
    if upcoming:
        query = query.where(Meeting.ends_at >= now).order_by(Meeting.starts_at)
    else:
        query = query.where(Meeting.ends_at < now).order_by(Meeting.starts_at.desc())
    return list(db.session.scalars(query.limit(limit)))


def delete_concept(meeting: Meeting, actor: User) -> None:
    """Delete a concept meeting; its documents' files go once that is committed."""
    if meeting.status != "concept":
        raise MeetingError(_("Alleen een concept kan worden verwijderd."))
    audit.record("meeting.delete", meeting, actor, before=_snapshot(meeting))
    for document in list(meeting.documents):
        documents.remove(document, actor)
    db.session.execute(
        delete(AgendaLink).where(
            AgendaLink.agenda_item_id.in_(
                select(AgendaItem.id).where(AgendaItem.meeting_id == meeting.id)
            )
        )
    )
    db.session.delete(meeting)
