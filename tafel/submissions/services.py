"""Submission state changes: intake, editing, the triage state machine,
co-signing and comments. Services flush, audit, add timeline events and
queue notifications; the view commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from tafel import db
from tafel.accounts.models import User
from tafel.core import audit
from tafel.core.errors import ServiceError
from tafel.core.timefmt import local_today
from tafel.db import utcnow
from tafel.notifications.services import in_platform_language, notify, notify_role
from tafel.submissions import policies
from tafel.submissions.models import (
    Attachment,
    Comment,
    CoSignature,
    Submission,
    SubmissionVersion,
)
from tafel.submissions.timeline import add_event


class SubmissionError(ServiceError):
    """A refused step on a submission."""


STATUS_LABELS = {
    "concept": _l("Concept"),
    "ingediend": _l("Ingediend"),
    "in_behandeling": _l("In behandeling"),
    "aanvulling_gevraagd": _l("Aanvulling gevraagd"),
    "aanvaard": _l("Aanvaard"),
    "samengevoegd": _l("Samengevoegd"),
    "niet_ontvankelijk": _l("Niet ontvankelijk"),
    "geagendeerd": _l("Geagendeerd"),
    "besproken": _l("Besproken"),
    "besloten": _l("Besloten"),
    "afgehandeld": _l("Afgehandeld"),
}

# Content fields copied into the edit history.
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


def _reindex(sub: Submission) -> None:
    from tafel.core import search

    db.session.flush()
    search.index_submission(db.session, sub)


# Intake --------------------------------------------------------------------------


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
    _reindex(sub)
    return sub, True


def _apply(sub: Submission, content: dict[str, Any]) -> None:
    for name in CONTENT_FIELDS:
        if name in content:
            setattr(sub, name, content[name])
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
    _reindex(sub)
    return changed


def submit_submission(sub: Submission, actor: User) -> None:
    if not policies.is_own(actor, sub):
        raise SubmissionError(_("Alleen de eigen organisatie kan deze melding indienen."))
    _move(sub, "submit", actor)
    sub.submitted_at = utcnow()
    with in_platform_language():
        _tell_submitter_now(
            sub,
            _(
                "Het secretariaat streeft ernaar binnen %(days)d werkdagen te reageren.",
                days=current_app.config["TRIAGE_TARGET_DAYS"],
            ),
        )
        _tell_secretariat_about(sub)


def _tell_secretariat_about(sub: Submission) -> None:
    notify_role(
        "secretariaat",
        _("Nieuwe melding: %(title)s", title=sub.title),
        submission_path(sub),
        _(
            "%(org)s heeft een knelpunt ingediend: %(title)s",
            org=sub.organisation.name,
            title=sub.title,
        )
        if sub.kind == "knelpunt"
        else _(
            "%(org)s heeft een signaal ingediend: %(title)s",
            org=sub.organisation.name,
            title=sub.title,
        ),
    )


# The state machine -----------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    by_secretariat: bool
    reason_required: bool = False


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(frozenset({"concept"}), "ingediend", False),
    "take": Transition(frozenset({"ingediend"}), "in_behandeling", True),
    "request_info": Transition(
        frozenset({"ingediend", "in_behandeling"}), "aanvulling_gevraagd", True, True
    ),
    "reply": Transition(frozenset({"aanvulling_gevraagd"}), "in_behandeling", False, True),
    "accept": Transition(frozenset({"in_behandeling"}), "aanvaard", True),
    "merge": Transition(
        frozenset({"ingediend", "in_behandeling", "aanvulling_gevraagd"}), "samengevoegd", True
    ),
    "decline": Transition(
        frozenset({"ingediend", "in_behandeling", "aanvulling_gevraagd"}),
        "niet_ontvankelijk",
        True,
        True,
    ),
}
# Moves made by the meetings feature; its own policies decide who may make them.
MEETING_TRANSITIONS: dict[str, Transition] = {
    "schedule": Transition(frozenset({"aanvaard"}), "geagendeerd", True),
    "unschedule": Transition(frozenset({"geagendeerd"}), "aanvaard", True),
    "discuss": Transition(frozenset({"geagendeerd"}), "besproken", True),
    "decide": Transition(frozenset({"geagendeerd", "besproken"}), "besloten", True),
    "close": Transition(
        frozenset({"aanvaard", "geagendeerd", "besproken", "besloten"}), "afgehandeld", True
    ),
}
TRANSITIONS.update(MEETING_TRANSITIONS)
TRIAGE_ACTIONS = ("take", "request_info", "accept", "merge", "decline")


def allowed_actions(sub: Submission) -> list[str]:
    return [name for name in TRIAGE_ACTIONS if sub.status in TRANSITIONS[name].sources]


def _move(
    sub: Submission,
    action: str,
    actor: User,
    reason: str | None = None,
    *,
    event: dict[str, Any] | None = None,
    message: str | None = None,
    urgent: bool = False,
) -> str:
    """Check and perform one transition; returns the previous status.

    `event` replaces the plain status entry on the timeline (kind and data);
    `message` replaces the reason in the notification to the submitter.
    """
    transition = TRANSITIONS[action]
    if (
        action not in MEETING_TRANSITIONS
        and transition.by_secretariat
        and not policies.can_triage(actor)
    ):
        raise PermissionError(action)
    if sub.status not in transition.sources:
        raise SubmissionError(
            _(
                "Dit kan niet bij een melding met de status ‘%(status)s’.",
                status=STATUS_LABELS[sub.status],
            )
        )
    reason = (reason or "").strip() or None
    if transition.reason_required and not reason:
        raise SubmissionError(_("Geef een toelichting."), "reason")
    previous = sub.status
    now = utcnow()
    # Compare and set in the database: of two people acting on the same
    # submission at once (two tabs, two workers), exactly one succeeds.
    moved = db.session.execute(
        update(Submission)
        .where(Submission.id == sub.id, Submission.status == previous)
        .values(status=transition.target, status_changed_at=now)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        db.session.refresh(sub)
        raise SubmissionError(
            _("Iemand anders heeft deze melding net gewijzigd. Bekijk de nieuwe stand.")
        )
    sub.status = transition.target
    sub.status_changed_at = now
    if transition.by_secretariat and sub.first_response_at is None:
        sub.first_response_at = now
    event = dict(event or {"kind": "status"})
    add_event(
        sub,
        event.pop("kind"),
        actor,
        reason=reason,
        by_secretariat=transition.by_secretariat,
        previous=previous,
        status=sub.status,
        action=action,
        **event,
    )
    audit.record(
        f"submission.{action}",
        sub,
        actor,
        before={"status": previous},
        after={"status": sub.status, "reason": reason},
    )
    if transition.by_secretariat:
        _tell_submitter(sub, message or reason, urgent)
    return previous


def move_for_meeting(
    sub: Submission,
    action: str,
    actor: User,
    event: dict[str, Any],
    message: str,
    urgent: bool = False,
) -> bool:
    """Schedule, unschedule or mark discussed, when the submission's status
    allows it; returns whether it moved. The caller has checked the actor."""
    if sub.status not in MEETING_TRANSITIONS[action].sources:
        return False
    try:
        _move(sub, action, actor, event=event, message=message, urgent=urgent)
    except SubmissionError:
        # Someone moved it at the same moment (e.g. a second decision on the same
        # report): the caller treats it as already moved on.
        return False
    return True


def submitter_recipients(sub: Submission) -> list[User]:
    """Who hears about a submission: its author, or, when the author has left,
    the organisation's other active users."""
    if sub.author.active:
        return [sub.author]
    return list(
        db.session.scalars(
            select(User).where(User.organisation_id == sub.organisation_id, User.active.is_(True))
        )
    )


