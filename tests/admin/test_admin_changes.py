"""Admin changes take effect and each lands in the audit log."""

from __future__ import annotations

from sqlalchemy import select

from tafel import db
from tafel.accounts.models import Organisation, User
from tafel.core.models import AuditEntry
from tafel.reference.models import Market
from tests.conftest import login, post
from tests.factories import make_org, make_user


def audit_entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def admin_client(app, client, roles=("beheerder",)):
    with app.app_context():
        admin = make_user(email="beheer@example.com", roles=roles)
        admin_id = admin.id
    login(client, "beheer@example.com")
    return admin_id


def test_roles_and_deactivation_are_saved_and_audited(app, client):
    admin_id = admin_client(app, client)
    with app.app_context():
        target = make_user(email="t@example.com", roles=("indiener",))
        target_id = target.id
    response = post(
        client,
        f"/admin/users/{target_id}",
        {"name": "Tessa Tafel", "roles": ["tafellid", "indiener"]},  # active unchecked
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, target_id)
        assert user.roles == {"tafellid", "indiener"} and user.active is False
        (entry,) = audit_entries("user.update")
        assert entry.actor_id == admin_id and entry.object_id == target_id
        assert entry.before["active"] is True and entry.after["active"] is False
        assert entry.after["roles"] == ["indiener", "tafellid"]
        assert entry.created_at.utcoffset().total_seconds() == 0


def test_admin_cannot_remove_own_admin_role(app, client):
    admin_id = admin_client(app, client)
    response = post(
        client, f"/admin/users/{admin_id}", {"name": "X", "roles": ["indiener"], "active": "y"}
    )
    assert response.status_code == 422
    with app.app_context():
        assert "beheerder" in db.session.get(User, admin_id).roles


def test_secretariat_verifies_an_organisation(app, client):
    admin_client(app, client, roles=("secretariaat",))
    with app.app_context():
        org = make_org(verified=False)
        org_id = org.id
    assert client.get("/admin/organisations?status=unverified").status_code == 200
    response = post(client, f"/admin/organisations/{org_id}/verify", {"verified": "1"})
    assert response.status_code == 302
    with app.app_context():
        org = db.session.get(Organisation, org_id)
        assert org.verified and org.verified_at is not None
        (entry,) = audit_entries("organisation.verify")
        assert entry.before == {"verified": False} and entry.after == {"verified": True}


def test_verify_by_get_changes_nothing(app, client):
    admin_client(app, client)
    with app.app_context():
        org_id = make_org(verified=False).id
    assert client.get(f"/admin/organisations/{org_id}/verify").status_code == 405
    with app.app_context():
        assert db.session.get(Organisation, org_id).verified is False


def test_organisation_edit_refuses_a_kvk_of_another_organisation(app, client):
    admin_client(app, client)
    with app.app_context():
        make_org(kvk="11112222", name="Eerste B.V.")
        second = make_org(kvk="33334444", name="Tweede B.V.")
        second_id, type_id = second.id, second.org_type_id
    response = post(
        client,
        f"/admin/organisations/{second_id}",
        {
            "name": "Tweede B.V.",
            "org_type": type_id,
            "kvk": "11112222",
            "province": "",
            "city": "Delft",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Eerste B.V." in html and 'value="Delft"' in html
    with app.app_context():
        assert db.session.get(Organisation, second_id).kvk == "33334444"


def test_reference_label_edit_and_deactivation(app, client):
    admin_client(app, client)
    with app.app_context():
        market = db.session.scalars(select(Market).where(Market.slug == "machinebouw")).one()
        market_id, original = market.id, (market.label_nl, market.label_en)
    try:
        response = post(
            client,
            f"/admin/reference/markets/{market_id}",
            {"label_nl": "Machinebouw en systemen", "label_en": "Machine building"},
        )
        assert response.status_code == 302
        with app.app_context():
            market = db.session.get(Market, market_id)
            assert market.label_nl == "Machinebouw en systemen" and market.active is False
            (entry,) = audit_entries("reference.update")
            assert entry.after == {"label_nl": "Machinebouw en systemen", "active": False}
        # An inactive market is no longer offered on the home page.
        home = client.get("/").get_data(as_text=True)
        assert "<li>Machinebouw en systemen</li>" not in home and "<li>Halfgeleiders</li>" in home
    finally:
        with app.app_context():
            market = db.session.get(Market, market_id)
            market.label_nl, market.label_en = original
            market.active = True
            db.session.commit()


def test_user_list_query_count_is_flat(app, client, count_queries):
    admin_client(app, client)

    def queries_for_list() -> int:
        with count_queries() as statements:
            assert client.get("/admin/users").status_code == 200
        return len(statements)

    with app.app_context():
        for _ in range(3):
            make_user()
    few = queries_for_list()
    with app.app_context():
        for _ in range(20):
            make_user()
    assert queries_for_list() == few


def test_organisation_list_query_count_is_flat(app, client, count_queries):
    admin_client(app, client)

    def queries_for_list() -> int:
        with count_queries() as statements:
            assert client.get("/admin/organisations").status_code == 200
        return len(statements)

    few = queries_for_list()
    with app.app_context():
        for _ in range(20):
            make_org()
    assert queries_for_list() == few
