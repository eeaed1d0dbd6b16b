"""Intake of reports: creating, editing and submitting a report and its attachments.

Services flush, audit, add timeline events and queue notifications; the view commits."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tafel import db
from tafel.accounts.models import User
from tafel.core import audit
from tafel.core.errors import ServiceError
from tafel.core.text import single_line
from tafel.db import utcnow
from tafel.submissions import policies, search
from tafel.submissions.models import (
    Attachment,
    Submission,
    SubmissionVersion,
)
from tafel.submissions.timeline import add_event


class SubmissionError(ServiceError):
    """A refused step on a submission."""


CONTENT_FIELDS = (
    "kind",
    "title",
    "summary",
    "body",
    "proposed_solution",
    "market_id",
    "sector_id",
    "theme_id",
    "province_id",
    "government_level_id",
    "regulation_name",
    "regulation_identifier",
    "regulation_article",
    "ministry_id",
    "impact_type",
    "impact_euro",
    "impact_delay_months",
    "visibility",
    "show_organisation",
)


LINK_FIELDS = ("action_lines", "technologies", "missions")


def submission_path(sub: Submission) -> str:
    """The submission page's path (services build links without a request)."""
    return f"/submissions/{sub.id}"


def snapshot(sub: Submission) -> dict[str, Any]:
    data = {name: getattr(sub, name) for name in CONTENT_FIELDS}
    for name in LINK_FIELDS:
        data[name] = sorted(item.id for item in getattr(sub, name))
    return data


def reindex(sub: Submission) -> None:
    db.session.flush()
    search.index_submission(db.session, sub)


def find_by_form_token(author: User, token: str | None) -> Submission | None:
    if not token:
        return None
    return db.session.scalar(
        select(Submission).where(Submission.form_token == token, Submission.author_id == author.id)
    )


def create_submission(
    author: User, content: dict[str, Any], form_token: str | None
) -> tuple[Submission, bool]:
    """A new concept, and whether it is new: a form token seen before (a second
    click, a second worker) gives back the submission the first one made."""
    existing = find_by_form_token(author, form_token)
    if existing is not None:
        return existing, False
    sub = Submission(
        author=author,
        organisation_id=author.organisation_id,
        status="concept",
        form_token=form_token,
    )
    _apply(sub, content)
    try:
        with db.session.begin_nested():
            db.session.add(sub)
            db.session.flush()
    except IntegrityError:
        # Two requests with the same token raced; the other one won.
        existing = find_by_form_token(author, form_token)
        if existing is None:
            raise
        return existing, False
    add_event(sub, "created", author)
    audit.record("submission.create", sub, author, after={"title": sub.title})
    reindex(sub)
    return sub, True


def _apply(sub: Submission, content: dict[str, Any]) -> None:
    for name in CONTENT_FIELDS:
        if name in content:
            setattr(sub, name, content[name])
    if "title" in content:  # a title is one line (it goes into mail subjects and lists)
        sub.title = single_line(sub.title)
    for name in LINK_FIELDS:
        if name in content:
            setattr(sub, name, list(content[name]))
    if sub.kind != "knelpunt":
        # Only a knelpunt points at a regulation.
        sub.government_level_id = None
        sub.regulation_name = sub.regulation_identifier = sub.regulation_article = None


def update_submission(sub: Submission, actor: User, content: dict[str, Any]) -> list[str]:
    """Edit a submission; after submitting, every edit is kept as a version."""
    if not policies.can_edit(actor, sub):
        raise SubmissionError(_("Deze melding kan niet meer worden gewijzigd."))
    before = snapshot(sub)
    _apply(sub, content)
    db.session.flush()
    after = snapshot(sub)
    changed = [name for name in after if before[name] != after[name]]
    if not changed:
        return []
    sub.updated_at = utcnow()
    if sub.status != "concept":
        number = (
            db.session.scalar(
                select(func.max(SubmissionVersion.number)).where(
                    SubmissionVersion.submission_id == sub.id
                )
            )
            or 0
        )
        if number == 0:
            db.session.add(
                SubmissionVersion(
                    submission_id=sub.id, number=1, actor_id=sub.author_id, content=before
                )
            )
            number = 1
        db.session.add(
            SubmissionVersion(
                submission_id=sub.id, number=number + 1, actor_id=actor.id, content=after
            )
        )
        add_event(sub, "edit", actor, fields=changed, version=number + 1)
    old, new = audit.changes(before, after)
    audit.record("submission.update", sub, actor, before=old, after=new)
    reindex(sub)
    return changed


def add_attachment(sub: Submission, user: User, upload) -> Attachment:
    """Store a validated upload under a generated name and record it."""
    from tafel.core import uploads as files

    with upload:
        try:  # the file is moved into place when the request commits
            stored_name = files.store(upload, files.upload_dir(current_app))
        except files.UploadError as error:
            error.field = "attachments"
            raise
    row = Attachment(
        submission_id=sub.id,
        original_name=upload.original_name,
        stored_name=stored_name,
        mime_type=upload.mime_type,
        size=upload.size,
        sha256=upload.sha256,
        uploaded_by_id=user.id,
    )
    db.session.add(row)
    db.session.flush()
    if sub.status != "concept":
        add_event(sub, "attachment", user, name=upload.original_name)
    audit.record("attachment.add", row, user, after={"name": row.original_name, "size": row.size})
    return row


def remove_attachment(sub: Submission, user: User, row: Attachment) -> None:
    """Delete the record; its file goes once that is committed."""
    from tafel.core import uploads as files

    files.remove_on_commit(row.stored_name, files.upload_dir(current_app))
    audit.record("attachment.remove", row, user, before={"name": row.original_name})
    if sub.status != "concept":
        add_event(sub, "attachment_removed", user, name=row.original_name)
    db.session.delete(row)
