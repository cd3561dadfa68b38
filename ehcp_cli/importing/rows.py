"""One import row, checked: its case details and the events it stands for, or its problems.

Pure and total: `parse_row` never raises on any text; every fault comes back as a `Problem`
value naming the row (as a spreadsheet numbers it), the column, the value and what is accepted,
so the importer can list every bad row before refusing the file.

A row's dates become events in the order they happened (same-day stages in pathway order), and
that sequence must be one the stage transition table allows: `received` opens a request, stage
dates follow it; `withdrawn` ends the request (the family withdrew it); `issued` alone is a plan
already in force; `last_review` after `issued` is the last review decision; `ceased` ends a plan.
A row holds one request, so nothing follows a withdrawal in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from operator import itemgetter
from typing import Any

from ehcp_cli.dates import parse_date, parse_iso
from ehcp_cli.domain.codes import CEASE_REASONS, NEEDS
from ehcp_cli.domain.events import Event, PlanInForce, Requested, ReviewDecided, StageReached
from ehcp_cli.domain.identity import ref_problem, text_problem, upn_problem
from ehcp_cli.domain.stages import CLOSED, allowed_next
from ehcp_cli.errors import UsageError
from ehcp_cli.importing.columns import COLUMN_OF_STAGE, DATE_COLUMNS, STAGE_COLUMNS

DATE_FORMS = "use YYYY-MM-DD or DD/MM/YYYY"
_UK_SHAPE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")
_ISO_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NEEDS = frozenset(NEEDS)
# Where each dated column sits when two happen on the same day (a request withdrawn the day it
# was received, or the day the council decided to assess or drafted the plan, is withdrawn last).
_ORDER = {"received": 0, "assessing": 1, "not_assessing": 2, "drafted": 3, "not_issuing": 4,
          "withdrawn": 5, "issued": 6, "last_review": 7, "ceased": 8}
_SHOWN = 40  # longest value echoed in a problem line
_WHEN = itemgetter(0, 1)  # (day, _ORDER): how a row's later events are put in order
_PAIR = itemgetter(2)  # the (column, event) of an item of `later`
# The dated columns that are not later events: the date of birth, and those the opening event
# (a request, or a plan in force with its last review) already records.
_OPENING_REQUEST = frozenset({"dob", "received"})
_OPENING_PLAN = frozenset({"dob", "received", "issued", "last_review"})


@dataclass(frozen=True, slots=True)
class Problem:
    """Why one cell (or a whole row, or the file) cannot be imported."""

    row: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        parts = []
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        if self.value is not None:
            parts.append(f"value {show(self.value)}")
        return ", ".join(parts) + (": " if parts else "") + self.message


def show(value: str) -> str:
    """A cell as quoted in a problem line: control characters escaped, long text cut."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    if len(text) > _SHOWN:
        text = text[: _SHOWN - 1] + "…"
    return f"'{text}'"


@dataclass(frozen=True, slots=True)
class ImportRow:
    """A valid row: the case's details (None where the cell was blank) and its events, in order."""

    number: int
    ref: str
    details: dict[str, Any]
    events: tuple[tuple[str, Event], ...]  # (column it came from, event), in date order

    @property
    def is_open(self) -> bool:
        """Whether the case counts against its UPN: not in a closed stage (ceased, withdrawn),
        as for a recorded case. Nothing follows either in a valid row, so the last event says."""
        last = self.events[-1][1]
        return not (last.kind == "stage" and last.stage in CLOSED)  # type: ignore[attr-defined]


def read_date(text: str) -> date | str:
    """The date a cell names, or why it names none (a general guesser is never used)."""
    day = parse_iso(text)
    if day is not None:
        return day
    if _UK_SHAPE.fullmatch(text):
        try:
            return parse_date(text, date.min)
        except UsageError:
            return f"not a real calendar date: {DATE_FORMS}"
    if _ISO_SHAPE.fullmatch(text):
        return f"not a real calendar date: {DATE_FORMS}"
    return f"not a date: {DATE_FORMS} (day first)"


