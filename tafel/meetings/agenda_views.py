"""The agenda builder: items in order with keyboard-operable controls, the
running total against the meeting's length, linked submissions and
documents, and the panel of submissions ready to be scheduled."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tafel import db
from tafel.core.forms import add_error
from tafel.core.views import commit_or_refuse, ensure
from tafel.meetings import agenda, documents, forms, policies
from tafel.meetings.blueprint import meetings
from tafel.meetings.models import KIND_LABELS, STATUS_LABELS
from tafel.meetings.pages import load_item, load_meeting
from tafel.submissions import policies as submission_policies
from tafel.submissions.models import STATUS_LABELS as SUBMISSION_STATUS
from tafel.submissions.models import Submission


def _editable(meeting_id: int):
    meeting = load_meeting(meeting_id)
    ensure(policies.can_edit(current_user, meeting))
    return meeting


def _item_options(meeting) -> list[tuple]:
    return [(item.id, f"{item.position}. {item.title}") for item in meeting.items]


def render_agenda(meeting, status: int = 200, item_form=None, document_form=None, focus=None):
    item_form = item_form or forms.ItemForm()
    document_form = document_form or forms.DocumentForm()
    document_form.item.choices = forms.item_choices(meeting, _("De vergadering als geheel"))
    total = agenda.total_minutes(meeting)
    return (
        render_template(
            "meetings/agenda.html",
            meeting=meeting,
            slots=agenda.timetable(meeting),
            total=total,
            over=total - meeting.length_minutes,
            item_form=item_form,
            document_form=document_form,
            ready=agenda.ready_to_schedule(),
            item_choices=[("", _("Nieuw agendapunt"))] + _item_options(meeting),
            kinds=KIND_LABELS,
            labels=STATUS_LABELS,
            submission_status=SUBMISSION_STATUS,
            focus=focus,
        ),
        status,
    )


@meetings.route("/<int:meeting_id>/agenda", endpoint="agenda")
@login_required
def agenda_page(meeting_id: int):
    return render_agenda(_editable(meeting_id), focus=request.args.get("focus"))


@meetings.route("/<int:meeting_id>/items", methods=["POST"])
@login_required
def add_item(meeting_id: int):
    meeting = _editable(meeting_id)
    form = forms.ItemForm()
    if form.validate_on_submit():
        with commit_or_refuse(form) as done:
            item = agenda.add_item(meeting, current_user, **form.values())
        if done:
            flash(_("Het punt ‘%(title)s’ staat op de agenda.", title=item.title), "success")
            return redirect(url_for("meetings.agenda", meeting_id=meeting_id, _anchor="agenda"))
    return render_agenda(load_meeting(meeting_id), 422, item_form=form)


@meetings.route("/<int:meeting_id>/items/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_item(meeting_id: int, item_id: int):
    meeting = _editable(meeting_id)
    item = load_item(meeting, item_id)
    form = forms.ItemForm(obj=item)
    if request.method == "POST" and form.validate_on_submit():
        with commit_or_refuse(form) as done:
            agenda.update_item(item, current_user, **form.values())
        if done:
            flash(_("Het agendapunt is opgeslagen."), "success")
            return redirect(url_for("meetings.agenda", meeting_id=meeting_id, _anchor="agenda"))
    if request.method == "GET":
        return _render_item(meeting, item, form, forms.LinkForm(prefix="link"), 200)
    meeting = load_meeting(meeting_id)
    return _render_item(
        meeting, load_item(meeting, item_id), form, forms.LinkForm(prefix="link"), 422
    )


def _render_item(meeting, item, form, link_form, status):
    return (
        render_template(
            "meetings/item_form.html",
            meeting=meeting,
            item=item,
            form=form,
            link_form=link_form,
            submission_status=SUBMISSION_STATUS,
        ),
        status,
    )


@meetings.route("/<int:meeting_id>/items/<int:item_id>/move", methods=["POST"])
@login_required
def move_item(meeting_id: int, item_id: int):
    meeting = _editable(meeting_id)
    item = load_item(meeting, item_id)
    step = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if step is None:
        abort(400)
    with commit_or_refuse() as done:
        agenda.move_item(item, step)
    if done:
        flash(_("‘%(title)s’ is nu punt %(n)s.", title=item.title, n=item.position), "success")
    # Keep the keyboard where it was: back on the same button of the moved item.
    return redirect(
        url_for(
            "meetings.agenda",
            meeting_id=meeting_id,
            focus=f"move-{request.form['direction']}-{item.id}",
        )
    )


@meetings.route("/<int:meeting_id>/items/<int:item_id>/delete", methods=["POST"])
@login_required
def delete_item(meeting_id: int, item_id: int):
    meeting = _editable(meeting_id)
    item = load_item(meeting, item_id)
    title = item.title
    with commit_or_refuse() as done:
        agenda.delete_item(item, current_user)
    if done:
        flash(_("Het punt ‘%(title)s’ is van de agenda gehaald.", title=title), "success")
    return redirect(url_for("meetings.agenda", meeting_id=meeting_id, _anchor="agenda"))


def _linkable(sub_id) -> Submission | None:
    sub = db.session.get(Submission, sub_id) if isinstance(sub_id, int) else None
    if sub is None or not submission_policies.can_view(current_user, sub):
        return None
    return sub


def _link(item, link_form) -> bool:
    """Link the submission named in the form; False with the reason on the form."""
    sub = _linkable(link_form.submission.data)
    if sub is None:
        add_error(link_form, "submission", _("Er is geen melding met dit nummer."))
        return False
    with commit_or_refuse(link_form) as done:
        agenda.link_submission(item, sub, current_user)
    return bool(done)


@meetings.route("/<int:meeting_id>/items/<int:item_id>/link", methods=["POST"])
@login_required
def link(meeting_id: int, item_id: int):
    meeting = _editable(meeting_id)
    item = load_item(meeting, item_id)
    link_form = forms.LinkForm(prefix="link")
    if link_form.validate_on_submit() and _link(item, link_form):
        flash(_("De melding is aan het agendapunt gekoppeld."), "success")
        return redirect(url_for("meetings.edit_item", meeting_id=meeting_id, item_id=item_id))
    meeting = load_meeting(meeting_id)
    item = load_item(meeting, item_id)
    return _render_item(meeting, item, forms.ItemForm(obj=item), link_form, 422)


@meetings.route("/<int:meeting_id>/items/<int:item_id>/unlink/<int:sub_id>", methods=["POST"])
@login_required
def unlink(meeting_id: int, item_id: int, sub_id: int):
    meeting = _editable(meeting_id)
    item = load_item(meeting, item_id)
    sub = next((link.submission for link in item.links if link.submission_id == sub_id), None)
    if sub is None:
        abort(404)
    with commit_or_refuse() as done:
        agenda.unlink(item, sub, current_user)
    if done:
        flash(_("De melding is losgekoppeld."), "success")
    return redirect(url_for("meetings.edit_item", meeting_id=meeting_id, item_id=item_id))


def _ready_submission(form) -> Submission:
    raw = form.submission.data or ""
    sub = _linkable(int(raw)) if raw.isascii() and raw.isdigit() else None
    if sub is None:
        abort(404)
    return sub


@meetings.route("/<int:meeting_id>/schedule", methods=["POST"])
@login_required
def schedule(meeting_id: int):
    """From the ready-to-schedule panel."""
    meeting = _editable(meeting_id)
    form = forms.ScheduleForm()
    form.item.choices = forms.item_choices(meeting)
    if not form.validate_on_submit():
        abort(400)
    sub = _ready_submission(form)
    item = load_item(meeting, form.item.data) if form.item.data is not None else None
    with commit_or_refuse() as done:
        item = agenda.schedule_ready(meeting, sub, current_user, item)
    if not done:
        return redirect(url_for("meetings.agenda", meeting_id=meeting_id, _anchor="ready"))
    flash(_("‘%(sub)s’ staat nu bij punt %(n)s.", sub=sub.title, n=item.position), "success")
    return redirect(url_for("meetings.agenda", meeting_id=meeting_id, focus="ready"))


# Documents --------------------------------------------------------------------------


def _store_document(meeting, form) -> bool:
    """Check and store the upload; the file is moved into place by the commit
    (tafel.core.filetx), so a refused or failed request leaves none behind."""
    item = load_item(meeting, form.item.data) if form.item.data is not None else None
    with commit_or_refuse(form) as done:
        upload = documents.validate(form.file.data, meeting)
        documents.add(meeting, current_user, upload, form.visibility.data, item)
    return bool(done)


@meetings.route("/<int:meeting_id>/documents", methods=["POST"])
@login_required
def add_document(meeting_id: int):
    meeting = _editable(meeting_id)
    form = forms.DocumentForm()
    form.item.choices = forms.item_choices(meeting)
    if form.validate_on_submit() and _store_document(meeting, form):
        flash(_("Het document is toegevoegd."), "success")
        return redirect(url_for("meetings.agenda", meeting_id=meeting_id, _anchor="documents"))
    return render_agenda(load_meeting(meeting_id), 422, document_form=form)


@meetings.route("/<int:meeting_id>/documents/<int:document_id>")
def document(meeting_id: int, document_id: int):
    meeting = load_meeting(meeting_id)
    row = next((d for d in meeting.documents if d.id == document_id), None)
    if row is None or not policies.can_see_document(current_user, row):
        abort(404)
    return documents.send(row)


@meetings.route("/<int:meeting_id>/documents/<int:document_id>/delete", methods=["POST"])
@login_required
def delete_document(meeting_id: int, document_id: int):
    meeting = _editable(meeting_id)
    row = next((d for d in meeting.documents if d.id == document_id), None)
    if row is None:
        abort(404)
    with commit_or_refuse() as done:
        documents.remove(row, current_user)  # the file goes with the commit
    if done:
        flash(_("Het document is verwijderd."), "success")
    return redirect(url_for("meetings.agenda", meeting_id=meeting_id, _anchor="documents"))
