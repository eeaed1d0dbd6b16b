"""The secretariat's triage inbox (/triage/) and the transitions it performs
on a report; the forms are shown on the report page (pages.triage_context)."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tafel import db
from tafel.core.forms import add_error
from tafel.core.pagination import paginate_ids
from tafel.core.permissions import requires
from tafel.core.timefmt import local_date, local_today
from tafel.core.views import Outcome, commit_or_refuse
from tafel.core.workdays import working_days_between
from tafel.reference.models import ActionLine, Market, Ministry, Sector, Theme
from tafel.reference.services import active_choices
from tafel.submissions import forms, policies, workflow
from tafel.submissions.blueprint import triage
from tafel.submissions.models import STATUS_LABELS, Submission
from tafel.submissions.pages import accept_form, load_visible, render_detail, to_detail

INBOX_STATUSES = ("ingediend", "in_behandeling", "aanvulling_gevraagd")


def _inbox_page(sector: int | None, theme: int | None):
    waiting: list[Any] = [Submission.status.in_(INBOX_STATUSES)]
    if sector:
        waiting.append(Submission.sector_id == sector)
    if theme:
        waiting.append(Submission.theme_id == theme)
    return paginate_ids(
        select(Submission.id).where(*waiting).order_by(Submission.submitted_at, Submission.id),
        select(Submission.id).where(*waiting),
        lambda ids: list(
            db.session.scalars(
                select(Submission)
                .where(Submission.id.in_(ids))
                .options(joinedload(Submission.organisation))
            )
        ),
    )


@triage.route("/")
@requires(policies.can_triage)
def inbox():
    sector, theme = request.args.get("sector", type=int), request.args.get("theme", type=int)
    page = _inbox_page(sector, theme)
    today = local_today()
    ages = {
        sub.id: working_days_between(local_date(sub.submitted_at or sub.created_at), today)
        for sub in page.items
    }
    return render_template(
        "triage/inbox.html",
        page=page,
        ages=ages,
        target=current_app.config["TRIAGE_TARGET_DAYS"],
        status_labels=STATUS_LABELS,
        sectors=active_choices(Sector),
        themes=active_choices(Theme),
        chosen={"sector": sector, "theme": theme},
    )


def _again(sub: Submission, **form_in_error):
    """The report page again, with the triage form that needs correcting."""
    flash(_("Controleer het formulier bij ‘Behandeling door het secretariaat’."), "error")
    return render_detail(sub, 422, **form_in_error)


def _refused(sub: Submission, done: Outcome, **form_in_error):
    """A refusal about a field goes back to the form; any other to a message."""
    if done.error.field:
        return _again(sub, **form_in_error)
    flash(done.error.message, "error")
    return to_detail(sub)


@triage.route("/<int:sub_id>/take", methods=["POST"])
@requires(policies.can_triage)
def take(sub_id: int):
    sub = load_visible(sub_id)
    with commit_or_refuse() as done:
        workflow.take_submission(sub, current_user)
    if done:
        flash(_("De melding is in behandeling genomen."), "success")
    return to_detail(sub)


@triage.route("/<int:sub_id>/request-info", methods=["POST"])
@requires(policies.can_triage)
def request_info(sub_id: int):
    sub = load_visible(sub_id)
    form = forms.InfoRequestForm(prefix="info")
    if not form.validate_on_submit():
        return _again(sub, info_form=form)
    with commit_or_refuse() as done:
        workflow.request_information(sub, current_user, form.reason.data)
    if done:
        flash(_("De vraag om aanvulling is naar de indiener gestuurd."), "success")
    return to_detail(sub)


def _accept(sub: Submission, form: forms.AcceptForm) -> None:
    lines = select(ActionLine).where(ActionLine.id.in_(form.action_lines.data or []))
    workflow.accept_submission(
        sub,
        current_user,
        market=db.session.get(Market, form.market.data),
        action_lines=list(db.session.scalars(lines)),
        ministry=db.session.get(Ministry, form.ministry.data),
        deadline=form.deadline.data,
        note=form.note.data,
    )


@triage.route("/<int:sub_id>/accept", methods=["POST"])
@requires(policies.can_triage)
def accept(sub_id: int):
    sub = load_visible(sub_id)
    form = accept_form(sub, forms.AcceptForm(prefix="accept"))
    if not form.validate_on_submit():
        return _again(sub, accept_form=form)
    with commit_or_refuse(form) as done:
        _accept(sub, form)
    if not done:
        return _refused(sub, done, accept_form=form)
    flash(_("De melding is aanvaard."), "success")
    return to_detail(sub)


@triage.route("/<int:sub_id>/merge", methods=["POST"])
@requires(policies.can_triage)
def merge(sub_id: int):
    sub = load_visible(sub_id)
    form = forms.MergeForm(prefix="merge")
    if not form.validate_on_submit():
        return _again(sub, merge_form=form)
    target = db.session.get(Submission, form.target.data)
    if target is None or not policies.can_view(current_user, target):
        add_error(form, "target", _("Er is geen melding met dit nummer."))
        return _again(sub, merge_form=form)
    with commit_or_refuse(form) as done:
        workflow.merge_submission(sub, target, current_user, form.note.data)
    if not done:
        return _refused(sub, done, merge_form=form)
    flash(_("Melding %(id)d is samengevoegd met deze melding.", id=sub.id), "success")
    return to_detail(target)


@triage.route("/<int:sub_id>/decline", methods=["POST"])
@requires(policies.can_triage)
def decline(sub_id: int):
    sub = load_visible(sub_id)
    form = forms.DeclineForm(prefix="decline")
    if not form.validate_on_submit():
        return _again(sub, decline_form=form)
    with commit_or_refuse() as done:
        workflow.decline_submission(sub, current_user, form.reason.data)
    if done:
        flash(_("De melding is niet ontvankelijk verklaard."), "success")
    return to_detail(sub)
