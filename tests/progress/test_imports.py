"""Importing observations: CSV, CBS OData v4 JSON and Eurostat SDMX-CSV; all
rows or none, row and field named; a revision keeps the old value."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tafel import db
from tafel.progress import imports
from tafel.progress.models import Indicator, Observation

FIXTURES = Path(__file__).parent / "fixtures"
DAY = date(2026, 12, 1)


def _read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Observation))


def _current(slug: str) -> dict[str, tuple[float, bool]]:
    rows = db.session.scalars(
        select(Observation)
        .join(Indicator)
        .where(Indicator.slug == slug, Observation.replaced_at.is_(None))
    )
    return {o.period: (o.value, o.provisional) for o in rows}


def test_eurostat_sdmx_csv_keeps_the_netherlands_and_marks_provisional(app_ctx):
    rows = imports.parse(
        "sdmx-csv",
        _read("rd_e_gerdtot_nl.sdmx.csv"),
        indicator="rd-intensiteit",
        source=None,
        retrieved_on=DAY,
    )
    summary = imports.store(rows, None)
    db.session.commit()
    assert summary.added == 5
    assert _current("rd-intensiteit")["2023"] == (2.24, True)
    assert _current("rd-intensiteit")["2019"] == (2.18, False)
    obs = db.session.scalars(select(Observation).where(Observation.period == "2023")).one()
    assert obs.source.startswith("Eurostat ESTAT:RD_E_GERDTOT")
    assert obs.retrieved_on == DAY


def test_cbs_odata_v4_json(app_ctx):
    rows = imports.parse(
        "cbs-odata",
        _read("cbs_industrie_odata_v4.json"),
        indicator="industrie-aandeel",
        source=None,
        retrieved_on=DAY,
    )
    imports.store(rows, None)
    db.session.commit()
    assert _current("industrie-aandeel") == {
        "2021": (12.4, False),
        "2022": (12.1, False),
        "2023": (11.9, True),
    }
    obs = db.session.scalars(select(Observation).where(Observation.period == "2021")).one()
    assert obs.source == "https://datasets.cbs.nl/odata/v1/CBS/84087NED"


def test_our_csv_names_indicator_per_row(app_ctx):
    imports.store(
        imports.parse("csv", _read("observations.csv"), source=None, retrieved_on=DAY), None
    )
    db.session.commit()
    assert _current("rd-bedrijven") == {"2021": (1.47, False), "2022": (1.43, True)}


def test_bad_rows_are_each_named_and_nothing_is_imported(app_ctx):
    with pytest.raises(imports.ImportRefused) as refused:
        imports.parse("csv", _read("bad_rows.csv"), source=None, retrieved_on=DAY)
    found = {(e.row, e.field) for e in refused.value.errors}
    assert found == {(2, "indicator"), (3, "periode"), (4, "waarde")}
    assert "onbekende indicator ‘bestaat-niet’" in str(refused.value.errors[0])
    assert _count() == 0


@pytest.mark.parametrize(
    ("name", "words"),
    [("wrong_columns.csv", "De kolommen kloppen niet"), ("latin1.csv", "geen UTF-8")],
)
def test_a_file_of_the_wrong_shape_is_refused_whole(app_ctx, name, words):
    with pytest.raises(imports.ImportRefused) as refused:
        imports.parse("csv", _read(name), source=None, retrieved_on=DAY)
    assert words in refused.value.message
    assert _count() == 0


def test_cbs_and_eurostat_files_need_a_known_indicator(app_ctx):
    with pytest.raises(imports.ImportRefused):
        imports.parse(
            "sdmx-csv",
            _read("rd_e_gerdtot_nl.sdmx.csv"),
            indicator="onbekend",
            source=None,
            retrieved_on=DAY,
        )
    with pytest.raises(imports.ImportRefused) as refused:
        imports.parse(
            "cbs-odata",
            b'{"value": [{"Perioden": "2023XX", "Value": "x"}]}',
            indicator="rd-intensiteit",
            source=None,
            retrieved_on=DAY,
        )
    assert {(e.row, e.field) for e in refused.value.errors} == {(1, "Perioden"), (1, "Value")}


def test_a_revision_keeps_the_old_value_and_importing_twice_changes_nothing(app_ctx):
    raw = _read("rd_e_gerdtot_nl.sdmx.csv")
    options = {"indicator": "rd-intensiteit", "source": None, "retrieved_on": DAY}
    imports.store(imports.parse("sdmx-csv", raw, **options), None)
    db.session.commit()
    again = imports.store(imports.parse("sdmx-csv", raw, **options), None)
    db.session.commit()
    assert (again.added, again.revised, again.unchanged) == (0, 0, 5)
    revised = raw.replace(b"NL,2023,2.24,p", b"NL,2023,2.27,")
    summary = imports.store(imports.parse("sdmx-csv", revised, **options), None)
    db.session.commit()
    assert (summary.added, summary.revised) == (0, 1)
    assert _current("rd-intensiteit")["2023"] == (2.27, False)
    values = sorted(
        db.session.scalars(select(Observation.value).where(Observation.period == "2023"))
    )
    assert values == [2.24, 2.27]


def test_the_command_line_import(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "import-indicators",
            str(FIXTURES / "rd_e_gerdtot_nl.sdmx.csv"),
            "--indicator",
            "rd-intensiteit",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "5 added" in result.output
    bad = runner.invoke(args=["import-indicators", str(FIXTURES / "bad_rows.csv")])
    assert bad.exit_code != 0
    assert "Rij 2, indicator" in bad.output
    with app.app_context():
        assert _count() == 5


def test_the_database_keeps_one_current_value_per_period(app_ctx):
    """Two imports at once cannot both add a current 2023 value: the index refuses the second."""
    from sqlalchemy.exc import IntegrityError

    indicator = db.session.scalars(
        select(Indicator).where(Indicator.slug == "rd-intensiteit")
    ).one()
    for value in (2.2, 2.3):
        db.session.add(
            Observation(
                indicator_id=indicator.id,
                period="2023",
                value=value,
                source="test",
                retrieved_on=DAY,
            )
        )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize("entries", ["[1]", '["2023JJ00"]', "[null]", '[[{"Value": 1}]]'])
def test_cbs_entries_that_are_no_objects_are_row_errors(app_ctx, entries):
    with pytest.raises(imports.ImportRefused) as refused:
        imports.parse(
            "cbs-odata",
            f'{{"value": {entries}}}'.encode(),
            indicator="rd-intensiteit",
            source=None,
            retrieved_on=DAY,
        )
    assert [e.row for e in refused.value.errors] == [1]


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_cbs_values_that_are_not_finite_are_row_errors(app_ctx, value):
    raw = f'{{"value": [{{"Perioden": "2023JJ00", "Value": {value}}}]}}'.encode()
    with pytest.raises(imports.ImportRefused) as refused:
        imports.parse("cbs-odata", raw, indicator="rd-intensiteit", source=None, retrieved_on=DAY)
    assert {(e.row, e.field) for e in refused.value.errors} == {(1, "Value")}


@pytest.mark.parametrize("value", ["nan", "inf", "-Infinity", "1e999"])
def test_csv_values_that_are_not_finite_are_row_errors(app_ctx, value):
    raw = f"indicator,periode,waarde,bron\nrd-bedrijven,2021,{value},Eurostat\n".encode()
    with pytest.raises(imports.ImportRefused) as refused:
        imports.parse("csv", raw, source=None, retrieved_on=DAY)
    assert {(e.row, e.field) for e in refused.value.errors} == {(1, "waarde")}
    raw = f"TIME_PERIOD,OBS_VALUE\n2021,{value}\n".encode()
    with pytest.raises(imports.ImportRefused) as refused:
        imports.parse("sdmx-csv", raw, indicator="rd-intensiteit", source=None, retrieved_on=DAY)
    assert {(e.row, e.field) for e in refused.value.errors} == {(1, "OBS_VALUE")}


@pytest.mark.parametrize("where", ["header", "row"])
@pytest.mark.parametrize("fmt", ["csv", "sdmx-csv"])
def test_a_field_beyond_the_csv_size_limit_refuses_the_file(app_ctx, fmt, where):
    huge = "x" * 200_000
    header = "indicator,periode,waarde,bron" if fmt == "csv" else "TIME_PERIOD,OBS_VALUE"
    raw = f'"{huge}"\n' if where == "header" else f'{header}\n"{huge}",1\n'
    with pytest.raises(imports.ImportRefused) as refused:
        imports.parse(fmt, raw.encode(), indicator="rd-intensiteit", source=None, retrieved_on=DAY)
    assert "CSV" in refused.value.message
    assert _count() == 0
