"""The one visibility filter: every role × visibility × status, and the SQL
filter agrees with the check on a loaded submission."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from tafel import db
from tafel.accounts.models import ROLES
from tafel.reference.models import Ministry
from tafel.submissions.models import Submission
from tafel.submissions.policies import can_view, visible_clause
from tests.factories import make_org, make_submission, make_user

VIEWERS = ["anonymous", "same-org", *ROLES, "departement-responsible"]
VISIBILITIES = ["openbaar", "tafel", "vertrouwelijk"]

# Who reads a published (non-concept) submission, per DESIGN.md §5.
EXPECTED = {
    "openbaar": set(VIEWERS),
    "tafel": {"same-org", "tafellid", "voorzitter", "secretariaat", "departement",
              "departement-responsible"},
    "vertrouwelijk": {"same-org", "secretariaat", "voorzitter", "departement-responsible"},
}  # fmt: skip


def viewer(kind: str, submitter_org, ministry):
    if kind == "anonymous":
        return AnonymousUserMixin()
    if kind == "same-org":
        return make_user(org=submitter_org, roles=("indiener",))
    if kind == "departement-responsible":
        return make_user(org=make_org("ministerie", ministry=ministry), roles=("departement",))
    return make_user(org=make_org(), roles=(kind,))


@pytest.mark.parametrize("status", ["ingediend", "concept"])
@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("who", VIEWERS)
def test_visibility_table(app, who, visibility, status):
    with app.test_request_context():
        ezk = db.session.scalars(select(Ministry).where(Ministry.slug == "EZK")).one()
        submitter_org = make_org()
        sub = make_submission(
            org=submitter_org, visibility=visibility, status=status, ministry_id=ezk.id
        )
        user = viewer(who, submitter_org, ezk)
        if status == "concept":
            expected = who == "same-org"
        else:
            expected = who in EXPECTED[visibility]
        assert can_view(user, sub) is expected
        listed = db.session.scalars(
            select(Submission.id).where(visible_clause(user), Submission.id == sub.id)
        ).all()
        assert (listed == [sub.id]) is expected


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("who", ["anonymous", "indiener", "tafellid"])
def test_detail_page_answers_404_not_403(app, client, who, visibility):
    from tests.conftest import login

    with app.app_context():
        sub = make_submission(visibility=visibility)
        sub_id = sub.id
        if who != "anonymous":
            make_user(email="viewer@example.com", roles=(who,))
    if who != "anonymous":
        login(client, "viewer@example.com")
    visible = visibility == "openbaar" or (visibility == "tafel" and who == "tafellid")
    response = client.get(f"/submissions/{sub_id}")
    assert response.status_code == (200 if visible else 404)
