"""What the meetings' views share: loading a meeting or item the user may see
(404 otherwise) and building the meeting page, which several routes show again
with a refused form."""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tafel import db
from tafel.meetings import agenda, forms, minutes, policies
from tafel.meetings.models import (
    KIND_LABELS,
    PRESENCE_LABELS,
    STATUS_LABELS,
    AgendaItem,
    AgendaLink,
    Attendance,
    Meeting,
    MeetingDocument,
)
from tafel.submissions.models import STATUS_LABELS as SUBMISSION_STATUS
from tafel.submissions.models import Submission
from tafel.submissions.support import cosign_counts
from tafel.voting.results import latest_ranks


def load_meeting(meeting_id: int, full: bool = True) -> Meeting:
    query = select(Meeting).where(Meeting.id == meeting_id)
    if full:
        query = query.options(
            selectinload(Meeting.items)
            .selectinload(AgendaItem.links)
            .selectinload(AgendaLink.submission)
            .selectinload(Submission.organisation),
            selectinload(Meeting.items).selectinload(AgendaItem.approves_meeting),
            selectinload(Meeting.documents).selectinload(MeetingDocument.item),
            selectinload(Meeting.attendance).selectinload(Attendance.user),
        )
    meeting = db.session.scalar(query)
    if meeting is None or not policies.can_view(current_user, meeting):
        abort(404)
    return meeting


def load_item(meeting: Meeting, item_id: int) -> AgendaItem:
    item = next((i for i in meeting.items if i.id == item_id), None)
    if item is None or not policies.can_see_item(current_user, item):
        abort(404)
    return item


def page_context(meeting: Meeting) -> dict:
    """What the meeting page, the meeting pack and the minutes PDF show this user."""
    user = current_user
    items = [item for item in meeting.items if policies.can_see_item(user, item)]
    sub_ids = [link.submission_id for item in items for link in item.links]
    documents = [d for d in meeting.documents if policies.can_see_document(user, d)]
    own = next(
        (a for a in meeting.attendance if user.is_authenticated and a.user_id == user.id), None
    )
    return {
        "meeting": meeting,
        "items": items,
        "slots": agenda.timetable(meeting, items),
        "hidden_count": len(meeting.items) - len(items),
        "counts": cosign_counts(sub_ids),
        "ranks": latest_ranks() if sub_ids else {},
        "documents": documents,
        "labels": STATUS_LABELS,
        "kinds": KIND_LABELS,
        "presence_labels": PRESENCE_LABELS,
        "submission_status": SUBMISSION_STATUS,
        "own": own,
        "show_attendance": policies.can_see_attendance(user),
        "show_minutes": policies.can_see_minutes(user, meeting),
        "join_url": meeting.online_url if policies.can_see_join_link(user, meeting) else "",
        "total": agenda.total_minutes(meeting),
    }


def render_meeting(meeting: Meeting, status: int = 200, **extra):
    """The meeting page; `extra` may carry a refused rsvp, publish or addendum form."""
    context = page_context(meeting)
    own = context["own"]
    # A visitor gets no forms: their CSRF tokens would start a session, and
    # public pages stay sessionless (core/caching.py).
    signed_in = current_user.is_authenticated
    rsvp_form = extra.pop("rsvp_form", None) or (
        forms.RsvpForm(
            answer=own.rsvp if own else None, substitute=own.rsvp_substitute if own else ""
        )
        if signed_in
        else None
    )
    context.update(
        rsvp_form=rsvp_form,
        publish_form=extra.pop("publish_form", None)
        or (forms.PublishForm() if signed_in else None),
        publish_error=None,
        cancel_form=extra.pop("cancel_form", None) or (forms.CancelForm() if signed_in else None),
        addenda=minutes.addenda(meeting, current_user)
        if meeting.status == "notulen_vastgesteld"
        else [],
        addendum_form=None,
    )
    if policies.can_add_addendum(current_user, meeting):
        form = extra.pop("addendum_form", None) or forms.AddendumForm()
        form.item.choices = forms.item_choices(meeting, _("De vergadering als geheel"))
        context["addendum_form"] = form
    context.update(extra)
    return render_template("meetings/detail.html", **context), status
