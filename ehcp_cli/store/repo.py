"""Queries and writes on the tables. Every function takes the caller's session (keyword-only)
and never commits: the command's one transaction does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from json.encoder import encode_basestring_ascii  # type: ignore[attr-defined]
from typing import Any, TypeVar

from sqlalchemy import Select, delete, func, insert, select
from sqlmodel import Session

from ehcp_cli.domain.events import Event, event_from_data
from ehcp_cli.domain.facts import CaseFacts
from ehcp_cli.domain.rules import Deadline, evaluate
from ehcp_cli.domain.stages import CLOSED, current_stage
from ehcp_cli.errors import Refused
from ehcp_cli.store.models import AuditRow, Case, DeadlineRow, EventRow

GENESIS_HASH = "0" * 64
_json_text = encode_basestring_ascii  # a str as JSON text, exactly as json.dumps writes it

T = TypeVar("T")


def find_case(*, session: Session, ref: str, lock: bool = False) -> Case:
    """The case with this reference, locked for update on PostgreSQL when `lock`."""
    query = select(Case).where(Case.ref == ref)
    if lock:
        query = query.with_for_update()
    case = session.execute(query).scalar_one_or_none()
    if case is None:
        raise Refused(f"no case with reference {ref}")
    return case


def load_events(*, session: Session, case_id: int) -> list[Event]:
    rows = session.execute(
        select(EventRow.on, EventRow.kind, EventRow.data)
        .where(EventRow.case_id == case_id)
        .order_by(EventRow.on, EventRow.id)
    )
    return [event_from_data(kind, on, json.loads(data)) for on, kind, data in rows]


def facts_for(case: Case, events: Sequence[Event]) -> CaseFacts:
    ordered = sorted(events, key=lambda e: e.on)  # stable: same-day events keep entry order
    return CaseFacts(dob=case.dob, events=tuple(ordered), reception_year=case.reception_year)


def deadline_values(case_id: int, deadlines: Iterable[Deadline]) -> list[dict[str, Any]]:
    return [
        {
            "case_id": case_id,
            "rule": d.rule,
            "key": d.key,
            "kind": d.kind,
            "description": d.description,
            "regulation": d.regulation,
            "trigger": d.trigger,
            "due": d.due,
            "act_by": d.act_by,
            "met_on": d.met_on,
            "lapsed_on": d.lapsed_on,
            "exception": json.dumps(d.exception.as_dict()) if d.exception else None,
        }
        for d in deadlines
    ]


def refresh_derived(*, session: Session, case: Case, events: Sequence[Event]) -> list[Deadline]:
    """Recompute the case's stage and deadline rows from its events (same transaction)."""
    facts = facts_for(case, events)
    deadlines = evaluate(facts)
    case.stage = current_stage(facts.events)
    session.add(case)
    session.execute(delete(DeadlineRow).where(DeadlineRow.case_id == case.id))
    values = deadline_values(case.id, deadlines)  # type: ignore[arg-type]
    if values:
        session.execute(insert(DeadlineRow), values)
    return deadlines


def add_event(
    *, session: Session, case: Case, event: Event, user: str, now: datetime
) -> None:
    session.add(
        EventRow(
            case_id=case.id,  # type: ignore[arg-type]
            on=event.on,
            kind=event.kind,
            data=json.dumps(event.to_data(), sort_keys=True),
            recorded_at=now,
            recorded_by=user,
        )
    )


def record_events(
    *,
    session: Session,
    case: Case,
    new: Sequence[Event],
    existing: Sequence[Event],
    user: str,
    now: datetime,
    action: str,
    details: dict[str, Any],
) -> list[Deadline]:
    """Append events to a case, refresh what derives from them, and write the audit entry."""
    for event in new:
        add_event(session=session, case=case, event=event, user=user, now=now)
    deadlines = refresh_derived(session=session, case=case, events=[*existing, *new])
    append_audit(session=session, case_id=case.id, user=user, now=now, action=action,
                 details=details)
    return deadlines


