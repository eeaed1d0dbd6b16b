"""Exports of a meeting: the meeting pack (PDF), the minutes (PDF) and the
calendar event (.ics). Each shows exactly what the meeting page shows the
same user."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from tafel.core.exports import download, pdf_response
from tafel.core.ratelimit import expensive
from tafel.meetings import calendar, minutes, policies
from tafel.meetings.blueprint import meetings
from tafel.meetings.pages import load_meeting, page_context


@meetings.route("/<int:meeting_id>/agenda.pdf")
@expensive
def agenda_pdf(meeting_id: int):
    meeting = load_meeting(meeting_id)
    html = render_template("meetings/agenda_pdf.html", **page_context(meeting))
    return pdf_response(html, f"vergadering-{meeting.id}-agenda.pdf")


@meetings.route("/<int:meeting_id>/minutes.pdf")
@expensive
def minutes_pdf(meeting_id: int):
    meeting = load_meeting(meeting_id)
    if not policies.can_see_minutes(current_user, meeting):
        abort(404)
    html = render_template(
        "meetings/minutes_pdf.html",
        addenda=minutes.addenda(meeting, current_user),
        **page_context(meeting),
    )
    return pdf_response(html, f"vergadering-{meeting.id}-notulen.pdf")


@meetings.route("/<int:meeting_id>.ics")
def ics(meeting_id: int):
    meeting = load_meeting(meeting_id)
    body = calendar.calendar([meeting], current_user)
    return download(body, calendar.MEDIA_TYPE, f"vergadering-{meeting.id}.ics")
