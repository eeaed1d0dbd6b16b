"""Every viewer × visibility × action on a submitted submission.

The whole table runs against the policy predicates directly (fast, no
request); a thin HTTP table then proves that each route is wired to its
policy: one viewer who may and one who may not, per route."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from tafel import db
from tafel.accounts.models import ROLES
from tafel.reference.models import Ministry
from tafel.submissions import policies
from tafel.submissions.models import Comment, CoSignature, Submission
from tests.conftest import csrf_token, login
from tests.factories import make_attachment, make_org, make_submission, make_user
from tests.submissions.helpers import PDF

VIEWERS = ["anonymous", "same-org", *ROLES, "departement-responsible"]
VISIBILITIES = ["openbaar", "tafel", "vertrouwelijk"]
ACTIONS = ["view", "download", "comment", "cosign", "edit", "triage"]
READERS = {
    "openbaar": set(VIEWERS),
    "tafel": {"same-org", "tafellid", "voorzitter", "secretariaat", "departement",
              "departement-responsible"},
    "vertrouwelijk": {"same-org", "secretariaat", "voorzitter", "departement-responsible"},
}  # fmt: skip


def expected(who: str, visibility: str, action: str):
    """(status code, whether the action changed something)."""
    reads = who in READERS[visibility]
    if who == "anonymous":
        if action in ("view", "download"):
            return (200, False) if reads else (404, False)
        return (302, False)  # to the login page
    if action == "triage":
        return (302, True) if who == "secretariaat" else (403, False)
    if not reads:
        return (404, False)
    if action in ("view", "download"):
        return (200, False)
    if action == "comment":
        return (302, True)
    if action == "cosign":
        # Own organisation cannot support itself; the secretariat stays neutral.
        return (302, who not in ("same-org", "secretariaat"))
    if action == "edit":
        return (200, False) if who == "same-org" else (403, False)
    raise AssertionError(action)


def allowed(who: str, visibility: str, action: str) -> bool:
    """What the table says the viewer may do: see the page, or change something."""
    status, changes = expected(who, visibility, action)
    return status == 200 if action in ("view", "download", "edit") else changes


# The predicates -----------------------------------------------------------------------

SUBMITTER_ORG, OTHER_ORG, EZK = 1, 2, 7

PREDICATES = {
    "view": policies.can_view,
    "download": policies.can_view,
    "comment": policies.can_comment,
    "cosign": policies.can_cosign,
    "edit": policies.can_edit,
    "triage": lambda user, sub: policies.can_triage(user),
}


def viewer(who: str):
    """A stand-in for the logged-in user (the predicates read only these)."""
    if who == "anonymous":
        return SimpleNamespace(is_authenticated=False, roles=(), organisation_id=None)
    own = who == "same-org"
    ministry = EZK if who == "departement-responsible" else None
    roles = ("departement",) if who == "departement-responsible" else () if own else (who,)
    return SimpleNamespace(
        is_authenticated=True,
        roles=roles,
        organisation_id=SUBMITTER_ORG if own else OTHER_ORG,
        organisation=SimpleNamespace(ministry_id=ministry, verified=True),
    )


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("who", VIEWERS)
def test_policy_table(who, visibility, action):
    sub = Submission(
        id=1,
        organisation_id=SUBMITTER_ORG,
        status="ingediend",
        visibility=visibility,
        ministry_id=EZK,
        show_organisation=True,
    )
    assert PREDICATES[action](viewer(who), sub) is allowed(who, visibility, action)


# The routes ---------------------------------------------------------------------------

# Per route, on a "tafel" submission: viewers on both sides of its policy.
WIRING = [
    ("view", "tafellid"), ("view", "indiener"), ("view", "anonymous"),
    ("download", "departement"), ("download", "beheerder"), ("download", "anonymous"),
    ("comment", "tafellid"), ("comment", "indiener"), ("comment", "anonymous"),
    ("cosign", "voorzitter"), ("cosign", "secretariaat"), ("cosign", "same-org"),
    ("cosign", "indiener"), ("cosign", "anonymous"),
    ("edit", "same-org"), ("edit", "tafellid"), ("edit", "indiener"), ("edit", "anonymous"),
    ("triage", "secretariaat"), ("triage", "voorzitter"), ("triage", "anonymous"),
]  # fmt: skip


def _build(who: str, visibility: str) -> tuple[int, int]:
    ezk = db.session.scalars(select(Ministry).where(Ministry.slug == "EZK")).one()
    org = make_org()
    sub = make_submission(org=org, visibility=visibility, ministry_id=ezk.id)
    attachment = make_attachment(sub, PDF)
    if who == "same-org":
        make_user(email="who@example.com", org=org)
    elif who == "departement-responsible":
        make_user(email="who@example.com", org=make_org("ministerie", ministry=ezk),
                  roles=("departement",))  # fmt: skip
    elif who != "anonymous":
        make_user(email="who@example.com", roles=(who,))
    return sub.id, attachment.id


def _request(client, action: str, sub_id: int, attachment_id: int):
    token = csrf_token(client)
    if action == "view":
        return client.get(f"/submissions/{sub_id}")
    if action == "download":
        return client.get(f"/submissions/{sub_id}/attachments/{attachment_id}")
    if action == "comment":
        return client.post(f"/submissions/{sub_id}/comments",
                           data={"body": "Reactie", "csrf_token": token})  # fmt: skip
    if action == "cosign":
        return client.post(f"/submissions/{sub_id}/cosign",
                           data={"evidence": "Steun", "csrf_token": token})  # fmt: skip
    if action == "edit":
        return client.get(f"/submissions/{sub_id}/edit")
    return client.post(f"/triage/{sub_id}/take", data={"csrf_token": token})


def _changed(action: str, sub_id: int) -> bool:
    return {
        "comment": lambda: db.session.scalar(select(func.count(Comment.id))) > 0,
        "cosign": lambda: db.session.scalar(select(func.count(CoSignature.id))) > 0,
        "triage": lambda: db.session.get(Submission, sub_id).status != "ingediend",
    }.get(action, lambda: False)()


@pytest.mark.parametrize(("action", "who"), WIRING)
def test_routes_follow_their_policy(app, client, who, action):
    visibility = "tafel"
    with app.app_context():
        sub_id, attachment_id = _build(who, visibility)
    if who != "anonymous":
        login(client, "who@example.com")
    response = _request(client, action, sub_id, attachment_id)
    status, changes = expected(who, visibility, action)
    assert response.status_code == status
    if action == "download" and status == 200:
        assert response.data == PDF
    with app.app_context():
        assert _changed(action, sub_id) is changes


def test_the_wiring_table_has_both_sides_of_every_route():
    for action in ACTIONS:
        outcomes = {allowed(who, "tafel", action) for a, who in WIRING if a == action}
        assert outcomes == {True, False}, action