def chain_hash(prev_hash: str, at: str, user: str, case_id: int | None, action: str,
               details: str) -> str:
    """Each audit entry's hash covers its content and the previous entry's hash.

    The hashed payload is `json.dumps([prev_hash, at, user, case_id, action, details],
    separators=(",", ":"))`, spelt out with the C string encoder `json.dumps` itself uses: an
    import hashes one entry per case, and a JSON encoder per call was most of the cost. A
    property test holds the two byte for byte equal, so every recorded hash still verifies.
    """
    number = "null" if case_id is None else int.__repr__(case_id)
    payload = (f"[{_json_text(prev_hash)},{_json_text(at)},{_json_text(user)},{number},"
               f"{_json_text(action)},{_json_text(details)}]")
    return hashlib.sha256(payload.encode()).hexdigest()


def audit_timestamp(at: datetime) -> str:
    """The canonical UTC form of an audit time, as hashed (SQLite hands back naive UTC)."""
    at = at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)
    return at.isoformat(timespec="microseconds")


def last_audit_hash(*, session: Session) -> str:
    """The chain head. Only write transactions append, and each takes the write lock when it
    begins (BEGIN IMMEDIATE on SQLite, `engine.WRITE_LOCK_KEY` on PostgreSQL), so two writers
    never read the same head and fork the chain."""
    head = session.execute(select(AuditRow.hash).order_by(AuditRow.id.desc()).limit(1)).scalar()
    return head or GENESIS_HASH


def append_audit(
    *,
    session: Session,
    case_id: int | None,
    user: str,
    now: datetime,
    action: str,
    details: dict[str, Any],
    prev_hash: str | None = None,
) -> str:
    """Append one hash-chained audit entry; returns its hash (the next entry's `prev_hash`)."""
    prev = prev_hash if prev_hash is not None else last_audit_hash(session=session)
    body = json.dumps(details, sort_keys=True, default=str)
    digest = chain_hash(prev, audit_timestamp(now), user, case_id, action, body)
    session.execute(
        insert(AuditRow).values(
            at=now, user=user, case_id=case_id, action=action, details=body,
            prev_hash=prev, hash=digest,
        )
    )
    return digest


def in_list(values: Iterable[T]) -> list[T | None]:
    """Values for an `IN (...)` of a look-up made again and again (one an import batch), padded
    with NULLs, which match nothing, to a power of two.

    Each length of list is a statement of its own, which the driver prepares and keeps (SQLite
    caches 128, each as large as its list): one length a batch grew an import's memory by
    megabytes and re-prepared every time; a few lengths are prepared once.
    """
    out: list[T | None] = list(values)
    out.extend([None] * ((1 << max(len(out) - 1, 0).bit_length()) - len(out)))
    return out


def open_upn_holders_query(upns: Iterable[str]) -> Select[Any]:
    """(upn, ref) of the open cases (not in a `stages.CLOSED` stage) holding any of these UPNs.

    A query rather than rows, so the importer can run it on its Core connection and a single
    case write on its session: one definition of "an open case holds this UPN".
    """
    return select(Case.upn, Case.ref).where(
        Case.upn.in_(in_list(sorted(set(upns)))), Case.stage.not_in(sorted(CLOSED))
    )


def open_case_with_upn(
    *, session: Session, upn: str, exclude_id: int | None = None
) -> str | None:
    """The reference of an open case holding this UPN, if any."""
    query = open_upn_holders_query([upn])
    if exclude_id is not None:
        query = query.where(Case.id != exclude_id)
    row = session.execute(query.limit(1)).first()
    return row.ref if row is not None else None


def next_ref(*, session: Session) -> str:
    """A new reference EHC-000123 that no case holds yet."""
    number = (session.execute(select(func.max(Case.id))).scalar() or 0) + 1
    while True:
        ref = f"EHC-{number:06d}"
        if session.execute(select(Case.id).where(Case.ref == ref)).first() is None:
            return ref
        number += 1


def audit_entries(*, session: Session, case_id: int) -> list[AuditRow]:
    return list(
        session.execute(
            select(AuditRow).where(AuditRow.case_id == case_id).order_by(AuditRow.id)
        ).scalars()
    )


def list_cases(
    *, session: Session, stage: str | None = None, coordinator: str | None = None
) -> list[Case]:
    query = select(Case).order_by(Case.ref)
    if stage:
        query = query.where(Case.stage == stage)
    if coordinator:
        query = query.where(func.lower(Case.coordinator) == coordinator.lower())
    return list(session.execute(query).scalars())


