"""Recording the meeting and its minutes: items discussed, minutes per item
with every revision kept (and a word diff between them), approval at a later
meeting, and addenda once the minutes are approved."""

from __future__ import annotations

import difflib
import logging
import re

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tafel import db
from tafel.accounts.models import User
from tafel.core import audit
from tafel.core.signals import minutes_approved
from tafel.core.timefmt import local_day
from tafel.db import utcnow
from tafel.meetings import policies
from tafel.meetings.base import MeetingError, advance, move_report
from tafel.meetings.models import AgendaItem, Meeting, MinutesAddendum, MinutesRevision
from tafel.notifications.services import in_platform_language

log = logging.getLogger(__name__)


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
        moved += move_report(link.submission, "discuss", actor, item.meeting, message)
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
            "text",
        )
    text = text.replace("\r\n", "\n").strip()
    if base_revision != item.minutes_revision:
        raise MeetingError(
            _(
                "Iemand anders heeft de notulen van dit punt intussen gewijzigd. Uw tekst staat "
                "hieronder; vergelijk hem met de nieuwe versie."
            ),
            "text",
        )
    if text == item.minutes:
        return False
    number = base_revision + 1
    if not db.compare_and_set(
        item, {"minutes_revision": base_revision}, minutes=text, minutes_revision=number
    ):
        log.info("agenda item %s: minutes revision %s lost a race", item.id, number)
        raise MeetingError(
            _("Iemand anders heeft de notulen van dit punt intussen gewijzigd."), "text"
        )
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


_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """A readable diff: (op, text) pairs, op one of '=', '-', '+', by words."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    parts: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(("=", "".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            parts.append(("-", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            parts.append(("+", "".join(b[j1:j2])))
    return parts


def revision_changes(item: AgendaItem) -> list[tuple[MinutesRevision, list[tuple[str, str]]]]:
    """Every revision, newest first, with its word diff against the one before."""
    history = revisions(item)
    changes = []
    for index, revision in enumerate(history):
        previous = history[index + 1].text if index + 1 < len(history) else ""
        changes.append((revision, word_diff(previous, revision.text)))
    return changes


def approve_minutes(item: AgendaItem, actor: User) -> Meeting:
    earlier = item.approves_meeting
    if earlier is None:
        raise MeetingError(_("Bij dit punt horen geen notulen om vast te stellen."))
    advance(
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
    db.session.flush()
    minutes_approved.send(earlier, actor=actor)
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
    rows = db.session.scalars(
        select(MinutesAddendum)
        .where(MinutesAddendum.meeting_id == meeting.id)
        .options(selectinload(MinutesAddendum.author))
        .order_by(MinutesAddendum.created_at, MinutesAddendum.id)
    )
    return [row for row in rows if row.item is None or policies.can_see_item(user, row.item)]
