"""Submission pages: list and search, the form, the submission page with its
timeline, co-signing, comments and attachments."""

from __future__ import annotations

import csv
import io
import secrets
from contextlib import contextmanager

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from tafel import db
from tafel.core import search
from tafel.core import uploads as files
from tafel.core.exports import csv_cell
from tafel.core.forms import add_error, reference_choices
from tafel.core.pagination import paginate, paginate_ids
from tafel.core.timefmt import local_date, local_today
from tafel.reference.models import (
    ActionLine,
    Constituency,
    GovernmentLevel,
    Market,
    Ministry,
    Mission,
    Province,
    Sector,
    Technology,
    Theme,
)
from tafel.reference.services import active_choices, current_ministries
from tafel.submissions import forms, intake, policies, support, workflow
from tafel.submissions.models import STATUS_LABELS, Attachment, Comment, CoSignature, Submission
from tafel.submissions.queries import (
    Filters,
    load_for_list,
    submission_query,
    with_list_relations,
)
from tafel.submissions.search import similar_submissions
from tafel.submissions.timeline import events_for

submissions = Blueprint("submissions", __name__, url_prefix="/submissions")


@submissions.app_context_processor
def submission_helpers():
    return {"policies_can_see_submitter": lambda sub: policies.can_see_submitter(current_user, sub)}


def load_visible(sub_id: int) -> Submission:
    """The submission if the current user may see it; 404 otherwise (ids leak nothing)."""
    sub = db.session.scalar(
        select(Submission)
        .where(Submission.id == sub_id)
        .options(
            joinedload(Submission.organisation),
            joinedload(Submission.market),
            joinedload(Submission.sector),
            joinedload(Submission.theme),
            joinedload(Submission.province),
            joinedload(Submission.government_level),
            joinedload(Submission.ministry),
            selectinload(Submission.action_lines),
            selectinload(Submission.technologies),
            selectinload(Submission.missions),
        )
    )
    if sub is None or not policies.can_view(current_user, sub):
        abort(404)
    return sub


# List, search, export ---------------------------------------------------------------


def _filter_options() -> dict:
    return {
        "markets": active_choices(Market),
        "action_lines": active_choices(ActionLine),
        "technologies": active_choices(Technology),
        "missions": active_choices(Mission),
        "provinces": active_choices(Province),
        "government_levels": active_choices(GovernmentLevel),
        "ministries": active_choices(Ministry),
        "constituencies": active_choices(Constituency),
    }


@submissions.route("/")
def index():
    filters = Filters.from_args(request.args)
    ids = submission_query(current_user, filters, columns=[Submission.id])
    # With a search, finding the matches is the expensive part: do it once.
    count = (
        None
        if search.has_terms(filters.q)
        else submission_query(current_user, filters, columns=[Submission.id], ordered=False)
    )
    page = paginate_ids(ids, count, load_for_list)
    counts = support.cosign_counts([sub.id for sub in page.items])
    return render_template(
        "submissions/index.html",
        page=page,
        filters=filters,
        counts=counts,
        options=_filter_options(),
        status_labels=STATUS_LABELS,
    )


CSV_COLUMNS = ("id", "kind", "status", "title", "organisation", "market", "created", "cosign")


