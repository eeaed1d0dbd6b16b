"""Meetings: the calendar and the personal feed, creating and editing a
meeting, publishing it, marking it held, the meeting page and replies.

The agenda builder lives in agenda_views.py, recording the meeting and its
minutes in record_views.py and the exports in exports.py; all register on the
one blueprint of blueprint.py and share the page helpers of pages.py.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tafel.core.once import create_once
from tafel.core.permissions import requires
from tafel.core.signals import calendar_feed_requested
from tafel.core.timefmt import AMSTERDAM
from tafel.core.views import commit_or_refuse, ensure
from tafel.meetings import attendance, calendar, forms, lifecycle, policies
from tafel.meetings.blueprint import meetings
from tafel.meetings.models import STATUS_LABELS
from tafel.meetings.pages import load_meeting, render_meeting

# The calendar -----------------------------------------------------------------------


@meetings.route("/")
def index():
    return render_template(
        "meetings/index.html",
        upcoming=lifecycle.meetings_for(current_user, upcoming=True),
        past=lifecycle.meetings_for(current_user, upcoming=False),
        labels=STATUS_LABELS,
        can_create=policies.can_create(current_user),
        can_use_feed=policies.can_use_feed(current_user),
        has_feed=policies.can_use_feed(current_user) and calendar.has_feed(current_user),
        feed_token=None,
    )


@meetings.route("/feed", methods=["POST"])
@requires(policies.can_use_feed)
def renew_feed():
    with commit_or_refuse() as done:
        token = calendar.new_feed_token(current_user)
    if not done:
        return redirect(url_for("meetings.index"))
    flash(_("Uw agenda-adres is aangemaakt. Eerdere adressen werken niet meer."), "success")
    return render_template(
        "meetings/feed.html", url=url_for("meetings.feed", token=token, _external=True)
    )


@meetings.route("/feed/revoke", methods=["POST"])
@requires(policies.can_use_feed)
def revoke_feed():
    with commit_or_refuse() as done:
        calendar.revoke_feed(current_user)
    if done:
        flash(_("Uw agenda-adres is ingetrokken."), "success")
    return redirect(url_for("meetings.index"))


@meetings.route("/feed/<token>.ics")
def feed(token: str):
    owner = calendar.feed_owner(token)
    if owner is None:
        abort(404)
    extra = [e for _r, events in calendar_feed_requested.send(owner) for e in events or []]
    body = calendar.calendar(calendar.published_meetings(), owner, extra=extra)
    return body, 200, {"Content-Type": calendar.MEDIA_TYPE, "Cache-Control": "private"}


# Creating and editing ---------------------------------------------------------------


@meetings.route("/new", methods=["GET", "POST"])
@requires(policies.can_create)
def new():
    form = forms.MeetingForm()
    if form.validate_on_submit():
        made = create_once(
            form,
            "meeting",
            lambda: lifecycle.create_meeting(
                current_user, with_standard_items=bool(form.standard_items.data), **form.details()
            ),
        )
        if made.first:
            flash(_("De vergadering is aangemaakt als concept. Stel nu de agenda op."), "success")
        if made:
            return redirect(url_for("meetings.agenda", meeting_id=made.object_id))
    status = 422 if request.method == "POST" else 200
    return render_template("meetings/form.html", form=form, meeting=None), status


def _edit_form(meeting) -> forms.MeetingForm:
    """The meeting's details, its times in Dutch local time."""
    form = forms.MeetingForm(obj=meeting)
    del form.standard_items
    if request.method == "GET":
        local_start = meeting.starts_at.astimezone(AMSTERDAM)
        form.day.data = local_start.date()
        form.start_time.data = local_start.time()
        form.end_time.data = meeting.ends_at.astimezone(AMSTERDAM).time()
    return form


def _flash_saved(meeting, told: bool, clash: list) -> None:
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


