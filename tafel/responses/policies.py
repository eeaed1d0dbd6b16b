"""Who may see and do what with ministry responses (testable without a request).

Drafts belong to the responsible ministry's departement users, the secretariat
and the chair; a published response is shown to whoever may read its submission.
"""

from __future__ import annotations

from tafel.accounts import roles
from tafel.submissions import policies as submission_policies


def ministry_of(user) -> int | None:
    """The ministry a departement user answers for."""
    if not roles.is_ministry(user):
        return None
    return user.organisation.ministry_id


def answers_for(user, ministry_id) -> bool:
    """Whether `user` is a departement user of ministry `ministry_id`."""
    own = ministry_of(user)
    return own is not None and own == ministry_id


def can_list_responses(user) -> bool:
    """The queue: the secretariat, the chair and the ministries."""
    return roles.is_manager(user) or ministry_of(user) is not None


def can_view_response(user, response) -> bool:
    """Drafts: the ministry's own departement users, the secretariat and the chair.
    Published: whoever may read the submission."""
    if response.status == "gepubliceerd":
        return submission_policies.can_view(user, response.submission)
    if roles.is_manager(user):
        return True
    return answers_for(user, response.ministry_id)


def can_draft_response(user, response) -> bool:
    return answers_for(user, response.ministry_id) and response.status == "concept"


def can_review_response(user, response) -> bool:
    return roles.is_secretariat(user) and response.status == "ter_review"
