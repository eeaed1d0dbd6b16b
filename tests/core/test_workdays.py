"""Working days for the triage target."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tafel.core.workdays import easter, holidays, is_working_day, working_days_between

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


def test_known_easter_sundays():
    assert easter(2024) == date(2024, 3, 31)
    assert easter(2026) == date(2026, 4, 5)
    assert easter(2027) == date(2027, 3, 28)


def test_holidays_2026():
    assert holidays(2026) == {
        date(2026, 1, 1), date(2026, 4, 6), date(2026, 4, 27), date(2026, 5, 5),
        date(2026, 5, 14), date(2026, 5, 25), date(2026, 12, 25), date(2026, 12, 26),
    }  # fmt: skip
    assert date(2025, 4, 26) in holidays(2025)  # Koningsdag moves off a Sunday


def test_christmas_week():
    # Submitted on Friday 18 December 2026: the Monday to Thursday after count,
    # Christmas (Friday) does not.
    assert working_days_between(date(2026, 12, 18), date(2026, 12, 25)) == 4


@given(days)
def test_easter_is_a_sunday_in_spring(day):
    sunday = easter(day.year)
    assert sunday.weekday() == 6 and date(day.year, 3, 22) <= sunday <= date(day.year, 4, 25)


@given(days, st.integers(min_value=0, max_value=400))
def test_counts_weekdays_that_are_no_holiday(start, length):
    end = start + timedelta(days=length)
    expected = sum(
        1
        for n in range(1, length + 1)
        if (start + timedelta(days=n)).weekday() < 5
        and (start + timedelta(days=n)) not in holidays((start + timedelta(days=n)).year)
    )
    assert working_days_between(start, end) == expected
    assert working_days_between(end, start) == 0


@given(days, st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=60))
def test_additive(start, a, b):
    middle = start + timedelta(days=a)
    end = middle + timedelta(days=b)
    total = working_days_between(start, middle) + working_days_between(middle, end)
    assert working_days_between(start, end) == total
    assert not is_working_day(date(2026, 11, 28))  # a Saturday
