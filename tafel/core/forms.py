"""Form helpers shared by the features."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request
from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

REQUIRED = _l("Dit veld is verplicht.")

# The largest row id: ids are 32-bit integers in the database, and a larger number
# would fail in the driver (an OverflowError on SQLite, a DataError on PostgreSQL).
MAX_ID = 2**31 - 1


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def strip(value):
    """Form filter: surrounding white space is never part of an answer."""
    return value.strip() if isinstance(value, str) else value


def an_id(value: int | None) -> int:
    """A number typed as a row id, or 0 (no row) when it cannot be one."""
    return value if value is not None and 0 < value <= MAX_ID else 0


def optional_int(value):
    """Coerce a select's value to an id, or None for the empty choice."""
    return int(value) if value not in (None, "", "None") else None


def add_error(form, field: str | None, message: str) -> None:
    """Attach a service's refusal to the field it concerns (or to the form)."""
    target = form[field] if field and field in form else None
    if target is None:
        form.form_errors.append(message)
        return
    target.errors = [*target.errors, message]


def as_choices(pairs) -> list[SelectChoice]:
    """A select's options from (value, label) pairs or a {value: label} dict."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(value, label) for value, label in items]


def reference_choices(rows, blank: str | None = None) -> list[SelectChoice]:
    pairs = [(row.id, row.label) for row in rows]
    if blank is not None:
        pairs.insert(0, ("", blank))
    return as_choices(pairs)


def client_ip() -> str:
    return request.remote_addr or "unknown"


def safe_next(target: str | None) -> str | None:
    """Only follow a `next` parameter that stays on this site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target
