"""The report form: a new report (with the similar-report check before
submitting), editing one, submitting a concept and its attachments."""

from __future__ import annotations

import secrets

from flask import flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from tafel import db
from tafel.core import uploads as files
from tafel.core.errors import ServiceError
from tafel.core.forms import add_error, reference_choices
from tafel.core.timefmt import local_today
from tafel.core.views import Outcome, commit_or_refuse, ensure
from tafel.reference.models import (
    ActionLine,
    GovernmentLevel,
    Market,
    Mission,
    Province,
    Sector,
    Technology,
    Theme,
)
from tafel.reference.services import active_choices, current_ministries
from tafel.submissions import forms, intake, policies, workflow
from tafel.submissions.blueprint import submissions
from tafel.submissions.models import Attachment, Submission
from tafel.submissions.pages import attachments_of, load_visible, to_detail
from tafel.submissions.search import similar_submissions


def _submitted_message() -> str:
    return _("Uw melding is ingediend. Het secretariaat neemt haar in behandeling.")


def _submission_form(**kwargs) -> forms.SubmissionForm:
    form = forms.SubmissionForm(**kwargs)
    blank = _("Niet van toepassing")
    form.market.choices = reference_choices(active_choices(Market), blank=blank)
    form.sector.choices = reference_choices(active_choices(Sector), blank=blank)
    form.theme.choices = reference_choices(active_choices(Theme), blank=blank)
    form.province.choices = reference_choices(active_choices(Province), blank=blank)
    form.government_level.choices = reference_choices(active_choices(GovernmentLevel), blank=blank)
    form.ministry.choices = reference_choices(current_ministries(local_today()), blank=blank)
    form.action_lines.choices = reference_choices(active_choices(ActionLine))
    form.technologies.choices = reference_choices(active_choices(Technology))
    form.missions.choices = reference_choices(active_choices(Mission))
    return form


def _prefill(form: forms.SubmissionForm, sub: Submission) -> None:
    """The references of a report into the form (the field names differ from the columns)."""
    form.market.data = sub.market_id
    form.sector.data = sub.sector_id
    form.theme.data = sub.theme_id
    form.province.data = sub.province_id
    form.government_level.data = sub.government_level_id
    form.ministry.data = sub.ministry_id
    form.action_lines.data = [a.id for a in sub.action_lines]
    form.technologies.data = [t.id for t in sub.technologies]
    form.missions.data = [m.id for m in sub.missions]
    form.impact_type.data = sub.impact_type or ""


def _content(form: forms.SubmissionForm) -> dict:
    def many(model, ids):
        if not ids:
            return []
        return list(db.session.scalars(select(model).where(model.id.in_(ids))))

    return {
        "kind": form.kind.data,
        "title": form.title.data,
        "summary": form.summary.data,
        "body": form.body.data or "",
        "proposed_solution": form.proposed_solution.data or "",
        "market_id": form.market.data,
        "sector_id": form.sector.data,
        "theme_id": form.theme.data,
        "province_id": form.province.data,
        "government_level_id": form.government_level.data,
        "regulation_name": form.regulation_name.data or None,
        "regulation_identifier": form.regulation_identifier.data or None,
        "regulation_article": form.regulation_article.data or None,
        "ministry_id": form.ministry.data,
        "impact_type": form.impact_type.data or None,
        "impact_euro": form.impact_euro.data,
        "impact_delay_months": form.impact_delay_months.data,
        "visibility": form.visibility.data,
        "show_organisation": bool(form.show_organisation.data),
        "action_lines": many(ActionLine, form.action_lines.data),
        "technologies": many(Technology, form.technologies.data),
        "missions": many(Mission, form.missions.data),
    }


def _uploads(form, existing: int) -> list[files.ValidatedUpload] | None:
    """Validate the files sent with the form; None when one is refused."""
    uploads = []
    for storage in form.attachments.data or []:
        if not storage or not getattr(storage, "filename", True):
            continue  # an empty file input; a plain text field is refused below
        try:
            uploads.append(files.validate_upload(storage, existing + len(uploads)))
        except ServiceError as error:
            add_error(form, "attachments", str(error.message))
            return None
    return uploads


def _wants_submit() -> bool:
    return request.form.get("action") in ("submit", "submit_anyway")


def _save(form, sub: Submission, uploads, *, submit: bool, change=None) -> Outcome:
    """Apply `change`, store the uploads and (when asked) submit, in one commit.
    The files are moved into place only by that commit (tafel.core.filetx), so
    a refused or failed request leaves no file behind; a full or read-only
    upload folder gives the form back with its message at the file field."""
    with commit_or_refuse(form) as done:
        if change is not None:
            change()
        for upload in uploads:
            intake.add_attachment(sub, current_user, upload)
        if submit:
            workflow.submit_submission(sub, current_user)
    return done


def _render_form(form, sub: Submission | None, status: int, **context):
    return render_template("submissions/form.html", form=form, sub=sub, **context), status


# New, edit, submit -------------------------------------------------------------------


def _create(form, uploads):
    """Make the report; the redirect to its page, or None when refused."""
    sub, created = intake.create_submission(current_user, _content(form), form.form_token.data)
    if not created:
        return to_detail(sub)
    if not _save(form, sub, uploads, submit=_wants_submit()):
        return None
    if sub.status == "ingediend":
        flash(_submitted_message(), "success")
    else:
        flash(_("Uw concept is opgeslagen. U kunt het later indienen."), "success")
    return to_detail(sub)


@submissions.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = _submission_form()
    if request.method == "GET":
        form.form_token.data = secrets.token_hex(16)
    similar_found = []
    if form.validate_on_submit():
        existing = intake.find_by_form_token(current_user, form.form_token.data)
        if existing is not None:
            # A second click on the same form: show what the first one made.
            return to_detail(existing)
        uploads = _uploads(form, 0)
        if uploads is not None:
            if request.form.get("action") == "submit":
                similar_found = similar_submissions(current_user, form.title.data)
            if not similar_found and (made := _create(form, uploads)) is not None:
                return made
    status = 422 if request.method == "POST" and not similar_found else 200
    return _render_form(form, None, status, similar=similar_found)


def _attachment_count(sub: Submission) -> int:
    return db.session.scalar(
        select(func.count(Attachment.id)).where(Attachment.submission_id == sub.id)
    )


@submissions.route("/<int:sub_id>/edit", methods=["GET", "POST"])
@login_required
def edit(sub_id: int):
    sub = load_visible(sub_id)
    ensure(policies.can_edit(current_user, sub))
    form = _submission_form(obj=sub)
    if request.method == "GET":
        _prefill(form, sub)
    if form.validate_on_submit():
        uploads = _uploads(form, _attachment_count(sub))
        submit = sub.status == "concept" and _wants_submit()
        if uploads is not None and _save(
            form, sub, uploads, submit=submit,
            change=lambda: intake.update_submission(sub, current_user, _content(form)),
        ):  # fmt: skip
            flash(_("De wijzigingen zijn opgeslagen."), "success")
            return to_detail(sub)
    status = 422 if request.method == "POST" else 200
    return _render_form(form, sub, status, similar=[], attachments=attachments_of(sub))


@submissions.route("/<int:sub_id>/submit", methods=["POST"])
@login_required
def submit(sub_id: int):
    sub = load_visible(sub_id)
    with commit_or_refuse() as done:
        workflow.submit_submission(sub, current_user)
    if done:
        flash(_submitted_message(), "success")
    return to_detail(sub)
