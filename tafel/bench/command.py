"""The command: `flask --app tafel bench` seeds a separate database, times the
main pages and prints the table."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from sqlalchemy import func, inspect, make_url, select
from sqlalchemy.orm import Session

from tafel.accounts.models import User
from tafel.bench.measure import format_table, measure, measure_search
from tafel.bench.seed import seed
from tafel.bench.seed_meetings import seed_meetings
from tafel.bench.seed_voting import seed_rounds
from tafel.bench.words import BENCH_DOMAIN


def default_bench_url() -> str:
    import config as tafel_config

    return f"sqlite:///{tafel_config.INSTANCE / 'bench.db'}"


def _same_database(a: str, b: str) -> bool:
    try:
        return make_url(a).render_as_string() == make_url(b).render_as_string()
    except Exception:  # noqa: BLE001 - an unparsable URL is simply not the same
        return a == b


def reset_database(url: str) -> None:
    """Start from nothing: delete the SQLite file, or (PostgreSQL) downgrade a
    database that holds only benchmark accounts."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        _delete_sqlite(parsed.database)
        return
    from alembic import command

    from tafel.cli import alembic_config

    _refuse_foreign_accounts(url)
    cfg = alembic_config(url)
    cfg.attributes["configure_logger"] = False
    command.downgrade(cfg, "base")


def _delete_sqlite(database: str | None) -> None:
    if not database or database == ":memory:":
        raise click.ClickException("the benchmark needs a database file, not :memory:")
    path = Path(database)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)


def _refuse_foreign_accounts(url: str) -> None:
    """Never wipe a database with accounts the benchmark did not create."""
    from tafel.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("users"):
                return
            foreign = conn.scalar(
                select(func.count())
                .select_from(User.__table__)
                .where(~User.__table__.c.email.like(f"%@{BENCH_DOMAIN}"))
            )
    finally:
        engine.dispose()
    if foreign:
        raise click.ClickException(
            f"{make_url(url).render_as_string()} has accounts that the benchmark did not "
            "create; refusing to wipe it. Use an empty database."
        )


def build_app(url: str) -> Flask:
    import config as tafel_config
    from tafel import create_app

    config = tafel_config.load()
    config.DATABASE_URL = url
    config.SQL_ECHO = False
    return create_app(config)


def run_bench(
    url: str,
    n_submissions: int,
    n_orgs: int,
    n_users: int,
    n_cosignatures: int,
    runs: int,
    random_seed: int = 2026,
    echo: Callable[[str], None] = click.echo,
) -> dict[str, Any]:
    reset_database(url)
    app = build_app(url)
    try:
        sizes = (n_submissions, n_orgs, n_users, n_cosignatures)
        result, seconds = seed_database(app, url, sizes, random_seed, echo)
        secretariat = result["secretariat_email"]
        rows = page_rows(app, result, runs)
        rows += search_rows(app, runs)
        rows += round_rows(app, secretariat, runs)
        rows += meeting_rows(app, secretariat, runs)
        echo("")
        echo(format_table(rows, runs))
        echo("")
        echo_tally(echo)
        return {"seconds": seconds, "seed": result, "pages": rows}
    finally:
        app.extensions["tafel_engine"].dispose()


def seed_database(
    app: Flask,
    url: str,
    sizes: tuple[int, int, int, int],
    random_seed: int,
    echo: Callable[[str], None],
) -> tuple[dict[str, Any], float]:
    """Migrate, load the reference data and seed; returns the seed's result
    and how long seeding took."""
    from tafel import db
    from tafel.cli import migrate
    from tafel.reference.services import load_reference_data, read_taxonomy

    n_submissions, n_orgs, n_users, n_cosignatures = sizes
    with app.app_context():
        migrate(url)
        load_reference_data(read_taxonomy(app.config["REFERENCE_DIR"]))
        db.session.commit()
        echo(
            f"Seeding {make_url(url).render_as_string()}: {n_submissions} submissions, "
            f"{n_orgs} organisations, {n_users} users, {n_cosignatures} co-signatures"
        )
        start = time.perf_counter()
        result = seed(db.session, *sizes, random_seed, echo)
        db.session.commit()
        db.analyze(url)  # as after any migration: the planners know the data
        seconds = time.perf_counter() - start
    echo(f"Seeding took {seconds:.1f} s")
    if make_url(url).get_backend_name() == "sqlite":
        size = Path(make_url(url).database).stat().st_size / 1e6
        echo(f"Database file: {size:.0f} MB")
    return result, seconds


