"""Exports of a meeting: the meeting pack (PDF), the minutes (PDF) and the
calendar event (.ics). Each shows exactly what the meeting page shows the
same user."""

from __future__ import annotations

from flask import Response, abort, render_template, request
from flask_login import current_user

from tafel.meetings import calendar, policies, services
from tafel.meetings.views import load_meeting, meetings, page_context


def _pdf(html: str, filename: str) -> Response:
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=request.host_url).write_pdf()
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@meetings.route("/<int:meeting_id>/agenda.pdf")
def agenda_pdf(meeting_id: int):
    meeting = load_meeting(meeting_id)
    html = render_template("meetings/agenda_pdf.html", **page_context(meeting))
    return _pdf(html, f"vergadering-{meeting.id}-agenda.pdf")


@meetings.route("/<int:meeting_id>/minutes.pdf")
def minutes_pdf(meeting_id: int):
    meeting = load_meeting(meeting_id)
    if not policies.can_see_minutes(current_user, meeting):
        abort(404)
    html = render_template(
        "meetings/minutes_pdf.html",
        addenda=services.addenda(meeting, current_user),
        **page_context(meeting),
    )
    return _pdf(html, f"vergadering-{meeting.id}-notulen.pdf")


@meetings.route("/<int:meeting_id>.ics")
def ics(meeting_id: int):
    meeting = load_meeting(meeting_id)
    return Response(
        calendar.calendar([meeting], current_user),
        mimetype="text/calendar",
        headers={
            "Content-Type": calendar.MEDIA_TYPE,
            "Content-Disposition": f'attachment; filename="vergadering-{meeting.id}.ics"',
        },
    )
