"""Benchmark: seed a large, realistic database and time the main pages.

``flask --app tafel bench`` seeds a *separate* database (default
``instance/bench.db``, recreated every run; or PostgreSQL through
``--database-url``/``TAFEL_BENCH_DATABASE_URL``), then requests each page
through the test client and reports server time (p50/p95) and the number of
SQL statements per request. Pages that do not exist yet are reported as
"not available", so the command keeps working while routes are being built.

The package, along its seams:

- ``words``: the Dutch vocabulary and the weights of the realistic spread;
- ``seed`` (with ``seed_base``, ``seed_accounts``, ``seed_submissions``,
  ``seed_voting``, ``seed_meetings``): bulk Core inserts (executemany in
  batches) per table, and the search index built in bulk;
- ``measure``: ``measure()`` times one URL, ``measure_search()`` the search
  service, ``format_table()`` prints the results;
- ``command``: the ``bench`` command and ``run_bench()``.
"""

from __future__ import annotations

from tafel.bench.command import register_bench_command, run_bench
from tafel.bench.measure import format_table, measure, measure_search
from tafel.bench.seed import seed
from tafel.bench.seed_meetings import seed_meetings
from tafel.bench.seed_submissions import SHOWCASE_COMMENTS, SHOWCASE_COSIGNATURES
from tafel.bench.seed_voting import seed_rounds
from tafel.bench.words import BENCH_DOMAIN, BENCH_PASSWORD, SECRETARIAT_EMAIL

__all__ = [
    "BENCH_DOMAIN",
    "BENCH_PASSWORD",
    "SECRETARIAT_EMAIL",
    "SHOWCASE_COMMENTS",
    "SHOWCASE_COSIGNATURES",
    "format_table",
    "measure",
    "measure_search",
    "register_bench_command",
    "run_bench",
    "seed",
    "seed_meetings",
    "seed_rounds",
]
