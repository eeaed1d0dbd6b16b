"""What every API route shares: who calls (`caller`, counted against the rate
limit before the route runs), errors as problems, answering a read with JSON,
an ETag and Last-Modified (a repeated request with `If-None-Match` or
`If-Modified-Since` gets 304), and keyset pages with a `next` link."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Response, current_app, g, render_template, request, url_for
from pydantic import BaseModel
from sqlalchemy import Select
from werkzeug.exceptions import HTTPException

from tafel import db
from tafel.api import auth
from tafel.api.blueprint import api
from tafel.api.params import Q, decode_cursor, encode_cursor, parse
from tafel.api.problems import ApiError, from_http, problem
from tafel.api.schemas import Query
from tafel.extensions import csrf

# Writes to /api/v1 carry a token, never a cookie: no cross-site request can
# make one. The blueprint's other routes (the beheerder's webhooks page) work
# with the session cookie, so `_identify_and_count` checks their CSRF token.
csrf.exempt(api)


def in_api() -> bool:
    return request.path.startswith("/api/v1/")


@api.before_request
def _identify_and_count():
    if not in_api():
        if current_app.config["WTF_CSRF_ENABLED"]:
            csrf.protect()  # a 400 for a form post without the session's token
        return None
    header = request.headers.get("Authorization")
    auth.check_rate(header, request.remote_addr)
    g.api_caller = auth.identify(header)
    return None


def caller() -> auth.Caller:
    return g.api_caller


def args(model: type[Q]) -> Q:
    return parse(model, request.args)


@api.errorhandler(ApiError)
def _api_error(error: ApiError):
    return problem(error)


HTML_PAGES = (400, 403, 404, 405, 413)


@api.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    if in_api():
        return from_http(error)
    # The documentation and the beheerder's pages answer with the site's own pages.
    if error.code in HTML_PAGES:
        return render_template(f"errors/{error.code}.html", error=error), error.code
    return error


@api.errorhandler(500)
def _server_error(error):
    db.session.rollback()
    original = getattr(error, "original_exception", None) or error
    current_app.logger.error("Server error on %s [%s]", request.path, request.method,
                             exc_info=original)  # fmt: skip
    return problem(ApiError(500, "Internal server error."))


@api.route("/v1/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown(rest: str):
    raise ApiError(404, "No such resource.")


def respond(model: BaseModel, modified: datetime | None = None, status: int = 200) -> Response:
    body = model.model_dump_json(by_alias=True)
    response = Response(body, status=status, mimetype="application/json")
    response.headers["Vary"] = "Authorization"
    response.headers["Cache-Control"] = "no-cache" if status == 200 else "no-store"
    if status != 200 or request.method != "GET":
        return response
    response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    if modified is not None:
        response.last_modified = modified.replace(microsecond=0)
    response.make_conditional(request)
    return response


def newest(*moments: datetime | None) -> datetime | None:
    known = [m for m in moments if m is not None]
    return max(known) if known else None


def keyset(query: Select, column, params: Query) -> tuple[list[Any], str | None]:
    """One page (newest first by `column`, an id) of what `query` selects —
    ids or rows — and the link to the next page."""
    before = decode_cursor(params.cursor)
    if before is not None:
        query = query.where(column < before)
    query = query.order_by(None).order_by(column.desc()).limit(params.limit + 1)
    rows = list(db.session.scalars(query))
    if len(rows) <= params.limit:
        return rows, None
    rows = rows[: params.limit]
    last = rows[-1] if isinstance(rows[-1], int) else rows[-1].id
    args = {k: v for k, v in request.args.items() if k != "cursor"}
    next_url = url_for(request.endpoint or "", **(request.view_args or {}), **args,
                       cursor=encode_cursor(last), _external=True)  # fmt: skip
    return rows, next_url


def page_of(
    query: Select,
    column,
    params: Query,
    load: Callable[[list[int]], list[Any]],
) -> tuple[list[Any], str | None]:
    """A page of ids from an id-only query, loaded by `load` with their relations."""
    ids, next_url = keyset(query, column, params)
    return (load(ids) if ids else []), next_url
