"""Who may do what with accounts and organisations (testable without a request)."""

from __future__ import annotations

from flask import url_for


def can_manage_users(user) -> bool:
    return user.is_authenticated and user.has_role("beheerder")


def can_manage_organisations(user) -> bool:
    """Verifying and editing organisations: the beheerder and the secretariat."""
    return user.is_authenticated and user.has_role("beheerder", "secretariaat")


def can_manage_reference(user) -> bool:
    return user.is_authenticated and user.has_role("beheerder")


def can_read_audit_log(user) -> bool:
    return user.is_authenticated and user.has_role("beheerder")


def can_read_object_audit(user) -> bool:
    """One object's audit trail: the administrator and the secretariat."""
    return user.is_authenticated and user.has_role("beheerder", "secretariaat")


def landing_url(user) -> str:
    """Where a user lands after logging in."""
    if user.has_role("beheerder"):
        return url_for("admin.index")
    if user.has_role("secretariaat"):
        return url_for("triage.inbox")
    return url_for("account.overview")
