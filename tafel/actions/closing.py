"""Closing a report ("afgehandeld") once the work is done: its ministry
answered "niet overnemen", or all action items of its decisions and response
are gerealiseerd or vervallen. It reads decisions, responses and action
items, so it lives in the highest of the three."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import or_, select

from tafel import db
from tafel.accounts.models import User
from tafel.actions.models import OPEN, ActionItem
from tafel.actions.services import ActionError
from tafel.decisions.models import DecisionLink
from tafel.responses.models import Response
from tafel.submissions import follow
from tafel.submissions import models as submission_models
from tafel.submissions import workflow as submission_workflow
from tafel.submissions.models import Submission


def actions_of_submission(sub: Submission) -> list[ActionItem]:
    """The action items of the submission's decisions and of its response."""
    via_decision = select(DecisionLink.decision_id).where(DecisionLink.submission_id == sub.id)
    via_response = select(Response.id).where(Response.submission_id == sub.id)
    return list(
        db.session.scalars(
            select(ActionItem)
            .where(
                or_(
                    ActionItem.decision_id.in_(via_decision),
                    ActionItem.response_id.in_(via_response),
                )
            )
            .order_by(ActionItem.due_date, ActionItem.id)
        )
    )


def close_refusal(sub: Submission) -> str | None:
    """Why the submission cannot be closed yet, or None when it can."""
    if sub.status not in submission_workflow.MEETING_TRANSITIONS["close"].sources:
        return _(
            "Een melding met de status ‘%(status)s’ kan niet worden afgehandeld.",
            status=submission_models.STATUS_LABELS[sub.status],
        )
    response = db.session.scalar(select(Response).where(Response.submission_id == sub.id))
    if response is not None and response.status == "gepubliceerd" and response.outcome == "niet":
        return None
    items = actions_of_submission(sub)
    if not items:
        return _(
            "Een melding wordt afgehandeld als het ministerie heeft gereageerd dat het voorstel "
            "niet wordt overgenomen, of als er actiepunten zijn en die allemaal zijn "
            "gerealiseerd of vervallen. Deze melding heeft nog geen actiepunten."
        )
    still_open = [item for item in items if item.status in OPEN]
    if still_open:
        return _(
            "Nog niet alle actiepunten zijn gerealiseerd of vervallen (%(n)d open).",
            n=len(still_open),
        )
    return None


def closable(sub: Submission) -> bool:
    return close_refusal(sub) is None


def close_submission(sub: Submission, actor: User) -> None:
    refusal = close_refusal(sub)
    if refusal:
        raise ActionError(refusal)
    with follow.platform_language():
        message = _("Uw melding is afgehandeld.")
    moved = submission_workflow.move_for_meeting(
        sub, "close", actor, {"kind": "closed"}, message, urgent=True
    )
    if not moved:
        raise ActionError(_("Deze melding kan niet worden afgehandeld."))
    follow.tell(sub, message, urgent=True, skip_submitter=True)
