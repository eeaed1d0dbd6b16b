"""Exports of the decision register (CSV and Excel) and its public Atom feed.

The CSV and Excel files hold exactly the rows the register shows the same
user with the same filters. The feed is public: whoever asks, it lists only
decisions and published responses whose submissions anyone may read.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

import xlsxwriter
from flask import Response, current_app, request
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin, current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tafel import db
from tafel.core.exports import csv_cell
from tafel.core.timefmt import local_date, local_today
from tafel.decisions import models, queries
from tafel.decisions.services import OUTCOME_LABELS
from tafel.decisions.views import decisions
from tafel.submissions import policies as submission_policies
from tafel.submissions.models import Submission

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
TAG_DATE = "2026"  # the year the tag: URIs of this platform were minted
# Characters XML 1.0 does not allow; a stray one would make the feed unreadable.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# Register exports -------------------------------------------------------------------


def register_header() -> list[str]:
    return [
        _("Nummer"), _("Datum vergadering"), _("Besluit"), _("Uitkomst"), _("Toelichting"),
        _("Verantwoordelijk"), _("Meldingen"), _("Uitvoering"),
    ]  # fmt: skip


def responsible(decision: models.Decision) -> str:
    if decision.ministry is not None:
        return decision.ministry.slug
    return decision.organisation.name if decision.organisation is not None else ""


def register_rows(user, filters: queries.RegisterFilters) -> list[list]:
    """The register's rows for `user` and `filters`: strings, and the meeting day as a date."""
    query = queries.with_details(queries.register_query(user, filters))
    return [
        [
            d.number,
            local_date(d.meeting.starts_at),
            d.text,
            str(OUTCOME_LABELS[d.outcome]),
            d.explanation,
            responsible(d),
            ", ".join(str(link.submission_id) for link in d.links),
            str(queries.IMPLEMENTATION_LABELS[queries.implementation_of(d)]),
        ]
        for d in db.session.scalars(query)
    ]


def csv_response(header: list[str], rows: list[list], name: str) -> Response:
    """Semicolon-separated UTF-8 with a byte order mark, so Excel opens it as such."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([csv_cell(value) for value in header])
    for row in rows:
        writer.writerow([csv_cell(_plain(value)) for value in row])
    return Response(
        buffer.getvalue().encode("utf-8"),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _plain(value) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def xlsx_bytes(sheet_name: str, header: list[str], rows: list[list]) -> bytes:
    """Every text is written as a string (never a formula), every day as a date."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = book.add_worksheet(sheet_name)
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for col, title in enumerate(header):
        sheet.write_string(0, col, title, bold)
    for number, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if isinstance(value, date):
                sheet.write_datetime(number, col, value, day)
            else:
                sheet.write_string(number, col, str(value))
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, 1, 14)
    sheet.set_column(2, 2, 60)
    sheet.set_column(3, len(header) - 1, 20)
    book.close()
    return output.getvalue()


@decisions.route("/export.csv")
def export_csv():
    filters = queries.RegisterFilters.from_args(request.args)
    rows = register_rows(current_user, filters)
    return csv_response(register_header(), rows, f"besluiten-{local_today().isoformat()}.csv")


@decisions.route("/export.xlsx")
def export_xlsx():
    filters = queries.RegisterFilters.from_args(request.args)
    rows = register_rows(current_user, filters)
    content = xlsx_bytes(_("Besluiten"), register_header(), rows)
    name = f"besluiten-{local_today().isoformat()}.xlsx"
    return Response(
        content,
        mimetype=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# The Atom feed ----------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    tag: str
    title: str
    updated: datetime
    link: str
    summary: str
    author: str | None = None


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def public_decisions() -> list[models.Decision]:
    public = AnonymousUserMixin()
    query = (
        select(models.Decision)
        .where(queries.visible_clause(public), models.Decision.public.is_(True))
        .order_by(models.Decision.created_at.desc(), models.Decision.id.desc())
        .limit(FEED_SIZE)
    )
    return list(db.session.scalars(query))


def public_responses() -> list[models.Response]:
    public = AnonymousUserMixin()
    query = (
        select(models.Response)
        .join(Submission, Submission.id == models.Response.submission_id)
        .where(
            models.Response.status == "gepubliceerd",
            models.Response.published_at.is_not(None),
            submission_policies.visible_clause(public),
        )
        .options(selectinload(models.Response.submission), selectinload(models.Response.ministry))
        .order_by(models.Response.published_at.desc(), models.Response.id.desc())
        .limit(FEED_SIZE)
    )
    return list(db.session.scalars(query))


def _outcome(outcome: str | None) -> str:
    return str(OUTCOME_LABELS[outcome]) if outcome in OUTCOME_LABELS else ""


def feed_entries(base: str) -> list[Entry]:
    entries = [
        Entry(
            tag=f"decision/{d.id}",
            title=_(
                "Besluit %(number)s: %(outcome)s", number=d.number, outcome=_outcome(d.outcome)
            ),
            updated=d.created_at,
            link=f"{base}/decisions/{d.id}",
            summary="\n\n".join(part for part in (d.text, d.explanation) if part),
        )
        for d in public_decisions()
    ]
    entries += [
        Entry(
            tag=f"response/{r.id}",
            title=_(
                "Reactie van %(ministry)s op melding %(id)s (%(title)s): %(outcome)s",
                ministry=r.ministry.slug,
                id=r.submission_id,
                title=r.submission.title,
                outcome=_outcome(r.outcome),
            ),
            updated=r.published_at,
            link=f"{base}/submissions/{r.submission_id}",
            summary="\n\n".join(part for part in (r.explanation, r.measures) if part),
            author=r.ministry.label,
        )
        for r in public_responses()
    ]
    entries.sort(key=lambda e: (e.updated, e.tag), reverse=True)
    return entries[:FEED_SIZE]


def _add(parent: ET.Element, name: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, name, attrs)
    if text is not None:
        element.text = NOT_XML.sub("", text)
    return element


def atom_feed(base: str, host: str) -> bytes:
    entries = feed_entries(base)
    feed = ET.Element("feed", xmlns=ATOM)
    _add(feed, "id", f"tag:{host},{TAG_DATE}:decisions")
    _add(feed, "title", _("Besluiten en reacties van de industrie- en technologietafel"))
    updated = entries[0].updated if entries else datetime.now(UTC)
    _add(feed, "updated", rfc3339(updated))
    _add(feed, "link", rel="self", type="application/atom+xml", href=f"{base}/decisions/feed.atom")
    _add(feed, "link", rel="alternate", type="text/html", href=f"{base}/decisions/")
    author = _add(feed, "author")
    _add(author, "name", _("Industrie- en technologietafel"))
    for entry in entries:
        element = _add(feed, "entry")
        _add(element, "id", f"tag:{host},{TAG_DATE}:{entry.tag}")
        _add(element, "title", entry.title)
        _add(element, "updated", rfc3339(entry.updated))
        _add(element, "published", rfc3339(entry.updated))
        _add(element, "link", rel="alternate", type="text/html", href=entry.link)
        if entry.author:
            _add(_add(element, "author"), "name", entry.author)
        _add(element, "summary", entry.summary, type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


@decisions.route("/feed.atom")
def feed():
    base = current_app.config["BASE_URL"].rstrip("/")
    host = urlsplit(base).hostname or request.host.split(":")[0]
    return Response(atom_feed(base, host), content_type="application/atom+xml; charset=utf-8")
