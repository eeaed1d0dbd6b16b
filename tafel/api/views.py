"""The API's reads: reports, decisions, responses, action items, the
scoreboard and the reference data. Each list runs the query of its page
(`submission_query`, `register_query`, `list_query`) with the caller as user,
so the API never shows more than the pages would."""

from __future__ import annotations

from sqlalchemy import select

from tafel import db
from tafel.actions import policies as action_policies
from tafel.actions.models import ActionItem
from tafel.actions.queries import ActionFilters, list_query
from tafel.actions.scoreboard import compute as compute_scoreboard
from tafel.api import schemas, serialise
from tafel.api.base_views import args, caller, newest, page_of, respond
from tafel.api.blueprint import api
from tafel.api.openapi import documented
from tafel.api.params import MAX_ID
from tafel.api.problems import ApiError
from tafel.decisions import policies as decision_policies
from tafel.decisions.models import Decision
from tafel.decisions.queries import RegisterFilters, register_query
from tafel.reference import models as ref
from tafel.responses import policies as response_policies
from tafel.responses.models import Response
from tafel.submissions import policies as submission_policies
from tafel.submissions.models import Submission
from tafel.submissions.queries import Filters, submission_query


def not_found() -> ApiError:
    return ApiError(404, "Not found, or not visible to this caller.")


def load(model, object_id: int):
    row = db.session.get(model, object_id) if object_id <= MAX_ID else None
    if row is None:
        raise not_found()
    return row


def submission_filters(params: schemas.SubmissionQuery) -> Filters:
    names = ("market", "action_line", "technology", "mission", "province",
             "government_level", "ministry", "constituency")  # fmt: skip
    ids = {name: getattr(params, name) for name in names if getattr(params, name)}
    return Filters(q=params.q.strip(), kind=params.kind, status=params.status,
                   date_from=params.from_, date_to=params.to, ids=ids)  # fmt: skip


@api.get("/v1/submissions")
@documented(summary="Reports (signalen and knelpunten)", response=schemas.SubmissionPage,
            query=schemas.SubmissionQuery)  # fmt: skip
def submissions():
    params = args(schemas.SubmissionQuery)
    user = caller().user
    query = submission_query(user, submission_filters(params), columns=[Submission.id],
                             ordered=False)  # fmt: skip
    rows, next_url = page_of(query, Submission.id, params, serialise.load_submissions)
    items = [serialise.submission(user, sub) for sub in rows]
    modified = newest(*(sub.updated_at for sub in rows))
    return respond(schemas.SubmissionPage(items=items, next=next_url), modified)


@api.get("/v1/submissions/<int:submission_id>")
@documented(summary="One report, with co-signatures per constituency and its timeline",
            response=schemas.SubmissionDetail, errors=(401, 404, 429))  # fmt: skip
def submission(submission_id: int):
    user = caller().user
    sub = load(Submission, submission_id)
    if not submission_policies.can_view(user, sub):
        raise not_found()
    return respond(serialise.submission_detail(user, sub), sub.updated_at)


@api.get("/v1/decisions")
@documented(summary="The decision register", response=schemas.DecisionPage,
            query=schemas.DecisionQuery)  # fmt: skip
def decisions():
    params = args(schemas.DecisionQuery)
    user = caller().user
    filters = RegisterFilters(q=params.q.strip(), market=params.market, ministry=params.ministry,
                              outcome=params.outcome, implementation=params.implementation,
                              year=params.year)  # fmt: skip
    query = register_query(user, filters).with_only_columns(Decision.id)
    rows, next_url = page_of(query, Decision.id, params, serialise.load_decisions)
    items = [serialise.decision(user, row) for row in rows]
    return respond(schemas.DecisionPage(items=items, next=next_url))


@api.get("/v1/decisions/<int:decision_id>")
@documented(summary="One decision, with amendments and the motion's result",
            response=schemas.DecisionOut, errors=(401, 404, 429))  # fmt: skip
def decision(decision_id: int):
    user = caller().user
    row = load(Decision, decision_id)
    if not decision_policies.can_view_decision(user, row):
        raise not_found()
    return respond(serialise.decision(user, row), row.created_at)


def published_responses(user, params: schemas.ResponseQuery):
    """Published responses to the reports `user` may read (as on the report page)."""
    visible = submission_query(user, Filters(), columns=[Submission.id], ordered=False)
    query = select(Response.id).where(
        Response.status == "gepubliceerd", Response.submission_id.in_(visible)
    )
    if params.ministry:
        query = query.where(Response.ministry_id == params.ministry)
    if params.outcome:
        query = query.where(Response.outcome == params.outcome)
    return query


@api.get("/v1/responses")
@documented(summary="Published ministry responses", response=schemas.ResponsePage,
            query=schemas.ResponseQuery)  # fmt: skip
def responses():
    params = args(schemas.ResponseQuery)
    query = published_responses(caller().user, params)
    rows, next_url = page_of(query, Response.id, params, serialise.load_responses)
    items = [serialise.response(row) for row in rows]
    modified = newest(*(row.published_at for row in rows))
    return respond(schemas.ResponsePage(items=items, next=next_url), modified)


@api.get("/v1/responses/<int:response_id>")
@documented(summary="One response (a draft only for its ministry and the secretariat)",
            response=schemas.ResponseOut, errors=(401, 404, 429))  # fmt: skip
def response(response_id: int):
    row = load(Response, response_id)
    if not response_policies.can_view_response(caller().user, row):
        raise not_found()
    return respond(serialise.response(row), row.published_at)


@api.get("/v1/actions")
@documented(summary="Action items with their progress updates", response=schemas.ActionPage,
            query=schemas.ActionQuery)  # fmt: skip
def actions():
    params = args(schemas.ActionQuery)
    filters = ActionFilters(status=params.status, overdue=params.overdue,
                            ministry=params.ministry)  # fmt: skip
    query = list_query(caller().user, filters).with_only_columns(ActionItem.id)
    rows, next_url = page_of(query, ActionItem.id, params, serialise.load_actions)
    return respond(schemas.ActionPage(items=[serialise.action(r) for r in rows], next=next_url))


@api.get("/v1/actions/<int:action_id>")
@documented(summary="One action item", response=schemas.ActionOut, errors=(401, 404, 429))
def action(action_id: int):
    row = load(ActionItem, action_id)
    if not action_policies.can_view_action(caller().user, row):
        raise not_found()
    return respond(serialise.action(row))


@api.get("/v1/scoreboard")
@documented(summary="Per ministry: responses on time, outcomes, action items done on time",
            response=schemas.Scoreboard, errors=(401, 429))  # fmt: skip
def scoreboard():
    rows = [serialise.score_row(row) for row in compute_scoreboard()]
    return respond(schemas.Scoreboard(rows=rows))


REFERENCE = {
    "markets": ref.Market, "action_lines": ref.ActionLine, "technologies": ref.Technology,
    "missions": ref.Mission, "themes": ref.Theme, "sectors": ref.Sector,
    "government_levels": ref.GovernmentLevel, "constituencies": ref.Constituency,
    "provinces": ref.Province, "ministries": ref.Ministry,
}  # fmt: skip


@api.get("/v1/reference")
@documented(summary="Reference data: markets, action lines, technologies, ministries, …",
            response=schemas.ReferenceData, errors=(401, 429))  # fmt: skip
def reference():
    data = {
        name: [serialise.ref_entry(row) for row in
               db.session.scalars(select(model).order_by(model.position, model.id))]
        for name, model in REFERENCE.items()
    }  # fmt: skip
    return respond(schemas.ReferenceData(**data))
