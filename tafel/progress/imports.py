"""Importing observations: a CSV file of our own columns, CBS OData v4 JSON and
Eurostat SDMX-CSV. Parsing checks every row first; one error anywhere and
nothing is imported (the summary names each row and field). A value that
differs from the current one for its period revises it: the old row stays,
marked replaced.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from tafel import db
from tafel.core import audit
from tafel.core.errors import ServiceError
from tafel.db import utcnow
from tafel.progress.models import FORMATS, Indicator, Observation

PERIOD = re.compile(r"^\d{4}(-Q[1-4])?$")
CSV_COLUMNS = ("indicator", "periode", "waarde", "status", "bron", "opgehaald")
CSV_REQUIRED = ("indicator", "periode", "waarde", "bron")
PROVISIONAL_WORDS = {"voorlopig", "provisional", "p", "nader voorlopig"}
CBS_PERIOD = re.compile(r"^(\d{4})(JJ00|KW0([1-4]))$")


@dataclass
class RowError:
    row: int  # 1 = the first data row (a CSV's header is row 0)
    field: str
    message: str

    def __str__(self) -> str:
        return _(
            "Rij %(row)d, %(field)s: %(message)s",
            row=self.row,
            field=self.field,
            message=self.message,
        )


class ImportRefused(ServiceError):
    """The file has errors; nothing was imported."""

    def __init__(self, errors: list[RowError] | None = None, message: str | None = None):
        self.errors = errors or []
        super().__init__(
            message or _("Het bestand is niet ingelezen: %(n)d fouten.", n=len(self.errors)),
            "upload",
        )


@dataclass
class Parsed:
    row: int
    indicator: Indicator
    period: str
    value: float
    provisional: bool
    source: str
    retrieved_on: date


@dataclass
class Summary:
    added: int = 0
    revised: int = 0
    unchanged: int = 0
    periods: list[str] = field(default_factory=list)


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            message=_("Het bestand is geen UTF-8-tekst; sla het op als UTF-8 (CSV UTF-8).")
        ) from None


def _csv_reader(raw: bytes) -> tuple[csv.DictReader, list[str]]:
    reader = csv.DictReader(io.StringIO(_text(raw)))
    with _readable(reader):
        return reader, list(reader.fieldnames or [])


def _csv_entries(reader: csv.DictReader) -> Iterator[dict[str, str]]:
    with _readable(reader):
        yield from reader


@contextmanager
def _readable(reader: csv.DictReader) -> Iterator[None]:
    """A CSV the csv module cannot read (a field over its size limit) is refused."""
    try:
        yield
    except csv.Error:
        message = _("Het CSV-bestand is niet te lezen bij regel %(line)d.", line=reader.line_num)
        raise ImportRefused(message=message) from None


def _number(value: str, row: int, errors: list[RowError], name: str) -> float | None:
    text = (value or "").strip().replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        errors.append(RowError(row, name, _("‘%(value)s’ is geen getal.", value=value)))
        return None
    return number


def _cbs_value(value) -> float | None:
    """A JSON number (not a boolean, not NaN or Infinity), or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _indicators() -> dict[str, Indicator]:
    return {i.slug: i for i in db.session.scalars(select(Indicator))}


