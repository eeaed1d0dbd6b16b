"""The report page and what is done on it: the submitter's reply to a
question, co-signing, comments and attachments (triage is triage_views.py)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tafel import db
from tafel.core import uploads as files
from tafel.core.forms import client_ip
from tafel.core.once import create_once
from tafel.core.views import commit_or_refuse, ensure
from tafel.submissions import forms, intake, policies, support, workflow
from tafel.submissions.blueprint import submissions
from tafel.submissions.models import Attachment, Comment
from tafel.submissions.pages import load_visible, render_detail, to_detail


@submissions.route("/<int:sub_id>")
def detail(sub_id: int):
    sub = load_visible(sub_id)
    if sub.status == "samengevoegd" and sub.merged_into_id and not request.args.get("original"):
        target = workflow.final_target(sub)
        if target is not None and policies.can_view(current_user, target):
            flash(_("Melding %(id)d is samengevoegd met deze melding.", id=sub.id), "info")
            return to_detail(target)
    return render_detail(sub)


@submissions.route("/<int:sub_id>/reply", methods=["POST"])
@login_required
def reply(sub_id: int):
    sub = load_visible(sub_id)
    ensure(policies.can_reply(current_user, sub))
    form = forms.ReplyForm()
    if form.validate_on_submit():
        with commit_or_refuse(form, field="reason") as done:
            workflow.reply_to_request(sub, current_user, form.reason.data)
        if done:
            flash(_("Uw aanvulling is verstuurd naar het secretariaat."), "success")
            return to_detail(sub)
    return render_detail(sub, 422, reply_form=form)


# Co-signing --------------------------------------------------------------------------


@submissions.route("/<int:sub_id>/cosign", methods=["POST"])
@login_required
def cosign(sub_id: int):
    sub = load_visible(sub_id)
    form = forms.CoSignForm()
    if not form.validate_on_submit():
        return render_detail(sub, 422, cosign_form=form)
    with commit_or_refuse() as done:
        support.cosign(sub, current_user, form.evidence.data, ip=client_ip())
    if done:
        flash(_("Uw organisatie steunt nu deze melding."), "success")
    return to_detail(sub)


@submissions.route("/<int:sub_id>/cosign/withdraw", methods=["POST"])
@login_required
def withdraw_cosign(sub_id: int):
    sub = load_visible(sub_id)
    with commit_or_refuse() as done:
        support.withdraw_cosign(sub, current_user)
    if done:
        flash(_("De steun van uw organisatie is ingetrokken."), "success")
    return to_detail(sub)


# Comments ----------------------------------------------------------------------------


@submissions.route("/<int:sub_id>/comments", methods=["POST"])
@login_required
def comment(sub_id: int):
    sub = load_visible(sub_id)
    ensure(policies.can_comment(current_user, sub))
    form = forms.CommentForm()
    if form.validate_on_submit():
        made = create_once(
            form,
            "comment",
            lambda: support.add_comment(sub, current_user, form.body.data, ip=client_ip()),
        )
        if made.first:
            flash(_("Uw reactie is geplaatst."), "success")
        if made:
            return to_detail(sub, _anchor=f"comment-{made.object_id}")
    return render_detail(sub, 422, comment_form=form)


@submissions.route("/<int:sub_id>/comments/<int:comment_id>/hide", methods=["POST"])
@login_required
def hide_comment(sub_id: int, comment_id: int):
    sub = load_visible(sub_id)
    ensure(policies.can_moderate(current_user))
    found = db.session.get(Comment, comment_id)
    if found is None or found.submission_id != sub.id:
        abort(404)
    form = forms.HideCommentForm()
    if not form.validate_on_submit():
        flash(_("Geef de reden waarom de reactie wordt verborgen."), "error")
    else:
        with commit_or_refuse() as done:
            support.hide_comment(found, current_user, form.reason.data)
        if done:
            flash(_("De reactie is verborgen."), "success")
    return to_detail(sub, _anchor=f"comment-{comment_id}")


# Attachments -------------------------------------------------------------------------


def _attachment_of(sub, attachment_id: int) -> Attachment:
    row = db.session.get(Attachment, attachment_id)
    if row is None or row.submission_id != sub.id:
        abort(404)
    return row


@submissions.route("/<int:sub_id>/attachments/<int:attachment_id>")
def attachment(sub_id: int, attachment_id: int):
    row = _attachment_of(load_visible(sub_id), attachment_id)
    return files.send_stored(row, files.upload_dir(current_app))


@submissions.route("/<int:sub_id>/attachments/<int:attachment_id>/delete", methods=["POST"])
@login_required
def delete_attachment(sub_id: int, attachment_id: int):
    sub = load_visible(sub_id)
    ensure(policies.can_edit(current_user, sub))
    row = _attachment_of(sub, attachment_id)
    name = row.original_name
    with commit_or_refuse() as done:
        intake.remove_attachment(sub, current_user, row)  # the file goes with the commit
    if done:
        flash(_("De bijlage %(name)s is verwijderd.", name=name), "success")
    return redirect(url_for("submissions.edit", sub_id=sub.id))
