"""The meetings of demo.json: two held meetings (the first with approved
minutes), the December meeting as a concept agenda and a theme session
without an agenda yet. Submissions discussed at a held meeting get the
timeline entries they would have had. Idempotent: meetings are matched by title.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from tafel import db
from tafel.accounts.models import User, UserRole
from tafel.core.timefmt import AMSTERDAM
from tafel.meetings.models import (
    AgendaItem,
    AgendaLink,
    Attendance,
    Meeting,
    MinutesRevision,
)
from tafel.submissions.demo import past_event
from tafel.submissions.models import Submission

STATUS = {"gehouden": "gehouden", "gepland": "concept"}


def _local(day: str, clock: str) -> datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime.combine(date.fromisoformat(day), time(hour, minute), AMSTERDAM)


def load_meetings(data: dict[str, Any], submissions: list[Submission]) -> int:
    existing = set(db.session.scalars(select(Meeting.title)))
    secretariat = db.session.scalar(select(User).where(User.email == "secretariaat@example.org"))
    if secretariat is None:
        return 0
    members = list(
        db.session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role.in_(("tafellid", "voorzitter")), User.active.is_(True))
        )
    )
    created: list[Meeting] = []
    added = 0
    for entry in data.get("meetings", []):
        if entry["title"] in existing:
            created.append(
                db.session.scalar(select(Meeting).where(Meeting.title == entry["title"]))
            )
            continue
        meeting = _meeting(entry, secretariat, submissions, created[-1] if created else None)
        if meeting.status == "gehouden":
            for user in members:
                db.session.add(
                    Attendance(
                        meeting_id=meeting.id,
                        user_id=user.id,
                        rsvp="aanwezig",
                        rsvp_at=meeting.published_at,
                        presence="aanwezig",
                        recorded_at=meeting.starts_at,
                    )
                )
        created.append(meeting)
        added += 1
    # Minutes are approved at the next held meeting.
    for earlier, later in zip(created, created[1:], strict=False):
        if earlier.status == "gehouden" and later.status == "gehouden":
            earlier.status = "notulen_vastgesteld"
            earlier.minutes_approved_at = later.starts_at + timedelta(minutes=15)
            earlier.minutes_approved_in_id = later.id
    db.session.flush()
    return added


def _meeting(entry, secretariat, submissions, previous: Meeting | None) -> Meeting:
    starts = _local(entry["date"], entry.get("start_time") or "13:30")
    ends = _local(entry["date"], entry.get("end_time") or "16:30")
    status = STATUS.get(entry.get("status"), "concept")
    held = status == "gehouden"
    meeting = Meeting(
        title=entry["title"],
        description="",
        starts_at=starts,
        ends_at=ends,
        location=entry.get("location") or "",
        online_url="",
        status=status,
        sequence=0,
        published_at=starts - timedelta(days=14) if held else None,
        held_at=ends if held else None,
        created_by_id=secretariat.id,
        created_at=starts - timedelta(days=30),
    )
    db.session.add(meeting)
    db.session.flush()
    for position, raw in enumerate(entry.get("agenda", []), start=1):
        title = raw["title"]
        approves = previous.id if previous and "verslag" in title.lower() else None
        item = AgendaItem(
            meeting_id=meeting.id,
            position=position,
            title=title[:200],
            kind=raw["kind"],
            duration_minutes=raw["duration_minutes"],
            presenter="",
            description="",
            approves_meeting_id=approves,
            discussed_at=ends if held else None,
            minutes="",
            minutes_revision=0,
        )
        db.session.add(item)
        db.session.flush()
        for index in raw.get("submission_indices", []):
            sub = submissions[index]
            db.session.add(AgendaLink(agenda_item_id=item.id, submission_id=sub.id))
            if held:
                _discussed(sub, meeting, secretariat)
    if held and entry.get("minutes"):
        first = db.session.scalar(
            select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, AgendaItem.position == 1)
        )
        first.minutes = entry["minutes"]
        first.minutes_revision = 1
        db.session.add(
            MinutesRevision(
                agenda_item_id=first.id,
                number=1,
                text=entry["minutes"],
                author_id=secretariat.id,
                created_at=ends + timedelta(days=3),
            )
        )
    db.session.flush()
    return meeting


def _discussed(sub: Submission, meeting: Meeting, secretariat) -> None:
    """Scheduled when the agenda was published, discussed on the day."""
    if sub.status not in ("aanvaard", "geagendeerd"):
        return
    day = meeting.starts_at.astimezone(AMSTERDAM).date().isoformat()
    steps = [
        ("schedule", "aanvaard", "geagendeerd", meeting.published_at),
        ("discuss", "geagendeerd", "besproken", meeting.ends_at),
    ]
    for action, previous, status, when in steps:
        if sub.status != previous:
            continue
        past_event(sub, "meeting", when, secretariat, True, action=action, previous=previous,
                   status=status, meeting=meeting.id, day=day)  # fmt: skip
        sub.status, sub.status_changed_at = status, when