def parse_csv(raw: bytes, *, source: str | None, retrieved_on: date) -> list[Parsed]:
    reader, header = _csv_reader(raw)
    columns = [c.strip().lower() for c in header]
    missing = [c for c in CSV_REQUIRED if c not in columns]
    unknown = [c for c in columns if c not in CSV_COLUMNS]
    if missing or unknown:
        raise ImportRefused(
            message=_(
                "De kolommen kloppen niet. Verwacht: %(expected)s. "
                "Ontbreekt: %(missing)s. Onbekend: %(unknown)s.",
                expected=", ".join(CSV_COLUMNS),
                missing=", ".join(missing) or "—",
                unknown=", ".join(unknown) or "—",
            )
        )
    reader.fieldnames = columns
    known, errors, rows = _indicators(), [], []
    for number, entry in enumerate(_csv_entries(reader), start=1):
        indicator = known.get((entry.get("indicator") or "").strip())
        if indicator is None:
            errors.append(
                RowError(
                    number,
                    "indicator",
                    _("onbekende indicator ‘%(slug)s’.", slug=entry.get("indicator") or ""),
                )
            )
        period = (entry.get("periode") or "").strip()
        if not PERIOD.fullmatch(period):
            errors.append(
                RowError(
                    number,
                    "periode",
                    _("‘%(value)s’ is geen periode als 2023 of 2023-Q2.", value=period),
                )
            )
        value = _number(entry.get("waarde") or "", number, errors, "waarde")
        row_source = (entry.get("bron") or "").strip() or (source or "")
        if not row_source:
            errors.append(RowError(number, "bron", _("geen bron.")))
        retrieved = _date((entry.get("opgehaald") or "").strip(), number, errors) or retrieved_on
        status = (entry.get("status") or "").strip().lower()
        if indicator and value is not None and PERIOD.fullmatch(period):
            rows.append(
                Parsed(
                    number,
                    indicator,
                    period,
                    value,
                    status in PROVISIONAL_WORDS,
                    row_source,
                    retrieved,
                )
            )
    _finish(errors, rows)
    return rows