def _tell_submitter(sub: Submission, reason: str | None, urgent: bool = False) -> None:
    with in_platform_language():
        _tell_submitter_now(sub, reason, urgent)


def _tell_submitter_now(sub: Submission, reason: str | None, urgent: bool = False) -> None:
    title = _(
        "Uw melding ‘%(title)s’ heeft de status ‘%(status)s’",
        title=sub.title,
        status=STATUS_LABELS[sub.status],
    )
    body = title + (f"\n\n{reason}" if reason else "")
    for user in submitter_recipients(sub):
        notify(user, title, submission_path(sub), body, urgent=urgent)


def take_submission(sub: Submission, actor: User) -> None:
    _move(sub, "take", actor)


def request_information(sub: Submission, actor: User, message: str) -> None:
    _move(sub, "request_info", actor, message)


def reply_to_request(sub: Submission, actor: User, message: str) -> None:
    if not policies.is_own(actor, sub):
        raise PermissionError("reply")
    _move(sub, "reply", actor, message)
    with in_platform_language():
        _tell_secretariat_reply(sub, message)


def _tell_secretariat_reply(sub: Submission, message: str) -> None:
    notify_role(
        "secretariaat",
        _("Aanvulling ontvangen: %(title)s", title=sub.title),
        submission_path(sub),
        message,
    )


