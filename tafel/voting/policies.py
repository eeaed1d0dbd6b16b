"""Who may see and do what with priority rounds (testable without a request)."""

from __future__ import annotations

ROUND_READERS = frozenset({"tafellid", "voorzitter", "secretariaat", "departement"})
ROUND_MANAGERS = frozenset({"secretariaat", "voorzitter"})


def _roles(user) -> frozenset[str]:
    return frozenset(user.roles) if user.is_authenticated else frozenset()


def can_list_rounds(user) -> bool:
    return bool(_roles(user) & ROUND_READERS)


def can_create_round(user) -> bool:
    return "secretariaat" in _roles(user)


def can_manage_round(user, rnd=None) -> bool:
    """Open early, close early, extend: the chair and the secretariat."""
    return bool(_roles(user) & ROUND_MANAGERS)


def can_view_round(user, rnd) -> bool:
    roles = _roles(user)
    if rnd.status == "concept":
        return bool(roles & ROUND_MANAGERS)
    return bool(roles & ROUND_READERS)


def can_see_results(user, rnd) -> bool:
    """During a round only turnout is shown; the result after closing."""
    return rnd.status == "gesloten" and can_view_round(user, rnd)


def can_export(user, rnd) -> bool:
    return can_see_results(user, rnd)
