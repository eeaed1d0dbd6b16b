"""The meetings blueprint, declared once. Its routes live in views.py (the
calendar, the meeting and its steps), agenda_views.py (the agenda builder and
documents), record_views.py (attendance, minutes) and exports.py (PDF, .ics);
`tafel.create_app` imports them to register the routes."""

from __future__ import annotations

from flask import Blueprint
from markupsafe import Markup

from tafel.meetings import policies

meetings = Blueprint("meetings", __name__, url_prefix="/meetings")


@meetings.app_context_processor
def meeting_helpers():
    return {"policies_meetings": policies}


@meetings.app_template_filter("css_string")
def css_string(value) -> Markup:
    """Text as a quoted CSS string, for the PDF footers inside <style>: every
    character that is not plainly safe is written as a CSS escape, so an
    ampersand or quote in a title prints as itself."""
    out = [ch if ch.isalnum() or ch in " .,-–·:/()" else f"\\{ord(ch):x} " for ch in str(value)]
    return Markup('"' + "".join(out) + '"')  # noqa: S704 - all but safe characters escaped
