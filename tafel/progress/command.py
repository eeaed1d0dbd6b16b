"""`flask --app tafel import-indicators FILE`: the beheerder's import page on the
command line (all rows or none)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from tafel import db


@click.command("import-indicators")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "csv", "cbs-odata", "sdmx-csv"]),
    default="auto",
    help="File format (auto: by extension and header).",
)
@click.option("--indicator", help="Indicator slug (CBS and Eurostat files hold one series).")
@click.option("--source", help="Source to record instead of the one in the file.")
@click.option("--retrieved-on", type=click.DateTime(formats=["%Y-%m-%d"]), help="Default: today.")
@with_appcontext
def import_indicators(path: Path, fmt: str, indicator, source, retrieved_on) -> None:
    """Import observations from a CSV, CBS OData v4 JSON or Eurostat SDMX-CSV file:
    all rows or none."""
    from tafel.core.timefmt import local_today
    from tafel.progress import imports

    raw = path.read_bytes()
    if fmt == "auto":
        fmt = imports.detect_format(path.name, raw)
    day = retrieved_on.date() if retrieved_on else local_today()
    try:
        rows = imports.parse(fmt, raw, indicator=indicator, source=source, retrieved_on=day)
        summary = imports.store(rows, None)
        db.session.commit()
    except imports.ImportRefused as refused:
        db.session.rollback()
        for error in refused.errors:
            click.echo(str(error), err=True)
        raise click.ClickException(refused.message) from None
    click.echo(
        f"Imported {fmt}: {summary.added} added, {summary.revised} revised, "
        f"{summary.unchanged} unchanged."
    )
