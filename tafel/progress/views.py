"""Economic progress (/voortgang/): the targets with their latest value, trend
and gap, each indicator's chart with its table and summary, the CSV of the
same figures, and the beheerder's import page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from tafel import db
from tafel.accounts import roles
from tafel.core.exports import csv_response
from tafel.core.forms import an_id, as_choices
from tafel.core.timefmt import local_today
from tafel.core.views import commit_or_refuse, ensure
from tafel.meetings import agenda
from tafel.meetings import policies as meeting_policies
from tafel.meetings.models import Meeting
from tafel.programmes import policies as programme_policies
from tafel.programmes.models import Programme
from tafel.progress import charts, imports, queries, snapshots
from tafel.progress.blueprint import progress
from tafel.progress.forms import ImportForm
from tafel.progress.models import DEMO_SOURCE, Indicator

MAX_IMPORT_BYTES = 5 * 1024 * 1024


@progress.app_context_processor
def progress_helpers():
    return {
        "indicator_latest": queries.latest_values,
        "demo_source": DEMO_SOURCE,
        "item_snapshot": snapshots.snapshot_of,
        "can_see_snapshot": lambda row: snapshots.can_see(current_user, row),
        "agenda_meetings": lambda: (
            concept_meetings() if meeting_policies.can_create(current_user) else []
        ),
    }


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


# At the table ------------------------------------------------------------------------


def concept_meetings() -> list[Meeting]:
    return list(
        db.session.scalars(
            select(Meeting).where(Meeting.status == "concept").order_by(Meeting.starts_at)
        )
    )


@progress.route("/agenda", methods=["POST"])
@login_required
def put_on_agenda():
    """A "voortgang" item on a concept meeting, for the economic progress or a public
    programme: the item's title is shown on the public meeting page and agenda.pdf,
    and only a concept meeting freezes the item's figures when it is published."""
    meeting = db.session.get(Meeting, an_id(request.form.get("meeting", type=int)))
    if meeting is None or not meeting_policies.can_view(current_user, meeting):
        abort(404)
    ensure(meeting_policies.can_edit(current_user, meeting))
    subject, title = _subject(request.form.get("subject", ""))
    refusal = _refusal(meeting, title)
    if refusal:
        flash(refusal, "error")
        return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    with commit_or_refuse() as done:
        item = agenda.add_item(
            meeting, current_user, title=title[:200], kind="voortgang", duration_minutes=15
        )
        snapshots.set_subject(item, subject)
    if done:
        flash(_("Het voortgangspunt staat op de agenda."), "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting.id))


def _refusal(meeting: Meeting, title: str | None) -> str | None:
    if meeting.status != "concept":
        return _("Een voortgangspunt kan alleen op een conceptvergadering worden gezet.")
    if title is None:
        return _("Alleen een openbaar programma kan op de agenda worden gezet.")
    return None


def _subject(value: str) -> tuple[str, str | None]:
    """The snapshot subject and the item's title; no title for a programme that is
    not public (its name would reach the public agenda)."""
    if value.startswith(snapshots.PROGRAMME):
        programme = db.session.scalar(
            select(Programme).where(Programme.slug == value[len(snapshots.PROGRAMME) :])
        )
        if programme is None or not programme_policies.can_view_programme(current_user, programme):
            abort(404)
        if programme.visibility != "openbaar":
            return value, None
        return value, _("Voortgang: %(name)s", name=programme.name)
    return "voortgang", _("Economische voortgang")
