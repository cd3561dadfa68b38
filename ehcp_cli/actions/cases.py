"""Opening, changing, recording events on and reading cases."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from ehcp_cli.actions.env import Env
from ehcp_cli.domain.events import Event, PlanInForce, Requested
from ehcp_cli.domain.facts import school_year_start
from ehcp_cli.domain.lifecycle import check_new_event
from ehcp_cli.errors import Refused, UsageError


@dataclass(frozen=True)
class NewCase:
    name: str
    dob: date
    received: date | None = None
    plan_issued: date | None = None
    last_review: date | None = None
    ref: str | None = None
    upn: str | None = None
    coordinator: str | None = None
    setting: str | None = None
    need: str | None = None


def opening_events(new: NewCase) -> list[Event]:
    """The first events of a case: an assessment request, or a plan already in force."""
    if new.received is not None:
        return [Requested(on=new.received)]
    assert new.plan_issued is not None
    return [PlanInForce(on=new.plan_issued, last_review=new.last_review)]


def check_new_case(new: NewCase, today: date) -> None:
    if (new.received is None) == (new.plan_issued is None):
        raise UsageError(
            "give exactly one of --received (a new request) or --plan-issued (a plan in force)"
        )
    if new.last_review is not None and new.plan_issued is None:
        raise UsageError("--last-review goes with --plan-issued")
    start = new.received or new.plan_issued
    assert start is not None
    if new.dob > today:
        raise Refused("the date of birth is in the future")
    if start < new.dob:
        raise Refused(f"{start.isoformat()} is before the date of birth")
    if start > today:
        raise Refused(f"{start.isoformat()} is in the future")
    if new.last_review is not None and not (new.plan_issued <= new.last_review <= today):  # type: ignore[operator]
        raise Refused("--last-review must fall between --plan-issued and today")


def open_case(env: Env, new: NewCase) -> dict[str, Any]:
    from ehcp_cli.store import repo
    from ehcp_cli.store.engine import transaction
    from ehcp_cli.store.models import Case

    check_new_case(new, env.today)
    with transaction(env.engine(), write=True) as session:
        if new.upn:
            holder = repo.open_case_with_upn(session=session, upn=new.upn)
            if holder:
                raise Refused(f"an open case already holds that UPN: {holder}")
        if new.ref:
            from sqlalchemy import select

            if session.execute(select(Case.id).where(Case.ref == new.ref)).first():
                raise Refused(f"a case with reference {new.ref} already exists")
        ref = new.ref or repo.next_ref(session=session)
        case = Case(
            ref=ref,
            name=new.name,
            dob=new.dob,
            upn=new.upn,
            coordinator=new.coordinator,
            setting=new.setting,
            need=new.need,
            stage="requested",
            created_at=env.now,
        )
        session.add(case)
        session.flush()
        repo.record_events(
            session=session,
            case=case,
            new=opening_events(new),
            existing=[],
            user=env.user,
            now=env.now,
            action="case-opened",
            details=_case_fields(case),
        )
        return case_document(session, case, env.today)


def _case_fields(case: Any) -> dict[str, Any]:
    return {
        "ref": case.ref,
        "name": case.name,
        "dob": case.dob.isoformat(),
        "upn": case.upn,
        "coordinator": case.coordinator,
        "setting": case.setting,
        "need": case.need,
    }


def record(
    env: Env, ref: str, *events: Event, action: str, details: dict[str, Any]
) -> dict[str, Any]:
    """Append events to a case after the process checks; returns the refreshed case document."""
    from ehcp_cli.store import repo
    from ehcp_cli.store.engine import transaction

    with transaction(env.engine(), write=True) as session:
        case = repo.find_case(session=session, ref=ref, lock=True)
        existing = repo.load_events(session=session, case_id=case.id)  # type: ignore[arg-type]
        so_far = list(existing)
        for event in events:
            check_new_event(repo.facts_for(case, so_far).events, event, env.today)
            so_far.append(event)
        full = {"ref": ref, **{k: v for k, v in details.items() if v is not None}}
        repo.record_events(
            session=session,
            case=case,
            new=list(events),
            existing=existing,
            user=env.user,
            now=env.now,
            action=action,
            details=full,
        )
        return case_document(session, case, env.today)


def update_case(
    env: Env, ref: str, changes: dict[str, Any], year_group: int | None
) -> dict[str, Any]:
    """Correct or change case details; a year group overrides the cohort from the date of birth."""
    from ehcp_cli.store import repo
    from ehcp_cli.store.engine import transaction

    with transaction(env.engine(), write=True) as session:
        case = repo.find_case(session=session, ref=ref, lock=True)
        before = _case_fields(case) | {"reception_year": case.reception_year}
        if changes.get("upn"):
            holder = repo.open_case_with_upn(
                session=session, upn=changes["upn"], exclude_id=case.id
            )
            if holder:
                raise Refused(f"an open case already holds that UPN: {holder}")
        events = repo.load_events(session=session, case_id=case.id)  # type: ignore[arg-type]
        if "dob" in changes:
            _check_dob(changes["dob"], events, env.today)
        for name, value in changes.items():
            setattr(case, name, value)
        if year_group is not None:
            # Year N in the school year containing today means Reception N years earlier.
            case.reception_year = school_year_start(env.today) - year_group
        after = _case_fields(case) | {"reception_year": case.reception_year}
        diff = {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}
        if not diff:
            raise Refused("nothing to change: give at least one new value")
        repo.refresh_derived(session=session, case=case, events=events)
        repo.append_audit(
            session=session,
            case_id=case.id,
            user=env.user,
            now=env.now,
            action="case-updated",
            details={"ref": ref, "changes": diff},
        )
        return case_document(session, case, env.today)


def _check_dob(dob: date, events: list[Event], today: date) -> None:
    """A corrected date of birth must still come before everything recorded on the case."""
    if dob > today:
        raise Refused("the date of birth is in the future")
    first = min((e.on for e in events), default=None)
    if first is not None and dob > first:
        raise Refused(
            f"the date of birth would be after the case's first event ({first.isoformat()})"
        )


def show_case(env: Env, ref: str, as_of: date) -> dict[str, Any]:
    """Read through `store.reader`, so showing a case on SQLite never loads the ORM."""
    from ehcp_cli.store import reader

    with reader.read_transaction(env.db, env.engine) as query:
        return _document(query, reader.case_by_ref(query, ref), as_of)


def case_document(session: Any, case: Any, as_of: date) -> dict[str, Any]:
    """The case object of the contract, read inside a write command's own transaction."""
    from ehcp_cli.store import reader

    session.flush()
    return _document(
        reader.session_query(session), {c: getattr(case, c) for c in reader.CASE_COLUMNS}, as_of
    )


