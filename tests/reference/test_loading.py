"""Reference data comes from taxonomy.json, loads idempotently and keeps admin edits."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from tafel import db
from tafel.reference.models import KINDS, Ministry, OrganisationType
from tafel.reference.services import current_ministries, load_reference_data


@pytest.fixture
def taxonomy(app):
    path = app.config["REFERENCE_DIR"] / "taxonomy.json"
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("kind", list(KINDS))
def test_counts_match_the_file(app_ctx, taxonomy, kind):
    model = KINDS[kind]
    assert db.session.scalar(select(func.count(model.id))) == len(taxonomy[kind])


def test_loading_twice_adds_nothing_and_keeps_admin_edits(app, ctx, taxonomy):
    ministry = db.session.scalars(select(Ministry).where(Ministry.slug == "EZK")).one()
    ministry.label_nl = "Aangepast door beheer"
    added = load_reference_data(taxonomy)
    assert sum(added.values()) == 0
    assert ministry.label_nl == "Aangepast door beheer"


def test_ministries_have_validity_and_successors(ctx):
    ministries = {m.slug: m for m in db.session.scalars(select(Ministry))}
    assert ministries["EZ"].valid_until == date(2026, 2, 23)
    assert ministries["EZ"].successor is ministries["EZK"]
    assert ministries["VRO"].successor is ministries["BZK"]
    current = {m.slug for m in current_ministries(date(2026, 11, 28))}
    assert "EZK" in current and "EZ" not in current and "KGG" not in current
    earlier = {m.slug for m in current_ministries(date(2025, 6, 1))}
    assert "EZ" in earlier and "EZK" not in earlier


def test_organisation_types_know_constituency_and_kvk(ctx, taxonomy):
    for entry in taxonomy["organisation_types"]:
        row = db.session.scalars(
            select(OrganisationType).where(OrganisationType.slug == entry["slug"])
        ).one()
        assert row.constituency.slug == entry["constituency"]
        assert row.kvk_required is bool(entry["kvk"])


def test_english_labels_come_from_the_file(app, taxonomy):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        from tafel.reference.models import Market

        market = db.session.scalars(select(Market).where(Market.slug == "halfgeleiders")).one()
        assert market.label == taxonomy["markets"][0]["en"]
