"""Errors of the API as `application/problem+json` (RFC 9457).

Every refusal of an API route is an `ApiError` (or an HTTP error raised with
`abort`, translated here), answered with `type`, `title`, `status`, `detail`
and, for bad parameters, `invalid_params` naming each parameter.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response
from werkzeug.exceptions import HTTPException

PROBLEM_TYPE = "application/problem+json"
TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        detail: str,
        *,
        invalid_params: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.invalid_params = invalid_params or []
        self.headers = headers or {}


def bad_parameter(name: str, reason: str) -> ApiError:
    return ApiError(
        400, f"Invalid parameter: {name}", invalid_params=[{"name": name, "reason": reason}]
    )


def problem_body(status: int, detail: str, invalid: list[dict[str, str]] | None = None) -> dict:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if invalid:
        body["invalid_params"] = invalid
    return body


def problem(error: ApiError) -> Response:
    body = problem_body(error.status, error.detail, error.invalid_params)
    response = Response(json.dumps(body), status=error.status, mimetype=PROBLEM_TYPE)
    response.headers.update(error.headers)
    return response


def from_http(error: HTTPException) -> Response:
    """An `abort(…)` inside an API route, as a problem."""
    code = error.code or 500
    headers = {}
    if code == 405 and error.valid_methods:  # type: ignore[attr-defined]
        headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    return problem(ApiError(code, error.description or TITLES.get(code, ""), headers=headers))