def default_deadline(today: date | None = None) -> date:
    weeks = current_app.config["RESPONSE_DEADLINE_WEEKS"]
    return (today or local_today()) + timedelta(weeks=weeks)


def accept_submission(
    sub: Submission,
    actor: User,
    *,
    market,
    action_lines: list,
    ministry,
    deadline: date,
    note: str | None = None,
) -> None:
    if ministry is None:
        raise SubmissionError(_("Kies het verantwoordelijke ministerie."), "ministry")
    if not ministry.active or not ministry.is_valid_on(local_today()):
        raise SubmissionError(_("Dit ministerie bestaat niet meer; kies een ander."), "ministry")
    if deadline <= local_today():
        raise SubmissionError(_("De reactietermijn moet in de toekomst liggen."), "deadline")
    sub.market = market
    sub.action_lines = list(action_lines)
    sub.ministry = ministry
    sub.response_deadline = deadline
    _move(sub, "accept", actor, note)


def decline_submission(sub: Submission, actor: User, reason: str) -> None:
    _move(sub, "decline", actor, reason)


def merge_submission(sub: Submission, target: Submission, actor: User, note: str | None) -> None:
    """Merge `sub` into `target`: co-signatures (and, within one audience, the
    attachments) move along, the merged submitter becomes a co-signer, and
    both keep their history. Nothing moves to a wider audience than it had."""
    if target.id == sub.id:
        raise SubmissionError(_("Een melding kan niet met zichzelf worden samengevoegd."), "target")
    if not policies.can_merge_into(sub, target):
        raise SubmissionError(
            _(
                "Deze melding is meer afgeschermd dan melding %(id)d; samenvoegen zou haar "
                "steun zichtbaar maken voor meer mensen. Kies een melding die minstens zo "
                "afgeschermd is.",
                id=target.id,
            ),
            "target",
        )
    _move(sub, "merge", actor, note)
    # Lock the target and look again: it may have been merged meanwhile.
    db.session.refresh(target, with_for_update=True)
    if target.status in policies.CLOSED:
        raise SubmissionError(
            _("Kies een melding die nog open is om mee samen te voegen."), "target"
        )
    sub.merged_into_id = target.id
    supporters = set(
        db.session.scalars(
            select(CoSignature.organisation_id).where(CoSignature.submission_id == target.id)
        )
    )
    for row in db.session.scalars(select(CoSignature).where(CoSignature.submission_id == sub.id)):
        if row.organisation_id in supporters or row.organisation_id == target.organisation_id:
            db.session.delete(row)
        else:
            row.submission_id = target.id
            supporters.add(row.organisation_id)
    anonymous_on_public = target.visibility == "openbaar" and not sub.show_organisation
    if (
        sub.organisation_id not in supporters
        and sub.organisation_id != target.organisation_id
        and not anonymous_on_public
    ):
        db.session.add(
            CoSignature(
                submission_id=target.id, organisation_id=sub.organisation_id, user_id=sub.author_id
            )
        )
    if target.visibility == sub.visibility:
        db.session.execute(
            update(Attachment)
            .where(Attachment.submission_id == sub.id)
            .values(submission_id=target.id)
        )
    db.session.flush()
    _recount(sub)
    _recount(target)
    add_event(target, "merged_in", actor, by_secretariat=True, source_id=sub.id)
    _reindex(target)


