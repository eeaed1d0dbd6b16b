"""Who sees and does what: the permission table over roles, visibility levels
and actions, the one filter agreeing with the single-object rule, and 404s."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tafel import db
from tafel.accounts.models import Organisation
from tafel.programmes import policies
from tafel.programmes.models import ProgrammeAction
from tafel.progress.models import Indicator
from tests.conftest import login, post
from tests.factories import make_org, make_user
from tests.programmes.helpers import line, make_action, ministry, programme

ROLES = [
    "anoniem",
    "indiener",
    "tafellid",
    "departement-trekker",
    "departement-ander",
    "secretariaat",
    "voorzitter",
    "beheerder",
]


class Anonymous:
    is_authenticated = False
    roles: tuple = ()
    id = None


def _user(role: str):
    if role == "anoniem":
        return Anonymous()
    if role.startswith("departement"):
        slug = "EZK" if role == "departement-trekker" else "IenW"
        org = make_org("ministerie", ministry=ministry(slug))
        return make_user(roles=("departement",), org=org)
    return make_user(roles=(role,))


# role -> (sees openbaar, sees tafel, sees vertrouwelijk, edits actions, links reports)
TABLE = {
    "anoniem": (True, False, False, False, False),
    "indiener": (True, False, False, False, False),
    "tafellid": (True, True, False, False, False),
    "departement-trekker": (True, True, True, True, False),
    "departement-ander": (True, True, False, False, False),
    "secretariaat": (True, True, True, True, True),
    "voorzitter": (True, True, True, False, False),
    "beheerder": (True, False, False, False, False),
}


@pytest.mark.parametrize("role", ROLES)
def test_permission_table(app_ctx, role):
    author = make_user(roles=("secretariaat",))
    actions = {
        v: make_action(author, visibility=v, title=v)
        for v in ("openbaar", "tafel", "vertrouwelijk")
    }
    user = _user(role)
    see_open, see_table, see_secret, edit, link = TABLE[role]
    expected = {"openbaar": see_open, "tafel": see_table, "vertrouwelijk": see_secret}
    for visibility, action in actions.items():
        assert policies.can_view_action(user, action) is expected[visibility], visibility
        assert policies.can_update_action(user, action) is (edit and expected[visibility])
    listed = {a.visibility for a in db.session.scalars(policies.visible_actions(user))}
    assert listed == {v for v, ok in expected.items() if ok}
    assert policies.can_edit_actions(user, programme()) is edit
    assert policies.can_link_submissions(user) is link
    assert policies.can_manage_programmes(user) is (role == "secretariaat")


def test_a_hidden_programme_hides_its_public_actions(app_ctx):
    author = make_user(roles=("secretariaat",))
    action = make_action(author, visibility="openbaar")
    action.programme.visibility = "tafel"
    db.session.commit()
    outsider = make_user()
    assert not policies.can_view_action(outsider, action)
    assert list(db.session.scalars(policies.visible_actions(outsider))) == []


def test_an_outsider_gets_404_for_hidden_actions_and_sees_none_in_pages_or_exports(app, client):
    with app.app_context():
        author = make_user(roles=("secretariaat",))
        hidden = make_action(author, visibility="tafel", title="Tafelactie")
        secret = make_action(author, visibility="vertrouwelijk", title="Vertrouwelijke actie")
        public = make_action(author, visibility="openbaar", title="Openbare actie")
        ids = (hidden.id, secret.id, public.id)
        outsider = make_user().email
    for signed_in in (False, True):
        if signed_in:
            login(client, outsider)
        assert client.get(f"/programmes/actions/{ids[0]}").status_code == 404
        assert client.get(f"/programmes/actions/{ids[1]}").status_code == 404
        assert client.get(f"/programmes/actions/{ids[2]}").status_code == 200
        for url in ("/programmes/halfgeleiders", "/programmes/halfgeleiders/actions.csv"):
            body = client.get(url).get_data(as_text=True)
            assert "Openbare actie" in body
            assert "Tafelactie" not in body and "Vertrouwelijke actie" not in body
        assert client.get(f"/programmes/actions/{ids[0]}/edit").status_code in (302, 404)


def test_an_outsider_cannot_post_to_an_action(app, client):
    with app.app_context():
        author = make_user(roles=("secretariaat",))
        action = make_action(author, visibility="openbaar")
        member = make_user(roles=("tafellid",)).email
    login(client, member)
    assert (
        post(
            client,
            f"/programmes/actions/{action.id}/progress",
            {"rag": "groen", "text": "x", "day": "2026-12-01"},
        ).status_code
        == 403
    )
    assert post(client, "/programmes/halfgeleiders/actions/new", {"title": "x"}).status_code == 403


@pytest.mark.parametrize(
    ("role", "status"),
    [("beheerder", 200), ("secretariaat", 403), ("tafellid", 403), ("indiener", 403)],
)
def test_only_the_beheerder_imports_indicators(app, client, role, status):
    with app.app_context():
        email = make_user(roles=(role,)).email
    login(client, email)
    assert client.get("/voortgang/import").status_code == status
    assert client.get("/voortgang/").status_code == 200


def test_indicators_are_public(app, client):
    with app.app_context():
        assert db.session.scalar(select(Indicator).limit(1)) is not None
    assert "R&amp;D-intensiteit" in client.get("/voortgang/").get_data(as_text=True)


def test_query_counts_are_flat_on_the_programme_page(app, client, count_queries):
    counts = []
    with app.app_context():
        author = make_user(roles=("secretariaat",))
        email = author.email
    login(client, email)
    for total in (10, 500):
        with app.app_context():
            prog = programme()
            have = db.session.query(ProgrammeAction).count()
            org = db.session.scalars(select(Organisation)).first()
            for n in range(have, total):
                db.session.add(
                    ProgrammeAction(
                        programme_id=prog.id,
                        action_line_id=line().id,
                        title=f"Actie {n}",
                        created_by_id=author.id,
                        lead_organisation_id=org.id,
                    )
                )
            db.session.commit()
        with count_queries() as statements:
            response = client.get("/programmes/halfgeleiders")
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    with count_queries() as statements:
        client.get("/voortgang/")
    assert len(statements) < 15
