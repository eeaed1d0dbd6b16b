"""Who sees and changes international files: visibility as for reports (one
filter for pages, exports and the API); the secretariat keeps them."""

from __future__ import annotations

from sqlalchemy import and_, or_, true

from tafel.accounts import roles
from tafel.international.models import InternationalFile


def _ministry(user) -> int | None:
    return user.organisation.ministry_id if user.is_authenticated else None


def visible_clause(user):
    if roles.is_manager(user):
        return true()
    clauses = [InternationalFile.visibility == "openbaar"]
    if roles.is_table(user):
        clauses.append(InternationalFile.visibility == "tafel")
    if roles.is_ministry(user) and _ministry(user):
        clauses.append(
            and_(
                InternationalFile.visibility == "vertrouwelijk",
                InternationalFile.lead_ministry_id == _ministry(user),
            )
        )
    return or_(*clauses)


def can_view(user, item: InternationalFile) -> bool:
    if item.visibility == "openbaar" or roles.is_manager(user):
        return True
    if item.visibility == "tafel":
        return roles.is_table(user)
    return roles.is_ministry(user) and _ministry(user) == item.lead_ministry_id is not None


def can_edit(user) -> bool:
    return roles.is_secretariat(user)
