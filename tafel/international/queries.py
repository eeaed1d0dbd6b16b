"""Lists and the file page: the visibility filter, the 30-day deadline filter,
and the reports linked by hand or by their CELEX number."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import selectinload

from tafel import db
from tafel.decisions import policies as decision_policies
from tafel.decisions.models import Decision
from tafel.international import policies
from tafel.international.models import (
    InternationalFile,
    KeyDate,
    file_actions,
    file_decisions,
    file_submissions,
)
from tafel.programmes import policies as programme_policies
from tafel.programmes.models import ProgrammeAction
from tafel.submissions import policies as submission_policies
from tafel.submissions.models import Submission

SOON = timedelta(days=30)


def list_files(user, *, kind: str | None, soon: bool, today: date) -> list[InternationalFile]:
    query = (
        select(InternationalFile)
        .where(policies.visible_clause(user))
        .options(
            selectinload(InternationalFile.markets),
            selectinload(InternationalFile.dates),
            selectinload(InternationalFile.lead_ministry),
        )
        .order_by(InternationalFile.title)
    )
    if kind:
        query = query.where(InternationalFile.kind == kind)
    if soon:
        query = query.where(
            exists().where(
                KeyDate.file_id == InternationalFile.id,
                KeyDate.deadline.is_(True),
                KeyDate.day >= today,
                KeyDate.day <= today + SOON,
            )
        )
    return list(db.session.scalars(query))


def deadlines_soon(user, today: date) -> list[tuple[KeyDate, InternationalFile]]:
    rows = db.session.execute(
        select(KeyDate, InternationalFile)
        .join(InternationalFile, InternationalFile.id == KeyDate.file_id)
        .where(
            policies.visible_clause(user),
            KeyDate.deadline.is_(True),
            KeyDate.day >= today,
            KeyDate.day <= today + SOON,
        )
        .order_by(KeyDate.day)
    )
    return [(d, f) for d, f in rows]


def linked_submissions(user, item: InternationalFile) -> list[Submission]:
    by_hand = Submission.id.in_(
        select(file_submissions.c.submission_id).where(file_submissions.c.file_id == item.id)
    )
    clause = or_(by_hand, Submission.regulation_identifier == item.celex) if item.celex else by_hand
    return list(
        db.session.scalars(
            select(Submission)
            .where(clause, submission_policies.visible_clause(user))
            .order_by(Submission.id)
        )
    )


def linked_decisions(user, item: InternationalFile) -> list[Decision]:
    rows = db.session.scalars(
        select(Decision)
        .join(file_decisions, file_decisions.c.decision_id == Decision.id)
        .where(file_decisions.c.file_id == item.id)
        .order_by(Decision.id)
    )
    return [d for d in rows if decision_policies.can_view_decision(user, d)]


def linked_actions(user, item: InternationalFile) -> list[ProgrammeAction]:
    return list(
        db.session.scalars(
            programme_policies.visible_actions(user)
            .join(file_actions, file_actions.c.action_id == ProgrammeAction.id)
            .where(file_actions.c.file_id == item.id)
            .order_by(ProgrammeAction.id)
        )
    )
