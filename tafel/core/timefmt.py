"""Times are stored in UTC and shown in Europe/Amsterdam."""

from __future__ import annotations

from datetime import datetime

from flask_babel import format_datetime


def local_datetime(value: datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    return format_datetime(value, fmt)
