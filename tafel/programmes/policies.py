"""Who may see and do what with programmes, goals, actions and updates.

Visibility works as for reports (DESIGN §5): openbaar for everyone, tafel for
the table roles, vertrouwelijk for the secretariat, the chair and the lead
ministry. An action is visible when both it and its programme are.
`visible_actions(user)` is the one filter for pages, exports, feeds, search
and the API; `can_view_action` is the same rule for one loaded action (a test
checks that they agree).
"""

from __future__ import annotations

from sqlalchemy import and_, false, or_, select, true

from tafel.accounts import roles
from tafel.programmes.models import Programme, ProgrammeAction


def ministry_of(user) -> int | None:
    return user.organisation.ministry_id if user.is_authenticated else None


def _level_clause(user, visibility, ministry_columns):
    if roles.is_manager(user):
        return true()
    clauses = [visibility == "openbaar"]
    if roles.is_table(user):
        clauses.append(visibility == "tafel")
    ministry = ministry_of(user)
    if roles.is_ministry(user) and ministry:
        clauses.append(
            and_(visibility == "vertrouwelijk", or_(*(c == ministry for c in ministry_columns)))
        )
    return or_(*clauses) if clauses else false()


def _level_ok(user, visibility: str, ministry_ids) -> bool:
    if visibility == "openbaar" or roles.is_manager(user):
        return True
    if visibility == "tafel":
        return roles.is_table(user)
    ministry = ministry_of(user)
    return roles.is_ministry(user) and ministry is not None and ministry in ministry_ids


def visible_programmes_clause(user):
    return _level_clause(user, Programme.visibility, [Programme.lead_ministry_id])


def can_view_programme(user, programme: Programme) -> bool:
    return _level_ok(user, programme.visibility, {programme.lead_ministry_id})


def visible_actions(user):
    """SELECT ProgrammeAction (joined to its programme) that `user` may read."""
    return (
        select(ProgrammeAction)
        .join(Programme, Programme.id == ProgrammeAction.programme_id)
        .where(
            visible_programmes_clause(user),
            _level_clause(
                user,
                ProgrammeAction.visibility,
                [ProgrammeAction.lead_ministry_id, Programme.lead_ministry_id],
            ),
        )
    )


def can_view_action(user, action: ProgrammeAction) -> bool:
    programme = action.programme
    return can_view_programme(user, programme) and _level_ok(
        user, action.visibility, {action.lead_ministry_id, programme.lead_ministry_id}
    )


def can_manage_programmes(user) -> bool:
    """Add a programme, change its particulars and goals: the secretariat."""
    return roles.is_secretariat(user)


def can_edit_actions(user, programme: Programme) -> bool:
    """Add and change actions, milestones and updates: the secretariat, the
    programme's EZ lead and the lead ministry's liaisons."""
    if not user.is_authenticated or not can_view_programme(user, programme):
        return False
    if roles.is_secretariat(user) or programme.ez_lead_id == user.id:
        return True
    return roles.is_ministry(user) and ministry_of(user) == programme.lead_ministry_id


def can_update_action(user, action: ProgrammeAction) -> bool:
    return can_view_action(user, action) and can_edit_actions(user, action.programme)


def can_link_submissions(user) -> bool:
    """Link a report to an action (when accepting it, or later): the secretariat."""
    return roles.is_secretariat(user)
