"""The secretariat's triage inbox and the transitions it performs."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tafel import db
from tafel.core.forms import add_error, reference_choices
from tafel.core.pagination import paginate_ids
from tafel.core.permissions import requires
from tafel.core.timefmt import local_date, local_today
from tafel.core.workdays import working_days_between
from tafel.reference.models import ActionLine, Market, Ministry
from tafel.reference.services import active_choices, current_ministries
from tafel.submissions import forms, intake, policies, workflow
from tafel.submissions.models import STATUS_LABELS, Submission

triage = Blueprint("triage", __name__, url_prefix="/triage")

INBOX_STATUSES = ("ingediend", "in_behandeling", "aanvulling_gevraagd")


@triage.route("/")
@requires(policies.can_triage)
def inbox():
    waiting = Submission.status.in_(INBOX_STATUSES)
    page = paginate_ids(
        select(Submission.id).where(waiting).order_by(Submission.submitted_at, Submission.id),
        select(Submission.id).where(waiting),
        lambda ids: db.session.scalars(
            select(Submission)
            .where(Submission.id.in_(ids))
            .options(joinedload(Submission.organisation))
        ).all(),
    )
    today = local_today()
    target = current_app.config["TRIAGE_TARGET_DAYS"]
    ages = {
        sub.id: working_days_between(local_date(sub.submitted_at or sub.created_at), today)
        for sub in page.items
    }
    return render_template(
        "triage/inbox.html",
        page=page,
        ages=ages,
        target=target,
        status_labels=STATUS_LABELS,
    )


def _accept_form(sub: Submission, form=None) -> forms.AcceptForm:
    form = form or forms.AcceptForm(prefix="accept")
    form.market.choices = reference_choices(active_choices(Market), blank=_("Kies een markt"))
    form.action_lines.choices = reference_choices(active_choices(ActionLine))
    form.ministry.choices = reference_choices(
        current_ministries(local_today()), blank=_("Kies een ministerie")
    )
    # Prefill unless this request posted the accept form itself.
    if not any(key.startswith("accept-") for key in request.form):
        form.market.data = sub.market_id
        form.action_lines.data = [line.id for line in sub.action_lines]
        form.ministry.data = sub.ministry_id
        form.deadline.data = workflow.default_deadline()
    return form


def triage_context(sub: Submission, forms_in_error: dict) -> dict:
    return {
        "triage_actions": workflow.allowed_actions(sub),
        "accept_form": forms_in_error.get("accept_form") or _accept_form(sub),
        "info_form": forms_in_error.get("info_form") or forms.InfoRequestForm(prefix="info"),
        "decline_form": forms_in_error.get("decline_form") or forms.DeclineForm(prefix="decline"),
        "merge_form": forms_in_error.get("merge_form") or forms.MergeForm(prefix="merge"),
    }


def _load(sub_id: int) -> Submission:
    from tafel.submissions.views import load_visible

    return load_visible(sub_id)


def _done(sub: Submission, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("submissions.detail", sub_id=sub.id))


def _refused(sub: Submission, error: intake.SubmissionError):
    db.session.rollback()
    flash(error.message, "error")
    return redirect(url_for("submissions.detail", sub_id=sub.id))


def _again(sub: Submission, **form_in_error):
    from tafel.submissions.views import render_detail

    db.session.rollback()
    flash(_("Controleer het formulier bij ‘Behandeling door het secretariaat’."), "error")
    return render_detail(sub, 422, **form_in_error)


@triage.route("/<int:sub_id>/take", methods=["POST"])
@requires(policies.can_triage)
def take(sub_id: int):
    sub = _load(sub_id)
    try:
        workflow.take_submission(sub, current_user)
    except intake.SubmissionError as error:
        return _refused(sub, error)
    return _done(sub, _("De melding is in behandeling genomen."))


@triage.route("/<int:sub_id>/request-info", methods=["POST"])
@requires(policies.can_triage)
def request_info(sub_id: int):
    sub = _load(sub_id)
    form = forms.InfoRequestForm(prefix="info")
    if not form.validate_on_submit():
        return _again(sub, info_form=form)
    try:
        workflow.request_information(sub, current_user, form.reason.data)
    except intake.SubmissionError as error:
        return _refused(sub, error)
    return _done(sub, _("De vraag om aanvulling is naar de indiener gestuurd."))


@triage.route("/<int:sub_id>/accept", methods=["POST"])
@requires(policies.can_triage)
def accept(sub_id: int):
    sub = _load(sub_id)
    form = _accept_form(sub, forms.AcceptForm(prefix="accept"))
    if not form.validate_on_submit():
        return _again(sub, accept_form=form)
    try:
        workflow.accept_submission(
            sub,
            current_user,
            market=db.session.get(Market, form.market.data),
            action_lines=list(
                db.session.scalars(
                    select(ActionLine).where(ActionLine.id.in_(form.action_lines.data or []))
                )
            ),
            ministry=db.session.get(Ministry, form.ministry.data),
            deadline=form.deadline.data,
            note=form.note.data,
        )
    except intake.SubmissionError as error:
        if error.field:
            add_error(form, error.field, error.message)
            return _again(sub, accept_form=form)
        return _refused(sub, error)
    return _done(sub, _("De melding is aanvaard."))


@triage.route("/<int:sub_id>/merge", methods=["POST"])
@requires(policies.can_triage)
def merge(sub_id: int):
    sub = _load(sub_id)
    form = forms.MergeForm(prefix="merge")
    if not form.validate_on_submit():
        return _again(sub, merge_form=form)
    target = db.session.get(Submission, form.target.data)
    if target is None or not policies.can_view(current_user, target):
        add_error(form, "target", _("Er is geen melding met dit nummer."))
        return _again(sub, merge_form=form)
    try:
        workflow.merge_submission(sub, target, current_user, form.note.data)
    except intake.SubmissionError as error:
        if error.field:
            add_error(form, error.field, error.message)
            return _again(sub, merge_form=form)
        return _refused(sub, error)
    db.session.commit()
    flash(_("Melding %(id)d is samengevoegd met deze melding.", id=sub.id), "success")
    return redirect(url_for("submissions.detail", sub_id=target.id))


@triage.route("/<int:sub_id>/decline", methods=["POST"])
@requires(policies.can_triage)
def decline(sub_id: int):
    sub = _load(sub_id)
    form = forms.DeclineForm(prefix="decline")
    if not form.validate_on_submit():
        return _again(sub, decline_form=form)
    try:
        workflow.decline_submission(sub, current_user, form.reason.data)
    except intake.SubmissionError as error:
        return _refused(sub, error)
    return _done(sub, _("De melding is niet ontvankelijk verklaard."))
