"""The ministry scoreboard's pages, /decisions/scoreboard and its CSV.

They keep their URLs and endpoint names (`decisions.scoreboard`,
`decisions.scoreboard_csv`) on the decisions blueprint, declared in
`decisions.blueprint`; the figures (`actions.scoreboard`) read decisions,
responses and action items, so the pages are registered from here.
"""

from __future__ import annotations

from flask import render_template

from tafel.actions import scoreboard
from tafel.core.download_limit import expensive
from tafel.core.exports import csv_response
from tafel.core.timefmt import local_today
from tafel.decisions.blueprint import decisions
from tafel.decisions.models import OUTCOME_LABELS


@decisions.route("/scoreboard", endpoint="scoreboard")
def scoreboard_page():
    return render_template(
        "actions/scoreboard.html",
        rows=scoreboard.compute(),
        outcome_labels=OUTCOME_LABELS,
        share=scoreboard.share,
        days=scoreboard.days,
        nothing=scoreboard.NOTHING,
    )


@decisions.route("/scoreboard.csv")
@expensive
def scoreboard_csv():
    """Semicolon-separated UTF-8 with a byte order mark, as the register's export."""
    rows = scoreboard.csv_rows(scoreboard.compute())
    name = f"scorebord-{local_today().isoformat()}.csv"
    return csv_response(scoreboard.csv_header(), rows, name)
