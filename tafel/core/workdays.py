"""Working days for response targets: Monday to Friday, without the public
holidays that Dutch law counts for deadlines (Algemene termijnenwet, art. 3)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache


def easter(year: int) -> date:
    """Easter Sunday (Gregorian; the anonymous algorithm of Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


@cache
def holidays(year: int) -> frozenset[date]:
    sunday = easter(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:  # on a Sunday it moves to Saturday
        kings_day -= timedelta(days=1)
    return frozenset(
        {
            date(year, 1, 1),  # Nieuwjaarsdag
            sunday + timedelta(days=1),  # Tweede Paasdag
            kings_day,  # Koningsdag
            date(year, 5, 5),  # Bevrijdingsdag
            sunday + timedelta(days=39),  # Hemelvaartsdag
            sunday + timedelta(days=50),  # Tweede Pinksterdag
            date(year, 12, 25),  # Eerste Kerstdag
            date(year, 12, 26),  # Tweede Kerstdag
        }
    )


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in holidays(day.year)


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        if is_working_day(day):
            count += 1
        day += timedelta(days=1)
    return count
