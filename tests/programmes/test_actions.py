"""The rules of a programme action: the letter's fields, the status rules,
versions and the audit trail; and the form's messages per field."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tafel import db
from tafel.core.models import AuditEntry
from tafel.programmes import services
from tafel.programmes.models import ActionVersion, Dimension, ProgrammeAction
from tafel.reference.models import ActionLine
from tests.factories import make_submission, make_user
from tests.programmes.helpers import data, funding, line, make_action, ministry, programme


@pytest.fixture
def secretariat(app_ctx):
    return make_user(roles=("secretariaat",))


def test_an_action_with_every_field_of_the_letter(secretariat):
    dims = {d.slug: d.id for d in db.session.scalars(select(Dimension))}
    action = make_action(
        secretariat,
        status="in_uitvoering",
        amount_eur=0,
        funding_status_id=funding().id,
        start_date=date(2026, 1, 1),
        end_date=date(2027, 12, 31),
        lead_ministry_id=ministry().id,
        impacts={
            dims["verdienvermogen"]: ("hoog", "Meer productie"),
            dims["weerbaarheid"]: ("middel", ""),
        },
    )
    row = db.session.get(ProgrammeAction, action.id)
    assert row.funding_status.label_nl == "Nog geen middelen"
    assert {i.dimension.slug: i.level for i in row.impacts} == {
        "verdienvermogen": "hoog",
        "weerbaarheid": "middel",
    }
    assert row.version == 1
    assert db.session.scalar(select(func.count()).select_from(ActionVersion)) == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": " "}, "title"),
        ({"action_line_id": 99999}, "action_line"),
        ({"start_date": date(2027, 1, 1), "end_date": date(2026, 1, 1)}, "end_date"),
        ({"status": "in_uitvoering", "end_date": date(2027, 1, 1)}, "lead_organisation"),
        ({"status": "in_uitvoering", "lead_ministry_id": -1}, "end_date"),
        ({"status": "vervallen", "reason": "  "}, "reason"),
        ({"amount_eur": -5}, "amount_eur"),
        ({"status": "bestaat-niet"}, "status"),
    ],
)
def test_refused_actions_name_the_field(secretariat, fields, field):
    if fields.get("lead_ministry_id") == -1:
        fields["lead_ministry_id"] = ministry().id
    with pytest.raises(services.ProgrammeError) as refused:
        services.create_action(programme(), secretariat, data(**fields))
    assert refused.value.field == field
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ProgrammeAction)) == 0


def test_an_inactive_action_line_is_not_one_of_the_nine(secretariat):
    row = line("financiering")
    row.active = False
    db.session.commit()
    try:
        with pytest.raises(services.ProgrammeError):
            services.create_action(programme(), secretariat, data(action_line_id=row.id))
    finally:
        db.session.rollback()
        row.active = True
        db.session.commit()


def test_every_change_is_versioned_and_audited_and_a_stale_save_refused(secretariat):
    action = make_action(secretariat)
    changed = services.update_action(action, secretariat, data(title="Nieuwe titel"), version=1)
    db.session.commit()
    assert changed and action.version == 2
    versions = db.session.scalars(
        select(ActionVersion)
        .where(ActionVersion.action_id == action.id)
        .order_by(ActionVersion.version)
    ).all()
    assert [v.data["title"] for v in versions] == [
        "Netcapaciteit voor de chipcluster",
        "Nieuwe titel",
    ]
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "programme_action.update")
    ).one()
    assert entry.before == {"title": "Netcapaciteit voor de chipcluster"}
    assert entry.after == {"title": "Nieuwe titel"}
    # The same form sent again from a tab that still shows version 1.
    with pytest.raises(services.ProgrammeError):
        services.update_action(action, secretariat, data(title="Andere titel"), version=1)
    db.session.rollback()
    assert db.session.get(ProgrammeAction, action.id).title == "Nieuwe titel"


def test_saving_without_a_change_writes_no_version(secretariat):
    action = make_action(secretariat)
    assert services.update_action(action, secretariat, data(), version=1) is False
    db.session.commit()
    assert action.version == 1


def test_a_report_not_yet_accepted_cannot_be_linked(secretariat):
    action = make_action(secretariat)
    sub = make_submission(status="ingediend")
    with pytest.raises(services.ProgrammeError):
        services.link_submission(action, sub, secretariat)


def test_action_lines_are_the_nine_of_the_letter(app_ctx):
    assert db.session.scalar(select(func.count()).select_from(ActionLine)) == 9
