"""Economic progress (/voortgang/): the targets with their latest value, trend
and gap, each indicator's chart with its table and summary, the CSV of the
same figures, and the beheerder's import page."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tafel.accounts import roles
from tafel.core.exports import csv_response
from tafel.core.forms import as_choices
from tafel.core.timefmt import local_today
from tafel.core.views import commit_or_refuse, ensure
from tafel.progress import charts, imports, queries
from tafel.progress.blueprint import progress
from tafel.progress.forms import ImportForm
from tafel.progress.models import DEMO_SOURCE, Indicator

MAX_IMPORT_BYTES = 5 * 1024 * 1024


@progress.app_context_processor
def progress_helpers():
    return {"indicator_latest": queries.latest_values, "demo_source": DEMO_SOURCE}


def chart_for(indicator: Indicator, series, status=None):
    points = [(o.year, o.period, o.value, o.provisional) for o in series]
    target = (status.target.year, status.target.value) if status else None
    summary = summary_text(indicator, series, status)
    return charts.line_chart(
        f"chart-{indicator.slug}", indicator.label, summary, points, target, indicator.unit
    ), summary


def summary_text(indicator: Indicator, series, status=None) -> str:
    if not series:
        return _("Nog geen waarnemingen.")
    first, last = series[0], series[-1]
    text = _(
        "%(name)s: van %(first)s%(unit)s in %(p1)s naar %(last)s%(unit)s in %(p2)s.",
        name=indicator.label,
        first=_num(first.value),
        last=_num(last.value),
        p1=first.period,
        p2=last.period,
        unit=indicator.unit,
    )
    if status is not None and not status.met and status.needed is not None:
        text += " " + _(
            "Om %(target)s%(unit)s in %(year)d te halen is %(needed)s procentpunt per jaar nodig.",
            target=_num(status.target.value),
            unit=indicator.unit,
            year=status.target.year,
            needed=_num(status.needed),
        )
    return text


def _num(value: float) -> str:
    """Two decimals at most, in the reader's notation (2,24 in Dutch, 2.24 in English)."""
    return format_decimal(round(value, 2), format="#,##0.##")


@progress.route("/")
def index():
    indicators, statuses, series = queries.overview()
    by_indicator = {s.target.indicator_id: s for s in statuses}
    charts_ = {i.id: chart_for(i, series.get(i.id, []), by_indicator.get(i.id)) for i in indicators}
    return render_template(
        "progress/index.html",
        indicators=indicators,
        statuses=statuses,
        series=series,
        charts=charts_,
        num=_num,
        can_import=roles.is_admin(current_user),
    )


@progress.route("/observations.csv")
def export_csv():
    indicators, _statuses, series = queries.overview()
    header = ["indicator", "periode", "waarde", "eenheid", "status", "bron", "opgehaald", "demo"]
    return csv_response(header, queries.csv_rows(series, indicators), "voortgang.csv")


def _import_form() -> ImportForm:
    form = ImportForm()
    indicators, _s, _o = queries.overview()
    form.indicator.choices = as_choices([("", "—"), *((i.slug, i.label) for i in indicators)])
    if form.retrieved_on.data is None and not form.is_submitted():
        form.retrieved_on.data = local_today()
    return form


def _run_import(form: ImportForm, errors: list) -> imports.Summary:
    """Parse and store the upload; the row errors of a refusal go into `errors`."""
    raw = form.upload.data.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        raise imports.ImportRefused(message=_("Het bestand is groter dan 5 MB."))
    try:
        rows = imports.parse(
            form.format.data,
            raw,
            indicator=form.indicator.data,
            source=form.source.data,
            retrieved_on=form.retrieved_on.data,
        )
    except imports.ImportRefused as refused:
        errors.extend(refused.errors)
        raise
    return imports.store(rows, current_user)


@progress.route("/import", methods=["GET", "POST"])
@login_required
def import_page():
    ensure(roles.is_admin(current_user))
    form, errors = _import_form(), []
    if form.validate_on_submit():
        with commit_or_refuse(form, "upload") as done:
            summary = _run_import(form, errors)
        if done:
            flash(
                _(
                    "Ingelezen: %(added)d nieuw, %(revised)d herzien, %(same)d ongewijzigd.",
                    added=summary.added,
                    revised=summary.revised,
                    same=summary.unchanged,
                ),
                "success",
            )
            return redirect(url_for("progress.index"))
    status = 422 if form.is_submitted() else 200
    return render_template("progress/import.html", form=form, errors=errors), status
