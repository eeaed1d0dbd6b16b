"""What the programme pages read: the 9-line matrix, the knelpunten per action
line, finance totals, next milestones and overdue updates. A fixed number of
queries whatever the number of actions (tests count them)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tafel import db
from tafel.programmes import policies
from tafel.programmes.models import (
    FundingStatus,
    Milestone,
    Programme,
    ProgrammeAction,
    SubmissionLink,
)
from tafel.reference.models import ActionLine
from tafel.reference.services import active_choices
from tafel.submissions import policies as submission_policies
from tafel.submissions.models import Submission

# An action in uitvoering without a progress update for this long is overdue.
UPDATE_EVERY = timedelta(days=90)
KNELPUNT_LIMIT = 300
OPEN = ("ingediend", "in_behandeling", "aanvulling_gevraagd", "aanvaard")
HANDLED = ("geagendeerd", "besproken", "besloten")
RESOLVED = ("afgehandeld",)


def programmes_for(user) -> list[tuple[Programme, int]]:
    """Visible programmes with the number of actions the user may see."""
    counted = (
        policies.visible_actions(user)
        .with_only_columns(ProgrammeAction.programme_id, func.count(ProgrammeAction.id))
        .group_by(ProgrammeAction.programme_id)
    )
    counts = dict(db.session.execute(counted).all())
    rows = db.session.scalars(
        select(Programme)
        .where(policies.visible_programmes_clause(user))
        .options(selectinload(Programme.lead_ministry))
        .order_by(Programme.id)
    )
    return [(p, counts.get(p.id, 0)) for p in rows]


def action_options():
    return (
        selectinload(ProgrammeAction.action_line),
        selectinload(ProgrammeAction.lead_organisation),
        selectinload(ProgrammeAction.lead_ministry),
        selectinload(ProgrammeAction.funding_status),
        selectinload(ProgrammeAction.funding_source),
        selectinload(ProgrammeAction.milestones),
        selectinload(ProgrammeAction.updates),
    )


def actions_of(user, programme: Programme) -> list[ProgrammeAction]:
    return list(
        db.session.scalars(
            policies.visible_actions(user)
            .where(ProgrammeAction.programme_id == programme.id)
            .options(*action_options())
            .order_by(ProgrammeAction.action_line_id, ProgrammeAction.id)
        )
    )


@dataclass
class Knelpunten:
    open: list[Submission] = field(default_factory=list)
    handled: list[Submission] = field(default_factory=list)
    resolved: list[Submission] = field(default_factory=list)


@dataclass
class ProgrammeView:
    programme: Programme
    lines: list[tuple[ActionLine, list[ProgrammeAction]]]
    knelpunten: dict[int, Knelpunten]
    # submission id -> [visible actions that took it up]
    taken_up: dict[int, list[ProgrammeAction]]
    finance: list[tuple[FundingStatus | None, int, int]]
    milestones: list[tuple[Milestone, ProgrammeAction]]
    overdue: list[ProgrammeAction]
    actions: list[ProgrammeAction]


def programme_view(user, programme: Programme, today: date) -> ProgrammeView:
    actions = actions_of(user, programme)
    by_line: dict[int, list[ProgrammeAction]] = defaultdict(list)
    for action in actions:
        by_line[action.action_line_id].append(action)
    lines = [(line, by_line.get(line.id, [])) for line in active_choices(ActionLine)]
    knelpunten, taken_up = _knelpunten(user, programme, actions)
    return ProgrammeView(
        programme=programme,
        lines=lines,
        knelpunten=knelpunten,
        taken_up=taken_up,
        finance=finance_totals(actions),
        milestones=next_milestones(actions, today),
        overdue=overdue_updates(actions, today),
        actions=actions,
    )


def _knelpunten(user, programme: Programme, actions: list[ProgrammeAction]):
    """Visible knelpunten of the programme's market, per action line and stage."""
    by_id = {a.id: a for a in actions}
    taken_up: dict[int, list[ProgrammeAction]] = defaultdict(list)
    if by_id:
        links = db.session.execute(
            select(SubmissionLink.submission_id, SubmissionLink.action_id).where(
                SubmissionLink.action_id.in_(list(by_id))
            )
        )
        for sub_id, action_id in links:
            taken_up[sub_id].append(by_id[action_id])
    result: dict[int, Knelpunten] = defaultdict(Knelpunten)
    if programme.market_id is None and not taken_up:
        return result, taken_up
    market = Submission.market_id == programme.market_id
    linked = Submission.id.in_(list(taken_up)) if taken_up else None
    where = market if linked is None else (market | linked)
    subs = db.session.scalars(
        select(Submission)
        .where(
            where,
            Submission.kind == "knelpunt",
            Submission.status.in_(OPEN + HANDLED + RESOLVED),
            submission_policies.visible_clause(user),
        )
        .options(selectinload(Submission.action_lines))
        .order_by(Submission.id.desc())
        .limit(KNELPUNT_LIMIT)
    )
    for sub in subs:
        stage = (
            "resolved"
            if sub.status in RESOLVED
            else "handled"
            if sub.status in HANDLED or sub.id in taken_up
            else "open"
        )
        for line in sub.action_lines:
            getattr(result[line.id], stage).append(sub)
    return result, taken_up


def finance_totals(actions: list[ProgrammeAction]):
    """Per funding status: number of actions and the sum of their amounts."""
    totals: dict[int | None, list] = {}
    for action in actions:
        if action.status == "vervallen":
            continue
        key = action.funding_status_id
        entry = totals.setdefault(key, [action.funding_status, 0, 0])
        entry[1] += 1
        entry[2] += action.amount_eur or 0
    ordered = sorted(totals.values(), key=lambda e: (e[0] is None, e[0].position if e[0] else 0))
    return [tuple(e) for e in ordered]


def next_milestones(actions: list[ProgrammeAction], today: date, limit: int = 10):
    upcoming = [
        (m, a)
        for a in actions
        for m in a.milestones
        if m.done_on is None and m.due_date >= today and a.status != "vervallen"
    ]
    return sorted(upcoming, key=lambda pair: (pair[0].due_date, pair[0].id))[:limit]


def overdue_updates(actions: list[ProgrammeAction], today: date) -> list[ProgrammeAction]:
    late = []
    for action in actions:
        if action.status != "in_uitvoering":
            continue
        last = action.updates[-1].day if action.updates else None
        since = last or (action.start_date or action.created_at.date())
        if today - since > UPDATE_EVERY:
            late.append(action)
    return late


def latest_update(action: ProgrammeAction):
    return action.updates[-1] if action.updates else None


def csv_table(actions: list[ProgrammeAction]):
    """The export's header and rows: the same actions the page shows."""
    from flask_babel import gettext as _

    from tafel.programmes.models import ACTION_STATUS_LABELS, VISIBILITY_LABELS

    header = [
        _("Nummer"),
        _("Actielijn"),
        _("Titel"),
        _("Stand"),
        _("Trekker"),
        _("Begin"),
        _("Einde"),
        _("Bedrag (euro)"),
        _("Financieringsstatus"),
        _("Zichtbaarheid"),
    ]
    rows = [
        [
            a.id,
            a.action_line.label,
            a.title,
            str(ACTION_STATUS_LABELS[a.status]),
            a.lead_label,
            a.start_date,
            a.end_date,
            a.amount_eur,
            a.funding_status.label if a.funding_status else "",
            str(VISIBILITY_LABELS[a.visibility]),
        ]
        for a in actions
    ]
    return header, rows
