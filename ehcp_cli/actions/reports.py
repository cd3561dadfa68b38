"""Read-only reports across the caseload: overdue and due-soon deadlines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from ehcp_cli.actions.env import Env

DEFAULT_KINDS = ("statutory", "case-law")


def overdue(
    env: Env,
    as_of: date,
    coordinator: str | None = None,
    due_within: int | None = None,
    include_guidance: bool = False,
) -> Iterator[dict[str, Any]]:
    """Unmet statutory and case-law deadlines due before `as_of` (and due soon), oldest first.

    Streams rows so a national-scale report never holds the whole result in memory.
    """
    from ehcp_cli.store import repo
    from ehcp_cli.store.engine import transaction

    kinds = DEFAULT_KINDS + (("guidance",) if include_guidance else ())
    until = as_of + timedelta(days=(due_within or 0) + (1 if due_within is not None else 0))
    with transaction(env.engine(), write=False) as session:
        for row in repo.overdue_rows(
            session=session, as_of=as_of, until=until, kinds=kinds, coordinator=coordinator
        ):
            yield {
                "ref": row.ref, "name": row.name, "coordinator": row.coordinator,
                "stage": row.stage, "rule": row.rule, "kind": row.kind,
                "description": row.description, "due": row.due, "act_by": row.act_by,
                "days_overdue": (as_of - row.due).days, "regulation": row.regulation,
                "exception": json.loads(row.exception) if row.exception else None,
            }