def page_rows(app: Flask, result: dict[str, Any], runs: int) -> list[dict[str, Any]]:
    """The main pages, anonymous and as the secretariat."""
    secretariat = result["secretariat_email"]
    pages = [
        ("/", None),
        ("/submissions/", None),
        (f"/submissions/?market={result['market_id']}&status=aanvaard", None),
        ("/submissions/?q=vergunning", None),
        ("/submissions/?q=netcongestie+stikstof", None),
        ("/submissions/?q=vergunning&sort=newest", None),
        ("/submissions/?page=1000", None),
        (f"/submissions/{result['showcase_id']}", None),
        ("/submissions/", secretariat),
        ("/triage/", secretariat),
        ("/api/v1/submissions", None),
        (f"/api/v1/submissions?market={result['market_id']}&status=aanvaard", None),
        ("/dashboard/", None),
        ("/dashboard/", secretariat),
    ]
    rows = []
    for page, user in pages:
        try:
            row = measure(app, page, user, runs)
        except Exception as error:  # noqa: BLE001 - report and go on with the next page
            row = {"url": page, "available": True, "error": f"{type(error).__name__}: {error}"}
        row["as"] = "secretariaat" if user else "anonymous"
        rows.append(row)
    return rows


def search_rows(app: Flask, runs: int) -> list[dict[str, Any]]:
    rows = []
    for query in ("vergunning", "netcongestie stikstof"):
        row = measure_search(app, query, runs)
        row["as"] = "-"
        rows.append(row)
    return rows


def round_rows(app: Flask, secretariat: str, runs: int) -> list[dict[str, Any]]:
    """One closed round per method, 1 000 ballots over 50 candidates."""
    with app.app_context():
        rounds = seed_rounds(db_session(app), ballots=1000, candidates=50)
    rows = []
    for method, round_id in rounds.items():
        row = measure(app, f"/rounds/{round_id}", secretariat, runs)
        row["url"] = f"/rounds/{round_id} ({method}, 1000 × 50)"
        row["as"] = "secretariaat"
        rows.append(row)
    return rows


def meeting_rows(app: Flask, secretariat: str, runs: int) -> list[dict[str, Any]]:
    """A small and a large meeting: the page (both audiences) and its agenda PDF."""
    with app.app_context():
        meetings = seed_meetings(db_session(app))
    rows = []
    for size, meeting_id in meetings.items():
        for user, label in ((secretariat, "secretariaat"), (None, "anonymous")):
            row = measure(app, f"/meetings/{meeting_id}", user, runs)
            row["url"] = f"/meetings/{meeting_id} ({size} items × 3 reports)"
            row["as"] = label
            rows.append(row)
        row = measure(app, f"/meetings/{meeting_id}/agenda.pdf", secretariat, min(runs, 5))
        row["url"] = f"/meetings/{meeting_id}/agenda.pdf ({size} items × 3 reports)"
        row["as"] = "secretariaat"
        rows.append(row)
    return rows


def echo_tally(echo: Callable[[str], None]) -> None:
    from tafel.voting.methods import bench_tally

    echo("Tally alone, 1 000 ballots × 50 candidates (best of 3, ms):")
    best = [bench_tally() for _ in range(3)]
    for method in best[0]:
        echo(f"  {method:<10}{min(run[method] for run in best):8.1f}")


def db_session(app: Flask) -> Session:
    from tafel import db

    return db.session


def register_bench_command(app: Flask) -> None:
    @app.cli.command("bench")
    @click.option("--submissions", "n_submissions", default=100_000, show_default=True)
    @click.option("--organisations", "n_orgs", default=10_000, show_default=True)
    @click.option("--users", "n_users", default=30_000, show_default=True)
    @click.option("--cosignatures", "n_cosignatures", default=500_000, show_default=True)
    @click.option("--runs", default=30, show_default=True, help="Requests per page.")
    @click.option("--seed", "random_seed", default=2026, show_default=True)
    @click.option(
        "--database-url",
        envvar="TAFEL_BENCH_DATABASE_URL",
        default=None,
        help="Benchmark database (default: instance/bench.db, recreated every run).",
    )
    def bench(
        n_submissions: int,
        n_orgs: int,
        n_users: int,
        n_cosignatures: int,
        runs: int,
        random_seed: int,
        database_url: str | None,
    ) -> None:
        """Seed a separate benchmark database and time the main pages."""
        if current_app.config["ENV_NAME"] == "production":
            raise click.ClickException("The bench command refuses to run in production.")
        url = database_url or default_bench_url()
        if _same_database(url, current_app.config["DATABASE_URL"]):
            raise click.ClickException(
                "The benchmark database must not be the application's database."
            )
        run_bench(url, n_submissions, n_orgs, n_users, n_cosignatures, runs, random_seed)