# `read_date` is pure, and an import repeats a few thousand dates across every row and column:
# each text is read once.
_read_date = lru_cache(maxsize=16384)(read_date)
# Free-text columns and their longest accepted value.
_FREE_TEXT = (("coordinator", 100), ("setting", 200))


def _filled(cells: dict[str, str], column: str) -> bool:
    """Whether a cell holds more than blanks (asked only when its column gave no date)."""
    return bool(cells.get(column, "").strip())


def parse_row(cells: dict[str, str], number: int, today: date) -> ImportRow | list[Problem]:
    """Check one row (`cells` maps column names to raw text; absent columns are blank)."""
    problems: list[Problem] = []
    cell = cells.get

    def problem(column: str, message: str) -> None:
        problems.append(Problem(number, column, cell(column, ""), message))

    ref = cell("ref", "").strip()
    if not ref:
        problem("ref", "required: every row needs a case reference")
    # Up to 64 ASCII letters and digits is a valid reference: the pattern is asked about the rest.
    elif not (len(ref) <= 64 and ref.isascii() and ref.isalnum()) and (why := ref_problem(ref)):
        problem("ref", f"use {why}")

    details: dict[str, Any] = {}
    name = cell("name", "")
    details["name"] = name.strip()
    if not details["name"]:
        problem("name", "required: every row needs the child's or young person's name")
    # Short enough and printable (so no control characters): `text_problem` would pass it, and
    # most cells are, so it is asked only about the others.
    elif (len(name) > 200 or not name.isprintable()) and (why := text_problem(name, 200)):
        problem("name", why)
    for column, limit in _FREE_TEXT:
        text = cell(column, "")
        value = text.strip()
        if not value:
            details[column] = None
        elif (len(text) > limit or not text.isprintable()) and (why := text_problem(text, limit)):
            problem(column, why)
        else:
            details[column] = value

    upn = cell("upn", "").strip().upper()
    if upn and (why := upn_problem(upn)):
        problem("upn", why)
    details["upn"] = upn or None
    need = cell("need", "").strip().upper()
    if need and need not in _NEEDS:
        problem("need", "not a DfE primary-need code: use one of " + ", ".join(NEEDS))
    details["need"] = need or None

    dates: dict[str, date] = {}
    for column in DATE_COLUMNS:
        raw = cell(column)
        if not raw or not (text := raw.strip()):
            continue
        day = _read_date(text)
        if isinstance(day, str):
            problem(column, day)
        elif day > today:
            problem(column, f"is after today ({today.isoformat()}): dates must be on or "
                    "before today")
        else:
            dates[column] = day
    if "dob" not in dates and not _filled(cells, "dob"):
        problem("dob", f"required: every row needs the date of birth ({DATE_FORMS})")
    details["dob"] = dates.get("dob")

    reason = cell("cease_reason", "").strip()
    ceased = "ceased" in dates or _filled(cells, "ceased")
    if reason and reason not in CEASE_REASONS:
        problem("cease_reason", "not an SEN2 ceasing reason: use a code 1-9")
    elif reason and not ceased:
        problem("cease_reason", "goes with a ceased date: fill in ceased or clear this cell")
    elif not reason and ceased:
        problem("cease_reason", "required with ceased: an SEN2 ceasing reason code 1-9")

    if not ("received" in dates or "issued" in dates or _filled(cells, "received")
            or _filled(cells, "issued")):
        problem("received", "a row needs received (an assessment request) or issued (a plan in "
                "force)")
    if problems:
        return problems
    events = _timeline(dates, reason or None, problem)
    if problems:
        return problems
    return ImportRow(number, ref, details, events)


# A row's events are immutable values, and an import repeats the same ones (a date and a stage)
# in row after row: each (column, event) pair is made once and shared by the rows holding it, as
# each date is read once. Fewer objects also means less for the garbage collector to scan.
@lru_cache(maxsize=8192)
def _requested(received: date) -> tuple[str, Event]:
    return "received", Requested(received)


