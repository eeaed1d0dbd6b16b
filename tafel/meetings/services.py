"""Meeting state changes: preparing the agenda, publishing, attendance,
recording the meeting, minutes with revisions and their approval.

Services check the rules that do not depend on who asks (the views check
the policies), flush, audit, add timeline entries and queue notifications;
the view commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.orm import selectinload

from tafel import db
from tafel.accounts.models import User, UserRole
from tafel.core import audit
from tafel.core.errors import ServiceError
from tafel.core.timefmt import AMSTERDAM, local_day
from tafel.db import utcnow
from tafel.meetings import calendar
from tafel.meetings.models import (
    AgendaItem,
    AgendaLink,
    Attendance,
    Meeting,
    MinutesAddendum,
    MinutesRevision,
)
from tafel.notifications.services import in_platform_language, notify
from tafel.submissions import workflow as submission_workflow
from tafel.submissions.models import Submission

STATUS_LABELS = {
    "concept": _l("Concept"),
    "gepubliceerd": _l("Gepubliceerd"),
    "gehouden": _l("Gehouden"),
    "notulen_vastgesteld": _l("Notulen vastgesteld"),
}
KIND_LABELS = {
    "informatie": _l("Ter informatie"),
    "bespreking": _l("Ter bespreking"),
    "besluitvorming": _l("Ter besluitvorming"),
}
PRESENCE_LABELS = {
    "aanwezig": _l("Aanwezig"),
    "afwezig": _l("Afwezig"),
    "vervanger": _l("Vervanger"),
}
# Submissions that may be linked to an agenda item (again).
LINKABLE = frozenset({"aanvaard", "geagendeerd", "besproken", "besloten"})
NEW_ITEM_MINUTES = 20
MEMBER_ROLES = ("tafellid", "voorzitter")


class MeetingError(ServiceError):
    """A refused step on a meeting."""


def meeting_path(meeting: Meeting) -> str:
    return f"/meetings/{meeting.id}"


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


# The meeting itself ---------------------------------------------------------------


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
        earlier = previous_unapproved(meeting.starts_at, exclude=meeting.id)
        # Without earlier minutes to approve, that item is left out; the
        # others are numbered on without a gap.
        wanted = [
            item
            for item in standard_items()
            if item["standard"] != "minutes" or earlier is not None
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
    audit.record("meeting.create", meeting, actor, after=_snapshot(meeting))
    return meeting


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
        _tell_members(meeting, changed=True)
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


def _advance(meeting: Meeting, source: str, target: str, **values: Any) -> None:
    """Compare and set: of two people doing the same step at once, one succeeds."""
    moved = db.session.execute(
        update(Meeting)
        .where(Meeting.id == meeting.id, Meeting.status == source)
        .values(status=target, **values)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        db.session.refresh(meeting)
        raise MeetingError(_("Iemand anders heeft deze vergadering net gewijzigd."))
    meeting.status = target
    for key, value in values.items():
        setattr(meeting, key, value)


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
    _advance(meeting, "concept", "gepubliceerd", published_at=utcnow())
    audit.record(
        "meeting.publish", meeting, actor, {"status": "concept"}, {"status": "gepubliceerd"}
    )
    for item in meeting.items:
        for link in item.links:
            _schedule(meeting, link.submission, actor)
    _tell_members(meeting, changed=False)


def members() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.active.is_(True),
                exists().where(UserRole.user_id == User.id, UserRole.role.in_(MEMBER_ROLES)),
            )
            .order_by(User.name)
        )
    )


def _tell_members(meeting: Meeting, changed: bool) -> None:
    with in_platform_language():
        when = local_day(meeting.starts_at)
        if changed:
            title = _("Gewijzigd: vergadering van %(day)s", day=when)
            body = _(
                "De tijd of plaats van ‘%(title)s’ is gewijzigd. De bijgevoegde uitnodiging "
                "werkt uw agenda bij.",
                title=meeting.title,
            )
        else:
            title = _("Uitnodiging: vergadering van %(day)s", day=when)
            body = _(
                "De agenda van ‘%(title)s’ is gepubliceerd. Laat via de vergaderpagina weten "
                "of u aanwezig bent.",
                title=meeting.title,
            )
        for user in members():
            invite = calendar.invitation(meeting, user)
            notify(user, title, meeting_path(meeting), body, invite)


def mark_held(meeting: Meeting, actor: User) -> int:
    """Close the meeting. Reports on items that were not discussed go back to
    the ready-to-schedule panel, and their submitters hear so; returns how many."""
    _advance(meeting, "gepubliceerd", "gehouden", held_at=utcnow())
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
            moved += _step(link.submission, "unschedule", actor, meeting, message)
    return moved


# Agenda ---------------------------------------------------------------------------


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
        _schedule(item.meeting, sub, actor)
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
        _step(sub, "unschedule", actor, item.meeting, message)


def _step(sub: Submission, action: str, actor: User, meeting: Meeting, message: str) -> bool:
    """Move a report for a meeting step; the submitter hears through the move,
    the organisations that co-signed it through their users."""
    from tafel.submissions import follow

    moved = submission_workflow.move_for_meeting(
        sub, action, actor, _event(meeting, "meeting"), message
    )
    if moved:
        follow.tell(sub, message, skip_submitter=True)
    return moved


def _event(meeting: Meeting, kind: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "meeting": meeting.id,
        "day": meeting.starts_at.astimezone(AMSTERDAM).date().isoformat(),
    }


def _schedule(meeting: Meeting, sub: Submission, actor: User) -> None:
    with in_platform_language():
        message = _(
            "Uw melding is geagendeerd voor de vergadering van %(day)s.",
            day=local_day(meeting.starts_at),
        )
    _step(sub, "schedule", actor, meeting, message)


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
    from tafel.voting.services import latest_ranks

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


# Attendance -----------------------------------------------------------------------


def _check_presence(answer: str | None, substitute: str) -> None:
    if answer not in PRESENCE_LABELS:
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


# During and after the meeting -------------------------------------------------------


def mark_discussed(item: AgendaItem, actor: User) -> int:
    """Mark an item discussed; its linked submissions move to `besproken`."""
    if item.discussed_at is not None:
        raise MeetingError(_("Dit punt is al als besproken gemarkeerd."))
    item.discussed_at = utcnow()
    audit.record("agenda_item.discussed", item, actor, after={"discussed": True})
    moved = 0
    with in_platform_language():
        message = _(
            "Uw melding is besproken in de vergadering van %(day)s.",
            day=local_day(item.meeting.starts_at),
        )
    for link in item.links:
        moved += _step(link.submission, "discuss", actor, item.meeting, message)
    return moved


def minutes_locked(meeting: Meeting) -> bool:
    return meeting.status == "notulen_vastgesteld"


def save_minutes(item: AgendaItem, actor: User, text: str, base_revision: int) -> bool:
    """Save a new revision; returns False when nothing changed. Refuses when
    the minutes are approved or someone saved a newer revision meanwhile."""
    if minutes_locked(item.meeting):
        raise MeetingError(
            _(
                "De notulen zijn vastgesteld en kunnen niet meer worden gewijzigd. Voeg een "
                "aanvulling toe."
            ),
            "minutes",
        )
    text = text.replace("\r\n", "\n").strip()
    if base_revision != item.minutes_revision:
        raise MeetingError(
            _(
                "Iemand anders heeft de notulen van dit punt intussen gewijzigd. Uw tekst staat "
                "hieronder; vergelijk hem met de nieuwe versie."
            ),
            "minutes",
        )
    if text == item.minutes:
        return False
    number = base_revision + 1
    saved = db.session.execute(
        update(AgendaItem)
        .where(AgendaItem.id == item.id, AgendaItem.minutes_revision == base_revision)
        .values(minutes=text, minutes_revision=number)
        .execution_options(synchronize_session=False)
    )
    if saved.rowcount != 1:
        db.session.refresh(item)
        raise MeetingError(
            _("Iemand anders heeft de notulen van dit punt intussen gewijzigd."), "minutes"
        )
    item.minutes = text
    item.minutes_revision = number
    db.session.add(
        MinutesRevision(agenda_item_id=item.id, number=number, text=text, author_id=actor.id)
    )
    audit.record("minutes.revise", item, actor, after={"revision": number})
    return True


def revisions(item: AgendaItem) -> list[MinutesRevision]:
    return list(
        db.session.scalars(
            select(MinutesRevision)
            .where(MinutesRevision.agenda_item_id == item.id)
            .options(selectinload(MinutesRevision.author))
            .order_by(MinutesRevision.number.desc())
        )
    )


def approve_minutes(item: AgendaItem, actor: User) -> Meeting:
    earlier = item.approves_meeting
    if earlier is None:
        raise MeetingError(_("Bij dit punt horen geen notulen om vast te stellen."))
    _advance(
        earlier,
        "gehouden",
        "notulen_vastgesteld",
        minutes_approved_at=utcnow(),
        minutes_approved_in_id=item.meeting_id,
    )
    audit.record(
        "meeting.minutes_approved",
        earlier,
        actor,
        {"status": "gehouden"},
        {"status": "notulen_vastgesteld", "approved_in": item.meeting_id},
    )
    if item.discussed_at is None:
        item.discussed_at = utcnow()
    return earlier


def add_addendum(
    meeting: Meeting, actor: User, text: str, item: AgendaItem | None = None
) -> MinutesAddendum:
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise MeetingError(_("Schrijf de aanvulling."), "text")
    if item is not None and item.meeting_id != meeting.id:
        raise MeetingError(_("Kies een punt van deze vergadering."), "item")
    row = MinutesAddendum(
        meeting_id=meeting.id,
        agenda_item_id=item.id if item else None,
        text=text,
        author_id=actor.id,
    )
    db.session.add(row)
    db.session.flush()
    audit.record("minutes.addendum", meeting, actor, after={"addendum": row.id})
    return row


def addenda(meeting: Meeting, user) -> list[MinutesAddendum]:
    """The addenda `user` may read: those of the meeting as a whole and of
    the items shown to them."""
    from tafel.meetings import policies

    rows = db.session.scalars(
        select(MinutesAddendum)
        .where(MinutesAddendum.meeting_id == meeting.id)
        .options(selectinload(MinutesAddendum.author))
        .order_by(MinutesAddendum.created_at, MinutesAddendum.id)
    )
    return [row for row in rows if row.item is None or policies.can_see_item(user, row.item)]


# Lists ------------------------------------------------------------------------------


def meetings_for(user, upcoming: bool, limit: int = 50) -> list[Meeting]:
    from tafel.meetings import policies

    now = utcnow()
    query = select(Meeting)
    if not (frozenset(user.roles if user.is_authenticated else ()) & policies.MANAGERS):
        query = query.where(Meeting.status != "concept")
    if upcoming:
        query = query.where(Meeting.ends_at >= now).order_by(Meeting.starts_at)
    else:
        query = query.where(Meeting.ends_at < now).order_by(Meeting.starts_at.desc())
    return list(db.session.scalars(query.limit(limit)))


def delete_concept(meeting: Meeting, actor: User) -> None:
    if meeting.status != "concept":
        raise MeetingError(_("Alleen een concept kan worden verwijderd."))
    from tafel.meetings import documents

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
