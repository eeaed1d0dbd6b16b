"""Who may see and do what with decisions, motion votes, ministry responses
and action items (testable without a request).

Visibility follows the submissions: a decision, response or action item is
shown to whoever may read every submission it concerns (a decision without
submissions is as public as its meeting). The public register lists only
what concerns public submissions; confidential ones never appear there.
"""

from __future__ import annotations

from tafel.submissions import policies as submission_policies

MANAGERS = frozenset({"secretariaat", "voorzitter"})
TABLE_ROLES = frozenset({"tafellid", "voorzitter", "secretariaat", "departement"})


def _roles(user) -> frozenset[str]:
    return frozenset(user.roles) if user.is_authenticated else frozenset()


def _secretariat(user) -> bool:
    return "secretariaat" in _roles(user)


def ministry_of(user) -> int | None:
    """The ministry a departement user answers for."""
    if not user.is_authenticated or "departement" not in _roles(user):
        return None
    return user.organisation.ministry_id


# Decisions --------------------------------------------------------------------------


def can_view_decision(user, decision) -> bool:
    """Whoever may read every report it concerns and its agenda item; and the
    organisations whose own report it concerns (their step on the timeline)."""
    subs = [link.submission for link in decision.links]
    if any(submission_policies.is_own(user, sub) for sub in subs):
        return True
    item_subs = [link.submission for link in decision.agenda_item.links]
    return all(submission_policies.can_view(user, sub) for sub in subs + item_subs)


def can_record_decision(user) -> bool:
    return _secretariat(user)


def can_amend(user, decision) -> bool:
    return _secretariat(user)


def can_open_motion(user, decision) -> bool:
    return bool(_roles(user) & MANAGERS) and decision.motion is None


def can_close_motion(user, decision) -> bool:
    """The chair closes the vote (the secretariat stands in when there is no chair)."""
    motion = decision.motion
    return motion is not None and motion.closed_at is None and bool(_roles(user) & MANAGERS)


def may_vote(user, decision) -> bool:
    """Shown the ballot: a member while the vote is open (the service checks presence)."""
    motion = decision.motion
    return (
        motion is not None
        and motion.closed_at is None
        and bool(_roles(user) & {"tafellid", "voorzitter"})
    )


def can_see_motion_votes(user) -> bool:
    """Named votes are for the table; the public sees the result."""
    return bool(_roles(user) & TABLE_ROLES)


# Responses --------------------------------------------------------------------------


def can_list_responses(user) -> bool:
    return _secretariat(user) or ministry_of(user) is not None or "voorzitter" in _roles(user)


def can_view_response(user, response) -> bool:
    """Drafts: the ministry's own departement users, the secretariat and the chair.
    Published: whoever may read the submission."""
    if response.status == "gepubliceerd":
        return submission_policies.can_view(user, response.submission)
    if _roles(user) & MANAGERS:
        return True
    return ministry_of(user) is not None and ministry_of(user) == response.ministry_id


def can_draft_response(user, response) -> bool:
    return (
        ministry_of(user) is not None
        and ministry_of(user) == response.ministry_id
        and response.status == "concept"
    )


def can_review_response(user, response) -> bool:
    return _secretariat(user) and response.status == "ter_review"


# Action items -----------------------------------------------------------------------


def is_owner(user, action) -> bool:
    if not user.is_authenticated:
        return False
    if action.owner_user_id is not None:
        return action.owner_user_id == user.id
    if action.owner_organisation_id is not None:
        return action.owner_organisation_id == user.organisation_id
    return action.owner_ministry_id is not None and ministry_of(user) == action.owner_ministry_id


def action_submissions(action) -> list:
    if action.decision is not None:
        return [link.submission for link in action.decision.links]
    if action.response is not None:
        return [action.response.submission]
    return []


def can_view_action(user, action) -> bool:
    if _roles(user) & MANAGERS or is_owner(user, action):
        return True
    if action.decision is not None:
        return can_view_decision(user, action.decision)
    response = action.response
    if response.status != "gepubliceerd":
        # Part of a draft: the ministry's own until the secretariat publishes it.
        return ministry_of(user) is not None and ministry_of(user) == response.ministry_id
    return submission_policies.can_view(user, response.submission)


def can_create_action(user, origin) -> bool:
    """From a decision: the secretariat. From a response: the secretariat, or the
    ministry drafting it."""
    if _secretariat(user):
        return True
    ministry_id = getattr(origin, "ministry_id", None)
    return (
        getattr(origin, "submission_id", None) is not None
        and ministry_of(user) is not None
        and ministry_of(user) == ministry_id
    )


def can_update_action(user, action) -> bool:
    return action.status in ("gepland", "in_uitvoering") and (
        _secretariat(user) or is_owner(user, action)
    )


def can_close_submission(user) -> bool:
    return _secretariat(user)
