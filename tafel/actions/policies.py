"""Who may see and do what with action items (testable without a request),
and the SQL clauses that apply the same rules to lists.

An action item is shown to the secretariat and the chair, to its owner, and
to whoever may read its origin: a decision as `decisions.policies`, a
published response as its submission; a draft response's items only to the
ministry drafting it.
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select

from tafel import db
from tafel.accounts import roles
from tafel.actions.models import ActionItem
from tafel.decisions import policies as decision_policies
from tafel.decisions.models import Decision
from tafel.responses.models import Response
from tafel.responses.policies import answers_for, ministry_of
from tafel.submissions import policies as submission_policies
from tafel.submissions.models import Submission
from tafel.submissions.timeline import register_visibility


def is_owner(user, action) -> bool:
    if not user.is_authenticated:
        return False
    if action.owner_user_id is not None:
        return action.owner_user_id == user.id
    if action.owner_organisation_id is not None:
        return action.owner_organisation_id == user.organisation_id
    return action.owner_ministry_id is not None and ministry_of(user) == action.owner_ministry_id


def owned_clause(user):
    """A WHERE clause on ActionItem: the items `user` owns (as `is_owner`)."""
    if not user.is_authenticated:
        return ActionItem.id.is_(None)
    clauses = [
        ActionItem.owner_user_id == user.id,
        and_(
            ActionItem.owner_user_id.is_(None),
            ActionItem.owner_organisation_id == user.organisation_id,
        ),
    ]
    ministry_id = ministry_of(user)
    if ministry_id is not None:
        clauses.append(
            and_(
                ActionItem.owner_user_id.is_(None),
                ActionItem.owner_organisation_id.is_(None),
                ActionItem.owner_ministry_id == ministry_id,
            )
        )
    return or_(*clauses)


def action_submissions(action) -> list:
    if action.decision is not None:
        return [link.submission for link in action.decision.links]
    if action.response is not None:
        return [action.response.submission]
    return []


def can_view_action(user, action) -> bool:
    if roles.is_manager(user) or is_owner(user, action):
        return True
    if action.decision is not None:
        return decision_policies.can_view_decision(user, action.decision)
    response = action.response
    if response.status != "gepubliceerd":
        # Part of a draft: the ministry's own until the secretariat publishes it.
        return answers_for(user, response.ministry_id)
    return submission_policies.can_view(user, response.submission)


def visible_clause(user):
    """A WHERE clause on ActionItem: what `user` may see (as `can_view_action`)."""
    if roles.is_manager(user):
        return ActionItem.id.is_not(None)
    visible_decision = ActionItem.decision_id.in_(
        select(Decision.id).where(decision_policies.visible_clause(user))
    )
    published_response = (
        select(Response.id)
        .join(Submission, Submission.id == Response.submission_id)
        .where(
            Response.id == ActionItem.response_id,
            Response.status == "gepubliceerd",
            submission_policies.visible_clause(user),
        )
        .exists()
    )
    clauses = [owned_clause(user), visible_decision, published_response]
    ministry_id = ministry_of(user)
    if ministry_id is not None:
        clauses.append(
            select(Response.id)
            .where(Response.id == ActionItem.response_id, Response.ministry_id == ministry_id)
            .exists()
        )
    return or_(*clauses)


def can_create_action(user, origin) -> bool:
    """From a decision: the secretariat. From a response: the secretariat, or the
    ministry drafting it."""
    if roles.is_secretariat(user):
        return True
    is_response = getattr(origin, "submission_id", None) is not None
    return is_response and answers_for(user, getattr(origin, "ministry_id", None))


def can_update_action(user, action) -> bool:
    return action.status in ("gepland", "in_uitvoering") and (
        roles.is_secretariat(user) or is_owner(user, action)
    )


def can_close_submission(user) -> bool:
    return roles.is_secretariat(user)


def _action_event_visible(user, event) -> bool:
    """An action item on a timeline only for who may open the item itself."""
    action = db.session.get(ActionItem, event.data.get("action_item") or 0)
    return action is not None and can_view_action(user, action)


register_visibility("action", _action_event_visible)
