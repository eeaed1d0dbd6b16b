"""Ministry responses ("comply or explain"): drafting by the responsible
ministry, review and publication by the secretariat, the queue and the
deadline reminders.

An accepted submission with a ministry and a deadline is due a response. The
Response row is created lazily (`ensure_response`), on the first save or by
the reminder timer (`responses.reminders`). Services check the rules that do
not depend on who asks (the views check `responses.policies`), flush, audit,
add timeline entries and queue notifications; the view commits. The queue and
a report's response state are read in `responses.queries`.
"""

from __future__ import annotations

import logging
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from tafel import db
from tafel.accounts.models import User
from tafel.core import audit
from tafel.core.errors import ServiceError
from tafel.core.signals import response_published
from tafel.db import utcnow
from tafel.decisions.models import EXPLAIN, OUTCOME_LABELS, OUTCOMES
from tafel.notifications.services import notify, notify_role
from tafel.responses.models import Response
from tafel.responses.queries import find_response, is_due, ministry_users
from tafel.submissions import follow
from tafel.submissions.models import Submission
from tafel.submissions.timeline import add_event

log = logging.getLogger(__name__)


class ResponseError(ServiceError):
    """A refused step on a ministry response."""


def response_path(submission_id: int) -> str:
    return f"/responses/{submission_id}"


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
    # A draft that was just offered for review (in another tab) or published
    # is not overwritten.
    if not db.compare_and_set(response, {"status": "concept"}, **values):
        log.info("response %s was no longer a concept when saved", response.id)
        raise ResponseError(_("Deze reactie is al ter beoordeling aangeboden of gepubliceerd."))
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
    """Of two reviewers acting at once, exactly one succeeds."""
    if not db.compare_and_set(response, {"status": "ter_review"}, **values):
        log.info("response %s was reviewed by someone else meanwhile", response.id)
        raise ResponseError(_("Iemand anders heeft deze reactie net beoordeeld."))


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
    # Its action items waited for publication (tafel.actions announces them).
    response_published.send(response, actor=actor)
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
