"""programmes.json is loaded once, completely, and loading again adds nothing."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from tafel import db
from tafel.international.reference import load_programmes_file
from tafel.programmes.models import Dimension, FundingSource, FundingStatus, Instrument, Programme
from tafel.progress.models import Indicator, Target


def test_counts_match_the_file_and_a_second_load_adds_nothing(app_ctx):
    reference = Path(app_ctx.config["REFERENCE_DIR"])
    data = json.loads((reference / "programmes.json").read_text(encoding="utf-8"))
    expected = {
        Programme: len(data["programmes"]),
        Dimension: len(data["programme_dimensions"]),
        FundingStatus: len(data["funding_statuses"]),
        FundingSource: len(data["funding_sources"]),
        Instrument: len(data["instruments"]),
        Indicator: len(data["indicators"]),
        Target: len(data["targets"]),
    }
    for model, count in expected.items():
        assert db.session.scalar(select(func.count()).select_from(model)) == count, model
    assert expected[Programme] == 6 and expected[Target] == 2
    again = load_programmes_file(reference)
    assert sum(again.values()) == 0


def test_an_edited_entry_is_kept_on_reload(app_ctx):
    prog = db.session.scalars(select(Programme).where(Programme.slug == "halfgeleiders")).one()
    prog.summary = "Door het secretariaat herschreven."
    db.session.commit()
    load_programmes_file(app_ctx.config["REFERENCE_DIR"])
    db.session.commit()
    assert db.session.get(Programme, prog.id).summary == "Door het secretariaat herschreven."


def test_targets_carry_their_source_and_forecasts_theirs(app_ctx):
    rd = db.session.scalars(select(Target).where(Target.slug == "rd-intensiteit-2030")).one()
    assert (rd.value, rd.year, rd.indicator.slug) == (3.0, 2030, "rd-intensiteit")
    assert "33009-165" in rd.source
    prog = db.session.scalars(select(Programme).where(Programme.slug == "halfgeleiders")).one()
    assert prog.forecasts[0]["source"].startswith("McKinsey")
    assert prog.market.slug == "halfgeleiders"
