"""The decision register as CSV and Excel: exactly the rows the register shows
the same user with the same filters (the routes are in `decisions.views`)."""

from __future__ import annotations

from flask import Response, current_app
from flask_babel import gettext as _

from tafel import db
from tafel.core.exports import Link, csv_response, xlsx_response
from tafel.core.timefmt import local_date, local_today
from tafel.decisions import queries
from tafel.decisions.models import IMPLEMENTATION_LABELS, OUTCOME_LABELS, Decision


def register_header() -> list[str]:
    return [
        _("Nummer"), _("Datum vergadering"), _("Besluit"), _("Uitkomst"), _("Toelichting"),
        _("Verantwoordelijk"), _("Meldingen"), _("Uitvoering"), _("Correcties"), _("Link"),
    ]  # fmt: skip


def amendments_text(decision: Decision) -> str:
    """Every correction with its day, oldest first: 'dd-mm-jjjj: text | …'."""
    return " | ".join(
        f"{local_date(a.created_at).isoformat()}: {a.text}" for a in decision.amendments
    )


def responsible(decision: Decision) -> str:
    if decision.ministry is not None:
        return decision.ministry.slug
    return decision.organisation.name if decision.organisation is not None else ""


def register_rows(user, filters: queries.RegisterFilters) -> list[list]:
    """The register's rows for `user` and `filters`: the meeting day as a date,
    the corrections, and a link to each decision's page."""
    query = queries.with_details(queries.register_query(user, filters))
    base = current_app.config["BASE_URL"].rstrip("/")
    return [
        [
            d.number,
            local_date(d.meeting.starts_at),
            d.text,
            str(OUTCOME_LABELS[d.outcome]),
            d.explanation,
            responsible(d),
            ", ".join(str(link.submission_id) for link in d.links),
            str(IMPLEMENTATION_LABELS[queries.implementation_of(d)]),
            amendments_text(d),
            Link(f"{base}/decisions/{d.id}", d.number),
        ]
        for d in db.session.scalars(query)
    ]


def register_csv(user, filters: queries.RegisterFilters) -> Response:
    """Semicolon-separated UTF-8 with a byte order mark, so Excel opens it as such."""
    rows = register_rows(user, filters)
    return csv_response(register_header(), rows, f"besluiten-{local_today().isoformat()}.csv")


def register_xlsx(user, filters: queries.RegisterFilters) -> Response:
    rows = register_rows(user, filters)
    name = f"besluiten-{local_today().isoformat()}.xlsx"
    return xlsx_response(_("Besluiten"), register_header(), rows, name)
