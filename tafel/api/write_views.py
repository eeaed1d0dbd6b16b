"""The API's writes, limited to what a ministry's case system needs: a
departement token drafts (and offers for review) its ministry's response, and
posts a progress update on an action item. Both go through the services the
forms use (`responses.services.save_draft`, `actions.services.update_action`),
with their checks, audit entries and notifications.

Order as in every view: the token may write (403), load (404 when the caller
may not see it, so a ministry's token learns nothing of another ministry's
drafts), check (403), act and commit once. A refusal of the service is 422.
An `Idempotency-Key` header makes a repeated call (a retry after a lost
answer) a no-op that answers with the current state.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import request
from pydantic import ValidationError

from tafel import db
from tafel.actions import policies as action_policies
from tafel.actions import services as action_services
from tafel.actions.models import ActionItem
from tafel.api import schemas, serialise
from tafel.api.base_views import caller, respond
from tafel.api.blueprint import api
from tafel.api.openapi import documented
from tafel.api.problems import ApiError
from tafel.api.views import load, not_found
from tafel.core import form_tokens
from tafel.core.errors import ServiceError
from tafel.responses import policies as response_policies
from tafel.responses import queries as response_queries
from tafel.responses import services as response_services
from tafel.submissions.models import Submission

KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
WRITE_ERRORS = (400, 401, 403, 404, 409, 415, 422, 429)


def writer():
    found = caller()
    if found.token is None:
        raise ApiError(401, "Writing needs a token.", headers={"WWW-Authenticate": "Bearer"})
    if not found.may_write:
        raise ApiError(403, "This token may only read.")
    return found.user


def body(model):
    if not request.is_json:
        raise ApiError(415, "Send the body as application/json.")
    try:
        return model.model_validate(request.get_json(silent=True))
    except ValidationError as error:
        invalid = [{"name": ".".join(str(p) for p in e["loc"]) or "body", "reason": e["msg"]}
                   for e in error.errors()]  # fmt: skip
        raise ApiError(400, "Invalid body.", invalid_params=invalid) from None


def once(user, kind: str, act: Callable[[], Any]) -> bool:
    """Run `act` and commit, once per Idempotency-Key; False when the key was used."""
    key = request.headers.get("Idempotency-Key")
    if key is not None and not KEY.fullmatch(key):
        raise ApiError(400, "Idempotency-Key: 16 to 64 letters, digits, - or _.")
    try:
        ticket = form_tokens.claim(db.session, key, user.id, kind) if key else None
        if ticket is not None and ticket.earlier is not None:
            if ticket.earlier.user_id != user.id or ticket.earlier.kind != kind:
                raise ApiError(409, "This Idempotency-Key was used for another call.")
            db.session.rollback()
            return False
        made = act()
        if ticket is not None:
            ticket.record(db.session, made)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        invalid = [{"name": error.field, "reason": error.message}] if error.field else None
        raise ApiError(422, error.message, invalid_params=invalid) from None
    return True


@api.post("/v1/submissions/<int:submission_id>/response")
@documented(summary="Draft the ministry's response (departement, write token)",
            response=schemas.ResponseOut, body=schemas.ResponseDraftIn, tag="write",
            errors=WRITE_ERRORS)  # fmt: skip
def draft_response(submission_id: int):
    user = writer()
    sub = load(Submission, submission_id)
    response = response_queries.response_for(sub)
    if response is None or not response_policies.can_view_response(user, response):
        raise not_found()
    if response.status != "concept":
        raise ApiError(409, "This response has been offered for review or published.")
    if not response_policies.can_draft_response(user, response):
        raise ApiError(403, "This response is not a draft of your ministry.")
    data = body(schemas.ResponseDraftIn)

    def save():
        row = response_services.ensure_response(sub)
        values = data.model_dump(include={"outcome", "explanation", "measures", "submit"})
        return response_services.save_draft(row, user, **values)

    once(user, "api_response", save)
    saved = response_queries.find_response(sub)
    if saved is None:  # nothing stored: the same Idempotency-Key was refused before
        raise not_found()
    return respond(serialise.response(saved))


@api.post("/v1/actions/<int:action_id>/updates")
@documented(summary="Post a progress update on an action item (its owner, write token)",
            response=schemas.ActionOut, body=schemas.ActionUpdateIn, tag="write",
            errors=WRITE_ERRORS, success=201)  # fmt: skip
def update_action(action_id: int):
    user = writer()
    action = load(ActionItem, action_id)
    if not action_policies.can_view_action(user, action):
        raise not_found()
    if not action_policies.can_update_action(user, action):
        raise ApiError(403, "You may not update this action item.")
    data = body(schemas.ActionUpdateIn)
    made = once(user, "api_action_update",
                lambda: action_services.update_action(action, user, status=data.status,
                                                      text=data.text))  # fmt: skip
    db.session.refresh(action)
    return respond(serialise.action(action), status=201 if made else 200)
