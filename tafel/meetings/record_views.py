"""During and after the meeting: presence, items discussed, minutes with
their revisions, approval at a later meeting and addenda afterwards."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tafel.core.views import commit_or_refuse, ensure
from tafel.meetings import attendance as presence
from tafel.meetings import forms, policies
from tafel.meetings import minutes as record
from tafel.meetings.base import members
from tafel.meetings.blueprint import meetings
from tafel.meetings.models import PRESENCE_LABELS
from tafel.meetings.pages import load_item, load_meeting, render_meeting

# Attendance -------------------------------------------------------------------------


def _entered(people) -> dict[int, tuple[str, str]]:
    """The presence list as posted: user id → (presence, substitute)."""
    entered = {}
    for person in people:
        answer = request.form.get(f"presence-{person.id}") or None
        if answer is not None:
            entered[person.id] = (answer, request.form.get(f"substitute-{person.id}", ""))
    return entered


def _presence_rows(meeting, people, entered, errors) -> list[dict]:
    """One row per member: what was entered, else the recorded presence or the reply."""
    known = {a.user_id: a for a in meeting.attendance}
    rows = []
    for person in people:
        row = known.get(person.id)
        answer, substitute = entered.get(
            person.id,
            (
                (row.presence or row.rsvp) if row else None,
                (row.substitute or row.rsvp_substitute) if row else "",
            ),
        )
        rows.append(
            {
                "user": person,
                "row": row,
                "answer": answer,
                "substitute": substitute,
                "error": errors.get(person.id),
            }
        )
    return rows


def _render_attendance(meeting, people, form, entered=None, errors=None):
    errors = errors or {}
    rows = _presence_rows(meeting, people, entered or {}, errors)
    return (
        render_template(
            "meetings/attendance.html",
            meeting=meeting,
            rows=rows,
            general_error=errors.get(0),
            labels=PRESENCE_LABELS,
            form=form,
        ),
        422 if errors else 200,
    )


def _refusal_by_member(error) -> dict[int, str]:
    """The refusal under the member it concerns (0: the list as a whole)."""
    key = (error.field or "").removeprefix("presence-")
    return {int(key) if key.isdigit() else 0: error.message}


@meetings.route("/<int:meeting_id>/attendance", methods=["GET", "POST"])
@login_required
def attendance(meeting_id: int):
    meeting = load_meeting(meeting_id)
    ensure(policies.can_record(current_user, meeting))
    people, form = members(), forms.PublishForm()
    if request.method == "GET":
        return _render_attendance(meeting, people, form)
    entered = _entered(people)
    with commit_or_refuse(form) as done:
        presence.record_presence(meeting, current_user, entered)
    if done:
        flash(_("De aanwezigheid is vastgelegd."), "success")
        return redirect(url_for("meetings.detail", meeting_id=meeting_id, _anchor="attendance"))
    errors = _refusal_by_member(done.error)
    return _render_attendance(load_meeting(meeting_id), people, form, entered, errors)


@meetings.route("/<int:meeting_id>/items/<int:item_id>/discussed", methods=["POST"])
@login_required
def discussed(meeting_id: int, item_id: int):
    meeting = load_meeting(meeting_id)
    item = load_item(meeting, item_id)  # a hidden item is 404 before any 403
    ensure(policies.can_record(current_user, meeting))
    with commit_or_refuse() as done:
        moved = record.mark_discussed(item, current_user)
    if done:
        flash(
            _("Punt %(n)s is besproken; %(m)s melding(en) bijgewerkt.", n=item.position, m=moved),
            "success",
        )
    return redirect(url_for("meetings.detail", meeting_id=meeting_id, _anchor=f"item-{item_id}"))


# Minutes ----------------------------------------------------------------------------


def _render_minutes(meeting, item, form, status=200):
    return (
        render_template(
            "meetings/minutes.html",
            meeting=meeting,
            item=item,
            form=form,
            changes=record.revision_changes(item),
            locked=record.minutes_locked(meeting),
            can_edit=policies.can_record(current_user, meeting),
        ),
        status,
    )


def _base_revision(form) -> int:
    raw = form.base_revision.data or ""
    return int(raw) if raw.isascii() and raw.isdigit() else -1


def _refused_minutes(meeting_id: int, item_id: int, form, conflict: bool):
    meeting = load_meeting(meeting_id)
    item = load_item(meeting, item_id)
    if conflict:
        # The text stays as typed, now on top of the newest version: saving
        # again, having compared the two, is possible and deliberate.
        form.base_revision.data = str(item.minutes_revision)
    return _render_minutes(meeting, item, form, 422)


def _save_minutes(meeting, item, form):
    with commit_or_refuse(form) as done:
        changed = record.save_minutes(
            item, current_user, form.text.data or "", _base_revision(form)
        )
    if not done:
        conflict = not record.minutes_locked(meeting)
        return _refused_minutes(meeting.id, item.id, form, conflict)
    flash(
        _("De notulen zijn opgeslagen als versie %(n)s.", n=item.minutes_revision)
        if changed
        else _("Er was niets gewijzigd."),
        "success",
    )
    return redirect(url_for("meetings.minutes", meeting_id=meeting.id, item_id=item.id))


@meetings.route("/<int:meeting_id>/items/<int:item_id>/minutes", methods=["GET", "POST"])
@login_required
def minutes(meeting_id: int, item_id: int):
    meeting = load_meeting(meeting_id)
    item = load_item(meeting, item_id)  # 404 for a hidden item: a 403 would confirm it
    ensure(policies.can_see_minutes(current_user, meeting))
    form = forms.MinutesForm()
    if request.method == "GET":
        form.text.data, form.base_revision.data = item.minutes, str(item.minutes_revision)
        return _render_minutes(meeting, item, form)
    # The secretariat may try (and hears why not) once the minutes are approved.
    ensure(
        policies.can_record(current_user, meeting)
        or policies.can_add_addendum(current_user, meeting)
    )
    if not form.validate_on_submit():
        return _refused_minutes(meeting_id, item_id, form, conflict=False)
    return _save_minutes(meeting, item, form)


@meetings.route("/<int:meeting_id>/items/<int:item_id>/approve", methods=["POST"])
@login_required
def approve(meeting_id: int, item_id: int):
    meeting = load_meeting(meeting_id)
    item = load_item(meeting, item_id)
    ensure(policies.can_approve_minutes(current_user, item))
    with commit_or_refuse() as done:
        earlier = record.approve_minutes(item, current_user)
    if done:
        flash(_("De notulen van ‘%(title)s’ zijn vastgesteld.", title=earlier.title), "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting_id, _anchor=f"item-{item_id}"))


@meetings.route("/<int:meeting_id>/addenda", methods=["POST"])
@login_required
def addendum(meeting_id: int):
    meeting = load_meeting(meeting_id)
    ensure(policies.can_add_addendum(current_user, meeting))
    form = forms.AddendumForm()
    form.item.choices = forms.item_choices(meeting)
    if form.validate_on_submit():
        item = load_item(meeting, form.item.data) if form.item.data is not None else None
        with commit_or_refuse(form) as done:
            record.add_addendum(meeting, current_user, form.text.data, item)
        if done:
            flash(_("De aanvulling is toegevoegd aan de notulen."), "success")
            return redirect(url_for("meetings.detail", meeting_id=meeting_id, _anchor="addenda"))
    return render_meeting(load_meeting(meeting_id), 422, addendum_form=form)
