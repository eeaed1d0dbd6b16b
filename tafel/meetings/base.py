"""What the meeting services share: their error, the members of the table,
the one compare-and-set step of a meeting's status, and moving the reports
linked to an agenda for a meeting step (agenda.py, lifecycle.py, minutes.py)."""

from __future__ import annotations

import logging
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import exists, select

from tafel import db
from tafel.accounts.models import User, UserRole
from tafel.accounts.roles import MEMBER_ROLES
from tafel.core.errors import ServiceError
from tafel.core.timefmt import AMSTERDAM, local_day
from tafel.meetings.models import Meeting
from tafel.notifications.services import in_platform_language
from tafel.submissions import follow
from tafel.submissions import workflow as submission_workflow
from tafel.submissions.models import Submission

log = logging.getLogger(__name__)


class MeetingError(ServiceError):
    """A refused step on a meeting."""


def meeting_path(meeting: Meeting) -> str:
    return f"/meetings/{meeting.id}"


def members() -> list[User]:
    """Active members of the table (tafelleden and the chair), by name."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.active.is_(True),
                exists().where(
                    UserRole.user_id == User.id, UserRole.role.in_(sorted(MEMBER_ROLES))
                ),
            )
            .order_by(User.name)
        )
    )


def advance(meeting: Meeting, source: str, target: str, **values: Any) -> None:
    """Compare and set: of two people doing the same step at once, one succeeds."""
    if not db.compare_and_set(meeting, {"status": source}, status=target, **values):
        log.info(
            "meeting %s: step %s → %s refused, status changed meanwhile", meeting.id, source, target
        )
        raise MeetingError(_("Iemand anders heeft deze vergadering net gewijzigd."))


def move_report(sub: Submission, action: str, actor: User, meeting: Meeting, message: str) -> bool:
    """Move a report for a meeting step; the submitter hears through the move,
    the organisations that co-signed it through their users."""
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


def schedule_report(meeting: Meeting, sub: Submission, actor: User) -> None:
    """A report put on a published agenda: it becomes `geagendeerd`."""
    with in_platform_language():
        message = _(
            "Uw melding is geagendeerd voor de vergadering van %(day)s.",
            day=local_day(meeting.starts_at),
        )
    move_report(sub, "schedule", actor, meeting, message)
