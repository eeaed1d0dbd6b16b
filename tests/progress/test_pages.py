"""/voortgang/: the gap to the target with source and period, chart and table,
the same figures in the CSV; the beheerder's import page."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import func, select

from tafel import db
from tafel.progress.models import Observation
from tests.conftest import login, post
from tests.factories import make_user

FIXTURES = Path(__file__).parent / "fixtures"


def _import(client, name: str, fmt: str, indicator: str = ""):
    return post(
        client,
        "/voortgang/import",
        {
            "upload": (io.BytesIO((FIXTURES / name).read_bytes()), name),
            "format": fmt,
            "indicator": indicator,
            "retrieved_on": "2026-12-01",
        },
        content_type="multipart/form-data",
    )


def _admin(app, client):
    with app.app_context():
        email = make_user(roles=("beheerder",)).email
    login(client, email)


def test_the_beheerder_imports_sdmx_and_the_page_shows_the_gap(app, client):
    _admin(app, client)
    response = _import(client, "rd_e_gerdtot_nl.sdmx.csv", "sdmx-csv", "rd-intensiteit")
    assert response.status_code == 302
    page = client.get("/voortgang/").get_data(as_text=True)
    # Latest 2.24 % (2023, provisional) against at least 3 % in 2030.
    assert "2,24%" in page and "(2023)" in page and "voorlopig" in page
    assert "0,76 procentpunt" in page  # the gap
    assert "0,11 procentpunt per jaar tot 2030" in page  # 0.76 over 7 years
    assert "Eurostat ESTAT:RD_E_GERDTOT" in page
    assert "<svg" in page and 'role="img"' in page and "<desc" in page
    assert "<table" in page and "<caption" in page
    csv = client.get("/voortgang/observations.csv").get_data(as_text=True)
    assert "rd-intensiteit;2023;2.24;%;voorlopig" in csv
    assert "voorbeeldcijfers" not in page


def test_an_import_with_errors_lists_rows_and_imports_nothing(app, client):
    _admin(app, client)
    response = _import(client, "bad_rows.csv", "csv")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Rij 2, indicator" in html and "Rij 3, periode" in html and "Rij 4, waarde" in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Observation)) == 0


def test_demo_figures_say_so(app, client):
    from datetime import date

    with app.app_context():
        from tafel.progress.models import DEMO_SOURCE, Indicator

        ind = db.session.scalars(select(Indicator).where(Indicator.slug == "rd-intensiteit")).one()
        db.session.add(
            Observation(
                indicator_id=ind.id,
                period="2024",
                value=2.3,
                source=DEMO_SOURCE,
                retrieved_on=date(2026, 12, 1),
                demo=True,
            )
        )
        db.session.commit()
    page = client.get("/voortgang/").get_data(as_text=True)
    assert "voorbeeldcijfers (demo)" in page
