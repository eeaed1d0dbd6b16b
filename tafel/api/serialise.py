"""Rows to API shapes (`schemas`), and the queries that load a page of them
with everything the shape shows in a fixed number of statements."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tafel import db
from tafel.actions.models import ActionItem
from tafel.actions.queries import with_details as action_details
from tafel.actions.scoreboard import Row
from tafel.actions.services import owner_label
from tafel.api import schemas
from tafel.decisions.models import Decision
from tafel.decisions.queries import implementation_of
from tafel.decisions.queries import with_details as decision_details
from tafel.responses.models import Response
from tafel.submissions import policies as submission_policies
from tafel.submissions.models import Submission
from tafel.submissions.support import cosign_counts
from tafel.submissions.timeline import events_for, visible_events


def link(path: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + path


def ref(row) -> schemas.Ref | None:
    return None if row is None else known_ref(row)


def known_ref(row) -> schemas.Ref:
    return schemas.Ref(id=row.id, slug=row.slug, label=row.label_nl, label_en=row.label_en)


def ref_entry(row) -> schemas.RefEntry:
    return schemas.RefEntry(
        id=row.id, slug=row.slug, label=row.label_nl, label_en=row.label_en, active=row.active
    )


# Reports --------------------------------------------------------------------------


def load_submissions(ids: list[int]) -> list[Submission]:
    query = (
        select(Submission)
        .where(Submission.id.in_(ids))
        .options(
            selectinload(Submission.organisation),
            selectinload(Submission.market),
            selectinload(Submission.sector),
            selectinload(Submission.theme),
            selectinload(Submission.province),
            selectinload(Submission.government_level),
            selectinload(Submission.ministry),
            selectinload(Submission.action_lines),
            selectinload(Submission.technologies),
            selectinload(Submission.missions),
        )
    )
    rows = {row.id: row for row in db.session.scalars(query)}
    return [rows[i] for i in ids if i in rows]


def _submission_fields(user, sub: Submission) -> dict:
    shown = submission_policies.can_see_submitter(user, sub)
    return {
        "id": sub.id,
        "kind": sub.kind,
        "status": sub.status,
        "visibility": sub.visibility,
        "title": sub.title,
        "summary": sub.summary,
        "organisation": sub.organisation.name if shown else None,
        "market": ref(sub.market),
        "sector": ref(sub.sector),
        "theme": ref(sub.theme),
        "province": ref(sub.province),
        "government_level": ref(sub.government_level),
        "ministry": ref(sub.ministry),
        "action_lines": [ref(x) for x in sub.action_lines],
        "technologies": [ref(x) for x in sub.technologies],
        "missions": [ref(x) for x in sub.missions],
        "cosign_count": sub.cosign_count,
        "created_at": sub.created_at,
        "submitted_at": sub.submitted_at,
        "updated_at": sub.updated_at,
        "response_deadline": sub.response_deadline,
        "url": link(f"/submissions/{sub.id}"),
    }


def submission(user, sub: Submission) -> schemas.SubmissionOut:
    return schemas.SubmissionOut(**_submission_fields(user, sub))


def submission_detail(user, sub: Submission) -> schemas.SubmissionDetail:
    # The same filter as the report's page: no round step, decision or action
    # item the caller may not see.
    events = visible_events(user, events_for(sub))
    timeline = [schemas.TimelineEntry(kind=e.kind, at=e.created_at) for e in events]
    target = sub.merged_into
    shown = target is not None and submission_policies.can_view(user, target)
    merged = target.id if target is not None and shown else None
    return schemas.SubmissionDetail(
        **_submission_fields(user, sub),
        body=sub.body,
        proposed_solution=sub.proposed_solution,
        regulation_name=sub.regulation_name,
        regulation_identifier=sub.regulation_identifier,
        regulation_article=sub.regulation_article,
        impact_type=sub.impact_type,
        impact_euro=sub.impact_euro,
        impact_delay_months=sub.impact_delay_months,
        merged_into=merged,
        cosignatures_by_constituency=cosign_counts([sub.id]).get(sub.id, {}),
        timeline=timeline,
    )


# Decisions ------------------------------------------------------------------------


def load_decisions(ids: list[int]) -> list[Decision]:
    query = decision_details(select(Decision).where(Decision.id.in_(ids))).options(
        selectinload(Decision.amendments)
    )
    rows = {row.id: row for row in db.session.scalars(query)}
    return [rows[i] for i in ids if i in rows]


def _motion(decision: Decision) -> schemas.MotionOut | None:
    motion = decision.motion
    if motion is None:
        return None
    return schemas.MotionOut(
        majority=motion.majority,
        quorum=motion.quorum,
        opened_at=motion.opened_at,
        closed_at=motion.closed_at,
        votes_for=motion.votes_for,
        votes_against=motion.votes_against,
        abstentions=motion.abstentions,
        quorum_met=motion.quorum_met,
        adopted=motion.adopted,
    )


def decision(user, row: Decision) -> schemas.DecisionOut:
    return schemas.DecisionOut(
        id=row.id,
        number=row.number,
        year=row.year,
        meeting_id=row.meeting_id,
        text=row.text,
        outcome=row.outcome,
        explanation=row.explanation,
        ministry=ref(row.ministry),
        organisation=row.organisation.name if row.organisation else None,
        implementation=implementation_of(row),
        submissions=[
            link_.submission_id
            for link_ in row.links
            if submission_policies.can_view(user, link_.submission)
        ],
        amendments=[
            schemas.Amendment(text=a.text, created_at=a.created_at) for a in row.amendments
        ],
        motion=_motion(row),
        created_at=row.created_at,
        url=link(f"/decisions/{row.id}"),
    )


# Responses and action items -------------------------------------------------------


def load_responses(ids: list[int]) -> list[Response]:
    query = select(Response).where(Response.id.in_(ids)).options(selectinload(Response.ministry))
    rows = {row.id: row for row in db.session.scalars(query)}
    return [rows[i] for i in ids if i in rows]


def response(row: Response) -> schemas.ResponseOut:
    return schemas.ResponseOut(
        id=row.id,
        submission_id=row.submission_id,
        ministry=known_ref(row.ministry),
        status=row.status,
        outcome=row.outcome,
        explanation=row.explanation,
        measures=row.measures,
        due_date=row.due_date,
        published_at=row.published_at,
    )


def load_actions(ids: list[int]) -> list[ActionItem]:
    query = action_details(select(ActionItem).where(ActionItem.id.in_(ids))).options(
        selectinload(ActionItem.updates), selectinload(ActionItem.owner_user)
    )
    rows = {row.id: row for row in db.session.scalars(query)}
    return [rows[i] for i in ids if i in rows]


def action(row: ActionItem) -> schemas.ActionOut:
    return schemas.ActionOut(
        id=row.id,
        description=row.description,
        status=row.status,
        due_date=row.due_date,
        completed_at=row.completed_at,
        owner=owner_label(row),
        owner_ministry=ref(row.owner_ministry),
        decision_id=row.decision_id,
        response_id=row.response_id,
        updates=[
            schemas.ActionUpdateOut(status=u.status, text=u.text, created_at=u.created_at)
            for u in row.updates
        ],
        created_at=row.created_at,
        url=link(f"/actions/{row.id}"),
    )


def score_row(row: Row) -> schemas.ScoreRow:
    return schemas.ScoreRow(
        ministry=known_ref(row.ministry),
        decisions=row.decisions,
        responses_due=row.responses_due,
        responses_on_time=row.responses_on_time,
        responses_published=row.published,
        outcomes=row.outcomes,
        actions_due=row.actions_due,
        actions_on_time=row.actions_on_time,
        median_days_to_response=row.median_days,
    )
