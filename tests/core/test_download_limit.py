"""The per-address limit on expensive documents: counted in the database (so
two app servers share it), exact under concurrent requests, answered with
429 and Retry-After."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from tafel import create_app, db
from tafel.core import download_limit
from tafel.core.models import DownloadCounter
from tests.conftest import make_config

NOW = datetime(2026, 12, 4, 12, 0, 10, tzinfo=UTC)


def test_counts_per_window_and_forgets_old_windows(app_ctx):
    window = app_ctx.config["DOWNLOAD_WINDOW_SECONDS"]
    assert download_limit.count_hit("10.0.0.1", NOW) == (1, window - 10)
    assert download_limit.count_hit("10.0.0.1", NOW)[0] == 2
    assert download_limit.count_hit("10.0.0.2", NOW)[0] == 1
    later = NOW + timedelta(seconds=window)
    assert download_limit.count_hit("10.0.0.1", later)[0] == 1
    rows = db.session.execute(
        select(DownloadCounter.address, func.count()).group_by(DownloadCounter.address)
    ).all()
    assert dict(rows) == {"10.0.0.1": 1, "10.0.0.2": 1}


def test_concurrent_hits_are_all_counted(app):
    seen: list[int] = []
    errors: list[BaseException] = []

    def worker():
        try:
            with app.app_context():
                for _ in range(5):
                    seen.append(download_limit.count_hit("10.0.0.9", NOW)[0])
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(seen) == list(range(1, 31))


def test_429_with_retry_after_shared_by_two_app_servers(app, client, database_url, monkeypatch):
    monkeypatch.setitem(app.config, "DOWNLOAD_LIMIT", 2)
    other = create_app(make_config(database_url, DOWNLOAD_LIMIT=2))
    try:
        assert client.get("/decisions/export.csv").status_code == 200
        assert other.test_client().get("/decisions/export.csv").status_code == 200
        refused = client.get("/decisions/scoreboard.csv")
        assert refused.status_code == 429
        retry = int(refused.headers["Retry-After"])
        assert 1 <= retry <= app.config["DOWNLOAD_WINDOW_SECONDS"]
        assert "Probeer het over" in refused.get_data(as_text=True)
        # Another address is not held back; a cheap page is never counted.
        elsewhere = client.get("/decisions/export.csv", environ_base={"REMOTE_ADDR": "10.1.1.1"})
        assert elsewhere.status_code == 200
        assert client.get("/decisions/").status_code == 200
    finally:
        other.extensions["tafel_engine"].dispose()