def _plan_in_force(issued: date, last_review: date | None) -> tuple[str, Event]:
    # Not remembered: a plan's pair of dates seldom repeats (one row in five, in a large
    # caseload), so a cache of them held megabytes for little.
    return "issued", PlanInForce(issued, last_review)


@lru_cache(maxsize=16384)
def _later(column: str, day: date, reason: str | None) -> tuple[str, Event]:
    """A dated column after the opening one, with the event it records."""
    if column == "last_review":
        return column, ReviewDecided(day)
    return column, StageReached(day, STAGE_COLUMNS[column], reason)


def _timeline(dates: dict[str, date], reason: str | None, problem: Any
              ) -> tuple[tuple[str, Event], ...]:
    """The row's events in the order they happened, if the transition table allows that order."""
    received, issued = dates.get("received"), dates.get("issued")
    if received is not None:
        opening = _requested(received)
    else:
        assert issued is not None
        last_review = dates.get("last_review")
        if last_review is not None and last_review < issued:
            problem("last_review", f"is before issued ({issued.isoformat()})")
            return ()
        opening = _plan_in_force(issued, last_review)
        stray: list[str] = [c for c in ("assessing", "not_assessing", "drafted", "not_issuing",
                                        "withdrawn") if c in dates]
        for column in stray:
            problem(column, "a withdrawal needs the received date of the request withdrawn"
                    if column == "withdrawn" else
                    "an assessment stage needs the received date of its request")
        if stray:
            return ()
        if "ceased" in dates and dates["ceased"] < opening[1].known_from:  # type: ignore[attr-defined]
            known = "last_review" if last_review else "issued"
            problem("ceased", f"is before {known} ({opening[1].known_from.isoformat()})")  # type: ignore[attr-defined]
    start = opening[1].on
    if dates["dob"] > start:
        problem(opening[0], f"is before the date of birth ({dates['dob'].isoformat()})")
    later: list[tuple[date, int, tuple[str, Event]]] = []
    opened_by = _OPENING_REQUEST if received is not None else _OPENING_PLAN
    for column, day in dates.items():
        if column in opened_by:
            continue
        if day < start:
            problem(column, f"is before {opening[0]} ({start.isoformat()})")
            continue
        pair = _later(column, day, reason if column == "ceased" else None)
        later.append((day, _ORDER[column], pair))
    later.sort(key=_WHEN)

    stage = "requested" if received is not None else "issued"
    previous, previous_on = opening[0], start
    for day, _, (column, event) in later:
        if isinstance(event, ReviewDecided):
            if stage != "issued":
                problem(column, f"cannot come after {previous} ({previous_on.isoformat()}): "
                        "a review decision needs a plan in force (on or after issued, before "
                        "ceased)")
                break
        else:
            allowed = allowed_next(stage)
            if event.stage not in allowed:  # type: ignore[attr-defined]
                problem(column, f"cannot follow {previous} ({previous_on.isoformat()}): "
                        + _what_follows(previous, allowed))
                break
            stage = event.stage  # type: ignore[attr-defined]
        previous, previous_on = column, day
    return (opening, *map(_PAIR, later))


def _what_follows(previous: str, allowed: tuple[str, ...]) -> str:
    """The columns that may come after `previous` in a row. A fresh request (`requested`) is left
    out: a row holds one request, whose `received` date opens it."""
    nexts = [COLUMN_OF_STAGE[s] for s in allowed if s != "requested"]
    if not nexts:
        return (f"a row holds one request, and nothing follows {previous} in it" if allowed
                else f"nothing can follow {previous}")
    if len(nexts) == 1:
        return f"after {previous} comes {nexts[0]}"
    return f"after {previous} comes {', '.join(nexts[:-1])} or {nexts[-1]}"