# Co-signing ------------------------------------------------------------------------


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


def _recount(sub: Submission) -> None:
    sub.cosign_count = db.session.scalar(
        select(func.count(CoSignature.id)).where(CoSignature.submission_id == sub.id)
    )


def cosign(sub: Submission, user: User, evidence: str) -> CoSignature:
    if not policies.can_cosign(user, sub):
        raise SubmissionError(_("Uw organisatie kan deze melding niet steunen."))
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


# Comments --------------------------------------------------------------------------


def add_comment(sub: Submission, user: User, body: str) -> Comment:
    if not policies.can_comment(user, sub):
        raise SubmissionError(_("U kunt bij deze melding niet reageren."))
    body = (body or "").strip()
    if not body:
        raise SubmissionError(_("Schrijf eerst een reactie."), "body")
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


# Attachments ---------------------------------------------------------------------------


def add_attachment(sub: Submission, user: User, upload) -> Attachment:
    """Store a validated upload under a generated name and record it."""
    from tafel.core import uploads as files

    with upload:
        stored_name = files.store(upload, files.upload_dir(current_app))
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


def remove_attachment(sub: Submission, user: User, row: Attachment) -> str:
    """Delete the record; the caller removes the file after committing."""
    audit.record("attachment.remove", row, user, before={"name": row.original_name})
    if sub.status != "concept":
        add_event(sub, "attachment_removed", user, name=row.original_name)
    db.session.delete(row)
    return row.stored_name


# Similar submissions --------------------------------------------------------------------


def similar_submissions(user, text: str, exclude: int | None = None, limit: int = 5) -> list:
    """Open submissions the user may see that share the most words with `text`."""
    from sqlalchemy import union_all

    from tafel.core import search
    from tafel.submissions.policies import visible_clause

    # Whole words of the title; matching_ids() does the stemming.
    words = sorted(
        {w for w in search.fold(text).split() if len(w) >= 5 and w not in search.STOPWORDS},
        key=len,
        reverse=True,
    )[:5]
    if not words:
        return []
    # With three or more meaningful words, one shared word is not similarity.
    needed = 2 if len(words) >= 3 else 1
    per_word = [search.matching_ids(word, rank=False).subquery() for word in words]
    hits = union_all(*(select(part.c.submission_id) for part in per_word)).subquery()
    shared = func.count().label("shared")
    best = (
        select(hits.c.submission_id, shared)
        .group_by(hits.c.submission_id)
        .having(func.count() >= needed)
        .subquery()
    )
    query = (
        select(Submission)
        .join(best, best.c.submission_id == Submission.id)
        .where(
            visible_clause(user),
            Submission.status.not_in(("concept", "samengevoegd", "niet_ontvankelijk")),
        )
        .order_by(best.c.shared.desc(), Submission.cosign_count.desc(), Submission.id.desc())
        .limit(limit)
    )
    if exclude:
        query = query.where(Submission.id != exclude)
    return list(db.session.scalars(query))


def final_target(sub: Submission) -> Submission | None:
    """Where a merged submission lives on, following merges of merges."""
    seen = {sub.id}
    current = sub
    while current.merged_into_id and current.merged_into_id not in seen:
        seen.add(current.merged_into_id)
        current = db.session.get(Submission, current.merged_into_id)
        if current is None:
            return None
    return current if current.id != sub.id else None