@submissions.route("/export.csv")
def export_csv():
    filters = Filters.from_args(request.args)
    query = with_list_relations(submission_query(current_user, filters))
    user = current_user._get_current_object()
    base = current_app.config["BASE_URL"].rstrip("/")
    header = [
        _("Nummer"), _("Soort"), _("Status"), _("Titel"), _("Organisatie"), _("Markt"),
        _("Aangemaakt"), _("Steunbetuigingen"), _("Link"),
    ]  # fmt: skip

    def rows():
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(header)
        for sub in db.session.scalars(query.execution_options(yield_per=500)):
            writer.writerow(
                [
                    csv_cell(value)
                    for value in (
                        sub.id,
                        sub.kind,
                        STATUS_LABELS[sub.status],
                        sub.title,
                        sub.organisation.name if policies.can_see_submitter(user, sub) else "",
                        sub.market.label if sub.market else "",
                        local_date(sub.created_at).isoformat(),
                        sub.cosign_count,
                        f"{base}/submissions/{sub.id}",
                    )
                ]
            )
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()

    name = f"inzendingen-{local_today().isoformat()}.csv"
    return Response(
        stream_with_context(rows()),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@submissions.route("/similar")
def similar():
    """Closest existing submissions for a title being typed (JSON)."""
    text = (request.args.get("title") or "").strip()[:200]
    exclude = request.args.get("exclude", type=int)
    found = similar_submissions(current_user, text, exclude=exclude)
    return jsonify(
        [
            {
                "id": sub.id,
                "title": sub.title,
                "status": str(STATUS_LABELS[sub.status]),
                "cosign_count": sub.cosign_count,
                "support": ngettext(
                    "%(num)d steunbetuiging", "%(num)d steunbetuigingen", sub.cosign_count
                ),
                "url": url_for("submissions.detail", sub_id=sub.id),
            }
            for sub in found
        ]
    )


@submissions.route("/mine")
@login_required
def mine():
    query = (
        select(Submission)
        .where(Submission.organisation_id == current_user.organisation_id)
        .order_by(Submission.created_at.desc(), Submission.id.desc())
    )
    page = paginate(with_list_relations(query))
    counts = support.cosign_counts([sub.id for sub in page.items])
    return render_template(
        "submissions/mine.html", page=page, counts=counts, status_labels=STATUS_LABELS
    )


# The form -----------------------------------------------------------------------------


def _form_choices(form: forms.SubmissionForm) -> None:
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
        if not storage or not storage.filename:
            continue
        try:
            uploads.append(files.validate_upload(storage, existing + len(uploads)))
        except files.UploadError as error:
            add_error(form, "attachments", str(error.message))
            return None
    return uploads


def _store_uploads(sub: Submission, uploads, user) -> list[str]:
    return [intake.add_attachment(sub, user, upload).stored_name for upload in uploads]


@contextmanager
def _files_kept_only_on_commit():
    """Files written during the block are removed again if it fails, so a
    failed request leaves no orphaned upload on disk."""
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            files.discard(name, files.upload_dir(current_app))
        raise


def _wants_submit() -> bool:
    return request.form.get("action") in ("submit", "submit_anyway")


@submissions.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = forms.SubmissionForm()
    _form_choices(form)
    if request.method == "GET":
        form.form_token.data = secrets.token_hex(16)
    similar_found = []
    if form.validate_on_submit():
        existing = intake.find_by_form_token(current_user, form.form_token.data)
        if existing is not None:
            # A second click on the same form: show what the first one made.
            return redirect(url_for("submissions.detail", sub_id=existing.id))
        uploads = _uploads(form, 0)
        if uploads is not None:
            if request.form.get("action") == "submit":
                similar_found = similar_submissions(current_user, form.title.data)
            if not similar_found:
                sub, created = intake.create_submission(
                    current_user, _content(form), form.form_token.data
                )
                if not created:
                    return redirect(url_for("submissions.detail", sub_id=sub.id))
                with _files_kept_only_on_commit() as stored:
                    stored += _store_uploads(sub, uploads, current_user)
                    if _wants_submit():
                        workflow.submit_submission(sub, current_user)
                    db.session.commit()
                if sub.status == "ingediend":
                    flash(
                        _("Uw melding is ingediend. Het secretariaat neemt haar in behandeling."),
                        "success",
                    )
                else:
                    flash(_("Uw concept is opgeslagen. U kunt het later indienen."), "success")
                return redirect(url_for("submissions.detail", sub_id=sub.id))
    status = 422 if request.method == "POST" and not similar_found else 200
    return (
        render_template("submissions/form.html", form=form, sub=None, similar=similar_found),
        status,
    )


@submissions.route("/<int:sub_id>/edit", methods=["GET", "POST"])
@login_required
def edit(sub_id: int):
    sub = load_visible(sub_id)
    if not policies.can_edit(current_user, sub):
        abort(403)
    form = forms.SubmissionForm(obj=sub)
    _form_choices(form)
    if request.method == "GET":
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
    if form.validate_on_submit():
        count = db.session.scalar(
            select(func.count(Attachment.id)).where(Attachment.submission_id == sub.id)
        )
        uploads = _uploads(form, count)
        if uploads is not None:
            intake.update_submission(sub, current_user, _content(form))
            with _files_kept_only_on_commit() as stored:
                stored += _store_uploads(sub, uploads, current_user)
                if sub.status == "concept" and _wants_submit():
                    workflow.submit_submission(sub, current_user)
                db.session.commit()
            flash(_("De wijzigingen zijn opgeslagen."), "success")
            return redirect(url_for("submissions.detail", sub_id=sub.id))
    status = 422 if request.method == "POST" else 200
    attachments = db.session.scalars(
        select(Attachment).where(Attachment.submission_id == sub.id).order_by(Attachment.id)
    ).all()
    return (
        render_template(
            "submissions/form.html", form=form, sub=sub, similar=[], attachments=attachments
        ),
        status,
    )


@submissions.route("/<int:sub_id>/submit", methods=["POST"])
@login_required
def submit(sub_id: int):
    sub = load_visible(sub_id)
    try:
        workflow.submit_submission(sub, current_user)
    except intake.SubmissionError as error:
        flash(error.message, "error")
        return redirect(url_for("submissions.detail", sub_id=sub.id))
    db.session.commit()
    flash(_("Uw melding is ingediend. Het secretariaat neemt haar in behandeling."), "success")
    return redirect(url_for("submissions.detail", sub_id=sub.id))


# The submission page --------------------------------------------------------------------


@submissions.route("/<int:sub_id>")
def detail(sub_id: int):
    sub = load_visible(sub_id)
    if sub.status == "samengevoegd" and sub.merged_into_id and not request.args.get("original"):
        target = workflow.final_target(sub)
        if target is not None and policies.can_view(current_user, target):
            flash(
                _(
                    "Melding %(id)d is samengevoegd met deze melding.",
                    id=sub.id,
                ),
                "info",
            )
            return redirect(url_for("submissions.detail", sub_id=target.id))
    return render_detail(sub)


def render_detail(sub: Submission, status: int = 200, **forms_in_error):
    user = current_user
    cosignatures = db.session.scalars(
        select(CoSignature)
        .where(CoSignature.submission_id == sub.id)
        .options(selectinload(CoSignature.organisation))
        .order_by(CoSignature.created_at)
    ).all()
    comments = db.session.scalars(
        select(Comment)
        .where(Comment.submission_id == sub.id)
        .options(selectinload(Comment.author), selectinload(Comment.organisation))
        .order_by(Comment.created_at, Comment.id)
    ).all()
    attachments = db.session.scalars(
        select(Attachment).where(Attachment.submission_id == sub.id).order_by(Attachment.id)
    ).all()
    own_cosign = next(
        (
            c
            for c in cosignatures
            if user.is_authenticated and c.organisation_id == user.organisation_id
        ),
        None,
    )
    context = {
        "sub": sub,
        "cosignatures": cosignatures,
        "counts": support.cosign_counts([sub.id]).get(sub.id, {}),
        "comments": comments,
        "attachments": attachments,
        "events": events_for(sub),
        "own_cosign": own_cosign,
        "status_labels": STATUS_LABELS,
        "policies": policies,
        "cosign_form": forms_in_error.get("cosign_form") or forms.CoSignForm(),
        "comment_form": forms_in_error.get("comment_form") or forms.CommentForm(),
        "reply_form": forms_in_error.get("reply_form") or forms.ReplyForm(),
        "hide_form": forms.HideCommentForm(),
        "constituencies": active_choices(Constituency),
    }
    if policies.can_triage(user):
        from tafel.triage.views import triage_context

        context.update(triage_context(sub, forms_in_error))
    return render_template("submissions/detail.html", **context), status


@submissions.route("/<int:sub_id>/reply", methods=["POST"])
@login_required
def reply(sub_id: int):
    sub = load_visible(sub_id)
    if not policies.can_reply(current_user, sub):
        abort(403)
    form = forms.ReplyForm()
    if form.validate_on_submit():
        try:
            workflow.reply_to_request(sub, current_user, form.reason.data)
        except intake.SubmissionError as error:
            add_error(form, error.field or "reason", error.message)
        else:
            db.session.commit()
            flash(_("Uw aanvulling is verstuurd naar het secretariaat."), "success")
            return redirect(url_for("submissions.detail", sub_id=sub.id))
    return render_detail(sub, 422, reply_form=form)


# Co-signing --------------------------------------------------------------------------------


@submissions.route("/<int:sub_id>/cosign", methods=["POST"])
@login_required
def cosign(sub_id: int):
    sub = load_visible(sub_id)
    form = forms.CoSignForm()
    if form.validate_on_submit():
        try:
            support.cosign(sub, current_user, form.evidence.data)
        except intake.SubmissionError as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(url_for("submissions.detail", sub_id=sub.id))
        db.session.commit()
        flash(_("Uw organisatie steunt nu deze melding."), "success")
        return redirect(url_for("submissions.detail", sub_id=sub.id))
    return render_detail(sub, 422, cosign_form=form)


@submissions.route("/<int:sub_id>/cosign/withdraw", methods=["POST"])
@login_required
def withdraw_cosign(sub_id: int):
    sub = load_visible(sub_id)
    try:
        support.withdraw_cosign(sub, current_user)
    except intake.SubmissionError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("De steun van uw organisatie is ingetrokken."), "success")
    return redirect(url_for("submissions.detail", sub_id=sub.id))


