"""Sector leads: assigned on /admin/sectorleads, told of a new report in their
sector, warned about on /admin/; the report list and triage inbox filter by
sector and theme."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tafel import db
from tafel.accounts import sectorleads
from tafel.notifications.models import Notification
from tafel.reference.models import Ministry, Sector, Theme
from tafel.submissions import workflow
from tests.conftest import csrf_token, login, post
from tests.factories import make_org, make_submission, make_user


def _sector(slug: str) -> Sector:
    return db.session.scalars(select(Sector).where(Sector.slug == slug)).one()


def _theme(slug: str) -> Theme:
    return db.session.scalars(select(Theme).where(Theme.slug == slug)).one()


def test_a_new_report_in_a_sector_reaches_its_lead(app_ctx):
    admin = make_user(roles=("beheerder",))
    lead = make_user(roles=("departement",))
    other = make_user(roles=("departement",))
    sectorleads.set_leads(_sector("chemie"), [lead.id], admin)
    sectorleads.set_leads(_sector("bouw"), [other.id], admin)
    sub = make_submission(status="concept", sector_id=_sector("chemie").id)
    workflow.submit_submission(sub, sub.author)
    db.session.commit()
    told = db.session.scalars(
        select(Notification.user_id).where(
            Notification.title.startswith("Nieuwe melding in uw sector")
        )
    ).all()
    assert told == [lead.id]


def test_a_lead_who_may_not_see_a_confidential_report_is_not_told(app_ctx):
    admin = make_user(roles=("beheerder",))
    ministries = db.session.scalars(select(Ministry).order_by(Ministry.id).limit(2)).all()
    own, foreign = ministries
    insider = make_user(roles=("departement",), org=make_org("ministerie", ministry=own))
    outsider = make_user(roles=("departement",), org=make_org("ministerie", ministry=foreign))
    sectorleads.set_leads(_sector("chemie"), [insider.id, outsider.id], admin)
    sub = make_submission(
        status="concept",
        visibility="vertrouwelijk",
        title="Geheim dossier",
        sector_id=_sector("chemie").id,
        ministry_id=own.id,
    )
    workflow.submit_submission(sub, sub.author)
    db.session.commit()
    told = db.session.scalars(
        select(Notification.user_id).where(Notification.title.contains("Geheim dossier"))
    ).all()
    assert outsider.id not in told
    assert insider.id in told


def test_admin_warns_about_sectors_without_a_lead_and_assigns_them(app, client):
    with app.app_context():
        email = make_user(roles=("beheerder",)).email
        lead = make_user(roles=("secretariaat",))
        chemie, lead_id = _sector("chemie").id, lead.id
        total = db.session.query(Sector).filter(Sector.active.is_(True)).count()
    login(client, email)
    page = client.get("/admin/").get_data(as_text=True)
    assert f"{total} sectoren hebben geen contactpersoon bij EZ" in page
    response = post(client, "/admin/sectorleads", {f"sector-{chemie}": str(lead_id)})
    assert response.status_code == 302
    page = client.get("/admin/").get_data(as_text=True)
    assert f"{total - 1} sectoren hebben geen contactpersoon bij EZ" in page
    with app.app_context():
        assert [u.id for u in sectorleads.leads_of(chemie)] == [lead_id]


@pytest.mark.parametrize(
    ("role", "status"),
    [("beheerder", 200), ("secretariaat", 200), ("tafellid", 403), ("departement", 403)],
)
def test_who_assigns_sector_leads(app, client, role, status):
    with app.app_context():
        email = make_user(roles=(role,)).email
    login(client, email)
    assert client.get("/admin/sectorleads").status_code == status


def test_report_list_and_inbox_filter_by_sector_and_theme(app, client):
    with app.app_context():
        chemie, bouw = _sector("chemie").id, _sector("bouw").id
        net = _theme("netcongestie").id
        make_submission(
            status="ingediend",
            visibility="openbaar",
            title="Chemie-melding",
            sector_id=chemie,
            theme_id=net,
        )
        make_submission(
            status="ingediend", visibility="openbaar", title="Bouw-melding", sector_id=bouw
        )
        email = make_user(roles=("secretariaat",)).email
    listing = client.get(f"/submissions/?sector={chemie}").get_data(as_text=True)
    assert "Chemie-melding" in listing and "Bouw-melding" not in listing
    listing = client.get(f"/submissions/?theme={net}").get_data(as_text=True)
    assert "Chemie-melding" in listing and "Bouw-melding" not in listing
    login(client, email)
    inbox = client.get(f"/triage/?sector={bouw}").get_data(as_text=True)
    assert "Bouw-melding" in inbox and "Chemie-melding" not in inbox
    inbox = client.get("/triage/").get_data(as_text=True)
    assert "Bouw-melding" in inbox and "Chemie-melding" in inbox


def test_a_lead_field_that_is_no_plain_number_is_ignored(app, client):
    with app.app_context():
        email = make_user(roles=("beheerder",)).email
        lead_id = make_user(roles=("secretariaat",)).id
        chemie = _sector("chemie").id
    login(client, email)
    response = client.post(
        "/admin/sectorleads",
        data={"csrf_token": csrf_token(client), f"sector-{chemie}": ["²", "٣", str(lead_id)]},
    )
    assert response.status_code == 302
    with app.app_context():
        assert [u.id for u in sectorleads.leads_of(chemie)] == [lead_id]
