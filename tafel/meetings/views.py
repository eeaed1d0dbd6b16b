"""Meetings: the calendar, creating and editing a meeting, publishing it, the
meeting page for members and the public, replies and the personal feed.

The agenda builder lives in agenda_views.py, recording the meeting and its
minutes in record_views.py and the exports in exports.py; all share this
blueprint.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tafel import db
from tafel.core.forms import add_error
from tafel.core.permissions import requires
from tafel.core.timefmt import AMSTERDAM
from tafel.meetings import calendar, forms, policies, services
from tafel.meetings.models import AgendaItem, AgendaLink, Attendance, Meeting, MeetingDocument
from tafel.submissions.models import STATUS_LABELS as SUBMISSION_STATUS
from tafel.submissions.models import Submission
from tafel.submissions.support import cosign_counts
from tafel.voting.services import latest_ranks

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


def guard(allowed: bool) -> None:
    """A meeting the user may see but not change in this way: 403."""
    if not allowed:
        abort(403)


# The calendar -----------------------------------------------------------------------


@meetings.route("/")
def index():
    feed_token = None
    return render_template(
        "meetings/index.html",
        upcoming=services.meetings_for(current_user, upcoming=True),
        past=services.meetings_for(current_user, upcoming=False),
        labels=services.STATUS_LABELS,
        can_create=policies.can_create(current_user),
        can_use_feed=policies.can_use_feed(current_user),
        has_feed=policies.can_use_feed(current_user) and calendar.has_feed(current_user),
        feed_token=feed_token,
    )


@meetings.route("/feed", methods=["POST"])
@requires(policies.can_use_feed)
def renew_feed():
    token = calendar.new_feed_token(current_user)
    db.session.commit()
    flash(_("Uw agenda-adres is aangemaakt. Eerdere adressen werken niet meer."), "success")
    return render_template(
        "meetings/feed.html", url=url_for("meetings.feed", token=token, _external=True)
    )


@meetings.route("/feed/revoke", methods=["POST"])
@requires(policies.can_use_feed)
def revoke_feed():
    calendar.revoke_feed(current_user)
    db.session.commit()
    flash(_("Uw agenda-adres is ingetrokken."), "success")
    return redirect(url_for("meetings.index"))


@meetings.route("/feed/<token>.ics")
def feed(token: str):
    owner = calendar.feed_owner(token)
    if owner is None:
        abort(404)
    body = calendar.calendar(calendar.published_meetings(), owner)
    return body, 200, {"Content-Type": calendar.MEDIA_TYPE, "Cache-Control": "private"}


# Creating and editing ---------------------------------------------------------------


@meetings.route("/new", methods=["GET", "POST"])
@requires(policies.can_create)
def new():
    form = forms.MeetingForm()
    if form.validate_on_submit():
        try:
            meeting = services.create_meeting(
                current_user, with_standard_items=bool(form.standard_items.data), **form.details()
            )
        except services.MeetingError as error:
            db.session.rollback()
            add_error(form, error.field, error.message)
        else:
            db.session.commit()
            flash(_("De vergadering is aangemaakt als concept. Stel nu de agenda op."), "success")
            return redirect(url_for("meetings.agenda", meeting_id=meeting.id))
    status = 422 if request.method == "POST" else 200
    return render_template("meetings/form.html", form=form, meeting=None), status


@meetings.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(meeting_id: int):
    meeting = load_meeting(meeting_id)
    guard(policies.can_edit(current_user, meeting))
    form = forms.MeetingForm(obj=meeting)
    del form.standard_items
    if request.method == "GET":
        local_start = meeting.starts_at.astimezone(AMSTERDAM)
        form.day.data = local_start.date()
        form.start_time.data = local_start.time()
        form.end_time.data = meeting.ends_at.astimezone(AMSTERDAM).time()
    if form.validate_on_submit():
        try:
            told = services.update_meeting(meeting, current_user, **form.details())
        except services.MeetingError as error:
            db.session.rollback()
            add_error(form, error.field, error.message)
        else:
            clash = services.overlapping(meeting)
            db.session.commit()
            flash(
                _("De wijziging is opgeslagen; de tafelleden hebben een bijgewerkte uitnodiging.")
                if told
                else _("De wijziging is opgeslagen."),
                "success",
            )
            if clash and meeting.status != "concept":
                flash(
                    _("Let op: deze vergadering overlapt met ‘%(title)s’.", title=clash[0].title),
                    "warning",
                )
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    status = 422 if request.method == "POST" else 200
    return render_template("meetings/form.html", form=form, meeting=meeting), status


@meetings.route("/<int:meeting_id>/delete", methods=["POST"])
@login_required
def delete(meeting_id: int):
    meeting = load_meeting(meeting_id)
    guard(policies.can_edit(current_user, meeting) and meeting.status == "concept")
    stored = [document.stored_name for document in meeting.documents]
    services.delete_concept(meeting, current_user)
    db.session.commit()
    from tafel.meetings import documents

    for name in stored:
        documents.files.discard(name, documents.directory())
    flash(_("Het concept is verwijderd."), "success")
    return redirect(url_for("meetings.index"))


@meetings.route("/<int:meeting_id>/publish", methods=["POST"])
@login_required
def publish(meeting_id: int):
    meeting = load_meeting(meeting_id)
    guard(policies.can_publish(current_user, meeting))
    form = forms.PublishForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.publish(meeting, current_user, accept_overlap=bool(form.accept_overlap.data))
    except services.MeetingError as error:
        db.session.rollback()
        meeting = load_meeting(meeting_id)
        return render_meeting(meeting, 422, publish_form=form, publish_error=error)
    db.session.commit()
    flash(
        _("De agenda is gepubliceerd; de tafelleden hebben een uitnodiging ontvangen."), "success"
    )
    return redirect(url_for("meetings.detail", meeting_id=meeting.id))


@meetings.route("/<int:meeting_id>/held", methods=["POST"])
@login_required
def held(meeting_id: int):
    meeting = load_meeting(meeting_id)
    guard(policies.can_mark_held(current_user, meeting))
    try:
        services.mark_held(meeting, current_user)
    except services.MeetingError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("De vergadering is als gehouden gemarkeerd."), "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting_id))


# The meeting page -------------------------------------------------------------------


def page_context(meeting: Meeting) -> dict:
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
        "slots": services.timetable(meeting, items),
        "hidden_count": len(meeting.items) - len(items),
        "counts": cosign_counts(sub_ids),
        "ranks": latest_ranks() if sub_ids else {},
        "documents": documents,
        "labels": services.STATUS_LABELS,
        "kinds": services.KIND_LABELS,
        "presence_labels": services.PRESENCE_LABELS,
        "submission_status": SUBMISSION_STATUS,
        "own": own,
        "show_attendance": policies.can_see_attendance(user),
        "show_minutes": policies.can_see_minutes(user, meeting),
        "total": services.total_minutes(meeting),
    }


def render_meeting(meeting: Meeting, status: int = 200, **extra):
    context = page_context(meeting)
    own = context["own"]
    rsvp_form = extra.pop("rsvp_form", None) or forms.RsvpForm(
        answer=own.rsvp if own else None, substitute=own.rsvp_substitute if own else ""
    )
    context.update(
        rsvp_form=rsvp_form,
        publish_form=extra.pop("publish_form", None) or forms.PublishForm(),
        publish_error=None,
        addenda=services.addenda(meeting, current_user)
        if meeting.status == "notulen_vastgesteld"
        else [],
        addendum_form=None,
    )
    if policies.can_add_addendum(current_user, meeting):
        form = extra.pop("addendum_form", None) or forms.AddendumForm()
        form.item.choices = [("", _("De vergadering als geheel"))] + [
            (item.id, f"{item.position}. {item.title}") for item in meeting.items
        ]
        context["addendum_form"] = form
    context.update(extra)
    return render_template("meetings/detail.html", **context), status


@meetings.route("/<int:meeting_id>")
def detail(meeting_id: int):
    return render_meeting(load_meeting(meeting_id))


@meetings.route("/<int:meeting_id>/rsvp", methods=["POST"])
@login_required
def rsvp(meeting_id: int):
    meeting = load_meeting(meeting_id)
    guard(policies.can_rsvp(current_user, meeting))
    form = forms.RsvpForm()
    if form.validate_on_submit():
        try:
            services.rsvp(meeting, current_user, form.answer.data, form.substitute.data or "")
        except services.MeetingError as error:
            db.session.rollback()
            add_error(form, error.field, error.message)
        else:
            db.session.commit()
            flash(_("Uw antwoord is opgeslagen."), "success")
            return redirect(url_for("meetings.detail", meeting_id=meeting.id, _anchor="rsvp"))
    return render_meeting(load_meeting(meeting_id), 422, rsvp_form=form)


from tafel.meetings import agenda_views, exports, record_views  # noqa: E402, F401
