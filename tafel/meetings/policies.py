"""Who may see and do what with meetings (testable without a request).

A concept meeting exists only for the secretariat and the chair. Once
published, everyone sees its date; each agenda item is shown to whoever may
read every submission linked to it (the one visibility rule of the
submissions), and documents marked `tafel` only to table roles.
"""

from __future__ import annotations

from tafel.accounts.roles import is_manager, is_member, is_secretariat, is_table
from tafel.db import utcnow
from tafel.submissions import policies as submission_policies

OPEN = frozenset({"concept", "gepubliceerd"})
RUNNING = frozenset({"gepubliceerd", "gehouden"})


def _started(meeting) -> bool:
    return meeting.starts_at <= utcnow()


def can_view(user, meeting) -> bool:
    if meeting.status == "concept":
        return is_manager(user)
    return True


def can_create(user) -> bool:
    return is_secretariat(user)


def can_edit(user, meeting) -> bool:
    """Details and agenda: while the meeting is being prepared or is announced."""
    return is_secretariat(user) and meeting.status in OPEN


def can_publish(user, meeting) -> bool:
    return is_manager(user) and meeting.status == "concept"


def can_cancel(user, meeting) -> bool:
    """The chair or the secretariat calls off an announced meeting."""
    return is_manager(user) and meeting.status == "gepubliceerd"


def can_rsvp(user, meeting) -> bool:
    return is_member(user) and meeting.status == "gepubliceerd"


def can_record(user, meeting) -> bool:
    """Presence, items discussed and minutes: from the start of the meeting."""
    return is_secretariat(user) and meeting.status in RUNNING and _started(meeting)


def can_mark_held(user, meeting) -> bool:
    return is_secretariat(user) and meeting.status == "gepubliceerd" and _started(meeting)


def can_approve_minutes(user, item) -> bool:
    """At a later meeting's "Vaststellen notulen" item, once that meeting has begun."""
    earlier = item.approves_meeting
    return (
        is_manager(user)
        and earlier is not None
        and earlier.status == "gehouden"
        and item.meeting.status in RUNNING
        and _started(item.meeting)
    )


def can_add_addendum(user, meeting) -> bool:
    return is_secretariat(user) and meeting.status == "notulen_vastgesteld"


def can_see_attendance(user) -> bool:
    return is_table(user)


def can_see_minutes(user, meeting) -> bool:
    """Draft minutes stay with the secretariat and the chair until approved."""
    if is_manager(user):
        return meeting.status != "concept"
    return meeting.status == "notulen_vastgesteld"


def can_see_document(user, document) -> bool:
    if not can_view(user, document.meeting):
        return False
    if document.item is not None and not can_see_item(user, document.item):
        return False
    return document.visibility == "openbaar" or is_table(user)


def can_see_item(user, item) -> bool:
    return all(submission_policies.can_view(user, link.submission) for link in item.links)


def can_see_join_link(user, meeting) -> bool:
    """The online join link: the invitees (the table's members, and anyone with
    an attendance row), the chair and the secretariat — in the page, the .ics
    and the PDF alike."""
    if is_member(user) or is_manager(user):
        return True
    return user.is_authenticated and any(a.user_id == user.id for a in meeting.attendance)


def can_use_feed(user) -> bool:
    return is_table(user)
