"""The audit log never shows more than the object pages (ASVS: audit without leaks).

Every audited object kind has the rule that decides whether a reader may see
the object itself (its feature's policy). An entry about an object the reader
may not see keeps who, what and when, but its before/after values (titles,
texts, draft outcomes) become REDACTED; one object's trail is 404 for such a
reader, exactly like the object's page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from tafel import db
from tafel.actions import policies as action_policies
from tafel.actions.models import ActionItem
from tafel.core.models import AuditEntry
from tafel.decisions import policies as decision_policies
from tafel.decisions.models import Decision
from tafel.meetings import policies as meeting_policies
from tafel.meetings.models import AgendaItem, Meeting, MeetingDocument
from tafel.responses import policies as response_policies
from tafel.responses.models import Response
from tafel.submissions import policies as submission_policies
from tafel.submissions.models import Attachment, Comment, Submission
from tafel.voting import policies as voting_policies
from tafel.voting.models import PriorityRound

REDACTED = _l("[vertrouwelijk]")


def _submission_of(user, obj) -> bool:
    sub = db.session.get(Submission, obj.submission_id)
    return sub is not None and submission_policies.can_view(user, sub)


def _item(user, item: AgendaItem) -> bool:
    return meeting_policies.can_view(user, item.meeting) and meeting_policies.can_see_item(
        user, item
    )


def _document(user, document: MeetingDocument) -> bool:
    return meeting_policies.can_view(user, document.meeting) and (
        meeting_policies.can_see_document(user, document)
    )


# The audit log's object name → (model, may `user` see this object?).
RULES: dict[str, tuple[Any, Callable[[Any, Any], bool]]] = {
    "Submission": (Submission, submission_policies.can_view),
    "Comment": (Comment, _submission_of),
    "Attachment": (Attachment, _submission_of),
    "Meeting": (Meeting, meeting_policies.can_view),
    "AgendaItem": (AgendaItem, _item),
    "MeetingDocument": (MeetingDocument, _document),
    "Decision": (Decision, decision_policies.can_view_decision),
    "Response": (Response, response_policies.can_view_response),
    "ActionItem": (ActionItem, action_policies.can_view_action),
    "PriorityRound": (PriorityRound, voting_policies.can_view_round),
}


def may_see_object(user, object_type: str, object_id: int | None) -> bool:
    """Whether `user` may see the audited object (kinds without a rule — users,
    organisations, reference data — are the beheerder's own)."""
    rule = RULES.get(object_type)
    if rule is None:
        return True
    model, allowed = rule
    obj = db.session.get(model, object_id) if object_id is not None else None
    # A removed object cannot be checked any more: its values stay hidden.
    return obj is not None and allowed(user, obj)


def shown_entries(user, entries: list[AuditEntry]) -> list[dict[str, Any]]:
    """The entries as the reader may see them: dicts with the entry and its
    `before`/`after`, redacted where the object is not the reader's to see."""
    ids: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        if entry.object_type in RULES and entry.object_id is not None:
            ids[entry.object_type].add(entry.object_id)
    visible: set[tuple[str, int]] = set()
    for object_type, wanted in ids.items():
        model, allowed = RULES[object_type]
        for obj in db.session.scalars(select(model).where(model.id.in_(wanted))):
            if allowed(user, obj):
                visible.add((object_type, obj.id))
    shown = []
    for entry in entries:
        hidden = entry.object_type in RULES and (entry.object_type, entry.object_id) not in visible
        shown.append(
            {
                "entry": entry,
                "redacted": hidden,
                "before": _redact(entry.before) if hidden else entry.before,
                "after": _redact(entry.after) if hidden else entry.after,
            }
        )
    return shown


def _redact(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if not values:
        return values
    return {key: str(REDACTED) for key in values}
