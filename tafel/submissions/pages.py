"""What several report pages share: loading a report the user may see, and
the report page itself with its triage panel (used by the detail, support and
triage views alike)."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from tafel import db
from tafel.core.forms import reference_choices
from tafel.core.timefmt import local_today
from tafel.reference import cache as reference_cache
from tafel.reference.models import ActionLine, Constituency, Market
from tafel.reference.services import active_choices, current_ministries
from tafel.submissions import forms, policies, support, workflow
from tafel.submissions.models import (
    IMPACT_LABELS,
    STATUS_LABELS,
    Attachment,
    Comment,
    CoSignature,
    Submission,
)
from tafel.submissions.timeline import events_for, visible_events


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


def to_detail(sub: Submission, **anchor):
    """Back to the report page."""
    return redirect(url_for("submissions.detail", sub_id=sub.id, **anchor))


def attachments_of(sub: Submission) -> list[Attachment]:
    return list(
        db.session.scalars(
            select(Attachment).where(Attachment.submission_id == sub.id).order_by(Attachment.id)
        )
    )


# The report page --------------------------------------------------------------------


def _support_and_comments(sub: Submission) -> tuple[list[CoSignature], list[Comment]]:
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
    return list(cosignatures), list(comments)


def render_detail(sub: Submission, status: int = 200, **forms_in_error):
    """The report page; `forms_in_error` are forms to show again with their errors."""
    user = current_user
    cosignatures, comments = _support_and_comments(sub)
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
        "attachments": attachments_of(sub),
        "events": visible_events(current_user, events_for(sub)),
        "own_cosign": own_cosign,
        "status_labels": STATUS_LABELS,
        "impact_labels": IMPACT_LABELS,
        "policies": policies,
        "constituencies": reference_cache.choices(Constituency),
    }
    if user.is_authenticated:
        # A visitor posts nothing here; making a form would start a session
        # for its CSRF token, and public pages stay sessionless.
        context.update(
            cosign_form=forms_in_error.get("cosign_form") or forms.CoSignForm(),
            comment_form=forms_in_error.get("comment_form") or forms.CommentForm(),
            reply_form=forms_in_error.get("reply_form") or forms.ReplyForm(),
            hide_form=forms.HideCommentForm(),
        )
    if policies.can_triage(user):
        context.update(triage_context(sub, forms_in_error))
    return render_template("submissions/detail.html", **context), status


# The triage panel on the report page ------------------------------------------------


def accept_form(sub: Submission, posted: forms.AcceptForm | None = None) -> forms.AcceptForm:
    """The accept form with its choices: the `posted` one, or a new one
    prefilled from the report (only the accept route posts this form)."""
    form = posted or forms.AcceptForm(prefix="accept")
    form.market.choices = reference_choices(active_choices(Market), blank=_("Kies een markt"))
    form.action_lines.choices = reference_choices(active_choices(ActionLine))
    form.ministry.choices = reference_choices(
        current_ministries(local_today()), blank=_("Kies een ministerie")
    )
    if posted is None:
        form.market.data = sub.market_id
        form.action_lines.data = [line.id for line in sub.action_lines]
        form.ministry.data = sub.ministry_id
        form.deadline.data = workflow.default_deadline()
    return form


def triage_context(sub: Submission, forms_in_error: dict) -> dict:
    return {
        "triage_actions": workflow.allowed_actions(sub),
        "accept_form": forms_in_error.get("accept_form") or accept_form(sub),
        "info_form": forms_in_error.get("info_form") or forms.InfoRequestForm(prefix="info"),
        "decline_form": forms_in_error.get("decline_form") or forms.DeclineForm(prefix="decline"),
        "merge_form": forms_in_error.get("merge_form") or forms.MergeForm(prefix="merge"),
    }
