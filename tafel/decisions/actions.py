"""Action items: creating one from a decision or a response, progress
updates, the lists, and closing a submission ("afgehandeld") once the work
is done.

Services check the rules that do not depend on who asks (the views check
the policies), flush, audit, add timeline entries and queue notifications;
the view commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, or_, select, update
from sqlalchemy.orm import selectinload

from tafel import db
from tafel.accounts.models import Organisation, User
from tafel.core import audit
from tafel.core.errors import ServiceError
from tafel.core.timefmt import local_today
from tafel.db import utcnow
from tafel.decisions import policies
from tafel.decisions.models import ActionItem, ActionUpdate, Decision, DecisionLink, Response
from tafel.decisions.responses import ministry_users
from tafel.meetings.models import AgendaItem, AgendaLink
from tafel.notifications.services import notify
from tafel.reference.models import Ministry
from tafel.submissions import follow
from tafel.submissions import models as submission_models
from tafel.submissions import policies as submission_policies
from tafel.submissions import workflow as submission_workflow
from tafel.submissions.models import CoSignature, Submission
from tafel.submissions.timeline import add_event

STATUS_LABELS = {
    "gepland": _l("Gepland"),
    "in_uitvoering": _l("In uitvoering"),
    "gerealiseerd": _l("Gerealiseerd"),
    "vervallen": _l("Vervallen"),
}
OPEN = ("gepland", "in_uitvoering")
FINAL = ("gerealiseerd", "vervallen")
MINE_LIMIT = 50


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
    from tafel.reference.services import current_ministries

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
        by_secretariat="secretariaat" in actor.roles,
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
    from tafel.core.timefmt import local_day

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
    # Compare and set: an item someone else just finished stays finished.
    moved = db.session.execute(
        update(ActionItem)
        .where(ActionItem.id == action.id, ActionItem.status == action.status)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        db.session.refresh(action)
        raise ActionError(
            _("Iemand anders heeft dit actiepunt net bijgewerkt. Bekijk de nieuwe stand.")
        )
    for key, value in values.items():
        setattr(action, key, value)
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
    for sub in policies.action_submissions(action):
        _timeline(sub, action, actor, "update")
        follow.tell(sub, message)
    return row


# Lists ------------------------------------------------------------------------------


def owned_clause(user):
    """A WHERE clause on ActionItem: the items `user` owns (as in policies.is_owner)."""
    if not user.is_authenticated:
        return ActionItem.id.is_(None)
    clauses = [
        ActionItem.owner_user_id == user.id,
        and_(
            ActionItem.owner_user_id.is_(None),
            ActionItem.owner_organisation_id == user.organisation_id,
        ),
    ]
    ministry_id = policies.ministry_of(user)
    if ministry_id is not None:
        clauses.append(
            and_(
                ActionItem.owner_user_id.is_(None),
                ActionItem.owner_organisation_id.is_(None),
                ActionItem.owner_ministry_id == ministry_id,
            )
        )
    return or_(*clauses)


def visible_clause(user):
    """A WHERE clause on ActionItem: what `user` may see (as in policies.can_view_action)."""
    if set(user.roles if user.is_authenticated else ()) & policies.MANAGERS:
        return ActionItem.id.is_not(None)
    from tafel.decisions import queries

    visible_decision = ActionItem.decision_id.in_(
        select(Decision.id).where(queries.visible_clause(user))
    )
    published_response = (
        select(Response.id)
        .join(Submission, Submission.id == Response.submission_id)
        .where(
            Response.id == ActionItem.response_id,
            Response.status == "gepubliceerd",
            submission_policies.visible_clause(user),
        )
        .exists()
    )
    clauses = [owned_clause(user), visible_decision, published_response]
    ministry_id = policies.ministry_of(user)
    if ministry_id is not None:
        clauses.append(
            select(Response.id)
            .where(Response.id == ActionItem.response_id, Response.ministry_id == ministry_id)
            .exists()
        )
    return or_(*clauses)


@dataclass(frozen=True)
class ActionFilters:
    status: str | None = None
    overdue: bool = False
    ministry: int | None = None

    @classmethod
    def from_args(cls, args) -> ActionFilters:
        status = args.get("status") or None
        ministry = args.get("ministry") or ""
        return cls(
            status=status if status in STATUS_LABELS else None,
            overdue=args.get("overdue") == "1",
            ministry=int(ministry) if ministry.isascii() and ministry.isdigit() else None,
        )

    def args(self) -> dict:
        values = {
            "status": self.status,
            "overdue": "1" if self.overdue else None,
            "ministry": self.ministry,
        }
        return {k: v for k, v in values.items() if v is not None}


def with_details(query: Select) -> Select:
    return query.options(
        selectinload(ActionItem.decision)
        .selectinload(Decision.links)
        .selectinload(DecisionLink.submission),
        selectinload(ActionItem.decision)
        .selectinload(Decision.agenda_item)
        .selectinload(AgendaItem.links)
        .selectinload(AgendaLink.submission),
        selectinload(ActionItem.response).selectinload(Response.submission),
        selectinload(ActionItem.owner_ministry),
        selectinload(ActionItem.owner_organisation),
        selectinload(ActionItem.owner_user),
    )


def list_query(user, filters: ActionFilters, today: date | None = None) -> Select:
    query = select(ActionItem).where(visible_clause(user))
    if filters.status:
        query = query.where(ActionItem.status == filters.status)
    if filters.overdue:
        query = query.where(
            ActionItem.status.in_(OPEN), ActionItem.due_date < (today or local_today())
        )
    if filters.ministry:
        query = query.where(ActionItem.owner_ministry_id == filters.ministry)
    return with_details(query).order_by(ActionItem.due_date, ActionItem.id)


def mine(user) -> list[ActionItem]:
    """The user's own open items first, then the finished ones (bounded)."""
    if not user.is_authenticated:
        return []
    query = with_details(select(ActionItem).where(owned_clause(user))).order_by(
        ActionItem.completed_at.is_not(None), ActionItem.due_date, ActionItem.id
    )
    return list(db.session.scalars(query.limit(MINE_LIMIT)))


# Closing a submission ---------------------------------------------------------------


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
