"""Action items as CSV and Excel (the list's columns plus ids and links) and
their due dates as a calendar (.ics), for everyone who follows them: the same
rows, with the same filters, as the list at /actions/ shows the same user.
`?ministry=ID` gives one owner's items, so a ministry subscribes to its own."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from icalendar import Calendar, Event

from tafel import db
from tafel.actions import queries
from tafel.actions.blueprint import actions
from tafel.actions.models import OPEN, STATUS_LABELS, ActionItem
from tafel.actions.services import owner_label
from tafel.core.download_limit import expensive
from tafel.core.exports import Link, csv_response, download, xlsx_response
from tafel.core.timefmt import local_date, local_today

CALENDAR_TYPE = "text/calendar; charset=utf-8"


def header() -> list[str]:
    return [
        _("Nummer"), _("Actiepunt"), _("Herkomst"), _("Melding"), _("Eigenaar"),
        _("Uiterlijk"), _("Stand"), _("Termijn verstreken"), _("Gerealiseerd op"), _("Link"),
    ]  # fmt: skip


def origin(action: ActionItem) -> str:
    if action.decision is not None:
        return _("Besluit %(number)s", number=action.decision.number)
    if action.response is not None:
        return _("Reactie op melding #%(id)d", id=action.response.submission_id)
    return ""


def submission_ids(action: ActionItem) -> str:
    if action.response is not None:
        return str(action.response.submission_id)
    if action.decision is not None:
        return ", ".join(str(link.submission_id) for link in action.decision.links)
    return ""


def _items() -> list[ActionItem]:
    filters = queries.ActionFilters.from_args(request.args)
    return list(db.session.scalars(queries.list_query(current_user, filters)))


def rows(items: list[ActionItem]) -> list[list]:
    base = current_app.config["BASE_URL"].rstrip("/")
    today = local_today()
    return [
        [
            item.id,
            item.description,
            origin(item),
            submission_ids(item),
            owner_label(item),
            item.due_date,
            str(STATUS_LABELS[item.status]),
            _("ja") if item.status in OPEN and item.due_date < today else _("nee"),
            local_date(item.completed_at) if item.completed_at else None,
            Link(f"{base}/actions/{item.id}", str(item.id)),
        ]
        for item in items
    ]


@actions.route("/export.csv")
@expensive
def export_csv():
    name = f"actiepunten-{local_today().isoformat()}.csv"
    return csv_response(header(), rows(_items()), name)


@actions.route("/export.xlsx")
@expensive
def export_xlsx():
    name = f"actiepunten-{local_today().isoformat()}.xlsx"
    return xlsx_response(_("Actiepunten"), header(), rows(_items()), name)


def due_calendar(items: list[ActionItem]) -> bytes:
    """One all-day event on each open item's due date."""
    base = current_app.config["BASE_URL"].rstrip("/")
    cal = Calendar()
    cal.add("prodid", "-//Industrie- en technologietafel//Tafel//NL")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Termijnen van actiepunten"))
    for item in items:
        if item.status not in OPEN:
            continue
        event = Event()
        event.add("uid", f"action-{item.id}@{current_app.config['MAIL_DOMAIN']}")
        event.add("dtstamp", item.created_at)
        event.add("dtstart", item.due_date)
        event.add("summary", _("Termijn actiepunt: %(text)s", text=item.description[:120]))
        event.add("description", f"{owner_label(item)}\n{origin(item)}\n{base}/actions/{item.id}")
        event.add("url", f"{base}/actions/{item.id}")
        cal.add_component(event)
    return cal.to_ical()


@actions.route("/due.ics")
@expensive
def due_ics():
    return download(due_calendar(_items()), CALENDAR_TYPE, "actiepunten-termijnen.ics")
