"""`ehcp db verify`: is the database sound, at the schema this version expects, and is its history
exactly as it was written?

Each check returns problems as plain sentences (one per line of output) instead of raising, so
one run reports everything it finds. The history check recomputes every audit entry's hash from
its contents and the entry before it: an edited entry no longer matches its hash, a deleted one
breaks the link from the entry after it, and a case whose history is gone entirely is noticed
because every case is created together with its first entry. Removing the newest entries leaves
a shorter chain that is still whole; compare the head hash that verify prints with one recorded
earlier to catch that.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DatabaseError

from ehcp_cli.store import schema
from ehcp_cli.store.models import AuditRow, Case, SQLModel
from ehcp_cli.store.repo import GENESIS_HASH, audit_timestamp, chain_hash


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    entries: int = 0
    head: str = GENESIS_HASH
    revision: str | None = None


def verify(connection: Connection) -> Report:
    report = Report()
    report.problems += storage_problems(connection)
    try:
        report.revision = schema.current_revision(connection)
        report.problems += schema_problems(report.revision)
        if report.revision is None:
            return report  # nothing else can be read
        report.problems += foreign_key_problems(connection)
        chain, report.entries, report.head = chain_problems(connection)
        report.problems += chain
        report.problems += missing_history_problems(connection)
        report.problems += stale_deadline_problems(connection)
    except DatabaseError as exc:  # a damaged file can fail any read
        report.problems.append(f"storage: cannot read the database ({_first_line(exc.orig)})")
    return report


def _first_line(error: object) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def storage_problems(connection: Connection) -> list[str]:
    if connection.dialect.name != "sqlite":
        return []  # PostgreSQL checks its own pages; amcheck needs superuser and an extension
    try:
        rows = [r[0] for r in connection.execute(text("PRAGMA integrity_check"))]
    except DatabaseError as exc:
        return [f"storage: cannot read the database ({_first_line(exc.orig)})"]
    return [] if rows == ["ok"] else [f"storage: {row}" for row in rows]


def schema_problems(revision: str | None) -> list[str]:
    if revision is None:
        return ["schema: not an ehcp database (no schema version recorded)"]
    if revision != schema.HEAD_REVISION:
        return [f"schema: at revision {revision}, this version of ehcp expects "
                f"{schema.HEAD_REVISION}; run `ehcp db upgrade`"]
    return []


def foreign_key_problems(connection: Connection) -> list[str]:
    """Rows whose reference points at nothing (possible on SQLite with foreign keys off, or on
    PostgreSQL after someone disabled triggers)."""
    problems = []
    if connection.dialect.name == "sqlite":
        for table, rowid, parent, _fk in connection.execute(text("PRAGMA foreign_key_check")):
            problems.append(f"foreign key: {table} row {rowid} refers to a missing {parent} row")
        return problems
    for table in SQLModel.metadata.sorted_tables:
        for fk in table.foreign_keys:
            child, parent = fk.parent, fk.column
            orphans = connection.execute(
                select(table.c.id)
                .select_from(table.outerjoin(parent.table, child == parent))
                .where(child.is_not(None), parent.is_(None))
                .order_by(table.c.id)
            ).scalars()
            for rowid in orphans:
                problems.append(f"foreign key: {table.name} row {rowid} refers to a missing "
                                f"{parent.table.name} row")
    return problems


def chain_problems(connection: Connection) -> tuple[list[str], int, str]:
    """Recompute the audit chain in id order; returns (problems, entries, head hash)."""
    problems: list[str] = []
    previous_hash, previous_id, count = GENESIS_HASH, None, 0
    a = AuditRow.__table__.c  # type: ignore[attr-defined]
    rows = connection.execute(
        select(a.id, a.at, a.user, a.case_id, a.action, a.details, a.prev_hash, a.hash)
        .order_by(a.id)
    )
    for row in rows:
        count += 1
        expected = chain_hash(row.prev_hash, audit_timestamp(row.at), row.user, row.case_id,
                              row.action, row.details)
        if expected != row.hash:
            problems.append(f"history: audit entry {row.id} was edited after it was written "
                            "(its contents no longer match its hash)")
        if row.prev_hash != previous_hash:
            after = f"entry {previous_id}" if previous_id is not None else "the start of the chain"
            problems.append(f"history: audit entry {row.id} does not follow {after}: an entry "
                            "between them was deleted, or one of them was altered")
        previous_hash, previous_id = row.hash, row.id
    return problems, count, previous_hash


def missing_history_problems(connection: Connection) -> list[str]:
    a = AuditRow.__table__.c  # type: ignore[attr-defined]
    c = Case.__table__.c  # type: ignore[attr-defined]
    recorded = select(a.case_id).where(a.case_id.is_not(None))
    refs = connection.execute(
        select(c.ref).where(c.id.not_in(recorded)).order_by(c.ref)
    ).scalars()
    return [f"history: case {ref} has no history at all (its entries were deleted)" for ref in refs]


def stale_deadline_problems(connection: Connection) -> list[str]:
    """Cases whose stored deadlines no longer match what the rules give for their events."""
    from ehcp_cli.store.refresh import stale_cases

    checked, stale = stale_cases(connection)
    if not stale:
        return []
    shown = ", ".join(stale[:5]) + (", …" if len(stale) > 5 else "")
    return [f"deadlines: {len(stale)} of {checked} cases hold deadline rows that differ from "
            f"this version's rules ({shown}); run `ehcp db refresh`"]
