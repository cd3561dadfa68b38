"""A checked row turned into what is stored: the case's stage, event rows and deadline rows.

Uses the same domain functions as the commands (`evaluate`, `current_stage`, events sorted as
`repo.facts_for` sorts them), so an imported case gets exactly the stage and deadlines that
opening it and moving it by hand would give. Values come out as plain tuples in table column
order: building one ORM object per row would cost more than everything else in an import.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from json.encoder import encode_basestring_ascii  # type: ignore[attr-defined]
from typing import Any

from ehcp_cli.domain.calendar import act_by
from ehcp_cli.domain.events import Event
from ehcp_cli.domain.facts import CaseFacts
from ehcp_cli.domain.rules import Deadline, evaluate
from ehcp_cli.domain.stages import current_stage

CASE_FIELDS = ("ref", "name", "dob", "upn", "coordinator", "setting", "need")
# Column order of the rows built here (the tables' order, without the generated ids).
EVENT_COLUMNS = ("case_id", "on", "kind", "data", "recorded_at", "recorded_by")
DEADLINE_COLUMNS = ("case_id", "rule", "key", "kind", "description", "regulation", "trigger",
                    "due", "act_by", "met_on", "lapsed_on", "exception")


def derive(dob: date, events: Sequence[Event], reception_year: int | None = None
           ) -> tuple[str, list[Deadline]]:
    """The stage and every deadline of a case with these events (any order; same-day order kept)."""
    ordered = sorted(events, key=lambda e: e.on)  # stable, as repo.facts_for
    facts = CaseFacts(dob=dob, events=tuple(ordered), reception_year=reception_year)
    return current_stage(facts.events), evaluate(facts)


_DATA: dict[tuple[Any, ...], str] = {}


def event_data(event: Event) -> str:
    """The stored JSON of an event's fields, byte for byte as `repo.add_event` writes it.

    Remembered by the event's class and its fields other than `on`, which are all the JSON
    holds: an import repeats the same stage, and a plan's same last review, row after row, on
    many different days (remembered per event, plans in force missed two times in three).
    """
    key = (type(event), *[value for name, value in vars(event).items() if name != "on"])
    try:
        return _DATA[key]
    except KeyError:
        if len(_DATA) > 20_000:
            _DATA.clear()
        data = _DATA[key] = json.dumps(event.to_data(), sort_keys=True)
        return data


_ISO: dict[date, str] = {}


def iso(day: date) -> str:
    """`day.isoformat()`, one shared string per date: dates repeat across an import's rows, and
    pickle sends a string it has already sent in a batch as a short back-reference."""
    try:
        return _ISO[day]
    except KeyError:
        if len(_ISO) > 50_000:
            _ISO.clear()
        text = _ISO[day] = day.isoformat()
        return text


def event_rows(events: Sequence[Event]) -> tuple[tuple[str, str, str], ...]:
    """(on, kind, data) of each event as stored, without the case id and who recorded it; the
    date as ISO text like `deadline_rows`."""
    return tuple((iso(e.on), e.kind, event_data(e)) for e in events)


def deadline_rows(deadlines: Sequence[Deadline]) -> tuple[tuple[Any, ...], ...]:
    """`repo.deadline_values` as tuples in DEADLINE_COLUMNS order without the case id, dates as
    ISO text: the form SQLite stores, and one PostgreSQL casts to `date` (a test keeps them
    equal)."""
    rows = []
    for rule, kind, description, regulation, trigger, due, met_on, lapsed_on, key, exception \
            in deadlines:
        rows.append((rule, key, kind, description, regulation, iso(trigger), iso(due),
                     iso(act_by(due)), met_on and iso(met_on), lapsed_on and iso(lapsed_on),
                     json.dumps(exception.as_dict()) if exception else None))
    return tuple(rows)


def imported_details(ref: str, name: str, dob: str, upn: str | None, coordinator: str | None,
                     setting: str | None, need: str | None) -> str:
    """The JSON details of an imported case's audit entry: the same as `case open` records, so
    history reads alike however a case came. Byte for byte `json.dumps(details,
    sort_keys=True)` (a property test holds them equal), spelt out because an import writes
    one per case and the general encoder was a tenth of its preparation."""
    return (f'{{"coordinator": {_text(coordinator)}, "dob": {_text(dob)}, "name": {_text(name)}, '
            f'"need": {_text(need)}, "ref": {_text(ref)}, "setting": {_text(setting)}, '
            f'"upn": {_text(upn)}}}')


def _text(value: str | None) -> str:
    return "null" if value is None else encode_basestring_ascii(value)  # type: ignore[no-any-return]


def describe_events(events: Sequence[Event]) -> list[str]:
    """Short lines for the audit entry: what the import recorded."""
    return [f"{e.on.isoformat()} {getattr(e, 'stage', None) or e.kind}" for e in events]
