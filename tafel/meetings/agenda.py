"""The agenda of a meeting: items in order, their durations and timetable,
submissions linked to them, and the panel of reports ready to be scheduled
(ordered by the latest priority round)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from tafel import db
from tafel.accounts.models import User
from tafel.core import audit
from tafel.core.timefmt import local_day
from tafel.meetings.base import MeetingError, move_report, schedule_report
from tafel.meetings.models import AgendaItem, AgendaLink, Meeting
from tafel.notifications.services import in_platform_language
from tafel.submissions.models import Submission
from tafel.voting.results import latest_ranks

# Submissions that may be linked to an agenda item (again).
LINKABLE = frozenset({"aanvaard", "geagendeerd", "besproken", "besloten"})
NEW_ITEM_MINUTES = 20


def check_duration(meeting: Meeting, minutes: int | None) -> int:
    if minutes is None or minutes < 1:
        raise MeetingError(_("Geef een duur van ten minste 1 minuut."), "duration_minutes")
    if minutes > meeting.length_minutes:
        raise MeetingError(
            _(
                "Een punt kan niet langer duren dan de vergadering (%(n)s minuten).",
                n=meeting.length_minutes,
            ),
            "duration_minutes",
        )
    return minutes


def _next_position(meeting: Meeting) -> int:
    """New items go before "Rondvraag en sluiting" when the agenda ends with it."""
    items = list(meeting.items)
    if items and items[-1].standard == "closing":
        closing = items[-1]
        position = closing.position
        closing.position = position + 1
        return position
    return (items[-1].position + 1) if items else 1


def add_item(meeting: Meeting, actor: User, **fields: Any) -> AgendaItem:
    check_duration(meeting, fields.get("duration_minutes"))
    item = AgendaItem(meeting_id=meeting.id, position=_next_position(meeting), **fields)
    db.session.add(item)
    db.session.flush()
    meeting.items.append(item)
    meeting.items.sort(key=lambda i: i.position)
    audit.record("agenda_item.create", item, actor, after={"title": item.title})
    return item


def update_item(item: AgendaItem, actor: User, **fields: Any) -> None:
    check_duration(item.meeting, fields.get("duration_minutes"))
    before = {k: getattr(item, k) for k in fields}
    for key, value in fields.items():
        setattr(item, key, value)
    audit.record("agenda_item.update", item, actor, *audit.changes(before, fields))


def delete_item(item: AgendaItem, actor: User) -> None:
    meeting = item.meeting
    for link in list(item.links):
        unlink(item, link.submission, actor)
    audit.record("agenda_item.delete", item, actor, before={"title": item.title})
    meeting.items.remove(item)
    db.session.delete(item)
    _renumber(meeting)


def _renumber(meeting: Meeting) -> None:
    for position, item in enumerate(sorted(meeting.items, key=lambda i: i.position), start=1):
        item.position = position


def move_item(item: AgendaItem, step: int) -> None:
    """Swap the item with its neighbour above (step -1) or below (+1)."""
    items = sorted(item.meeting.items, key=lambda i: i.position)
    index = items.index(item)
    other = index + step
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, each in enumerate(items, start=1):
        each.position = position
    item.meeting.items.sort(key=lambda i: i.position)


def link_submission(item: AgendaItem, sub: Submission, actor: User) -> AgendaLink:
    if sub.status not in LINKABLE:
        raise MeetingError(_("Alleen aanvaarde meldingen kunnen op de agenda."), "submission")
    if sub.visibility == "vertrouwelijk":
        raise MeetingError(
            _(
                "Een vertrouwelijke melding kan niet op de agenda: de tafelleden mogen haar "
                "niet lezen."
            ),
            "submission",
        )
    if any(link.submission_id == sub.id for link in item.links):
        raise MeetingError(_("Deze melding hoort al bij dit agendapunt."), "submission")
    link = AgendaLink(agenda_item_id=item.id, submission_id=sub.id, submission=sub)
    item.links.append(link)
    db.session.flush()
    audit.record("agenda_item.link", item, actor, after={"submission": sub.id})
    if item.meeting.status == "gepubliceerd":
        schedule_report(item.meeting, sub, actor)
    return link


def unlink(item: AgendaItem, sub: Submission, actor: User) -> None:
    link = next((each for each in item.links if each.submission_id == sub.id), None)
    if link is None:
        return
    item.links.remove(link)
    db.session.delete(link)
    db.session.flush()
    audit.record("agenda_item.unlink", item, actor, before={"submission": sub.id})
    still_planned = db.session.scalar(
        select(func.count(AgendaLink.id))
        .join(AgendaItem, AgendaItem.id == AgendaLink.agenda_item_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(AgendaLink.submission_id == sub.id, Meeting.status == "gepubliceerd")
    )
    if item.meeting.status == "gepubliceerd" and not still_planned:
        with in_platform_language():
            message = _(
                "Uw melding staat niet meer op de agenda van de vergadering van %(day)s.",
                day=local_day(item.meeting.starts_at),
            )
        move_report(sub, "unschedule", actor, item.meeting, message)


def schedule_ready(
    meeting: Meeting, sub: Submission, actor: User, item: AgendaItem | None = None
) -> AgendaItem:
    """From the ready-to-schedule panel: onto an existing item or a new one."""
    if item is None:
        item = add_item(
            meeting,
            actor,
            title=sub.title[:200],
            kind="bespreking",
            duration_minutes=min(NEW_ITEM_MINUTES, meeting.length_minutes),
            presenter="",
            description="",
        )
    link_submission(item, sub, actor)
    return item


def ready_to_schedule() -> list[tuple[Submission, int | None]]:
    """Accepted submissions not on a coming agenda: by the latest priority round's
    rank, then co-signatures, then age."""
    ranks = latest_ranks()
    rows = db.session.scalars(
        select(Submission)
        .where(
            Submission.status == "aanvaard",
            Submission.visibility != "vertrouwelijk",
            # Not on an agenda still to come (after a meeting it may return).
            ~exists().where(
                AgendaLink.submission_id == Submission.id,
                AgendaItem.id == AgendaLink.agenda_item_id,
                Meeting.id == AgendaItem.meeting_id,
                Meeting.status.in_(("concept", "gepubliceerd")),
            ),
        )
        .options(selectinload(Submission.organisation))
    ).all()
    far = len(ranks) + 1
    rows = sorted(
        rows,
        key=lambda s: (
            ranks.get(s.id, far),
            -s.cosign_count,
            s.submitted_at or s.created_at,
            s.id,
        ),
    )
    return [(sub, ranks.get(sub.id)) for sub in rows]


@dataclass(frozen=True)
class Slot:
    item: AgendaItem
    starts: datetime
    ends: datetime


def timetable(meeting: Meeting, items: list[AgendaItem] | None = None) -> list[Slot]:
    """Each item's start and end, from the meeting's start and the durations
    of all items before it (hidden ones included, so times agree for everyone)."""
    slots = []
    clock = meeting.starts_at
    for item in sorted(meeting.items, key=lambda i: i.position):
        end = clock + timedelta(minutes=item.duration_minutes)
        slots.append(Slot(item, clock, end))
        clock = end
    if items is not None:
        wanted = {item.id for item in items}
        slots = [slot for slot in slots if slot.item.id in wanted]
    return slots


def total_minutes(meeting: Meeting) -> int:
    return sum(item.duration_minutes for item in meeting.items)
