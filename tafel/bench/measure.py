"""Measuring: time GET requests of a page through the test client (server time,
p50/p95, SQL statements per request), time the search service alone, and
format the results as a table."""

from __future__ import annotations

import math
import re
import statistics
import time
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy import event, func, select
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from tafel.bench.words import BENCH_PASSWORD
from tafel.core import search

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def route_exists(app: Flask, url: str) -> bool:
    adapter = app.url_map.bind("localhost")
    try:
        adapter.match(urlsplit(url).path, method="GET")
    except RequestRedirect:
        return True
    except (NotFound, MethodNotAllowed):
        return False
    return True


def login(client, email: str, password: str = BENCH_PASSWORD) -> None:
    page = client.get("/auth/login").get_data(as_text=True)
    match = _CSRF.search(page)
    if not match:
        raise RuntimeError("no CSRF token on /auth/login")
    response = client.post(
        "/auth/login",
        data={"email": email, "password": password, "csrf_token": match.group(1)},
    )
    if response.status_code != 302:
        raise RuntimeError(f"login as {email} failed: HTTP {response.status_code}")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def measure(app: Flask, url: str, user_email: str | None = None, runs: int = 30) -> dict[str, Any]:
    """Time ``runs`` GET requests of ``url`` (after one warm-up request).

    Returns ``available`` (False when no route matches the URL yet),
    ``status``, ``p50_ms``, ``p95_ms`` and ``queries`` (SQL statements per
    request, median). With ``user_email`` the client logs in first
    (password ``BENCH_PASSWORD``).
    """
    if not route_exists(app, url):
        return {"url": url, "available": False}
    client = app.test_client()
    if user_email:
        login(client, user_email)
    engine = app.extensions["tafel_engine"]
    statements = [0]

    def count(*_args) -> None:
        statements[0] += 1

    client.get(url).close()  # warm-up: templates, caches
    times: list[float] = []
    queries: list[int] = []
    status = 0
    event.listen(engine, "before_cursor_execute", count)
    try:
        for _ in range(max(1, runs)):
            statements[0] = 0
            start = time.perf_counter()
            response = client.get(url)
            response.get_data()
            times.append((time.perf_counter() - start) * 1000)
            queries.append(statements[0])
            status = response.status_code
            response.close()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return {
        "url": url,
        "available": True,
        "status": status,
        "p50_ms": statistics.median(times),
        "p95_ms": _percentile(times, 0.95),
        "queries": int(statistics.median(queries)),
        "runs": len(times),
    }


def measure_search(app: Flask, query: str, runs: int = 30) -> dict[str, Any]:
    """Time the search service alone: the 25 best matches plus the total count."""
    from tafel import db

    times, total = [], 0
    with app.app_context():
        for _ in range(max(1, runs)):
            start = time.perf_counter()
            hits = search.matching_ids(query).subquery()
            db.session.execute(
                select(hits.c.submission_id).order_by(hits.c.rank.desc()).limit(25)
            ).all()
            total = db.session.scalar(select(func.count()).select_from(hits))
            times.append((time.perf_counter() - start) * 1000)
            db.session.rollback()
    return {
        "url": f"search service: {query!r} ({total} hits)",
        "available": True,
        "status": "-",
        "p50_ms": statistics.median(times),
        "p95_ms": _percentile(times, 0.95),
        "queries": 2,
    }


def format_table(rows: list[dict[str, Any]], runs: int) -> str:
    width = max(len(row["url"]) for row in rows) + 2
    lines = [
        f"{'page':<{width}}{'as':<14}{'status':>7}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}",
        "-" * (width + 48),
    ]
    for row in rows:
        head = f"{row['url']:<{width}}{row['as']:<14}"
        if not row["available"]:
            lines.append(head + "not available")
        elif "error" in row:
            lines.append(head + "error: " + row["error"][:80])
        else:
            lines.append(
                head
                + f"{row['status']!s:>7}{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}"
                + f"{row['queries']:>9}"
            )
    lines.append(f"({runs} requests per page after one warm-up; server time via the test client)")
    return "\n".join(lines)
