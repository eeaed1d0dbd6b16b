"""Action items: creating one from a decision or a response, announcing it,
and progress updates. The lists are in `actions.queries`, closing a report
once the work is done in `actions.closing`.

Services check the rules that do not depend on who asks (the views check
`actions.policies`), flush, audit, add timeline entries and queue
notifications; the view commits.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from tafel import db
from tafel.accounts import roles
from tafel.accounts.models import Organisation, User
from tafel.actions import policies
from tafel.actions.models import FINAL, OPEN, STATUS_LABELS, ActionItem, ActionUpdate
from tafel.core import audit
from tafel.core.errors import ServiceError
from tafel.core.signals import response_published
from tafel.core.timefmt import local_day, local_today
from tafel.db import utcnow
from tafel.decisions.models import Decision
from tafel.notifications.services import notify
from tafel.reference.models import Ministry
from tafel.reference.services import current_ministries
from tafel.responses.models import Response
from tafel.responses.queries import ministry_users
from tafel.submissions import follow
from tafel.submissions.models import CoSignature, Submission
from tafel.submissions.timeline import add_event

log = logging.getLogger(__name__)


class ActionError(ServiceError):
    """A refused step on an action item."""


def action_path(action: ActionItem) -> str:
    return f"/actions/{action.id}"


def is_overdue(action: ActionItem, today: date | None = None) -> bool:
    return action.status in OPEN and action.due_date < (today or local_today())


def owner_label(action: ActionItem) -> str:
    if action.owner_user is not None:
        return f"{action.owner_user.name} ({action.owner_user.organisation.name})"
    if action.owner_organisation is not None:
        return action.owner_organisation.name
    return action.owner_ministry.label if action.owner_ministry is not None else ""


# Owners -----------------------------------------------------------------------------


def origin_submissions(origin: Decision | Response) -> list[Submission]:
    if isinstance(origin, Decision):
        return [link.submission for link in origin.links]
    return [origin.submission]


def owner_options(origin: Decision | Response) -> tuple[list[Ministry], list[Organisation]]:
    """Who may own an action item: a current ministry, or an organisation that
    submitted or co-signed a submission concerned."""
    subs = origin_submissions(origin)
    # A submitter who asked to stay anonymous is not offered (and so not named).
    ids = {sub.organisation_id for sub in subs if sub.show_organisation}
    if subs:
        ids.update(
            db.session.scalars(
                select(CoSignature.organisation_id).where(
                    CoSignature.submission_id.in_([sub.id for sub in subs])
                )
            )
        )
    organisations = (
        list(
            db.session.scalars(
                select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.name)
            )
        )
        if ids
        else []
    )
    return current_ministries(local_today()), organisations


def owner_from(value: str | None, origin) -> Ministry | Organisation | None:
    """The owner chosen in the form ("ministry-3", "organisation-7"), if offered."""
    ministries, organisations = owner_options(origin)
    offered = {f"ministry-{m.id}": m for m in ministries}
    offered.update({f"organisation-{o.id}": o for o in organisations})
    return offered.get(value or "")


# Creating and updating --------------------------------------------------------------


def create_action(
    origin: Decision | Response,
    actor: User,
    *,
    description: str,
    owner: Ministry | Organisation | User | None,
    due_date: date | None,
) -> ActionItem:
    description = (description or "").strip()
    if not description:
        raise ActionError(_("Beschrijf het actiepunt."), "description")
    if owner is None:
        raise ActionError(_("Kies wie het actiepunt uitvoert."), "owner")
    if due_date is None:
        raise ActionError(_("Vul een geldige datum in."), "due_date")
    if due_date <= local_today():
        raise ActionError(_("De termijn moet in de toekomst liggen."), "due_date")
    action = ActionItem(
        description=description,
        due_date=due_date,
        status="gepland",
        created_by_id=actor.id,
    )
    if isinstance(origin, Decision):
        action.decision = origin
    else:
        action.response = origin
    if isinstance(owner, Ministry):
        action.owner_ministry = owner
    elif isinstance(owner, Organisation):
        action.owner_organisation = owner
    else:
        action.owner_user = owner
    db.session.add(action)
    db.session.flush()
    audit.record("action.create", action, actor, after=snapshot(action))
    if announced(action):
        announce(action, actor)
    return action


def announced(action: ActionItem) -> bool:
    """Part of a published decision or response (a draft response's items wait)."""
    return action.response is None or action.response.status == "gepubliceerd"


def announce(action: ActionItem, actor: User) -> None:
    """The item on the timelines of its reports, and its owner told."""
    for sub in origin_submissions(action.decision or action.response):
        _timeline(sub, action, actor, "create")
    _tell_owner(action)


@response_published.connect
def announce_response_items(response: Response, actor: User) -> None:
    """A response's items waited for its publication (`responses.services.publish`)."""
    for action in response.actions:
        announce(action, actor)


def snapshot(action: ActionItem) -> dict[str, Any]:
    return {
        "description": action.description,
        "status": action.status,
        "due_date": action.due_date.isoformat(),
        "owner_ministry": action.owner_ministry_id,
        "owner_organisation": action.owner_organisation_id,
        "owner_user": action.owner_user_id,
        "decision": action.decision_id,
        "response": action.response_id,
    }


def _timeline(sub: Submission, action: ActionItem, actor: User, step: str) -> None:
    add_event(
        sub,
        "action",
        actor,
        by_secretariat=roles.is_secretariat(actor),
        action_item=action.id,
        step=step,
        description=action.description,
        status=action.status,
        due=action.due_date.isoformat(),
    )


def owner_users(action: ActionItem) -> list[User]:
    if action.owner_user is not None:
        return [action.owner_user] if action.owner_user.active else []
    if action.owner_organisation_id is not None:
        return list(
            db.session.scalars(
                select(User)
                .where(User.organisation_id == action.owner_organisation_id, User.active.is_(True))
                .order_by(User.id)
            )
        )
    return ministry_users(action.owner_ministry_id) if action.owner_ministry_id else []


def _tell_owner(action: ActionItem) -> None:
    with follow.platform_language():
        title = _("Nieuw actiepunt voor u: %(text)s", text=action.description)[:300]
        body = _(
            "U bent eigenaar van een actiepunt, uiterlijk af op %(day)s:\n\n%(text)s",
            day=local_day(action.due_date),
            text=action.description,
        )
        for user in owner_users(action):
            notify(user, title, action_path(action), body)


def update_action(
    action: ActionItem, actor: User, *, status: str | None, text: str
) -> ActionUpdate:
    text = (text or "").strip()
    if action.status in FINAL:
        raise ActionError(_("Dit actiepunt is afgerond en kan niet meer worden bijgewerkt."))
    if status not in STATUS_LABELS:
        raise ActionError(_("Kies de nieuwe stand."), "status")
    if status == "gepland" and action.status == "in_uitvoering":
        raise ActionError(_("Een actiepunt in uitvoering gaat niet terug naar gepland."), "status")
    if status == "vervallen" and not text:
        raise ActionError(_("Geef aan waarom het actiepunt vervalt."), "text")
    if status == action.status and not text:
        raise ActionError(_("Beschrijf de voortgang."), "text")
    before = {"status": action.status}
    values: dict[str, Any] = {"status": status}
    if status in FINAL:
        values["completed_at"] = utcnow()
    if status == "vervallen":
        values["reason"] = text
    # An item someone else just finished stays finished.
    if not db.compare_and_set(action, {"status": action.status}, **values):
        log.info("action item %s was updated by someone else meanwhile", action.id)
        raise ActionError(
            _("Iemand anders heeft dit actiepunt net bijgewerkt. Bekijk de nieuwe stand.")
        )
    row = ActionUpdate(action_id=action.id, text=text, status=status, author_id=actor.id)
    action.updates.append(row)
    db.session.flush()
    audit.record(
        "action.update", action, actor, before=before, after={"status": status, "text": text}
    )
    with follow.platform_language():
        message = _(
            "Actiepunt ‘%(text)s’: %(status)s.",
            text=action.description[:120],
            status=STATUS_LABELS[status],
        )
    if not announced(action):
        # A draft response's items stay inside the ministry and the secretariat:
        # no timeline entry and no message until the response is published.
        return row
    for sub in policies.action_submissions(action):
        _timeline(sub, action, actor, "update")
        follow.tell(sub, message)
    return row
