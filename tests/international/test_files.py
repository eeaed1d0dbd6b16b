"""International files: the reference list, the rules (CELEX, COM, ISO
countries, strategic dependencies always confidential), automatic links by
CELEX number, the 30-day deadline filter, and who sees what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tafel import db
from tafel.core.timefmt import local_today
from tafel.international import policies, services
from tafel.international.models import InternationalFile
from tests.conftest import login, post
from tests.factories import make_submission, make_user


def _data(**fields) -> services.FileData:
    fields.setdefault("title", "Herziening Chips Act")
    fields.setdefault("kind", "eu-wetgeving")
    return services.FileData(**fields)


def test_the_ten_files_of_the_letter_are_loaded(app_ctx):
    assert db.session.scalar(select(func.count()).select_from(InternationalFile)) == 10
    ast = db.session.scalars(
        select(InternationalFile).where(InternationalFile.slug == "ipcei-ast")
    ).one()
    assert ast.kind == "eu-financiering" and [m.slug for m in ast.markets] == ["halfgeleiders"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"celex": "2023R1781"}, "celex"),
        ({"com_number": "COM 2025-1"}, "com_number"),
        ({"countries": "DE, XX"}, "countries"),
        ({"countries": "EU"}, "countries"),
        ({"title": ""}, "title"),
        ({"kind": "onbekend"}, "kind"),
    ],
)
def test_bad_input_names_the_field(app_ctx, fields, field):
    actor = make_user(roles=("secretariaat",))
    with pytest.raises(services.FileError) as refused:
        services.create_file(actor, _data(**fields))
    assert refused.value.field == field


def test_good_identifiers_and_countries_are_kept(app_ctx):
    actor = make_user(roles=("secretariaat",))
    item = services.create_file(
        actor, _data(celex="32023R1781", com_number="COM(2025) 123", countries="de, FR, de")
    )
    assert item.countries == ["DE", "FR"]
    assert services.country_name("DE") == "Duitsland"


def test_a_strategic_dependency_is_always_confidential(app_ctx):
    actor = make_user(roles=("secretariaat",))
    item = services.create_file(
        actor, _data(kind="strategische-afhankelijkheid", visibility="openbaar")
    )
    assert item.visibility == "vertrouwelijk"
    services.update_file(
        item, actor, _data(kind="strategische-afhankelijkheid", visibility="tafel")
    )
    db.session.commit()
    assert item.visibility == "vertrouwelijk"
    assert not policies.can_view(make_user(roles=("tafellid",)), item)


def test_a_report_with_the_files_celex_number_is_linked(app, client):
    with app.app_context():
        actor = make_user(roles=("secretariaat",))
        item = services.create_file(actor, _data(celex="32023R1781"))
        make_submission(
            status="aanvaard",
            visibility="openbaar",
            title="Chips Act-knelpunt",
            regulation_identifier="32023R1781",
        )
        make_submission(
            status="aanvaard",
            visibility="openbaar",
            title="Ander knelpunt",
            regulation_identifier="32019R0452",
        )
        db.session.commit()
        slug = item.slug
    page = client.get(f"/internationaal/{slug}").get_data(as_text=True)
    assert "Chips Act-knelpunt" in page and "via CELEX-nummer" in page
    assert "Ander knelpunt" not in page


def test_deadline_filter_shows_files_due_within_30_days(app, client):
    with app.app_context():
        actor = make_user(roles=("secretariaat",))
        soon = services.create_file(actor, _data(title="Binnenkort"))
        later = services.create_file(actor, _data(title="Later"))
        services.add_date(
            soon,
            actor,
            title="Reactie consultatie",
            day=local_today() + timedelta(days=10),
            deadline=True,
        )
        services.add_date(
            later, actor, title="Raad", day=local_today() + timedelta(days=60), deadline=True
        )
        db.session.commit()
    page = client.get("/internationaal/?soon=y").get_data(as_text=True)
    assert "Binnenkort" in page and ">Later<" not in page
    assert "Reactie consultatie" in page
    everything = client.get("/internationaal/").get_data(as_text=True)
    assert ">Later<" in everything


def test_outsiders_get_404_for_confidential_files(app, client):
    with app.app_context():
        actor = make_user(roles=("secretariaat",))
        item = services.create_file(
            actor, _data(title="Afhankelijkheid grondstoffen", kind="strategische-afhankelijkheid")
        )
        db.session.commit()
        slug = item.slug
        member = make_user(roles=("tafellid",)).email
    assert client.get(f"/internationaal/{slug}").status_code == 404
    assert "Afhankelijkheid grondstoffen" not in client.get("/internationaal/").get_data(
        as_text=True
    )
    login(client, member)
    assert client.get(f"/internationaal/{slug}").status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [("secretariaat", 200), ("voorzitter", 403), ("tafellid", 403), ("beheerder", 403)],
)
def test_only_the_secretariat_adds_files(app, client, role, status):
    with app.app_context():
        email = make_user(roles=(role,)).email
    login(client, email)
    assert client.get("/internationaal/new").status_code == status


def test_the_secretariat_adds_a_file_through_the_form(app, client):
    with app.app_context():
        email = make_user(roles=("secretariaat",)).email
    login(client, email)
    bad = post(
        client,
        "/internationaal/new",
        {
            "title": "Exportkans India",
            "kind": "exportkans",
            "status": "lopend",
            "visibility": "openbaar",
            "countries": "IND",
        },
    )
    assert bad.status_code == 422
    assert "Onbekende landcode: IND" in bad.get_data(as_text=True)
    good = post(
        client,
        "/internationaal/new",
        {
            "title": "Exportkans India",
            "kind": "exportkans",
            "status": "lopend",
            "visibility": "openbaar",
            "countries": "IN",
        },
    )
    assert good.status_code == 302
    assert "India (IN)" in client.get(good.headers["Location"]).get_data(as_text=True)


def test_deadlines_appear_in_the_members_ical_feed(app, client):
    from tests.meetings.test_exports import new_feed, parse

    with app.app_context():
        actor = make_user(roles=("secretariaat",))
        open_file = services.create_file(actor, _data(title="Herziening Chips Act"))
        secret = services.create_file(
            actor, _data(title="Grondstoffen", kind="strategische-afhankelijkheid")
        )
        day = local_today() + timedelta(days=12)
        services.add_date(open_file, actor, title="Consultatie sluit", day=day, deadline=True)
        services.add_date(open_file, actor, title="Raadsvergadering", day=day, deadline=False)
        services.add_date(secret, actor, title="Analyse klaar", day=day, deadline=True)
        db.session.commit()
        email = make_user(roles=("tafellid",)).email
    login(client, email)
    url = new_feed(client)
    events = list(parse(client.get(url).data).walk("VEVENT"))
    summaries = [str(e["SUMMARY"]) for e in events]
    assert summaries == ["Deadline: Consultatie sluit (Herziening Chips Act)"]
    assert events[0]["DTSTART"].dt == day


def test_a_number_too_large_for_an_id_is_refused_on_the_form(app, client):
    with app.app_context():
        actor = make_user(roles=("secretariaat",))
        slug = services.create_file(actor, _data()).slug
        db.session.commit()
        email = actor.email
    login(client, email)
    response = post(
        client, f"/internationaal/{slug}/links", {"kind": "submission", "number": str(10**20)}
    )
    assert response.status_code == 422
    assert "Er is niets met dit nummer." in response.get_data(as_text=True)
