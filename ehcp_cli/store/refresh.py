"""Keeping derived rows true to the rules: compare each case's stored stage and deadline rows
with a fresh evaluation of its events, and rewrite those that differ.

Why: deadline rows are a copy kept for fast queries, refreshed whenever a case changes. When a
new version of ehcp corrects a rule (or the bank-holiday calendar changes an act-by date), cases
nobody has touched since still hold the old rows. `ehcp db verify` reports them and
`ehcp db refresh` rewrites them, in batches, in one transaction.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from ehcp_cli.domain.events import Event, event_from_data
from ehcp_cli.importing.prepare import derive
from ehcp_cli.store.models import Case, DeadlineRow, EventRow
from ehcp_cli.store.repo import deadline_values

BATCH = 2000
_COMPARED = ("rule", "key", "kind", "description", "regulation", "trigger", "due", "act_by",
             "met_on", "lapsed_on", "exception")


def _batches(connection: Connection) -> Iterator[list[Any]]:
    last = 0
    while True:
        cases = connection.execute(
            select(Case.id, Case.ref, Case.dob, Case.reception_year, Case.stage)
            .where(Case.id > last).order_by(Case.id).limit(BATCH)
        ).all()
        if not cases:
            return
        yield cases
        last = cases[-1].id


def _events(connection: Connection, ids: Sequence[int]) -> dict[int, list[Event]]:
    out: dict[int, list[Event]] = defaultdict(list)
    rows = connection.execute(
        select(EventRow.case_id, EventRow.on, EventRow.kind, EventRow.data)
        .where(EventRow.case_id.in_(ids)).order_by(EventRow.case_id, EventRow.on, EventRow.id)
    )
    for case_id, on, kind, data in rows:
        out[case_id].append(event_from_data(kind, on, json.loads(data)))
    return out


def _stored(connection: Connection, ids: Sequence[int]) -> dict[int, list[tuple[Any, ...]]]:
    out: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    columns = [getattr(DeadlineRow, c) for c in _COMPARED]
    for row in connection.execute(
        select(DeadlineRow.case_id, *columns).where(DeadlineRow.case_id.in_(ids))
    ):
        out[row[0]].append(tuple(row[1:]))
    return out


def stale_cases(connection: Connection, *, fix: bool = False) -> tuple[int, list[str]]:
    """(cases checked, references whose stored stage or deadlines differ from the rules).

    With `fix`, those cases' rows are rewritten on this connection (the caller commits).
    """
    checked, stale = 0, []
    for cases in _batches(connection):
        ids = [c.id for c in cases]
        events, stored = _events(connection, ids), _stored(connection, ids)
        for case in cases:
            checked += 1
            stage, deadlines = derive(case.dob, events[case.id], case.reception_year)
            fresh = deadline_values(case.id, deadlines)
            if stage == case.stage and sorted(
                tuple(v[c] for c in _COMPARED) for v in fresh
            ) == sorted(stored[case.id]):
                continue
            stale.append(case.ref)
            if fix:
                connection.execute(delete(DeadlineRow).where(DeadlineRow.case_id == case.id))
                if fresh:
                    connection.execute(insert(DeadlineRow), fresh)
                connection.execute(update(Case).where(Case.id == case.id).values(stage=stage))
    return checked, stale
