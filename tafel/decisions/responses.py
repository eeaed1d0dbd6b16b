"""Ministry responses ("comply or explain"): drafting by the responsible
ministry, review and publication by the secretariat, the queue and the
deadline reminders.

An accepted submission with a ministry and a deadline is due a response. The
Response row is created lazily (`ensure_response`), on the first save or by
the reminder timer. Services check the rules that do not depend on who asks
(the views check the policies), flush, audit, add timeline entries and queue
notifications; the view commits.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from tafel import db
from tafel.accounts.models import Organisation, User, UserRole
from tafel.core import audit
from tafel.core.errors import ServiceError
from tafel.core.timefmt import local_today
from tafel.db import utcnow
from tafel.decisions.models import EXPLAIN, OUTCOMES, Response
from tafel.decisions.services import OUTCOME_LABELS
from tafel.notifications.services import notify, notify_role
from tafel.submissions import follow
from tafel.submissions.models import Submission
from tafel.submissions.timeline import add_event

ACCEPTED = ("aanvaard", "geagendeerd", "besproken", "besloten")
REMINDER_DAYS = 7
REVIEW_LIMIT = 50
STATUS_LABELS = {
    "concept": _l("Concept"),
    "ter_review": _l("Ter beoordeling"),
    "gepubliceerd": _l("Gepubliceerd"),
}


class ResponseError(ServiceError):
    """A refused step on a ministry response."""


def response_path(submission_id: int) -> str:
    return f"/responses/{submission_id}"


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


def ensure_response(sub: Submission) -> Response:
    """The submission's response row, created when missing (one per submission)."""
    response = find_response(sub)
    if response is None:
        if not is_due(sub):
            raise ResponseError(_("Voor deze melding wordt geen reactie gevraagd."))
        response = Response(
            submission_id=sub.id,
            ministry_id=sub.ministry_id,
            due_date=sub.response_deadline,
            status="concept",
        )
        try:
            with db.session.begin_nested():
                db.session.add(response)
        except IntegrityError:
            # Created at the same moment by someone else (or the reminder timer).
            response = find_response(sub)
    elif response.status == "concept" and is_due(sub):
        # The secretariat may have moved the deadline or the ministry since.
        response.ministry_id = sub.ministry_id
        response.due_date = sub.response_deadline
    return response


def snapshot(response: Response) -> dict[str, Any]:
    return {
        "status": response.status,
        "outcome": response.outcome,
        "explanation": response.explanation,
        "measures": response.measures,
    }


# Drafting ---------------------------------------------------------------------------


def _check(outcome: str | None, explanation: str, complete: bool) -> None:
    if outcome is None:
        if complete:
            raise ResponseError(_("Kies een uitkomst."), "outcome")
        return
    if outcome not in OUTCOMES:
        raise ResponseError(_("Kies een uitkomst."), "outcome")
    if outcome in EXPLAIN and not explanation:
        raise ResponseError(
            _("Licht toe waarom het voorstel niet of deels wordt overgenomen."), "explanation"
        )


def save_draft(
    response: Response,
    actor: User,
    *,
    outcome: str | None,
    explanation: str,
    measures: str,
    submit: bool = False,
) -> Response:
    """Store the ministry's draft; with `submit`, offer it for review."""
    if response.status != "concept":
        raise ResponseError(_("Deze reactie is al ter beoordeling aangeboden of gepubliceerd."))
    outcome = outcome or None
    explanation = (explanation or "").strip()
    measures = (measures or "").strip()
    _check(outcome, explanation, complete=submit)
    before = snapshot(response)
    values: dict[str, Any] = {
        "outcome": outcome,
        "explanation": explanation,
        "measures": measures,
        "drafted_by_id": actor.id,
    }
    if submit:
        values.update(status="ter_review", submitted_at=utcnow())
    db.session.flush()
    # Compare and set: a draft that was just offered for review (in another
    # tab) or published is not overwritten.
    saved = db.session.execute(
        update(Response)
        .where(Response.id == response.id, Response.status == "concept")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if saved.rowcount != 1:
        db.session.refresh(response)
        raise ResponseError(_("Deze reactie is al ter beoordeling aangeboden of gepubliceerd."))
    for name, value in values.items():
        setattr(response, name, value)
    old, new = audit.changes(before, snapshot(response))
    audit.record(
        "response.submit" if submit else "response.save", response, actor, before=old, after=new
    )
    if submit:
        _tell_secretariat(response)
    return response


def _tell_secretariat(response: Response) -> None:
    sub = response.submission
    with follow.platform_language():
        title = _("Reactie ter beoordeling: %(title)s", title=sub.title)[:300]
        body = _(
            "Het %(ministry)s heeft een reactie op melding #%(id)d ter beoordeling aangeboden.",
            ministry=response.ministry.label,
            id=sub.id,
        )
        notify_role("secretariaat", title, response_path(sub.id), body)


# Review -----------------------------------------------------------------------------


def _claim(response: Response, values: dict[str, Any]) -> None:
    """Compare and set: of two reviewers acting at once, exactly one succeeds."""
    moved = db.session.execute(
        update(Response)
        .where(Response.id == response.id, Response.status == "ter_review")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        db.session.refresh(response)
        raise ResponseError(_("Iemand anders heeft deze reactie net beoordeeld."))
    for name, value in values.items():
        setattr(response, name, value)


def publish(response: Response, actor: User) -> Response:
    if response.status != "ter_review":
        raise ResponseError(
            _("Alleen een reactie die ter beoordeling ligt, kan worden gepubliceerd.")
        )
    _check(response.outcome, response.explanation, complete=True)
    _claim(
        response,
        {"status": "gepubliceerd", "published_at": utcnow(), "published_by_id": actor.id},
    )
    audit.record(
        "response.publish",
        response,
        actor,
        before={"status": "ter_review"},
        after={"status": "gepubliceerd", **snapshot(response)},
    )
    sub = response.submission
    add_event(
        sub,
        "response",
        actor,
        by_secretariat=True,
        response=response.id,
        ministry=response.ministry_id,
        outcome=response.outcome,
        explanation=response.explanation,
    )
    with follow.platform_language():
        message = _(
            "Het %(ministry)s heeft gereageerd op uw melding: %(outcome)s.",
            ministry=response.ministry.label,
            outcome=OUTCOME_LABELS[response.outcome],
        )
    follow.tell(sub, message, urgent=True)
    from tafel.decisions import actions

    for action in response.actions:
        actions.announce(action, actor)
    return response


def return_to_ministry(response: Response, actor: User, note: str) -> Response:
    note = (note or "").strip()
    if not note:
        raise ResponseError(_("Schrijf wat het ministerie moet aanpassen."), "note")
    if response.status != "ter_review":
        raise ResponseError(_("Alleen een reactie die ter beoordeling ligt, kan terug."))
    _claim(response, {"status": "concept", "review_note": note})
    audit.record(
        "response.return",
        response,
        actor,
        before={"status": "ter_review"},
        after={"status": "concept", "review_note": note},
    )
    with follow.platform_language():
        title = _(
            "Reactie teruggestuurd door het secretariaat: %(title)s",
            title=response.submission.title,
        )[:300]
        for user in ministry_users(response.ministry_id):
            notify(user, title, response_path(response.submission_id), note)
    return response


# Reading ----------------------------------------------------------------------------


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


def _due_clause():
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
        .where(*_due_clause(), or_(Response.id.is_(None), Response.status != "gepubliceerd"))
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


# Reminders --------------------------------------------------------------------------


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
            *_due_clause(),
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
    from tafel.core.timefmt import local_day

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
