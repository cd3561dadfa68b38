"""Reading dates typed by people: ISO, UK day-first, `today`, `yesterday` — nothing guessed.

The parser is a pure function of the text and today's date, and deliberately small: a general
guesser would read 01/02/2026 as 2 January on some machines, and a deadline tool must never do that.
"""

from __future__ import annotations

import re
from datetime import date

from ehcp_cli.domain.calendar import previous_day
from ehcp_cli.errors import UsageError

ACCEPTED = "YYYY-MM-DD, DD/MM/YYYY, today or yesterday"
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_UK = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_date(text: str, today: date, *, what: str = "date") -> date:
    """The date `text` names; UsageError (exit 2) naming the accepted forms otherwise."""
    value = text.strip()
    word = value.lower()
    if word == "today":
        return today
    if word == "yesterday":
        return previous_day(today)
    found = _ISO.fullmatch(value)
    if found:
        year, month, day = (int(g) for g in found.groups())
    elif found := _UK.fullmatch(value):
        day, month, year = (int(g) for g in found.groups())
    else:
        raise UsageError(f"{what} {text!r} is not a date: use {ACCEPTED}")
    try:
        return date(year, month, day)
    except ValueError:
        raise UsageError(f"{what} {text!r} is not a real calendar date: use {ACCEPTED}") from None


def parse_iso(text: str) -> date | None:
    """Fast path for machine-written ISO dates (imports): None when `text` is not one."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    return None
