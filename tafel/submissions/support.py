"""Support for a report: co-signatures by other organisations and comments."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from tafel import db
from tafel.accounts.models import User
from tafel.core import audit, ratelimit
from tafel.db import utcnow
from tafel.submissions import policies
from tafel.submissions.intake import SubmissionError
from tafel.submissions.models import (
    Comment,
    CoSignature,
    Submission,
)
from tafel.submissions.timeline import add_event


def _count(sub: Submission, step: int) -> None:
    """Adjust the co-signature count in the database itself, so concurrent
    co-signs cannot overwrite each other's count."""
    db.session.execute(
        update(Submission)
        .where(Submission.id == sub.id)
        .values(cosign_count=Submission.cosign_count + step)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(sub, ["cosign_count"])


def recount(sub: Submission) -> None:
    sub.cosign_count = db.session.scalar(
        select(func.count(CoSignature.id)).where(CoSignature.submission_id == sub.id)
    )


def _limited(kind: str, user: User, ip: str | None) -> None:
    """Comments and co-signatures: at most so many per account and per address."""
    if not ratelimit.allow(kind, [f"user:{user.id}", f"ip:{ip or 'unknown'}"]):
        raise SubmissionError(_("Te veel aanvragen in korte tijd. Probeer het later opnieuw."))


def cosign(sub: Submission, user: User, evidence: str, ip: str | None = None) -> CoSignature:
    if not policies.can_cosign(user, sub):
        raise SubmissionError(_("Uw organisatie kan deze melding niet steunen."))
    _limited("cosign", user, ip)
    row = CoSignature(
        submission_id=sub.id,
        organisation_id=user.organisation_id,
        user_id=user.id,
        evidence=(evidence or "").strip(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        raise SubmissionError(_("Uw organisatie steunt deze melding al.")) from None
    _count(sub, +1)
    add_event(sub, "cosign", user)
    audit.record("submission.cosign", sub, user, after={"organisation_id": user.organisation_id})
    return row


def withdraw_cosign(sub: Submission, user: User) -> None:
    result = db.session.execute(
        delete(CoSignature).where(
            CoSignature.submission_id == sub.id,
            CoSignature.organisation_id == user.organisation_id,
        )
    )
    if not result.rowcount:
        raise SubmissionError(_("Uw organisatie steunt deze melding niet."))
    _count(sub, -1)
    add_event(sub, "cosign_withdrawn", user)
    audit.record(
        "submission.cosign_withdraw", sub, user, before={"organisation_id": user.organisation_id}
    )


def cosign_counts(submission_ids: list[int]) -> dict[int, dict[str, int]]:
    """Co-signatures per constituency for a page of submissions, in one query."""
    from tafel.accounts.models import Organisation
    from tafel.reference.models import Constituency, OrganisationType

    if not submission_ids:
        return {}
    rows = db.session.execute(
        select(CoSignature.submission_id, Constituency.slug, func.count(CoSignature.id))
        .join(Organisation, Organisation.id == CoSignature.organisation_id)
        .join(OrganisationType, OrganisationType.id == Organisation.org_type_id)
        .join(Constituency, Constituency.id == OrganisationType.constituency_id)
        .where(CoSignature.submission_id.in_(submission_ids))
        .group_by(CoSignature.submission_id, Constituency.slug)
    )
    counts: dict[int, dict[str, int]] = {}
    for sub_id, slug, n in rows:
        counts.setdefault(sub_id, {})[slug] = n
    return counts


def add_comment(sub: Submission, user: User, body: str, ip: str | None = None) -> Comment:
    if not policies.can_comment(user, sub):
        raise SubmissionError(_("U kunt bij deze melding niet reageren."))
    body = (body or "").strip()
    if not body:
        raise SubmissionError(_("Schrijf eerst een reactie."), "body")
    _limited("comment", user, ip)
    comment = Comment(
        submission_id=sub.id, author_id=user.id, organisation_id=user.organisation_id, body=body
    )
    db.session.add(comment)
    db.session.flush()
    add_event(sub, "comment", user, comment_id=comment.id)
    return comment


def hide_comment(comment: Comment, actor: User, reason: str) -> None:
    if not policies.can_moderate(actor):
        raise PermissionError("hide")
    reason = (reason or "").strip()
    if not reason:
        raise SubmissionError(_("Geef de reden waarom de reactie wordt verborgen."), "reason")
    comment.hidden_at = utcnow()
    comment.hidden_by_id = actor.id
    comment.hidden_reason = reason
    audit.record("comment.hide", comment, actor, after={"reason": reason})
