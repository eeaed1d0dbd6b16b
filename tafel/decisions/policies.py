"""Who may see and do what with decisions and their motion votes (testable
without a request), and the SQL clause that applies the same visibility rule.

Visibility follows the submissions: a decision is shown to whoever may read
every submission it concerns and those of its agenda item (a decision without
submissions is as public as its meeting), and to the organisations whose own
report it concerns. The public register lists only what concerns public
submissions; confidential ones never appear there.
"""

from __future__ import annotations

from sqlalchemy import and_, not_, or_, select

from tafel import db
from tafel.accounts import roles
from tafel.decisions.models import Decision, DecisionLink
from tafel.meetings.models import AgendaLink
from tafel.submissions import policies as submission_policies
from tafel.submissions.models import Submission
from tafel.submissions.timeline import register_visibility


def can_view_decision(user, decision) -> bool:
    """Whoever may read every report it concerns and its agenda item; and the
    organisations whose own report it concerns (their step on the timeline)."""
    subs = [link.submission for link in decision.links]
    if any(submission_policies.is_own(user, sub) for sub in subs):
        return True
    item_subs = [link.submission for link in decision.agenda_item.links]
    return all(submission_policies.can_view(user, sub) for sub in subs + item_subs)


def visible_clause(user):
    """A WHERE clause on Decision: what `user` may read (as `can_view_decision`)."""
    hidden = not_(submission_policies.visible_clause(user))
    hidden_link = (
        select(DecisionLink.id)
        .join(Submission, Submission.id == DecisionLink.submission_id)
        .where(DecisionLink.decision_id == Decision.id, hidden)
    )
    hidden_on_item = (
        select(AgendaLink.id)
        .join(Submission, Submission.id == AgendaLink.submission_id)
        .where(AgendaLink.agenda_item_id == Decision.agenda_item_id, hidden)
    )
    visible = and_(~hidden_link.exists(), ~hidden_on_item.exists())
    if not user.is_authenticated:
        return visible
    own = (
        select(DecisionLink.id)
        .join(Submission, Submission.id == DecisionLink.submission_id)
        .where(
            DecisionLink.decision_id == Decision.id,
            Submission.organisation_id == user.organisation_id,
        )
    )
    return or_(visible, own.exists())


def can_record_decision(user) -> bool:
    return roles.is_secretariat(user)


def can_amend(user, decision) -> bool:
    return roles.is_secretariat(user)


def can_open_motion(user, decision) -> bool:
    return roles.is_manager(user) and decision.motion is None


def can_close_motion(user, decision) -> bool:
    """The chair closes the vote (the secretariat stands in when there is no chair)."""
    motion = decision.motion
    return motion is not None and motion.closed_at is None and roles.is_manager(user)


def may_vote(user, decision) -> bool:
    """Shown the ballot: a member while the vote is open (the service checks presence)."""
    motion = decision.motion
    return motion is not None and motion.closed_at is None and roles.is_member(user)


def can_see_motion_votes(user) -> bool:
    """Named votes are for the table; the public sees the result."""
    return roles.is_table(user)


def _decision_event_visible(user, event) -> bool:
    """A decision's number and outcome on a timeline only where its page is visible."""
    decision = db.session.get(Decision, event.data.get("decision") or 0)
    return decision is not None and can_view_decision(user, decision)


register_visibility("decision", _decision_event_visible)
register_visibility("decision_amended", _decision_event_visible)
