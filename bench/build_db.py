"""Build a benchmark database from a synthetic caseload CSV.

Two ways, giving the same rows: `ehcp import` of the CSV (the real path, used when the command
exists), or straight through the store layer — each row's events go through
`domain.rules.evaluate` and `store.repo.deadline_values`, exactly as a command would write them,
but in large batches so a national-scale caseload builds in minutes.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

CHUNK = 5_000


def import_available(env: dict[str, str]) -> bool:
    """Whether this build of ehcp has a working `ehcp import` command."""
    probe = subprocess.run([sys.executable, "-m", "ehcp_cli", "import", "--help"], env=env,
                           capture_output=True, text=True)
    return probe.returncode == 0 and "FILE" in probe.stdout.upper()


def build_with_import(csv_path: Path, db_path: Path, env: dict[str, str]) -> None:
    run = subprocess.run([sys.executable, "-m", "ehcp_cli", "--db", str(db_path), "import",
                          str(csv_path)], env=env, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"ehcp import failed ({run.returncode}): {run.stderr.strip()[:500]}")


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def events_for(row: dict[str, str]) -> list:  # type: ignore[type-arg]
    """The events `case open` and `ehcp move` would record for this row."""
    from ehcp_cli.domain.events import PlanInForce, Requested, StageReached

    if not row["received"]:
        return [PlanInForce(on=_day(row["issued"]), last_review=_day(row["last_review"]))]
    events = [Requested(on=_day(row["received"]))]
    for column in ("assessing", "not_assessing", "drafted", "not_issuing", "issued", "ceased"):
        if row[column]:
            reason = row["cease_reason"] or None if column == "ceased" else None
            events.append(StageReached(on=_day(row[column]), stage=column.replace("_", "-"),
                                       reason=reason))
    return events


def _read(csv_path: Path) -> Iterator[dict[str, str]]:
    with csv_path.open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def build_with_store(csv_path: Path, db_path: Path, user: str = "bench") -> None:
    """Write cases, events, derived deadlines and hash-chained audit entries in batches."""
    from sqlalchemy import insert

    from ehcp_cli.domain.facts import CaseFacts
    from ehcp_cli.domain.rules import evaluate
    from ehcp_cli.domain.stages import current_stage
    from ehcp_cli.store import repo
    from ehcp_cli.store.engine import open_database, transaction
    from ehcp_cli.store.models import AuditRow, Case, DeadlineRow, EventRow

    engine = open_database(str(db_path))
    now = datetime.now(UTC)
    stamp = repo.audit_timestamp(now)
    prev_hash = repo.GENESIS_HASH
    case_id = 0
    batch: list[dict[str, str]] = []

    def flush() -> None:
        nonlocal case_id, prev_hash
        cases, events, deadlines, audit = [], [], [], []
        for row in batch:
            case_id += 1
            evs = events_for(row)
            facts = CaseFacts(dob=date.fromisoformat(row["dob"]), events=tuple(evs))
            fields = {k: (row[k] or None) for k in ("ref", "name", "upn", "coordinator",
                                                    "setting", "need")}
            cases.append({"id": case_id, **fields, "dob": facts.dob, "reception_year": None,
                          "stage": current_stage(evs), "created_at": now})
            events.extend({"case_id": case_id, "on": e.on, "kind": e.kind,
                           "data": json.dumps(e.to_data(), sort_keys=True), "recorded_at": now,
                           "recorded_by": user} for e in evs)
            deadlines.extend(repo.deadline_values(case_id, evaluate(facts)))
            details = json.dumps({**fields, "dob": row["dob"]}, sort_keys=True, default=str)
            digest = repo.chain_hash(prev_hash, stamp, user, case_id, "case-opened", details)
            audit.append({"at": now, "user": user, "case_id": case_id, "action": "case-opened",
                          "details": details, "prev_hash": prev_hash, "hash": digest})
            prev_hash = digest
        with transaction(engine, write=True) as session:
            session.execute(insert(Case), cases)
            session.execute(insert(EventRow), events)
            if deadlines:
                session.execute(insert(DeadlineRow), deadlines)
            session.execute(insert(AuditRow), audit)
        batch.clear()

    for row in _read(csv_path):
        batch.append(row)
        if len(batch) >= CHUNK:
            flush()
    if batch:
        flush()
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()


def build(csv_path: Path, db_path: Path, env: dict[str, str], how: str) -> str:
    """Build `db_path` from `csv_path`; returns which way was used ('import' or 'store')."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    if how == "auto":
        how = "import" if import_available(env) else "store"
    if how == "import":
        build_with_import(csv_path, db_path, env)
    else:
        build_with_store(csv_path, db_path)
    os.chmod(db_path, 0o600)
    return how
