"""Who may reach which admin page: every role × every action against the
policies (fast), and one HTTP table proving each route asks its policy."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tafel import db
from tafel.accounts import policies
from tafel.accounts.models import ROLES, AccessRequest, User, UserRole
from tafel.reference.models import Market
from tests.conftest import csrf_token, login
from tests.factories import make_org, make_user

# action: (method, url template, the policy guarding the route, roles allowed)
ACTIONS = {
    "admin index": (
        "GET",
        "/admin/",
        policies.can_manage_organisations,
        {"beheerder", "secretariaat"},
    ),
    "list users": ("GET", "/admin/users", policies.can_manage_users, {"beheerder"}),
    "view user": ("GET", "/admin/users/{user}", policies.can_manage_users, {"beheerder"}),
    "edit user": ("POST", "/admin/users/{user}", policies.can_manage_users, {"beheerder"}),
    "list organisations": (
        "GET",
        "/admin/organisations",
        policies.can_manage_organisations,
        {"beheerder", "secretariaat"},
    ),
    "view organisation": (
        "GET",
        "/admin/organisations/{org}",
        policies.can_manage_organisations,
        {"beheerder", "secretariaat"},
    ),
    "verify organisation": (
        "POST",
        "/admin/organisations/{org}/verify",
        policies.can_manage_organisations,
        {"beheerder", "secretariaat"},
    ),
    "list reference": (
        "GET",
        "/admin/reference/markets",
        policies.can_manage_reference,
        {"beheerder"},
    ),
    "edit reference": (
        "POST",
        "/admin/reference/markets/{market}",
        policies.can_manage_reference,
        {"beheerder"},
    ),
    "audit log": ("GET", "/admin/audit", policies.can_read_audit_log, {"beheerder"}),
    "list access requests": (
        "GET",
        "/admin/access-requests",
        policies.can_manage_organisations,
        {"beheerder", "secretariaat"},
    ),
    "decide access request": (
        "POST",
        "/admin/access-requests/{access}",
        policies.can_manage_organisations,
        {"beheerder", "secretariaat"},
    ),
}


class Anonymous:
    is_authenticated = False


def user_with(role: str | None):
    if role is None:
        return Anonymous()
    return User(email=f"{role}@example.org", role_rows=[UserRole(role=role)])


# Every role against the policy of every action: plain predicates, no requests.


@pytest.mark.parametrize("role", [None, *ROLES])
@pytest.mark.parametrize("action", list(ACTIONS))
def test_admin_policy_table(role, action):
    _method, _url, policy, allowed = ACTIONS[action]
    assert policy(user_with(role)) is (role in allowed)


# Each route is wired to its policy: anonymous, the nearest refused role and the
# least privileged allowed role, over HTTP.


def wiring_roles(allowed: set[str]) -> list[str | None]:
    refused = "secretariaat" if "secretariaat" not in allowed else "tafellid"
    permitted = "secretariaat" if "secretariaat" in allowed else "beheerder"
    return [None, refused, permitted]


WIRING = [
    pytest.param(action, role, id=f"{action}-{role}")
    for action, (_m, _u, _p, allowed) in ACTIONS.items()
    for role in wiring_roles(allowed)
]


def _access_request(org) -> int:
    row = AccessRequest(organisation=org, name="Mila", email="mila@example.com", password_hash="x")
    db.session.add(row)
    db.session.commit()
    return row.id


def form_for(action: str, ids: dict) -> dict:
    if action == "edit user":
        return {"name": "Nieuwe Naam", "roles": ["indiener"], "active": "y"}
    if action == "verify organisation":
        return {"verified": "1"}
    if action == "decide access request":
        return {"decision": "reject"}
    if action == "edit reference":
        return {"label_nl": "Halfgeleiders", "label_en": "Semiconductors", "active": "y"}
    return {}


@pytest.mark.parametrize("action, role", WIRING)
def test_admin_routes_use_their_policy(app, client, role, action):
    method, template, _policy, allowed = ACTIONS[action]
    with app.app_context():
        target = make_user(email="target@example.com", org=make_org(verified=False))
        ids = {
            "user": target.id,
            "org": target.organisation_id,
            "market": db.session.scalars(select(Market.id).order_by(Market.id)).first(),
            "access": _access_request(target.organisation),
        }
        if role:
            make_user(email="actor@example.com", roles=(role,))
    if role:
        assert login(client, "actor@example.com").status_code == 302
    url = template.format(**ids)
    if method == "GET":
        response = client.get(url)
    else:
        data = form_for(action, ids) | {"csrf_token": csrf_token(client)}
        response = client.post(url, data=data)
    if role is None:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/login")
    elif role in allowed:
        assert response.status_code == (200 if method == "GET" else 302)
    else:
        assert response.status_code == 403
        assert "Geen toegang" in response.get_data(as_text=True)


def test_unknown_ids_are_404(app, client):
    with app.app_context():
        make_user(email="beheer@example.com", roles=("beheerder",))
    login(client, "beheer@example.com")
    for url in [
        "/admin/users/99999",
        "/admin/organisations/99999",
        "/admin/reference/nope",
        "/admin/reference/markets/99999",
    ]:
        assert client.get(url).status_code == 404, url