def _date(value: str, row: int, errors: list[RowError]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(
            RowError(row, "opgehaald", _("‘%(value)s’ is geen datum (JJJJ-MM-DD).", value=value))
        )
        return None


def _finish(errors: list[RowError], rows: list[Parsed]) -> None:
    seen: dict[tuple[int, str], int] = {}
    for row in rows:
        key = (row.indicator.id, row.period)
        if key in seen:
            errors.append(
                RowError(
                    row.row,
                    "periode",
                    _("dezelfde periode staat ook in rij %(row)d.", row=seen[key]),
                )
            )
        seen[key] = row.row
    if errors:
        raise ImportRefused(sorted(errors, key=lambda e: e.row))
    if not rows:
        raise ImportRefused(message=_("Het bestand bevat geen waarnemingen."))


def _indicator(slug: str | None) -> Indicator:
    indicator = _indicators().get(slug or "")
    if indicator is None:
        raise ImportRefused(message=_("Kies de indicator waarvoor dit bestand waarden bevat."))
    return indicator


def parse_cbs_odata(raw: bytes, *, indicator: str | None, source: str | None, retrieved_on: date):
    """CBS OData v4: {"@odata.context": …, "value": [{"Perioden": "2023JJ00", "Value": 2.3, …}]}."""
    target = _indicator(indicator)
    try:
        document = json.loads(_text(raw))
        entries = document["value"]
        assert isinstance(entries, list)
    except (ValueError, KeyError, TypeError, AssertionError):
        raise ImportRefused(
            message=_("Dit is geen CBS OData-bestand: een JSON-object met ‘value’ verwacht.")
        ) from None
    base = (
        source or str(document.get("@odata.context", "")).split("$metadata")[0].rstrip("/") or "CBS"
    )
    errors, rows = [], []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            errors.append(RowError(number, "value", _("geen object met ‘Perioden’ en ‘Value’.")))
            continue
        match = CBS_PERIOD.fullmatch(str(entry.get("Perioden", "")).strip())
        if not match:
            errors.append(
                RowError(
                    number,
                    "Perioden",
                    _(
                        "‘%(value)s’ is geen jaar (2023JJ00) of kwartaal (2023KW02).",
                        value=entry.get("Perioden"),
                    ),
                )
            )
        value = _cbs_value(entry.get("Value"))
        if value is None:
            errors.append(
                RowError(number, "Value", _("‘%(value)s’ is geen getal.", value=entry.get("Value")))
            )
        status = " ".join(str(entry.get(k, "")) for k in ("Status", "ValueAttribute")).lower()
        if match and value is not None:
            period = match.group(1) + (f"-Q{match.group(3)}" if match.group(3) else "")
            rows.append(
                Parsed(
                    number,
                    target,
                    period,
                    value,
                    "voorlopig" in status or "provisional" in status,
                    base,
                    retrieved_on,
                )
            )
    _finish(errors, rows)
    return rows


def parse_sdmx_csv(
    raw: bytes, *, indicator: str | None, source: str | None, retrieved_on: date, geo: str = "NL"
):
    """Eurostat SDMX-CSV: DATAFLOW, LAST UPDATE, freq, …, geo, TIME_PERIOD, OBS_VALUE, OBS_FLAG."""
    target = _indicator(indicator)
    reader, columns = _csv_reader(raw)
    missing = [c for c in ("TIME_PERIOD", "OBS_VALUE") if c not in columns]
    if missing:
        raise ImportRefused(
            message=_(
                "Dit is geen SDMX-CSV-bestand: kolommen %(missing)s ontbreken.",
                missing=", ".join(missing),
            )
        )
    errors, rows = [], []
    for number, entry in enumerate(_csv_entries(reader), start=1):
        if "geo" in columns and entry.get("geo") != geo:
            continue
        period = (entry.get("TIME_PERIOD") or "").strip()
        if not PERIOD.fullmatch(period):
            errors.append(
                RowError(
                    number,
                    "TIME_PERIOD",
                    _("‘%(value)s’ is geen periode als 2023 of 2023-Q2.", value=period),
                )
            )
        value = _number(entry.get("OBS_VALUE") or "", number, errors, "OBS_VALUE")
        flow = (entry.get("DATAFLOW") or "").strip()
        row_source = source or (
            f"Eurostat {flow}"
            + (f" ({entry.get('LAST UPDATE')})" if entry.get("LAST UPDATE") else "")
        )
        flag = (entry.get("OBS_FLAG") or "").strip().lower()
        if value is not None and PERIOD.fullmatch(period):
            rows.append(
                Parsed(number, target, period, value, "p" in flag, row_source.strip(), retrieved_on)
            )
    _finish(errors, rows)
    return rows


def detect_format(name: str, raw: bytes) -> str:
    head = raw[:200].lstrip(b"\xef\xbb\xbf").lstrip()
    if name.lower().endswith(".json") or head.startswith(b"{"):
        return "cbs-odata"
    if head.upper().startswith(b"DATAFLOW") or b"TIME_PERIOD" in raw[:500]:
        return "sdmx-csv"
    return "csv"


def parse(fmt: str, raw: bytes, **options) -> list[Parsed]:
    if fmt not in FORMATS:
        raise ImportRefused(message=_("Onbekend formaat."))
    if fmt == "csv":
        options.pop("indicator", None)
        return parse_csv(raw, **options)
    if fmt == "cbs-odata":
        return parse_cbs_odata(raw, **options)
    return parse_sdmx_csv(raw, **options)


def store(rows: list[Parsed], actor, *, demo: bool = False) -> Summary:
    """Write parsed rows: new periods added, changed values revised, equal ones left."""
    summary = Summary()
    ids = {r.indicator.id for r in rows}
    current = {
        (o.indicator_id, o.period): o
        for o in db.session.scalars(
            select(Observation).where(
                Observation.indicator_id.in_(ids), Observation.replaced_at.is_(None)
            )
        )
    }
    now = utcnow()
    for row in rows:
        old = current.get((row.indicator.id, row.period))
        if old is not None and old.value == row.value and old.provisional == row.provisional:
            summary.unchanged += 1
            continue
        if old is not None:
            if not db.compare_and_set(old, {"replaced_at": None}, replaced_at=now):
                raise ImportRefused(
                    message=_(
                        "Een andere import heeft deze cijfers net bijgewerkt; probeer het opnieuw."
                    )
                )
            summary.revised += 1
        else:
            summary.added += 1
        db.session.flush()
        db.session.add(
            Observation(
                indicator_id=row.indicator.id,
                period=row.period,
                value=row.value,
                provisional=row.provisional,
                source=row.source,
                retrieved_on=row.retrieved_on,
                demo=demo,
                imported_by_id=getattr(actor, "id", None),
            )
        )
        summary.periods.append(f"{row.indicator.slug} {row.period}")
    db.session.flush()
    if summary.added or summary.revised:
        audit.record(
            "observations.import",
            rows[0].indicator,
            actor,
            after={
                "added": summary.added,
                "revised": summary.revised,
                "periods": summary.periods[:200],
            },
        )
    return summary
