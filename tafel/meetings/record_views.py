"""During and after the meeting: presence, items discussed, minutes with
their revisions, approval at a later meeting and addenda afterwards."""

from __future__ import annotations

import difflib
import re

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tafel import db
from tafel.core.forms import add_error
from tafel.meetings import forms, policies, services
from tafel.meetings.views import guard, load_item, load_meeting, meetings, render_meeting


@meetings.route("/<int:meeting_id>/attendance", methods=["GET", "POST"])
@login_required
def attendance(meeting_id: int):
    meeting = load_meeting(meeting_id)
    guard(policies.can_record(current_user, meeting))
    people = services.members()
    known = {a.user_id: a for a in meeting.attendance}
    errors: dict[int, str] = {}
    entered: dict[int, tuple[str, str]] = {}
    if request.method == "POST":
        for person in people:
            answer = request.form.get(f"presence-{person.id}") or None
            if answer is not None:
                entered[person.id] = (answer, request.form.get(f"substitute-{person.id}", ""))
        try:
            services.record_presence(meeting, current_user, entered)
        except services.MeetingError as error:
            db.session.rollback()
            key = (error.field or "").removeprefix("presence-")
            errors[int(key) if key.isdigit() else 0] = error.message
        else:
            db.session.commit()
            flash(_("De aanwezigheid is vastgelegd."), "success")
            return redirect(url_for("meetings.detail", meeting_id=meeting_id, _anchor="attendance"))
        meeting = load_meeting(meeting_id)
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
    return (
        render_template(
            "meetings/attendance.html",
            meeting=meeting,
            rows=rows,
            general_error=errors.get(0),
            labels=services.PRESENCE_LABELS,
            form=forms.PublishForm(),
        ),
        422 if errors else 200,
    )


@meetings.route("/<int:meeting_id>/items/<int:item_id>/discussed", methods=["POST"])
@login_required
def discussed(meeting_id: int, item_id: int):
    meeting = load_meeting(meeting_id)
    guard(policies.can_record(current_user, meeting))
    item = load_item(meeting, item_id)
    try:
        moved = services.mark_discussed(item, current_user)
    except services.MeetingError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(
            _("Punt %(n)s is besproken; %(m)s melding(en) bijgewerkt.", n=item.position, m=moved),
            "success",
        )
    return redirect(url_for("meetings.detail", meeting_id=meeting_id, _anchor=f"item-{item_id}"))


# Minutes ----------------------------------------------------------------------------

_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """A readable diff: (op, text) pairs, op one of '=', '-', '+', by words."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    parts: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(("=", "".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            parts.append(("-", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            parts.append(("+", "".join(b[j1:j2])))
    return parts


def _render_minutes(meeting, item, form, status=200):
    history = services.revisions(item)
    changes = []
    for index, revision in enumerate(history):
        previous = history[index + 1].text if index + 1 < len(history) else ""
        changes.append((revision, word_diff(previous, revision.text)))
    return (
        render_template(
            "meetings/minutes.html",
            meeting=meeting,
            item=item,
            form=form,
            changes=changes,
            locked=services.minutes_locked(meeting),
            can_edit=policies.can_record(current_user, meeting),
        ),
        status,
    )


@meetings.route("/<int:meeting_id>/items/<int:item_id>/minutes", methods=["GET", "POST"])
@login_required
def minutes(meeting_id: int, item_id: int):
    meeting = load_meeting(meeting_id)
    guard(policies.can_see_minutes(current_user, meeting))
    item = load_item(meeting, item_id)
    form = forms.MinutesForm()
    if request.method == "GET":
        form.text.data = item.minutes
        form.base_revision.data = str(item.minutes_revision)
        return _render_minutes(meeting, item, form)
    # The secretariat may try (and hears why not) once the minutes are approved.
    guard(
        policies.can_record(current_user, meeting)
        or policies.can_add_addendum(current_user, meeting)
    )
    conflict = False
    if form.validate_on_submit():
        raw = form.base_revision.data or ""
        base = int(raw) if raw.isascii() and raw.isdigit() else -1
        try:
            changed = services.save_minutes(item, current_user, form.text.data or "", base)
        except services.MeetingError as error:
            db.session.rollback()
            add_error(form, "text", error.message)
            conflict = not services.minutes_locked(meeting)
        else:
            db.session.commit()
            flash(
                _("De notulen zijn opgeslagen als versie %(n)s.", n=item.minutes_revision)
                if changed
                else _("Er was niets gewijzigd."),
                "success",
            )
            return redirect(url_for("meetings.minutes", meeting_id=meeting_id, item_id=item_id))
    meeting = load_meeting(meeting_id)
    item = load_item(meeting, item_id)
    if conflict:
        # The text stays as typed, now on top of the newest version: saving
        # again, having compared the two, is possible and deliberate.
        form.base_revision.data = str(item.minutes_revision)
    return _render_minutes(meeting, item, form, 422)


@meetings.route("/<int:meeting_id>/items/<int:item_id>/approve", methods=["POST"])
@login_required
def approve(meeting_id: int, item_id: int):
    meeting = load_meeting(meeting_id)
    item = load_item(meeting, item_id)
    guard(policies.can_approve_minutes(current_user, item))
    try:
        earlier = services.approve_minutes(item, current_user)
    except services.MeetingError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("De notulen van ‘%(title)s’ zijn vastgesteld.", title=earlier.title), "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting_id, _anchor=f"item-{item_id}"))


@meetings.route("/<int:meeting_id>/addenda", methods=["POST"])
@login_required
def addendum(meeting_id: int):
    meeting = load_meeting(meeting_id)
    guard(policies.can_add_addendum(current_user, meeting))
    form = forms.AddendumForm()
    form.item.choices = [("", "")] + [(item.id, item.title) for item in meeting.items]
    if form.validate_on_submit():
        item = load_item(meeting, form.item.data) if form.item.data is not None else None
        try:
            services.add_addendum(meeting, current_user, form.text.data, item)
        except services.MeetingError as error:
            db.session.rollback()
            add_error(form, "text", error.message)
        else:
            db.session.commit()
            flash(_("De aanvulling is toegevoegd aan de notulen."), "success")
            return redirect(url_for("meetings.detail", meeting_id=meeting_id, _anchor="addenda"))
    return render_meeting(load_meeting(meeting_id), 422, addendum_form=form)