def _document(query: Any, case: dict[str, Any], as_of: date) -> dict[str, Any]:
    """The case as it stood on `as_of`: events up to that day, the deadlines whose clocks had
    started, each judged on that day. With the default as-of (today) that is everything."""
    from ehcp_cli.domain.advice import advice_requests
    from ehcp_cli.domain.events import event_from_data
    from ehcp_cli.domain.facts import CaseFacts
    from ehcp_cli.domain.stages import current_stage
    from ehcp_cli.store import reader

    rows = [r for r in reader.case_events(query, case["id"]) if r[0] <= as_of]
    data = [json.loads(raw) for _, _, raw, _ in rows]
    events = [
        event_from_data(kind, on, fields)
        for (on, kind, _, _), fields in zip(rows, data, strict=True)
    ]
    facts = CaseFacts(dob=case["dob"], events=tuple(events), reception_year=case["reception_year"])
    deadlines = []
    advice_due: dict[tuple[str, date], date] = {}
    for row in reader.case_deadlines(query, case["id"]):
        d = reader.deadline_from_row(row)
        if d.trigger > as_of:
            continue  # that clock had not started on the as-of day
        if d.rule == "advice":
            advice_due[(d.key, d.trigger)] = d.due
        exception = json.loads(row["exception"]) if row["exception"] else None
        if exception and exception["from"] > as_of.isoformat():
            exception = None  # recorded for a later period
        deadlines.append(
            {
                "rule": d.rule,
                "kind": d.kind,
                "description": d.description,
                "due": d.due,
                "act_by": row["act_by"],
                "met_on": d.met_by(as_of),
                "regulation": d.regulation,
                "status": d.status(as_of),
                "exception": exception,
                "key": d.key,
                "trigger": d.trigger,
            }
        )
    advice = [
        {
            "kind": r.kind,
            "provider": r.provider,
            "requested_on": r.requested_on,
            "due": advice_due.get((r.kind, r.requested_on)),
            "received_on": r.received_on,
            "chased_on": r.chased_on,
        }
        for r in advice_requests(events)
    ]
    return {
        "ref": case["ref"],
        "name": case["name"],
        "dob": case["dob"],
        "upn": case["upn"],
        "coordinator": case["coordinator"],
        "setting": case["setting"],
        "need": case["need"],
        "stage": current_stage(events) if events else case["stage"],
        "year_group": facts.year_group(as_of),
        "as_of": as_of,
        "events": [
            {"on": on, "kind": kind, **fields, "description": e.describe(), "recorded_by": by}
            for (on, kind, _, by), fields, e in zip(rows, data, events, strict=True)
        ],
        "advice": advice,
        "deadlines": deadlines,
    }


def list_cases(env: Env, stage: str | None, coordinator: str | None) -> list[dict[str, Any]]:
    from ehcp_cli.store import repo
    from ehcp_cli.store.engine import transaction

    with transaction(env.engine(), write=False) as session:
        return [
            {
                "ref": c.ref,
                "name": c.name,
                "dob": c.dob,
                "upn": c.upn,
                "coordinator": c.coordinator,
                "setting": c.setting,
                "need": c.need,
                "stage": c.stage,
            }
            for c in repo.list_cases(session=session, stage=stage, coordinator=coordinator)
        ]


def case_history(env: Env, ref: str) -> list[dict[str, Any]]:
    from ehcp_cli.store import repo
    from ehcp_cli.store.engine import transaction

    with transaction(env.engine(), write=False) as session:
        case = repo.find_case(session=session, ref=ref)
        return [
            {
                "at": a.at if a.at.tzinfo else a.at.replace(tzinfo=env.now.tzinfo),
                "user": a.user,
                "action": a.action,
                "details": json.loads(a.details),
            }
            for a in repo.audit_entries(session=session, case_id=case.id)  # type: ignore[arg-type]
        ]
