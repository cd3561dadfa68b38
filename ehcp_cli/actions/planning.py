"""Planning views across the caseload: what falls due week by week, a phase-transfer cohort,
and a per-coordinator summary for unattended reports.

Every status here is the domain's `Deadline.status(as_of)`; the queries only narrow what is read.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from ehcp_cli.actions.env import Env
from ehcp_cli.actions.exports import deadline_item, judged
from ehcp_cli.actions.reports import DEFAULT_KINDS
from ehcp_cli.domain import calendar
from ehcp_cli.domain.calendar import week_beginning
from ehcp_cli.domain.codes import TRANSFER_KINDS

__all__ = ["DEFAULT_KINDS", "due_by_week", "phase_cohort", "summary", "week_beginning"]
SOON_DAYS = 14
# Both phase-transfer rules key their deadlines `<transfer kind>:<year of the move>`.
TRANSFER_RULES = ("phase-transfer", "phase-transfer-post16")


def due_by_week(
    env: Env, as_of: date, weeks: int, coordinator: str | None = None,
    include_guidance: bool = False,
) -> list[dict[str, Any]]:
    """Open deadlines due from `as_of` to `weeks` weeks after it (inclusive), by due date, each
    with the Monday of its week. Overdue ones are `ehcp overdue`'s business, not listed here."""
    from ehcp_cli.store import repo
    from ehcp_cli.store.engine import transaction

    kinds = DEFAULT_KINDS + (("guidance",) if include_guidance else ())
    out = []
    with transaction(env.engine(), write=False) as session:
        for row in repo.deadline_listing(
            session=session, as_of=as_of, kinds=kinds, due_from=as_of,
            due_until=calendar.weeks_of(as_of, weeks), coordinator=coordinator,
        ):
            item = deadline_item(row, as_of)
            if item["status"] != "open":
                continue
            out.append({
                "week_beginning": week_beginning(row.due), "ref": row.ref, "name": row.name,
                "coordinator": row.coordinator, "stage": row.stage, "rule": row.rule,
                "key": row.key, "kind": row.kind, "description": row.description, "due": row.due,
                "act_by": row.act_by, "days_left": calendar.days_between(as_of, row.due),
                "regulation": row.regulation, "status": item["status"],
                "exception": item["exception"],
            })
    return out


def phase_cohort(env: Env, year: int, as_of: date) -> list[dict[str, Any]]:
    """Every child with a phase-transfer deadline (reg 18(1) or a post-16 move under reg 18(2))
    for a transfer in `year`, whatever its state, by transfer kind, then due date and reference."""
    from ehcp_cli.store import repo
    from ehcp_cli.store.engine import transaction

    order = {kind: n for n, kind in enumerate(TRANSFER_KINDS)}
    out = []
    with transaction(env.engine(), write=False) as session:
        for row in repo.deadline_listing(
            session=session, as_of=as_of, rules=TRANSFER_RULES, key_suffix=f":{year}",
            unmet_only=False, triggered_only=False,
        ):
            transfer = row.key.rsplit(":", 1)[0]
            item = deadline_item(row, as_of)
            out.append({
                "ref": row.ref, "name": row.name, "dob": row.dob, "coordinator": row.coordinator,
                "setting": row.setting, "stage": row.stage, "transfer": transfer,
                "year": year, "due": row.due, "act_by": row.act_by, "met_on": item["met_on"],
                "status": item["status"], "exception": item["exception"], "rule": row.rule,
                "key": row.key, "regulation": row.regulation,
            })
    out.sort(key=lambda r: (order.get(r["transfer"], len(order)), r["due"], r["ref"]))
    return out


def summary(env: Env, as_of: date) -> list[dict[str, Any]]:
    """Per coordinator: open cases, overdue statutory and case-law deadlines (and how many of
    those carry an exception), and those due in the next 14 days, as `overdue` would list them."""
    from ehcp_cli.domain.stages import CLOSED
    from ehcp_cli.store import repo
    from ehcp_cli.store.engine import transaction

    counts: dict[str | None, Counter[str]] = {}
    with transaction(env.engine(), write=False) as session:
        open_cases = repo.open_cases_by_coordinator(session=session, closed=sorted(CLOSED))
        for row in repo.deadline_listing(
            session=session, as_of=as_of, kinds=DEFAULT_KINDS,
            due_until=calendar.days_of(as_of, SOON_DAYS),
        ):
            status = judged(row, as_of)[1]
            tally = counts.setdefault(row.coordinator, Counter())
            if status == "overdue":
                tally[f"overdue_{row.kind.replace('-', '_')}"] += 1
                if row.exception:
                    tally["overdue_with_exception"] += 1
            elif status == "open":
                tally["due_within_14_days"] += 1
    out = []
    for coordinator in sorted(set(open_cases) | set(counts), key=lambda c: (c is None, c or "")):
        tally = counts.get(coordinator, Counter())
        out.append({
            "coordinator": coordinator, "open_cases": open_cases.get(coordinator, 0),
            "overdue_statutory": tally["overdue_statutory"],
            "overdue_case_law": tally["overdue_case_law"],
            "overdue_with_exception": tally["overdue_with_exception"],
            "due_within_14_days": tally["due_within_14_days"],
        })
    return out
