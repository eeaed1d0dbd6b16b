"""The reference data of the filter dropdowns is cached per process under a
version kept in the database: a list page reads no reference table once the
copy is made, and any change — an admin edit here, or a write by another
process — shows on the next request."""

from __future__ import annotations

from sqlalchemy import select, text

from tafel import db
from tafel.core import cache
from tafel.reference import cache as reference_cache
from tafel.reference.models import Market
from tests.conftest import login, post
from tests.factories import make_user

REFERENCE_TABLES = ("markets", "action_lines", "technologies", "missions", "ministries")
RENAME = text("UPDATE markets SET label_nl = :label WHERE slug = 'halfgeleiders'")


def _reads_reference(statements: list[str]) -> list[str]:
    return [s for s in statements if any(f"FROM {t}" in s for t in REFERENCE_TABLES)]


def test_list_page_reads_no_reference_table_once_cached(app, client, count_queries):
    client.get("/submissions/")
    with count_queries() as statements:
        html = client.get("/submissions/").get_data(as_text=True)
    assert "Halfgeleiders" in html  # the market filter is still offered
    assert _reads_reference(statements) == []
    assert sum("cache_versions" in s for s in statements) == 1


def _market(slug: str = "halfgeleiders") -> Market:
    return db.session.scalars(select(Market).where(Market.slug == slug)).one()


def test_admin_edit_shows_on_the_next_request(app, client):
    with app.app_context():
        make_user(email="beheer@example.org", roles=("beheerder",))
        market_id, label = _market().id, _market().label_nl
    assert "Halfgeleiders" in client.get("/submissions/").get_data(as_text=True)
    login(client, "beheer@example.org")
    try:
        post(
            client,
            f"/admin/reference/markets/{market_id}",
            {"label_nl": "Chips en halfgeleiders", "active": "y"},
        )
        assert "Chips en halfgeleiders" in client.get("/submissions/").get_data(as_text=True)
    finally:
        with app.app_context():
            _market().label_nl = label
            db.session.commit()


def test_a_change_by_another_process_is_seen(app, client):
    """Another process changes the row and bumps the version without this
    process's session: the copy here is stale and reloaded."""
    client.get("/submissions/")
    engine = app.extensions["tafel_engine"]
    try:
        with engine.begin() as conn:
            conn.execute(RENAME, {"label": "Elders bewerkt"})
            cache.bump(conn, reference_cache.NAME)
        assert "Elders bewerkt" in client.get("/submissions/").get_data(as_text=True)
    finally:
        with engine.begin() as conn:
            conn.execute(RENAME, {"label": "Halfgeleiders"})
            cache.bump(conn, reference_cache.NAME)


def test_a_rolled_back_change_is_not_kept(app, ctx):
    before = reference_cache.choices(Market)
    market = _market()
    market.label_nl = "Nooit vastgelegd"
    db.session.flush()  # bumps the version inside this transaction
    assert "Nooit vastgelegd" in {c.label_nl for c in reference_cache.choices(Market)}
    db.session.rollback()
    db.session.close()
    from flask import g

    g.pop("cache_versions", None)
    g.pop("cache_bumped", None)
    assert reference_cache.choices(Market) == before
