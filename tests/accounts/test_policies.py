"""The account policies as plain predicates: every role against every policy."""

from __future__ import annotations

import pytest

from tafel.accounts import policies
from tafel.accounts.models import ROLES, User, UserRole

EXPECTED = {
    policies.can_manage_users: {"beheerder"},
    policies.can_manage_organisations: {"beheerder", "secretariaat"},
    policies.can_manage_reference: {"beheerder"},
    policies.can_read_audit_log: {"beheerder"},
}


def user_with(role: str) -> User:
    return User(email=f"{role}@example.org", role_rows=[UserRole(role=role)])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("policy", list(EXPECTED), ids=lambda p: p.__name__)
def test_policy_table(policy, role):
    assert policy(user_with(role)) is (role in EXPECTED[policy])


class Anonymous:
    is_authenticated = False


@pytest.mark.parametrize("policy", list(EXPECTED), ids=lambda p: p.__name__)
def test_anonymous_may_do_nothing(policy):
    assert policy(Anonymous()) is False


def test_user_with_several_roles_gets_the_union():
    user = User(role_rows=[UserRole(role="tafellid"), UserRole(role="secretariaat")])
    assert policies.can_manage_organisations(user)
    assert not policies.can_manage_users(user)