@meetings.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(meeting_id: int):
    meeting = load_meeting(meeting_id)
    ensure(policies.can_edit(current_user, meeting))
    form = _edit_form(meeting)
    if form.validate_on_submit():
        with commit_or_refuse(form) as done:
            told = lifecycle.update_meeting(meeting, current_user, **form.details())
            clash = lifecycle.overlapping(meeting)
        if done:
            _flash_saved(meeting, told, clash)
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    status = 422 if request.method == "POST" else 200
    return render_template("meetings/form.html", form=form, meeting=meeting), status


@meetings.route("/<int:meeting_id>/delete", methods=["POST"])
@login_required
def delete(meeting_id: int):
    meeting = load_meeting(meeting_id)
    ensure(policies.can_edit(current_user, meeting) and meeting.status == "concept")
    with commit_or_refuse() as done:
        lifecycle.delete_concept(meeting, current_user)  # with its documents' files
    if not done:
        return redirect(url_for("meetings.detail", meeting_id=meeting_id))
    flash(_("Het concept is verwijderd."), "success")
    return redirect(url_for("meetings.index"))


# Steps of the meeting ---------------------------------------------------------------


@meetings.route("/<int:meeting_id>/publish", methods=["POST"])
@login_required
def publish(meeting_id: int):
    meeting = load_meeting(meeting_id)
    ensure(policies.can_publish(current_user, meeting))
    form = forms.PublishForm()
    if not form.validate_on_submit():
        abort(400)
    with commit_or_refuse(form) as done:
        lifecycle.publish(meeting, current_user, accept_overlap=bool(form.accept_overlap.data))
    if not done:
        meeting = load_meeting(meeting_id)
        return render_meeting(meeting, 422, publish_form=form, publish_error=done.error)
    flash(
        _("De agenda is gepubliceerd; de tafelleden hebben een uitnodiging ontvangen."), "success"
    )
    return redirect(url_for("meetings.detail", meeting_id=meeting.id))


@meetings.route("/<int:meeting_id>/held", methods=["POST"])
@login_required
def held(meeting_id: int):
    meeting = load_meeting(meeting_id)
    ensure(policies.can_mark_held(current_user, meeting))
    with commit_or_refuse() as done:
        lifecycle.mark_held(meeting, current_user)
    if done:
        flash(_("De vergadering is als gehouden gemarkeerd."), "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting_id))


@meetings.route("/<int:meeting_id>/cancel", methods=["POST"])
@login_required
def cancel(meeting_id: int):
    meeting = load_meeting(meeting_id)
    ensure(policies.can_cancel(current_user, meeting))
    form = forms.CancelForm()
    if form.validate_on_submit():
        with commit_or_refuse(form, "reason") as done:
            lifecycle.cancel(meeting, current_user, form.reason.data)
        if done:
            flash(
                _("De vergadering is geannuleerd; de tafelleden hebben een annulering."), "success"
            )
            return redirect(url_for("meetings.detail", meeting_id=meeting_id))
    return render_meeting(load_meeting(meeting_id), 422, cancel_form=form)


# The meeting page -------------------------------------------------------------------


@meetings.route("/<int:meeting_id>")
def detail(meeting_id: int):
    return render_meeting(load_meeting(meeting_id))


@meetings.route("/<int:meeting_id>/rsvp", methods=["POST"])
@login_required
def rsvp(meeting_id: int):
    meeting = load_meeting(meeting_id)
    ensure(policies.can_rsvp(current_user, meeting))
    form = forms.RsvpForm()
    if form.validate_on_submit():
        with commit_or_refuse(form) as done:
            attendance.rsvp(meeting, current_user, form.answer.data, form.substitute.data or "")
        if done:
            flash(_("Uw antwoord is opgeslagen."), "success")
            return redirect(url_for("meetings.detail", meeting_id=meeting.id, _anchor="rsvp"))
    return render_meeting(load_meeting(meeting_id), 422, rsvp_form=form)
