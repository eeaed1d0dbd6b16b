"""Reading ministry responses: who answers for a ministry, the queue, the
reviews waiting, and where a report's response stands (for its page and lists)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from tafel import db
from tafel.accounts.models import Organisation, User, UserRole
from tafel.core.timefmt import local_today
from tafel.responses.models import STATUS_LABELS, Response
from tafel.submissions.models import Submission

# The report statuses that owe a response (given a ministry and a deadline).
ACCEPTED = ("aanvaard", "geagendeerd", "besproken", "besloten")
REVIEW_LIMIT = 50


def is_due(sub: Submission) -> bool:
    """Whether the ministry owes this submission a response."""
    return (
        sub.status in ACCEPTED and sub.ministry_id is not None and sub.response_deadline is not None
    )


def find_response(sub: Submission) -> Response | None:
    return db.session.scalar(select(Response).where(Response.submission_id == sub.id))


def response_for(sub: Submission) -> Response | None:
    """The stored response, or an unsaved concept when one is due; None when
    this submission has no response and is not due one."""
    response = find_response(sub)
    if response is not None or not is_due(sub):
        return response
    return Response(
        submission=sub,
        ministry_id=sub.ministry_id,
        ministry=sub.ministry,
        due_date=sub.response_deadline,
        status="concept",
        explanation="",
        measures="",
        review_note="",
    )


# Lists -------------------------------------------------------------------------------


def ministry_users(ministry_id: int) -> list[User]:
    """The active departement users who answer for a ministry."""
    return list(
        db.session.scalars(
            select(User)
            .join(Organisation, Organisation.id == User.organisation_id)
            .join(UserRole, UserRole.user_id == User.id)
            .where(
                Organisation.ministry_id == ministry_id,
                UserRole.role == "departement",
                User.active.is_(True),
            )
            .order_by(User.id)
        ).unique()
    )


def due_clause():
    return (
        Submission.status.in_(ACCEPTED),
        Submission.ministry_id.is_not(None),
        Submission.response_deadline.is_not(None),
    )


def queue_query(ministry_id: int | None):
    """Submissions still waiting for a published response, earliest deadline first."""
    query = (
        select(Submission)
        .outerjoin(Response, Response.submission_id == Submission.id)
        .where(*due_clause(), or_(Response.id.is_(None), Response.status != "gepubliceerd"))
        .options(selectinload(Submission.ministry))
        .order_by(Submission.response_deadline, Submission.id)
    )
    if ministry_id is not None:
        query = query.where(Submission.ministry_id == ministry_id)
    return query


def responses_by_submission(submission_ids: list[int]) -> dict[int, Response]:
    if not submission_ids:
        return {}
    rows = db.session.scalars(select(Response).where(Response.submission_id.in_(submission_ids)))
    return {row.submission_id: row for row in rows}


def awaiting_review(ministry_id: int | None = None) -> list[Response]:
    query = (
        select(Response)
        .where(Response.status == "ter_review")
        .options(joinedload(Response.submission), joinedload(Response.ministry))
        .order_by(Response.submitted_at, Response.id)
        .limit(REVIEW_LIMIT)
    )
    if ministry_id is not None:
        query = query.where(Response.ministry_id == ministry_id)
    return list(db.session.scalars(query))


def _state(sub: Submission, response: Response | None, today: date) -> dict[str, Any]:
    due = is_due(sub) or response is not None
    status = response.status if response is not None else None
    deadline = response.due_date if response is not None else sub.response_deadline
    published = status == "gepubliceerd"
    return {
        "due": due,
        "status": status,
        "status_label": STATUS_LABELS.get(status) if status else _("Nog geen reactie"),
        "deadline": deadline,
        "published": published,
        "outcome": response.outcome if published else None,
        "overdue": bool(due and not published and deadline and deadline < today),
        "returned": bool(response is not None and status == "concept" and response.review_note),
    }


def response_state(sub: Submission, today: date | None = None) -> dict[str, Any]:
    """Where the ministry's response to `sub` stands: due, status, deadline,
    overdue ("reactietermijn verstreken"), published outcome."""
    return _state(sub, find_response(sub), today or local_today())


def response_states(subs: list[Submission], today: date | None = None) -> dict[int, dict]:
    """`response_state` for a list page: one query for all rows."""
    today = today or local_today()
    found = responses_by_submission([sub.id for sub in subs])
    return {sub.id: _state(sub, found.get(sub.id), today) for sub in subs}
