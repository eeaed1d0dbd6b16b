"""Exports of a meeting: the meeting pack (PDF), the minutes (PDF) and the
calendar event (.ics). Each shows exactly what the meeting page shows the
same user."""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import gettext as _
from flask_login import current_user

from tafel.core.download_limit import expensive
from tafel.core.exports import csv_response, download, pdf_response
from tafel.meetings import calendar, minutes, policies
from tafel.meetings.base import members
from tafel.meetings.blueprint import meetings
from tafel.meetings.models import PRESENCE_LABELS
from tafel.meetings.pages import load_meeting, page_context


@meetings.route("/<int:meeting_id>/agenda.pdf")
@expensive
def agenda_pdf(meeting_id: int):
    meeting = load_meeting(meeting_id)
    html = render_template("meetings/agenda_pdf.html", invitees=members(), **page_context(meeting))
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
        members=members(),
        **page_context(meeting),
    )
    return pdf_response(html, f"vergadering-{meeting.id}-notulen.pdf")


def attendance_rows(meeting) -> list[list]:
    """Every member (and anyone who replied or was recorded): name,
    organisation, constituency, reply, presence and substitute."""
    rows = {a.user_id: a for a in meeting.attendance}
    people = {user.id: user for user in members()}
    people.update({a.user_id: a.user for a in meeting.attendance})
    out = []
    for user in sorted(people.values(), key=lambda u: (u.name, u.id)):
        row = rows.get(user.id)
        rsvp = row.rsvp if row else None
        presence = row.presence if row else None
        out.append(
            [
                user.id,
                user.name,
                user.organisation.name,
                user.organisation.constituency.label,
                str(PRESENCE_LABELS[rsvp]) if rsvp else "",
                str(PRESENCE_LABELS[presence]) if presence else "",
                (row.substitute or row.rsvp_substitute) if row else "",
            ]
        )
    return out


@meetings.route("/<int:meeting_id>/attendance.csv")
@expensive
def attendance_csv(meeting_id: int):
    meeting = load_meeting(meeting_id)
    if meeting.status == "concept" or not policies.can_see_attendance(current_user):
        abort(404)
    header = [
        _("Nummer"), _("Naam"), _("Organisatie"), _("Geleding"), _("Aangemeld"),
        _("Vastgelegd"), _("Vervanger"),
    ]  # fmt: skip
    name = f"vergadering-{meeting.id}-aanwezigheid.csv"
    return csv_response(header, attendance_rows(meeting), name)


@meetings.route("/<int:meeting_id>.ics")
def ics(meeting_id: int):
    meeting = load_meeting(meeting_id)
    body = calendar.calendar([meeting], current_user)
    return download(body, calendar.MEDIA_TYPE, f"vergadering-{meeting.id}.ics")
