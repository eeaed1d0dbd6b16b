"""Times are stored in UTC and shown in Europe/Amsterdam."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import format_currency, format_date, format_datetime

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UTC = ZoneInfo("UTC")


def local_datetime(value: datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    return format_datetime(value, fmt)


def html_datetime(value: datetime | None) -> str:
    """A valid HTML `datetime` attribute: UTC to the second, '2026-12-04T18:05:03Z'
    (Python's isoformat gives microseconds, which HTML does not allow)."""
    if value is None:
        return ""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def local_to_utc(local: datetime) -> datetime:
    """A time entered in Dutch local time (naive), as an aware UTC timestamp."""
    return local.replace(tzinfo=AMSTERDAM).astimezone(UTC)


def local_date(value: datetime) -> date:
    """The calendar date in the Netherlands of a UTC timestamp."""
    return value.astimezone(AMSTERDAM).date()


def local_day(value: datetime | date | None, fmt: str = "long") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local_date(value)
    return format_date(value, fmt)


def iso_day(value: str | None, fmt: str = "long") -> str:
    """A date stored as text (YYYY-MM-DD, as in timeline data), written out."""
    if not value:
        return ""
    try:
        return format_date(date.fromisoformat(value), fmt)
    except ValueError:
        return value


def local_today() -> date:
    """Today in the Netherlands (the server may run in UTC)."""
    return datetime.now(AMSTERDAM).date()


def euro(amount: int | None) -> str:
    """An amount in whole euros, written the reader's way (€ 125.000 / €125,000)."""
    if amount is None:
        return ""
    return format_currency(amount, "EUR", format="¤ #,##0", currency_digits=False)
