"""Exports: the caseload in the import's own column set, and open deadlines for calendars.

`export_cases` writes exactly the columns `ehcp import` reads, with each stage column derived from
the case's events, so export -> import into an empty database -> export gives the same file.
A row holds one request, the case's latest (see `stage_columns`, and the README's limit).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from itertools import groupby
from typing import Any

from ehcp_cli.actions.env import Env
from ehcp_cli.domain.events import (
    Event,
    PlanInForce,
    ReviewDecided,
    StageReached,
    TransferredIn,
    event_from_data,
)
from ehcp_cli.domain.stages import stage_of
from ehcp_cli.importing import columns

# The import's columns, in its documented order (cli-contract.md, "Bulk import").
CASE_COLUMNS = list(columns.NAMES)
# Stage reached -> the import column holding the first date the case reached it (a request
# received is the `received` column; the other stages are the import's own stage columns).
STAGE_COLUMNS = {"requested": "received", **columns.COLUMN_OF_STAGE}
DEADLINE_COLUMNS = [
    "ref", "name", "coordinator", "rule", "key", "kind", "description", "due", "act_by", "met_on",
    "regulation", "status", "exception", "trigger",
]
UNMET = ("open", "overdue")


def stage_columns(events: Sequence[Event]) -> dict[str, Any]:
    """The import's date columns for one case's events (in the order they happened).

    A row holds one request: the case's latest. `received` is the date of the latest request and
    each stage column the first date the case reached that stage after it, so the row says where
    the case stands now and, imported elsewhere, its clocks run from the request they belong to.
    Earlier requests (withdrawn, or refused and asked again) are not in the row. `last_review`
    is the latest review decision known, including one recorded with a plan opened or
    transferred in.
    """
    out: dict[str, Any] = dict.fromkeys([*STAGE_COLUMNS.values(), "last_review", "cease_reason"])
    reviews: list[date] = []
    for event in events:
        stage = stage_of(event)
        if stage == "requested":  # a fresh request: the row starts again from it
            out.update(dict.fromkeys(STAGE_COLUMNS.values()))
        column = STAGE_COLUMNS.get(stage or "")
        if column and out[column] is None:
            out[column] = event.on
        if isinstance(event, StageReached) and event.stage == "ceased" and event.reason:
            out["cease_reason"] = event.reason
        if isinstance(event, ReviewDecided):
            reviews.append(event.on)
        elif isinstance(event, PlanInForce | TransferredIn) and event.last_review:
            reviews.append(event.last_review)
    out["last_review"] = max(reviews) if reviews else None
    return out


def export_cases(env: Env) -> Iterator[dict[str, Any]]:
    """Every case as one import row, ordered by reference (streamed, one query)."""
    from ehcp_cli.store import repo
    from ehcp_cli.store.engine import transaction

    with transaction(env.engine(), write=False) as session:
        rows = repo.case_event_stream(session=session)
        for _, group in groupby(rows, key=lambda r: r.id):
            items = list(group)
            first = items[0]
            events = [event_from_data(r.kind, r.on, json.loads(r.data)) for r in items if r.kind]
            known = {
                "ref": first.ref, "name": first.name, "dob": first.dob, "upn": first.upn,
                "coordinator": first.coordinator, "setting": first.setting, "need": first.need,
                **stage_columns(events),
            }
            yield {column: known[column] for column in CASE_COLUMNS}


def judged(row: Any, as_of: date) -> tuple[date | None, str]:
    """(met_on as known on `as_of`, status) of a deadline row, judged by the domain's `Deadline`."""
    from ehcp_cli.store.reader import deadline_from_row

    deadline = deadline_from_row(row)
    return deadline.met_by(as_of), deadline.status(as_of)


def deadline_item(row: Any, as_of: date) -> dict[str, Any]:
    met_on, status = judged(row, as_of)
    return {
        "ref": row.ref, "name": row.name, "coordinator": row.coordinator, "rule": row.rule,
        "key": row.key, "kind": row.kind, "description": row.description, "due": row.due,
        "act_by": row.act_by, "met_on": met_on, "regulation": row.regulation, "status": status,
        "exception": json.loads(row.exception) if row.exception else None,
        "trigger": row.trigger,
    }


def export_deadlines(
    env: Env, as_of: date, coordinator: str | None = None, include_met: bool = False
) -> Iterator[dict[str, Any]]:
    """Every deadline whose clock had started by `as_of` and is still open (or overdue), by due
    date; with `include_met`, those met (on time or late) too. Never those that cannot arise."""
    from ehcp_cli.store import repo
    from ehcp_cli.store.engine import transaction

    wanted = (*UNMET, "met", "met-late") if include_met else UNMET
    with transaction(env.engine(), write=False) as session:
        rows: Iterable[Any] = repo.deadline_listing(
            session=session, as_of=as_of, coordinator=coordinator, unmet_only=not include_met
        )
        for row in rows:
            item = deadline_item(row, as_of)
            if item["status"] in wanted:
                yield item
