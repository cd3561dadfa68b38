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
from typing import Any

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


_DATA: dict[Event, str] = {}


def event_data(event: Event) -> str:
    """The stored JSON of an event's fields, byte for byte as `repo.add_event` writes it.

    Remembered per event: an import repeats the same stage on the same day many times.
    """
    try:
        return _DATA[event]
    except KeyError:
        if len(_DATA) > 20_000:
            _DATA.clear()
        data = _DATA[event] = json.dumps(event.to_data(), sort_keys=True)
        return data


def deadline_rows(deadlines: Sequence[Deadline]) -> tuple[tuple[Any, ...], ...]:
    """`repo.deadline_values` as tuples in DEADLINE_COLUMNS order without the case id, dates as
    ISO text: the form SQLite stores, and one PostgreSQL casts to `date` (a test keeps them
    equal)."""
    return tuple(
        (d.rule, d.key, d.kind, d.description, d.regulation, d.trigger.isoformat(),
         d.due.isoformat(), d.act_by.isoformat(), d.met_on and d.met_on.isoformat(),
         d.lapsed_on and d.lapsed_on.isoformat(),
         json.dumps(d.exception.as_dict()) if d.exception else None)
        for d in deadlines
    )


def describe_events(events: Sequence[Event]) -> list[str]:
    """Short lines for the audit entry: what the import recorded."""
    return [f"{e.on.isoformat()} {getattr(e, 'stage', None) or e.kind}" for e in events]
