"""Query parameters and cursors of the API: validated by the endpoint's
pydantic model (the same model the OpenAPI document describes), refused with
a 400 problem naming the parameter.

A cursor is opaque to clients (copy it from `next`): it spells the last id of
the page before.
Lists are ordered newest first by id, so a page never shifts when rows are
added while a client walks the list.
"""

from __future__ import annotations

import re
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from werkzeug.datastructures import MultiDict

from tafel.api.problems import ApiError, bad_parameter
from tafel.core.forms import MAX_ID

Q = TypeVar("Q", bound=BaseModel)


def parse(model: type[Q], args: MultiDict) -> Q:
    repeated = [name for name in args if len(args.getlist(name)) > 1]
    if repeated:
        raise bad_parameter(repeated[0], "given more than once")
    try:
        return model.model_validate(args.to_dict())
    except ValidationError as error:
        invalid = []
        for problem in error.errors():
            name = str(problem["loc"][0]) if problem["loc"] else "query"
            reason = "unknown parameter" if problem["type"] == "extra_forbidden" else problem["msg"]
            invalid.append({"name": name, "reason": reason})
        names = ", ".join(sorted({item["name"] for item in invalid}))
        raise ApiError(400, f"Invalid parameter: {names}", invalid_params=invalid) from None


CURSOR_PATTERN = r"^p[0-9a-z]{1,6}$"
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def encode_cursor(last_id: int) -> str:
    out = ""
    while True:
        last_id, digit = divmod(last_id, 36)
        out = DIGITS[digit] + out
        if not last_id:
            return "p" + out


def decode_cursor(value: str | None) -> int | None:
    """The id a page starts below. Anything a cursor can spell is a position in
    the list (the filters still apply); anything else is refused."""
    if value is None:
        return None
    if not re.fullmatch(CURSOR_PATTERN, value):
        raise bad_parameter("cursor", "not a cursor of this API")
    return min(int(value[1:], 36), MAX_ID)
