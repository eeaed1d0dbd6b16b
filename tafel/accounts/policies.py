"""Who may do what with accounts and organisations (testable without a request).
The roles and their groups live in tafel.accounts.roles."""

from __future__ import annotations

from flask import url_for

from tafel.accounts.roles import BEHEERDER, SECRETARIAAT, has_any, is_admin, is_secretariat


def can_manage_users(user) -> bool:
    return is_admin(user)


def can_manage_organisations(user) -> bool:
    """Verifying and editing organisations: the beheerder and the secretariat."""
    return has_any(user, {BEHEERDER, SECRETARIAAT})


def can_manage_reference(user) -> bool:
    return is_admin(user)


def can_read_audit_log(user) -> bool:
    return is_admin(user)


def can_read_object_audit(user) -> bool:
    """One object's audit trail: the administrator and the secretariat."""
    return has_any(user, {BEHEERDER, SECRETARIAAT})


def landing_url(user) -> str:
    """Where a user lands after logging in."""
    if is_admin(user):
        return url_for("admin.index")
    if is_secretariat(user):
        return url_for("triage.inbox")
    return url_for("account.overview")