def overdue_rows(
    *,
    session: Session,
    as_of: date,
    until: date,
    kinds: Sequence[str],
    coordinator: str | None = None,
) -> Iterable[Any]:
    """Unmet, applicable deadlines due before `until`, as of `as_of`, oldest first.

    The same SQL as the stdlib read path (`store.reader.overdue_sql`): open rows through the
    partial index, plus rows met or closed after `as_of` so a report for a past date is exact.
    """
    from ehcp_cli.store import reader

    return reader.overdue_rows(reader.session_query(session), as_of=as_of, until=until,
                               kinds=kinds, coordinator=coordinator)


# --- exports, chasing and planning views ------------------------------------------------------
STREAM_BATCH = 2000


def case_event_stream(*, session: Session) -> Iterable[Any]:
    """Every case with its events, ordered by reference then event date and entry, streamed.

    One joined query instead of one per case, so exporting a national caseload stays one pass.
    """
    query = (
        select(
            Case.id, Case.ref, Case.name, Case.dob, Case.upn, Case.coordinator, Case.setting,
            Case.need, EventRow.on, EventRow.kind, EventRow.data,
        )
        .outerjoin(EventRow, EventRow.case_id == Case.id)
        .order_by(Case.ref, EventRow.on, EventRow.id)
        .execution_options(yield_per=STREAM_BATCH)
    )
    return session.execute(query)


def deadline_listing(
    *,
    session: Session,
    as_of: date,
    kinds: Sequence[str] | None = None,
    rule: str | None = None,
    rules: Sequence[str] | None = None,
    key_suffix: str | None = None,
    due_from: date | None = None,
    due_until: date | None = None,
    coordinator: str | None = None,
    unmet_only: bool = True,
    triggered_only: bool = True,
) -> Iterable[Any]:
    """Deadline rows with their case's details, in due order, for reports that judge status.

    The filters only narrow what is read: callers judge each row with `Deadline.status(as_of)`.
    `unmet_only` drops rows met or closed on or before `as_of`; `triggered_only` drops rows whose
    clock had not started by `as_of`; `due_until` is inclusive.
    """
    d = DeadlineRow
    query = (
        select(
            Case.id.label("case_id"), Case.ref, Case.name, Case.dob, Case.coordinator,
            Case.setting, Case.stage, d.rule, d.key, d.kind, d.description, d.regulation,
            d.trigger, d.due, d.act_by, d.met_on, d.lapsed_on, d.exception,
        )
        .join(Case, Case.id == d.case_id)
        .order_by(d.due, Case.ref, d.rule, d.key)
        .execution_options(yield_per=STREAM_BATCH)
    )
    if kinds is not None:
        query = query.where(d.kind.in_(kinds))
    if rule is not None:
        query = query.where(d.rule == rule)
    if rules is not None:
        query = query.where(d.rule.in_(rules))
    if key_suffix is not None:
        query = query.where(d.key.endswith(key_suffix, autoescape=True))
    if due_from is not None:
        query = query.where(d.due >= due_from)
    if due_until is not None:
        query = query.where(d.due <= due_until)
    if coordinator:
        query = query.where(func.lower(Case.coordinator) == coordinator.lower())
    if unmet_only:
        query = query.where(
            (d.met_on.is_(None) | (d.met_on > as_of))
            & (d.lapsed_on.is_(None) | (d.lapsed_on > as_of))
        )
    if triggered_only:
        query = query.where(d.trigger <= as_of)
    return session.execute(query)


def advice_event_rows(*, session: Session, case_ids: Sequence[int]) -> list[Any]:
    """Advice requests and chases of these cases, in event order (chunked for SQL limits)."""
    out: list[Any] = []
    ids = sorted(set(case_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        out.extend(
            session.execute(
                select(EventRow.case_id, EventRow.on, EventRow.kind, EventRow.data)
                .where(
                    EventRow.case_id.in_(chunk),
                    EventRow.kind.in_(("advice-requested", "advice-received", "advice-chased")),
                )
                .order_by(EventRow.case_id, EventRow.on, EventRow.id)
            )
        )
    return out


def open_cases_by_coordinator(*, session: Session, closed: Sequence[str]) -> dict[str | None, int]:
    """How many cases each coordinator holds that are not in one of the `closed` stages."""
    rows = session.execute(
        select(Case.coordinator, func.count(Case.id))
        .where(Case.stage.not_in(closed))
        .group_by(Case.coordinator)
    )
    return {coordinator: count for coordinator, count in rows}
