"""Deadline reminders for ministry responses (run by the send-mail timer)."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select

from tafel import db
from tafel.core.timefmt import local_day, local_today
from tafel.db import utcnow
from tafel.notifications.services import notify
from tafel.responses.models import Response
from tafel.responses.queries import due_clause, ministry_users
from tafel.responses.services import ensure_response, response_path
from tafel.submissions import follow
from tafel.submissions.models import Submission

REMINDER_DAYS = 7


def send_response_reminders(today: date | None = None) -> dict[str, int]:
    """For the send-mail timer: mail the ministry's departement users once
    when a deadline is a week away and once when it has passed (unless the
    response already lies with the secretariat). Returns the numbers sent."""
    today = today or local_today()
    soon = today + timedelta(days=REMINDER_DAYS)
    subs = db.session.scalars(
        select(Submission)
        .outerjoin(Response, Response.submission_id == Submission.id)
        .where(
            *due_clause(),
            Submission.response_deadline <= soon,
            or_(Response.id.is_(None), Response.status == "concept"),
            or_(Response.id.is_(None), Response.overdue_reminded_at.is_(None)),
        )
        .order_by(Submission.response_deadline, Submission.id)
    ).all()
    counts = {"reminded": 0, "overdue": 0}
    now = utcnow()
    for sub in subs:
        response = ensure_response(sub)
        if response.status != "concept":
            continue
        if response.due_date < today:
            if response.overdue_reminded_at is None:
                _remind(response, sub, overdue=True)
                response.overdue_reminded_at = now
                counts["overdue"] += 1
        elif response.reminded_at is None:
            _remind(response, sub, overdue=False)
            response.reminded_at = now
            counts["reminded"] += 1
    db.session.flush()
    return counts


def _remind(response: Response, sub: Submission, overdue: bool) -> None:
    with follow.platform_language():
        day = local_day(response.due_date)
        if overdue:
            title = _("Reactietermijn verstreken: %(title)s", title=sub.title)
            body = _(
                "De termijn voor de reactie op melding #%(id)d ‘%(title)s’ is op %(day)s "
                "verstreken. Stuur de reactie zo snel mogelijk in.",
                id=sub.id,
                title=sub.title,
                day=day,
            )
        else:
            title = _("Reactie gevraagd vóór %(day)s: %(title)s", day=day, title=sub.title)
            body = _(
                "Het secretariaat verwacht uiterlijk %(day)s de reactie van uw ministerie "
                "op melding #%(id)d ‘%(title)s’.",
                day=day,
                id=sub.id,
                title=sub.title,
            )
        for user in ministry_users(response.ministry_id):
            notify(user, title[:300], response_path(sub.id), body, urgent=True)
