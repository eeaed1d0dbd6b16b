"""Open data: every column documented, no table-only or confidential item in
any dataset, checksums that match the files, a catalog, regeneration."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import datetime, timedelta

import pytest

from tafel.api import opendata
from tafel.api.opendata_fields import DATASETS
from tests.api.world import SECRET_TITLE, TABLE_TITLE, build
from tests.conftest import login, post
from tests.factories import make_user


@pytest.fixture
def files(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "OPEN_DATA_DIR", str(tmp_path))
    with app.test_request_context():
        world = build()
        meta = opendata.generate()
    return world, meta, tmp_path


def test_every_column_has_a_dictionary_entry(files):
    _world, _meta, folder = files
    for dataset in DATASETS:
        documented = [field.name for field in dataset.fields]
        header = (folder / f"{dataset.name}.csv").read_text("utf-8").splitlines()[0].split(";")
        assert header == documented, dataset.name
        rows = json.loads((folder / f"{dataset.name}.json").read_text("utf-8"))["rows"]
        for row in rows:
            assert list(row) == documented, dataset.name
        for field in dataset.fields:
            assert field.type and field.meaning, (dataset.name, field.name)
            for row in rows:
                if field.allowed and row[field.name] is not None:
                    assert row[field.name] in field.allowed, (dataset.name, field.name)


def test_no_table_or_confidential_item_appears_in_any_dataset(files):
    world, _meta, folder = files
    text = "".join(p.read_text("utf-8") for p in folder.iterdir())
    assert SECRET_TITLE not in text and TABLE_TITLE not in text
    hidden = {
        "meldingen": {world.reports["tafel"], world.reports["vertrouwelijk"]},
        "besluiten": {world.decisions["tafel"], world.decisions["vertrouwelijk"]},
        "reacties": {world.responses["tafel"], world.responses["vertrouwelijk"]},
        "actiepunten": {world.actions["tafel"], world.actions["vertrouwelijk"]},
    }
    for name, ids in hidden.items():
        rows = list(csv.DictReader(io.StringIO((folder / f"{name}.csv").read_text("utf-8")),
                                   delimiter=";"))  # fmt: skip
        listed = {int(row["id"]) for row in rows}
        assert listed and not listed & ids, name


def test_checksums_and_catalog_match_the_files(client, files):
    _world, meta, folder = files
    for entry in meta["files"].values():
        for fmt in ("csv", "json"):
            data = client.get(f"/open-data/{entry[fmt]['name']}").get_data()
            assert hashlib.sha256(data).hexdigest() == entry[fmt]["sha256"]
    catalog = client.get("/open-data/catalog.json").get_json()
    assert catalog["dct:license"] == opendata.LICENCE["url"]
    assert {d["dct:title"] for d in catalog["dcat:dataset"]} == {d.title for d in DATASETS}
    page = client.get("/open-data").get_data(as_text=True)
    assert "CC0" in page and meta["generated_at"] in page
    assert client.get("/open-data/../metadata.json").status_code == 404


def test_only_the_beheerder_regenerates(app, client, files):
    with app.app_context():
        make_user(email="lid@example.org", roles=("indiener",))
        make_user(email="beheer@example.org", roles=("beheerder",))
    login(client, "lid@example.org")
    assert post(client, "/open-data/regenerate").status_code == 403
    client.post("/auth/logout", data={})
    other = app.test_client()
    login(other, "beheer@example.org")
    assert post(other, "/open-data/regenerate").status_code == 302


def test_the_nightly_job_runs_once_a_day(app, files):
    _world, meta, _folder = files
    made = datetime.fromisoformat(meta["generated_at"].replace("Z", "+00:00"))
    with app.app_context():
        assert not opendata.due(made)
        assert opendata.due(made + timedelta(days=1))


def test_the_worker_writes_the_files_when_due(app, tmp_path, monkeypatch):
    from tafel.schedule import SCHEDULED_JOBS

    monkeypatch.setitem(app.config, "OPEN_DATA_DIR", str(tmp_path))
    job = dict(SCHEDULED_JOBS)["api upkeep"]
    with app.app_context():
        job()
        first = (tmp_path / "metadata.json").read_text("utf-8")
        job()  # the same day: not again
        assert (tmp_path / "metadata.json").read_text("utf-8") == first
    assert (tmp_path / "meldingen.csv").exists()
