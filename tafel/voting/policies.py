"""Who may see and do what with priority rounds (testable without a request).

A round still in concept (by its times: `PriorityRound.shown_status`) exists
only for the secretariat and the chair; once open, every table role reads it.
"""

from __future__ import annotations

from tafel import db
from tafel.accounts.roles import is_manager, is_secretariat, is_table
from tafel.submissions import policies as submission_policies
from tafel.submissions.models import Submission
from tafel.submissions.timeline import register_visibility


def can_list_rounds(user) -> bool:
    return is_table(user)


def can_create_round(user) -> bool:
    return is_secretariat(user)


def can_manage_round(user, rnd=None) -> bool:
    """Open early, close early, extend: the chair and the secretariat."""
    return is_manager(user)


def can_view_round(user, rnd) -> bool:
    if rnd.shown_status() == "concept":
        return is_manager(user)
    return is_table(user)


def can_see_results(user, rnd) -> bool:
    """During a round only turnout is shown; the result once it is really closed."""
    return rnd.status == "gesloten" and can_view_round(user, rnd)


def can_export(user, rnd) -> bool:
    return can_see_results(user, rnd)


def _round_event_visible(user, event) -> bool:
    """A round on a report's timeline (opened, placed): only for who may read
    rounds — their results are never public — and for the submitting
    organisation, which sees every step of its own report."""
    if is_table(user):
        return True
    sub = db.session.get(Submission, event.submission_id)
    return sub is not None and submission_policies.is_own(user, sub)


register_visibility("round", _round_event_visible)
register_visibility("round_result", _round_event_visible)
