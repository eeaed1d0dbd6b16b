"""The triage state machine of a report: every transition with its role guard,
timestamp, actor and (where it closes a door) reason; moves for meetings;
merging; telling the submitter. Services flush; the view commits."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from tafel import db
from tafel.accounts.models import User
from tafel.core import audit
from tafel.core.timefmt import local_today
from tafel.db import utcnow
from tafel.notifications.services import in_platform_language, notify, notify_role
from tafel.submissions import policies
from tafel.submissions.intake import SubmissionError, reindex, submission_path
from tafel.submissions.models import (
    STATUS_LABELS,
    Attachment,
    CoSignature,
    Submission,
)
from tafel.submissions.support import recount
from tafel.submissions.timeline import add_event

log = logging.getLogger(__name__)


UNVERIFIED = _l(
    "Uw organisatie is nog niet geverifieerd door het secretariaat. Bewaar de melding als "
    "concept; indienen kan zodra de organisatie is geverifieerd."
)


def submit_submission(sub: Submission, actor: User) -> None:
    if not policies.is_own(actor, sub):
        raise SubmissionError(_("Alleen de eigen organisatie kan deze melding indienen."))
    if not actor.organisation.verified:
        # Trust mark: an unverified organisation drafts, but publishes nothing yet.
        raise SubmissionError(str(UNVERIFIED))
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
        _tell_sector_leads(sub)


def _tell_sector_leads(sub: Submission) -> None:
    """A new report in a sector reaches the sector's EZ contact — only a lead
    who may read the report is told (its title is in the notification)."""
    from tafel.accounts.sectorleads import leads_of

    for lead in leads_of(sub.sector_id):
        if not policies.can_view(lead, sub):
            continue
        notify(
            lead,
            _("Nieuwe melding in uw sector: %(title)s", title=sub.title),
            submission_path(sub),
            _(
                "%(org)s heeft een melding ingediend: %(title)s",
                org=sub.organisation.name,
                title=sub.title,
            ),
        )


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
    values: dict[str, Any] | None = None,
) -> str:
    """Check and perform one transition; returns the previous status.

    `event` replaces the plain status entry on the timeline (kind and data);
    `message` replaces the reason in the notification to the submitter;
    `values` are further columns set in the same UPDATE as the status (a
    merge names its target at once: the database requires both together).
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
    if not db.compare_and_set(
        sub,
        {"status": previous},
        status=transition.target,
        status_changed_at=now,
        **(values or {}),
    ):
        log.info("submission %s: %s refused, status changed meanwhile", sub.id, action)
        raise SubmissionError(
            _("Iemand anders heeft deze melding net gewijzigd. Bekijk de nieuwe stand.")
        )
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
    _move(sub, "merge", actor, note, values={"merged_into_id": target.id})
    # Lock the target and look again: it may have been merged meanwhile.
    db.session.refresh(target, with_for_update=True)
    if target.status in policies.CLOSED:
        raise SubmissionError(
            _("Kies een melding die nog open is om mee samen te voegen."), "target"
        )
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
    recount(sub)
    recount(target)
    add_event(target, "merged_in", actor, by_secretariat=True, source_id=sub.id)
    reindex(target)


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
