"""Programme actions: saving one (the letter's fields and rules), milestones,
progress updates and linking reports. Every change of an action is audited and
saved as a numbered version; a save based on an older version is refused.

Services flush and never commit; the views check `programmes.policies`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from tafel import db
from tafel.accounts import roles
from tafel.accounts.models import Organisation, User
from tafel.core import audit
from tafel.core.errors import ServiceError
from tafel.db import utcnow
from tafel.programmes.models import (
    ACTION_STATUSES,
    LEVELS,
    RAG,
    VISIBILITIES,
    ActionImpact,
    ActionVersion,
    Dimension,
    Milestone,
    Programme,
    ProgrammeAction,
    ProgrammeDecisionLink,
    ProgressUpdate,
    SubmissionLink,
)
from tafel.reference.models import ActionLine
from tafel.submissions.models import Submission
from tafel.submissions.timeline import add_event


class ProgrammeError(ServiceError):
    """A refused step on a programme, goal or action."""


@dataclass
class ActionData:
    """What the action form holds, already typed; the service checks the rules."""

    title: str = ""
    description: str = ""
    action_line_id: int | None = None
    status: str = "gepland"
    reason: str = ""
    visibility: str = "tafel"
    amount_eur: int | None = None
    funding_source_id: int | None = None
    funding_status_id: int | None = None
    start_date: date | None = None
    end_date: date | None = None
    lead_organisation_id: int | None = None
    lead_ministry_id: int | None = None
    # {dimension id: (level or "", text)}
    impacts: dict[int, tuple[str, str]] = field(default_factory=dict)
    organisation_ids: list[int] = field(default_factory=list)
    ministry_ids: list[int] = field(default_factory=list)
    technology_ids: list[int] = field(default_factory=list)
    mission_ids: list[int] = field(default_factory=list)
    instrument_ids: list[int] = field(default_factory=list)


def _check(data: ActionData) -> None:
    if not data.title.strip():
        raise ProgrammeError(_("Geef de actie een titel."), "title")
    line = db.session.get(ActionLine, data.action_line_id) if data.action_line_id else None
    if line is None or not line.active:
        raise ProgrammeError(_("Kies een van de negen actielijnen."), "action_line")
    if data.status not in ACTION_STATUSES:
        raise ProgrammeError(_("Kies een bekende stand."), "status")
    if data.visibility not in VISIBILITIES:
        raise ProgrammeError(_("Kies wie de actie mag zien."), "visibility")
    if data.start_date and data.end_date and data.end_date < data.start_date:
        raise ProgrammeError(_("Het einde ligt voor het begin."), "end_date")
    if data.amount_eur is not None and data.amount_eur < 0:
        raise ProgrammeError(_("Een bedrag is nul of meer."), "amount_eur")
    _check_status(data)
    for level, _text in data.impacts.values():
        if level and level not in LEVELS:
            raise ProgrammeError(_("Kies laag, middel of hoog."), "impacts")


def _check_status(data: ActionData) -> None:
    """In uitvoering needs a lead and an end date; vervallen needs a reason."""
    if data.status == "in_uitvoering":
        if not (data.lead_organisation_id or data.lead_ministry_id):
            raise ProgrammeError(
                _("Een actie in uitvoering heeft een trekker."), "lead_organisation"
            )
        if data.end_date is None:
            raise ProgrammeError(_("Een actie in uitvoering heeft een einddatum."), "end_date")
    if data.status == "vervallen" and not data.reason.strip():
        raise ProgrammeError(_("Geef aan waarom de actie vervalt."), "reason")


def snapshot(action: ProgrammeAction) -> dict[str, Any]:
    return {
        "title": action.title,
        "description": action.description,
        "action_line": action.action_line_id,
        "status": action.status,
        "reason": action.reason,
        "visibility": action.visibility,
        "amount_eur": action.amount_eur,
        "funding_source": action.funding_source_id,
        "funding_status": action.funding_status_id,
        "start_date": action.start_date.isoformat() if action.start_date else None,
        "end_date": action.end_date.isoformat() if action.end_date else None,
        "lead_organisation": action.lead_organisation_id,
        "lead_ministry": action.lead_ministry_id,
        "impacts": {
            str(i.dimension_id): [i.level, i.text] for i in sorted(action.impacts, key=_dim)
        },
        "organisations": sorted(o.id for o in action.organisations),
        "ministries": sorted(m.id for m in action.ministries),
        "technologies": sorted(t.id for t in action.technologies),
        "missions": sorted(m.id for m in action.missions),
        "instruments": sorted(i.id for i in action.instruments),
    }


def _dim(impact: ActionImpact) -> int:
    return impact.dimension_id


SCALARS = (
    "title",
    "description",
    "action_line_id",
    "status",
    "reason",
    "visibility",
    "amount_eur",
    "funding_source_id",
    "funding_status_id",
    "start_date",
    "end_date",
    "lead_organisation_id",
    "lead_ministry_id",
)


def _rows(model, ids: list[int]) -> list:
    return list(db.session.scalars(select(model).where(model.id.in_(ids)))) if ids else []


def _apply(action: ProgrammeAction, data: ActionData) -> None:
    from tafel.programmes.models import Instrument
    from tafel.reference.models import Ministry, Mission, Technology

    for name in SCALARS:
        value = getattr(data, name)
        setattr(action, name, value.strip() if isinstance(value, str) else value)
    if action.status != "vervallen":
        action.reason = ""
    action.organisations = _rows(Organisation, data.organisation_ids)
    action.ministries = _rows(Ministry, data.ministry_ids)
    action.technologies = _rows(Technology, data.technology_ids)
    action.missions = _rows(Mission, data.mission_ids)
    action.instruments = _rows(Instrument, data.instrument_ids)
    known = {d.id for d in db.session.scalars(select(Dimension))}
    current = {i.dimension_id: i for i in action.impacts}
    for dimension_id, (level, text) in data.impacts.items():
        if dimension_id not in known:
            continue
        row = current.get(dimension_id)
        if not level:
            if row is not None:
                action.impacts.remove(row)
            continue
        if row is None:
            action.impacts.append(ActionImpact(dimension_id=dimension_id, level=level, text=text))
        else:
            row.level, row.text = level, text.strip()


def _version(action: ProgrammeAction, actor: User) -> dict[str, Any]:
    data = snapshot(action)
    db.session.add(
        ActionVersion(action_id=action.id, version=action.version, data=data, actor_id=actor.id)
    )
    return data


def create_action(programme: Programme, actor: User, data: ActionData) -> ProgrammeAction:
    _check(data)
    action = ProgrammeAction(programme=programme, created_by_id=actor.id, version=1)
    _apply(action, data)
    db.session.add(action)
    db.session.flush()
    after = _version(action, actor)
    audit.record("programme_action.create", action, actor, after=after)
    return action


def update_action(
    action: ProgrammeAction, actor: User, data: ActionData, *, version: int | None
) -> bool:
    """Save the form over `action`, seen at `version`; False when nothing changed."""
    _check(data)
    if version != action.version:
        raise ProgrammeError(
            _("Iemand anders heeft deze actie intussen gewijzigd. Bekijk de nieuwe versie.")
        )
    before = snapshot(action)
    _apply(action, data)
    db.session.flush()
    after = snapshot(action)
    old, new = audit.changes(before, after)
    if not new:
        return False
    # One UPDATE decides between two saves of the same version.
    if not db.compare_and_set(
        action, {"version": version}, refresh=False, version=version + 1, updated_at=utcnow()
    ):
        raise ProgrammeError(
            _("Iemand anders heeft deze actie intussen gewijzigd. Bekijk de nieuwe versie.")
        )
    _version(action, actor)
    audit.record("programme_action.update", action, actor, before=old, after=new)
    return True


def add_milestone(action: ProgrammeAction, actor: User, *, title: str, due: date | None):
    title = (title or "").strip()
    if not title:
        raise ProgrammeError(_("Beschrijf de mijlpaal."), "title")
    if due is None:
        raise ProgrammeError(_("Vul een geldige datum in."), "due_date")
    row = Milestone(title=title, due_date=due)
    action.milestones.append(row)
    db.session.flush()
    audit.record(
        "programme_action.milestone",
        action,
        actor,
        after={"milestone": row.id, "title": title, "due": due.isoformat()},
    )
    return row


def add_update(action: ProgrammeAction, actor: User, *, day: date | None, rag: str, text: str):
    text = (text or "").strip()
    if rag not in RAG:
        raise ProgrammeError(_("Kies groen, oranje of rood."), "rag")
    if not text:
        raise ProgrammeError(_("Beschrijf de voortgang."), "text")
    if day is None:
        raise ProgrammeError(_("Vul een geldige datum in."), "day")
    row = ProgressUpdate(day=day, rag=rag, text=text, author_id=actor.id)
    action.updates.append(row)
    db.session.flush()
    audit.record(
        "programme_action.progress",
        action,
        actor,
        after={"update": row.id, "day": day.isoformat(), "rag": rag, "text": text},
    )
    return row


LINKABLE = frozenset({"aanvaard", "geagendeerd", "besproken", "besloten", "afgehandeld"})


def link_submission(action: ProgrammeAction, sub: Submission, actor: User) -> SubmissionLink:
    """Take an accepted report up in an action; its timeline says so. Twice is once."""
    if sub.status not in LINKABLE:
        raise ProgrammeError(_("Alleen een aanvaarde melding kan worden opgepakt."), "submission")
    existing = db.session.scalar(
        select(SubmissionLink).where(
            SubmissionLink.action_id == action.id, SubmissionLink.submission_id == sub.id
        )
    )
    if existing is not None:
        return existing
    link = SubmissionLink(action_id=action.id, submission_id=sub.id, created_by_id=actor.id)
    db.session.add(link)
    db.session.flush()
    add_event(
        sub,
        "programme",
        actor,
        by_secretariat=roles.is_secretariat(actor),
        programme_action=action.id,
        title=action.title,
    )
    audit.record("programme_action.link", action, actor, after={"submission": sub.id})
    return link


def link_decision(action: ProgrammeAction, decision, actor: User) -> ProgrammeDecisionLink:
    """Record that a decision of the table creates or changes this action. Twice is once."""
    existing = db.session.scalar(
        select(ProgrammeDecisionLink).where(
            ProgrammeDecisionLink.action_id == action.id,
            ProgrammeDecisionLink.decision_id == decision.id,
        )
    )
    if existing is not None:
        return existing
    link = ProgrammeDecisionLink(
        action_id=action.id, decision_id=decision.id, created_by_id=actor.id
    )
    db.session.add(link)
    db.session.flush()
    audit.record("programme_action.decision", action, actor, after={"decision": decision.number})
    return link


def decisions_of(action: ProgrammeAction) -> list:
    from tafel.decisions.models import Decision

    return list(
        db.session.scalars(
            select(Decision)
            .join(ProgrammeDecisionLink, ProgrammeDecisionLink.decision_id == Decision.id)
            .where(ProgrammeDecisionLink.action_id == action.id)
            .order_by(Decision.id)
        )
    )


def actions_of_decision(decision_id: int) -> list[ProgrammeAction]:
    return list(
        db.session.scalars(
            select(ProgrammeAction)
            .join(ProgrammeDecisionLink, ProgrammeDecisionLink.action_id == ProgrammeAction.id)
            .where(ProgrammeDecisionLink.decision_id == decision_id)
            .order_by(ProgrammeAction.id)
        )
    )
