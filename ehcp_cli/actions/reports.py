"""Read-only reports across the caseload: overdue and due-soon deadlines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

from ehcp_cli.actions.env import Env
from ehcp_cli.domain import calendar

DEFAULT_KINDS = ("statutory", "case-law")


def overdue(
    env: Env,
    as_of: date,
    coordinator: str | None = None,
    due_within: int | None = None,
    include_guidance: bool = False,
) -> Iterator[dict[str, Any]]:
    """Unmet statutory and case-law deadlines due before `as_of` (and due soon), oldest first.

    Streams rows so a national-scale report never holds the whole result in memory, and reads
    through `store.reader` so a cron run on SQLite never loads the ORM.
    """
    from ehcp_cli.store import reader

    kinds = DEFAULT_KINDS + (("guidance",) if include_guidance else ())
    until = as_of if due_within is None else calendar.window_end(as_of, due_within)
    day = reader.day
    loads = json.loads
    days_between = calendar.days_between
    with reader.read_transaction(env.db, env.engine) as query:
        for (ref, name, coord, stage, rule, key, kind, description, due, act_by, regulation,
             exception) in reader.overdue_rows(query, as_of=as_of, until=until, kinds=kinds,
                                               coordinator=coordinator):
            due = day(due)
            yield {
                "ref": ref, "name": name, "coordinator": coord, "stage": stage, "rule": rule,
                "key": key, "kind": kind, "description": description, "due": due,
                "act_by": day(act_by), "days_overdue": days_between(due, as_of),
                "regulation": regulation,
                "exception": loads(exception) if exception else None,
            }
