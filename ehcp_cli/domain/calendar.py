"""The counting conventions of English law, as `statutory-timescales.md` section 1 sets them out.

Every rule computes its due date through these few functions, so a convention is fixed in one
place. All periods are calendar periods unless a function says "working days".
"""

from __future__ import annotations

import calendar as _cal
from datetime import date, timedelta
from functools import lru_cache

_ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=1024)  # the rules use a few dozen lengths of period
def _days(count: int) -> timedelta:
    """A period of `count` days, made once per length: building a `timedelta` from a keyword
    argument costs ten times the date addition it is for, and every rule adds one."""
    return timedelta(days=count)


def weeks_of(event: date, weeks: int) -> date:
    """Last day of "within N weeks of" an event: the event day is not counted."""
    return event + _days(7 * weeks)


def days_of(event: date, days: int) -> date:
    """Last day of "within N days of" an event (the event day is not counted)."""
    return event + _days(days)


def days_beginning_with(first: date, days: int) -> date:
    """Last day of "at least N days beginning with" a day: that day is day 1."""
    return first + _days(days - 1)


@lru_cache(maxsize=16384)  # pure, and called for every review cycle of every case
def add_months(start: date, months: int) -> date:
    """Same day N months on, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    if start.day <= 28:  # every month has days 1-28: no month length to look up
        return date(year, month, start.day)
    return date(year, month, min(start.day, _cal.monthrange(year, month)[1]))


def months_starting_with(start: date, months: int) -> date:
    """Last day of "N months starting with" a date: the date plus N months, less one day."""
    return add_months(start, months) - _ONE_DAY


def before(fixed: date) -> date:
    """Last day of "before" a fixed date."""
    return fixed - _ONE_DAY


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    """England-and-Wales bank holidays of one year, from the maintained `holidays` library."""
    import holidays  # imported here: it is slow to load and only needed to judge working days

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: date) -> bool:
    """A weekday that is not an England-and-Wales bank holiday."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


@lru_cache(maxsize=8192)
def act_by(due: date) -> date:
    """The last working day on or before a legal due date (the law itself never moves `due`)."""
    day = due
    while not is_working_day(day):
        day -= _ONE_DAY
    return day


def working_days_beginning_with(first: date, days: int) -> date:
    """Last day of "N working days beginning with" a day (that day counts if it is a working
    day)."""
    day, counted = first, 0
    while True:
        if is_working_day(day):
            counted += 1
            if counted == days:
                return day
        day += _ONE_DAY


def working_days_between(start: date, end: date) -> int:
    """Working days from `start` (inclusive) to `end` (exclusive)."""
    count, day = 0, start
    while day < end:
        if is_working_day(day):
            count += 1
        day += _ONE_DAY
    return count


@lru_cache(maxsize=8192)
def tribunal_deadline(day: date) -> date:
    """Move a tribunal-rule deadline as the HESC rules do for SEN appeals.

    August and 25 December–1 January are left out of the count, and a deadline that ends on a
    non-working day moves to the next working day. Applies to the family's appeal deadline only,
    never to the council's own duties.
    """
    if day.month == 8:
        day = date(day.year, 9, 1)
    elif (day.month, day.day) >= (12, 25):
        day = date(day.year + 1, 1, 2)
    elif (day.month, day.day) == (1, 1):
        day = date(day.year, 1, 2)
    while not is_working_day(day):
        day += _ONE_DAY
    return day


# --- plain day counting, for reports and renderers (so no command does date arithmetic) ----------
def days_between(earlier: date, later: date) -> int:
    """Whole days from `earlier` to `later`: negative when `later` comes first."""
    return (later - earlier).days


def week_beginning(day: date) -> date:
    """The Monday of the week containing `day`."""
    return day - timedelta(days=day.weekday())


def next_day(day: date) -> date:
    return day + _ONE_DAY


def previous_day(day: date) -> date:
    return day - _ONE_DAY


def window_end(start: date, days: int) -> date:
    """The exclusive end of "due from `start` through `start` + `days`", for `due < end` queries."""
    return start + timedelta(days=days + 1)