# Comments ---------------------------------------------------------------------------------


@submissions.route("/<int:sub_id>/comments", methods=["POST"])
@login_required
def comment(sub_id: int):
    sub = load_visible(sub_id)
    if not policies.can_comment(current_user, sub):
        abort(403)
    form = forms.CommentForm()
    if form.validate_on_submit():
        new_comment = support.add_comment(sub, current_user, form.body.data)
        db.session.commit()
        flash(_("Uw reactie is geplaatst."), "success")
        return redirect(
            url_for("submissions.detail", sub_id=sub.id, _anchor=f"comment-{new_comment.id}")
        )
    return render_detail(sub, 422, comment_form=form)


@submissions.route("/<int:sub_id>/comments/<int:comment_id>/hide", methods=["POST"])
@login_required
def hide_comment(sub_id: int, comment_id: int):
    sub = load_visible(sub_id)
    if not policies.can_moderate(current_user):
        abort(403)
    found = db.session.get(Comment, comment_id)
    if found is None or found.submission_id != sub.id:
        abort(404)
    form = forms.HideCommentForm()
    if form.validate_on_submit():
        support.hide_comment(found, current_user, form.reason.data)
        db.session.commit()
        flash(_("De reactie is verborgen."), "success")
    else:
        flash(_("Geef de reden waarom de reactie wordt verborgen."), "error")
    return redirect(url_for("submissions.detail", sub_id=sub.id, _anchor=f"comment-{comment_id}"))


# Attachments ------------------------------------------------------------------------------


@submissions.route("/<int:sub_id>/attachments/<int:attachment_id>")
def attachment(sub_id: int, attachment_id: int):
    sub = load_visible(sub_id)
    row = db.session.get(Attachment, attachment_id)
    if row is None or row.submission_id != sub.id:
        abort(404)
    return files.send_stored(row, files.upload_dir(current_app))


@submissions.route("/<int:sub_id>/attachments/<int:attachment_id>/delete", methods=["POST"])
@login_required
def delete_attachment(sub_id: int, attachment_id: int):
    sub = load_visible(sub_id)
    if not policies.can_edit(current_user, sub):
        abort(403)
    row = db.session.get(Attachment, attachment_id)
    if row is None or row.submission_id != sub.id:
        abort(404)
    stored_name = intake.remove_attachment(sub, current_user, row)
    db.session.commit()
    files.discard(stored_name, files.upload_dir(current_app))
    flash(_("De bijlage %(name)s is verwijderd.", name=row.original_name), "success")
    return redirect(url_for("submissions.edit", sub_id=sub.id))
