"""Every viewer × visibility × action on a submitted submission, over HTTP."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tafel import db
from tafel.accounts.models import ROLES
from tafel.reference.models import Ministry
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


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("who", VIEWERS)
def test_permission_table(app, client, who, visibility, action):
    with app.app_context():
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
        sub_id, attachment_id = sub.id, attachment.id
    if who != "anonymous":
        login(client, "who@example.com")
    token = csrf_token(client)
    if action == "view":
        response = client.get(f"/submissions/{sub_id}")
    elif action == "download":
        response = client.get(f"/submissions/{sub_id}/attachments/{attachment_id}")
    elif action == "comment":
        response = client.post(f"/submissions/{sub_id}/comments",
                               data={"body": "Reactie", "csrf_token": token})  # fmt: skip
    elif action == "cosign":
        response = client.post(f"/submissions/{sub_id}/cosign",
                               data={"evidence": "Steun", "csrf_token": token})  # fmt: skip
    elif action == "edit":
        response = client.get(f"/submissions/{sub_id}/edit")
    else:
        response = client.post(f"/triage/{sub_id}/take", data={"csrf_token": token})
    status, changes = expected(who, visibility, action)
    assert response.status_code == status
    if action == "download" and status == 200:
        assert response.data == PDF
    with app.app_context():
        changed = {
            "comment": lambda: db.session.scalar(select(func.count(Comment.id))) > 0,
            "cosign": lambda: db.session.scalar(select(func.count(CoSignature.id))) > 0,
            "triage": lambda: db.session.get(Submission, sub_id).status != "ingediend",
        }.get(action, lambda: False)()
    assert changed is changes
