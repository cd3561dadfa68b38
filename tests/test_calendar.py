"""The counting conventions of statutory-timescales.md section 1, one function each.

Bank holidays come from the `holidays` library; the dates pinned here are the published
England-and-Wales holidays, so a library regression shows up as a failing test.
"""

from __future__ import annotations

from datetime import date

import pytest

from ehcp_cli.domain import calendar as cal


def test_weeks_of_does_not_count_the_event_day():
    # "request Mon 5 Jan 2026 + 6 weeks -> Mon 16 Feb 2026"
    assert cal.weeks_of(date(2026, 1, 5), 6) == date(2026, 2, 16)
    assert cal.weeks_of(date(2026, 1, 5), 20) == date(2026, 5, 25)


def test_days_beginning_with_counts_the_first_day():
    # "draft served Mon 5 Jan 2026 -> representations close Mon 19 Jan 2026"
    assert cal.days_beginning_with(date(2026, 1, 5), 15) == date(2026, 1, 19)
    assert cal.days_beginning_with(date(2026, 1, 5), 1) == date(2026, 1, 5)


def test_days_of_does_not_count_the_event_day():
    assert cal.days_of(date(2026, 3, 2), 15) == date(2026, 3, 17)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 3, 10), 12, date(2026, 3, 9)),  # the section 1 example
        (date(2024, 2, 29), 12, date(2025, 2, 27)),  # 29 Feb + 12 months clamps to 28 Feb, less 1
        (date(2024, 2, 29), 48, date(2028, 2, 28)),  # a leap year four years on keeps the 29th
        (date(2026, 1, 31), 1, date(2026, 2, 27)),  # 31 Jan + 1 month = 28 Feb, less one day
        (date(2024, 1, 31), 1, date(2024, 2, 28)),  # ... 29 Feb in a leap year, less one day
        (date(2026, 3, 31), 6, date(2026, 9, 29)),  # 30 Sep clamp, less one day
        (date(2026, 3, 1), 12, date(2027, 2, 28)),
        (date(2026, 12, 31), 2, date(2027, 2, 27)),
        (date(2026, 3, 13), 3, date(2026, 6, 12)),  # worked example 6
    ],
)
def test_months_starting_with(start, months, expected):
    assert cal.months_starting_with(start, months) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2027, 9, 1), -12, date(2026, 9, 1)),
        (date(2027, 3, 31), -1, date(2027, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_add_months_clamps_to_month_end(start, months, expected):
    assert cal.add_months(start, months) == expected


def test_before_a_fixed_date_is_the_day_before():
    assert cal.before(date(2027, 2, 15)) == date(2027, 2, 14)
    assert cal.before(date(2032, 3, 31)) == date(2032, 3, 30)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 1),  # New Year's Day
        date(2026, 4, 3),  # Good Friday
        date(2026, 4, 6),  # Easter Monday
        date(2026, 5, 4),  # Early May
        date(2026, 5, 25),  # Spring
        date(2026, 8, 31),  # Summer
        date(2026, 12, 25),
        date(2026, 12, 28),  # Boxing Day substitute (26th is a Saturday)
        date(2027, 3, 26),  # Good Friday 2027
        date(2027, 3, 29),  # Easter Monday 2027
    ],
)
def test_bank_holidays_are_not_working_days(day):
    assert day.weekday() < 5
    assert not cal.is_working_day(day)


def test_weekends_are_not_working_days_and_ordinary_weekdays_are():
    assert not cal.is_working_day(date(2026, 1, 3))
    assert not cal.is_working_day(date(2026, 1, 4))
    assert cal.is_working_day(date(2026, 1, 5))
    assert cal.is_working_day(date(2026, 12, 24))


@pytest.mark.parametrize(
    ("due", "act_by"),
    [
        (date(2026, 5, 25), date(2026, 5, 22)),  # worked example 1: spring bank holiday
        (date(2027, 2, 14), date(2027, 2, 12)),  # worked example 5: a Sunday
        (date(2026, 4, 6), date(2026, 4, 2)),  # Easter Monday -> Maundy Thursday
        (date(2026, 4, 5), date(2026, 4, 2)),  # Easter Sunday
        (date(2026, 12, 28), date(2026, 12, 24)),  # Christmas: 25 Fri, 26-27 weekend, 28 holiday
        (date(2027, 1, 1), date(2026, 12, 31)),
        (date(2026, 8, 31), date(2026, 8, 28)),
        (date(2026, 3, 9), date(2026, 3, 9)),  # a working day is its own act-by date
    ],
)
def test_act_by_is_the_last_working_day_on_or_before_due(due, act_by):
    assert cal.act_by(due) == act_by


def test_working_days_beginning_with_counts_the_first_day_when_it_is_a_working_day():
    # law-research example: learned Mon 23 Feb 2026 -> 15 working days -> Fri 13 Mar 2026
    assert cal.working_days_beginning_with(date(2026, 2, 23), 15) == date(2026, 3, 13)
    # A Saturday start counts from Monday.
    assert cal.working_days_beginning_with(date(2026, 2, 21), 1) == date(2026, 2, 23)
    # Over Easter 2026 (Fri 3 Apr and Mon 6 Apr are holidays).
    assert cal.working_days_beginning_with(date(2026, 3, 30), 5) == date(2026, 4, 7)


def test_working_days_between_is_start_inclusive_end_exclusive():
    assert cal.working_days_between(date(2026, 2, 23), date(2026, 3, 2)) == 5
    assert cal.working_days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0
    assert cal.working_days_between(date(2026, 12, 21), date(2027, 1, 4)) == 7


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 8, 20), date(2026, 9, 1)),  # August is skipped: first working day of September
        (date(2026, 8, 1), date(2026, 9, 1)),
        (date(2027, 8, 16), date(2027, 9, 1)),
        (date(2025, 8, 31), date(2025, 9, 1)),
        (date(2029, 8, 20), date(2029, 9, 3)),  # 1 Sep 2029 is a Saturday
        (date(2026, 12, 25), date(2027, 1, 4)),  # 2 Jan 2027 is a Saturday
        (date(2026, 12, 31), date(2027, 1, 4)),
        (date(2027, 1, 1), date(2027, 1, 4)),
        (date(2025, 12, 29), date(2026, 1, 2)),  # Fri 2 Jan 2026 is a working day
        (date(2026, 5, 10), date(2026, 5, 11)),  # a Sunday moves forward, not back
        (date(2026, 12, 24), date(2026, 12, 24)),
        (date(2026, 7, 31), date(2026, 7, 31)),
    ],
)
def test_tribunal_deadline_skips_august_and_christmas_and_moves_forward(day, expected):
    assert cal.tribunal_deadline(day) == expected
