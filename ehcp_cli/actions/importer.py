"""`ehcp import`: a whole CSV caseload in one transaction, or nothing at all.

One streaming pass inside one write transaction. Every row is checked (on its own, against the
other rows, and against the cases already recorded); rows are written in batches while no problem
has been found. Any problem stops the writing, the rest of the file is still checked so every
problem is reported, and the transaction is rolled back: a rejected file changes nothing, exactly
as if it had been validated before anything was written, at the cost of one pass instead of two.

Rows whose reference is already recorded are compared with the case: the same facts are
`unchanged`; new stage dates become events and changed details update the case (one audit entry
per case); a date that contradicts what is recorded is a problem. So re-importing a file is
idempotent, and importing a newer export of the same spreadsheet brings the cases up to date.

Hot path: rows are plain tuples, written with the driver's executemany through statements built
by SQLAlchemy Core, and the audit hash chain is computed as `repo.append_audit` computes it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ehcp_cli.actions.env import Env
from ehcp_cli.errors import ImportRejected, UsageError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlmodel import Session

    from ehcp_cli.importing.batches import Batch, Prepared
    from ehcp_cli.importing.rows import ImportRow, Problem

MAX_SHOWN = 200  # problem lines printed; the rest are counted


@dataclass
class ImportSummary:
    path: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    dry_run: bool = False

    def line(self) -> str:
        counts = (f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
                  f"{self.rejected} rejected")
        if self.dry_run:
            return f"dry run, nothing written: {self.rows} rows would give {counts}"
        if self.rows and self.unchanged == self.rows:
            return f"nothing to change: all {self.rows} rows match the database ({counts})"
        return f"imported {self.rows} rows: {counts}"


def import_file(env: Env, path: Path, *, dry_run: bool = False,
                progress: Callable[[int, int], None] | None = None,
                parallel: bool | None = None) -> ImportSummary:
    """Import `path`; ImportRejected (exit 1) lists every problem, and nothing is written.

    `parallel` reads and prepares the rows in a second process (default: for large files).
    """
    from ehcp_cli.importing.csvfile import ImportFile
    from ehcp_cli.importing.worker import Reader, parallel_worthwhile
    from ehcp_cli.store.engine import Busy, certainly_empty, transaction

    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    summary = ImportSummary(path=path.name, dry_run=dry_run)
    problems = _Problems()
    with ImportFile(path) as source:
        problems.extend(source.header_problems())
        size = source.size
    if problems:
        raise problems.rejection(summary)
    if parallel is None:
        parallel = parallel_worthwhile(size)
    # Reading starts before the database is opened (and, the first time, created and migrated).
    # Rows are parsed again only to compare them with recorded cases, so their cells are kept
    # unless the database does not even exist yet.
    keep_cells = not certainly_empty(env.db)
    with Reader(path, env.today, parallel=parallel, keep_cells=keep_cells) as reader, \
            transaction(env.engine(), write=not dry_run) as session:
        run = _Run(session, env, summary, problems, dry_run)
        if run.recorded_any and not keep_cells:  # another command created it meanwhile
            raise Busy("the database changed while the file was being read; nothing was "
                       "changed, try again")
        for batch in reader.batches():
            run.take(batch)
            if progress is not None:
                progress(batch.bytes_read, size)
        if problems:
            raise problems.rejection(summary)  # rolls the transaction back
        run.seen.close()
        if run.writer is not None:
            run.writer.finish()
    if progress is not None:
        progress(size, size)
    return summary


class _Problems(list):  # type: ignore[type-arg]
    """The first problems found, in file order, and how many more there were.

    Only the lines shown are kept (`trim` after each batch), so a file that is wrong on every
    row costs no more memory than one that is right.
    """

    dropped = 0

    def trim(self) -> None:
        """Keep the first MAX_SHOWN in file order. A batch's problems come after those of the
        batches before it in the file, so what is dropped here could never be shown."""
        self.sort(key=lambda p: (p.row or 0))
        self.dropped += len(self[MAX_SHOWN:])
        del self[MAX_SHOWN:]

    def rejection(self, summary: ImportSummary) -> ImportRejected:
        self.trim()
        found = len(self) + self.dropped
        lines = [str(p) for p in self]
        if self.dropped:
            lines.append(f"... and {self.dropped} more problems")
        rows = f" in {summary.rejected} of {summary.rows} rows" if summary.rows else ""
        return ImportRejected(
            f"{summary.path} not imported: {found} problem{'s' if found != 1 else ''}"
            f"{rows}; nothing was written", lines)


class _Run:
    """The state of one import: rows waiting in the current batch and what was seen so far."""

    def __init__(self, session: Session, env: Env, summary: ImportSummary, problems: _Problems,
                 dry_run: bool) -> None:
        from ehcp_cli.store.seen import SeenInFile

        self.conn, self.env = session.connection(), env
        self.summary, self.problems = summary, problems
        self.dry_run = dry_run
        self.seen = SeenInFile(self.conn)  # the two checks that must see the whole file
        self.writer = None if dry_run else _Writer(session, env)
        # Into an empty database (a first import) no row can match a recorded case or UPN, so
        # the look-ups, and keeping the cells to parse such rows again, are skipped, and the
        # indexes are built once at the end instead of row by row.
        self.recorded_any = _any_case(self.conn)
        if self.writer is not None and not self.recorded_any:
            self.writer.defer_indexes()

    def take(self, batch: Batch) -> None:
        """Check a batch's rows against each other and the file so far, then the database."""
        from ehcp_cli.importing.rows import Problem

        valid = [item for item in batch.items if not isinstance(item, list)]
        earlier = self.seen.first_rows({item.ref for item in valid})
        holders = self.seen.holders({item.upn for item in valid if item.upn and item.is_open})
        new: dict[str, tuple[int, str | None]] = {}  # this batch's references seen first here
        waiting: list[Prepared] = []
        for item in batch.items:
            self.summary.rows += 1
            if isinstance(item, list):
                self._reject(item)
                continue
            number, ref, upn = item.number, item.ref, item.upn
            found = []
            first = earlier.get(ref) or new.setdefault(ref, (number, None))[0]
            if first != number:
                found.append(Problem(number, "ref", ref, f"the same reference as row {first}: "
                                     "each case appears once in a file"))
            if upn and item.is_open:
                holder = holders.get(upn)
                if holder is None and first == number:  # a repeated reference holds nothing
                    holders[upn] = ref, number
                    new[ref] = number, upn
                elif holder is not None and holder[0] != ref:
                    found.append(Problem(number, "upn", upn, f"the same UPN as row "
                                         f"{holder[1]} ({holder[0]}): a pupil has one open case"))
            if found:
                self._reject(found)
            else:
                waiting.append(item)
        self.seen.add((ref, number, upn) for ref, (number, upn) in new.items())
        self._against_database(batch, waiting)
        self.problems.trim()

    def _reject(self, found: list[Problem]) -> None:
        self.summary.rejected += 1
        self.problems.extend(found)

    def _against_database(self, batch: Batch, rows: list[Prepared]) -> None:
        """Check rows against the recorded cases, then write them unless a problem was found."""
        from ehcp_cli.importing.rows import Problem

        if not rows:
            return
        if not self.recorded_any:
            self.summary.created += len(rows)
            if self.writer is not None and not self.problems:
                self.writer.create(rows)
            return
        existing = _existing_cases(self.conn, [row.ref for row in rows])
        holders = _open_upn_holders(self.conn, {r.upn for r in rows if r.upn and r.is_open})
        new: list[Prepared] = []
        updates: list[tuple[ImportRow, dict[str, Any], dict[str, Any], list[Any]]] = []
        recorded = _recorded_events(self.conn, [c["id"] for c in existing.values()])
        for prepared in rows:
            holder = holders.get(prepared.upn) if prepared.upn and prepared.is_open else None
            if holder is not None and holder != prepared.ref:
                self._reject([Problem(prepared.number, "upn", prepared.upn, "an open case "
                                      f"already holds that UPN: {holder}")])
                continue
            case = existing.get(prepared.ref)
            if case is None:
                new.append(prepared)
                continue
            row = batch.row(prepared.number)
            outcome = _compare(row, case, recorded.get(case["id"], []), self.env.today)
            if isinstance(outcome, list):
                self._reject(outcome)
            elif outcome is None:
                self.summary.unchanged += 1
            else:
                updates.append((row, case, *outcome))
        self.summary.created += len(new)
        self.summary.updated += len(updates)
        if self.writer is not None and not self.problems:
            self.writer.create(new)
            for update in updates:
                self.writer.update(*update)


def _problem(row: ImportRow, column: str, value: str, message: str) -> Problem:
    from ehcp_cli.importing.rows import Problem

    return Problem(row.number, column, value, message)


def _any_case(conn: Connection) -> bool:
    from sqlalchemy import select

    from ehcp_cli.store.models import Case

    return conn.execute(select(Case.id).limit(1)).first() is not None


def _existing_cases(conn: Connection, refs: list[str]) -> dict[str, dict[str, Any]]:
    from sqlalchemy import select

    from ehcp_cli.store.models import Case
    from ehcp_cli.store.repo import in_list

    t = Case.__table__  # type: ignore[attr-defined]
    query = select(t.c.id, t.c.ref, t.c.name, t.c.dob, t.c.upn, t.c.coordinator, t.c.setting,
                   t.c.need, t.c.reception_year, t.c.stage).where(t.c.ref.in_(in_list(refs)))
    return {r.ref: dict(r._mapping) for r in conn.execute(query)}


def _open_upn_holders(conn: Connection, upns: set[str]) -> dict[str, str]:
    from ehcp_cli.store.repo import open_upn_holders_query

    if not upns:
        return {}
    return {upn: ref for upn, ref in conn.execute(open_upn_holders_query(upns))}


def _recorded_events(conn: Connection, case_ids: list[int]) -> dict[int, list[Any]]:
    from sqlalchemy import select

    from ehcp_cli.domain.events import event_from_data
    from ehcp_cli.store.models import EventRow
    from ehcp_cli.store.repo import in_list

    if not case_ids:
        return {}
    t = EventRow.__table__  # type: ignore[attr-defined]
    query = (select(t.c.case_id, t.c.on, t.c.kind, t.c.data)
             .where(t.c.case_id.in_(in_list(case_ids))).order_by(t.c.case_id, t.c.on, t.c.id))
    out: dict[int, list[Any]] = {}
    for case_id, on, kind, data in conn.execute(query):
        out.setdefault(case_id, []).append(event_from_data(kind, on, json.loads(data)))
    return out


def _compare(row: ImportRow, case: dict[str, Any], recorded: list[Any], today: date
             ) -> list[Problem] | None | tuple[dict[str, Any], list[Any]]:
    """A row whose reference is recorded: problems, None (unchanged) or (changes, new events).

    Blank cells are "not known": they never clear a recorded value or contradict an event. A
    row holds one request: `received` agrees with any request the case records (the export
    writes the latest; an older file, an earlier one), and a stage date agrees when the case
    reached that stage on that day, whichever time it did. A case requested again after a
    withdrawal may be withdrawn again, so a `withdrawn` date the case does not record is a new
    withdrawal unless the case is withdrawn now.
    """
    from ehcp_cli.domain.events import PlanInForce, Requested, ReviewDecided, StageReached
    from ehcp_cli.domain.lifecycle import check_new_event
    from ehcp_cli.domain.stages import current_stage, stage_of
    from ehcp_cli.errors import Refused
    from ehcp_cli.importing.prepare import CASE_FIELDS

    changes = {
        field: {"from": _plain(case[field]), "to": _plain(row.details[field])}
        for field in CASE_FIELDS[1:]
        if row.details[field] is not None and row.details[field] != case[field]
    }
    problems: list[Problem] = []
    stage_dates: dict[str, list[date]] = {}
    reviews = [e.on for e in recorded if isinstance(e, ReviewDecided)]
    requests = [e.on for e in recorded if stage_of(e) == "requested"]
    plan = next((e for e in recorded if isinstance(e, PlanInForce)), None)
    for event in recorded:
        if isinstance(event, StageReached):
            stage_dates.setdefault(event.stage, []).append(event.on)
    if plan is not None:
        stage_dates.setdefault("issued", []).append(plan.on)
        if plan.last_review:
            reviews.append(plan.last_review)

    new: list[tuple[str, Any]] = []
    for column, event in row.events:
        cell = event.on.isoformat()
        if isinstance(event, Requested):
            if not requests:
                problems.append(_problem(row, column, cell, "the case is recorded as a plan in "
                                         "force, with no assessment request"))
            elif event.on not in requests:
                days = ", ".join(day.isoformat() for day in requests)
                problems.append(_problem(row, column, cell, "differs from the request "
                                         f"date{'s' if len(requests) > 1 else ''} recorded "
                                         f"({days})"))
            continue
        if isinstance(event, PlanInForce | StageReached):
            stage = "issued" if isinstance(event, PlanInForce) else event.stage
            known = stage_dates.get(stage, [])
            again = stage == "withdrawn" and current_stage(recorded) != "withdrawn"
            if known and event.on not in known and not again:
                days = ", ".join(day.isoformat() for day in known)
                problems.append(_problem(row, column, cell, f"differs from the {stage} "
                                         f"date{'s' if len(known) > 1 else ''} recorded ({days})"))
            elif event.on not in known:
                if isinstance(event, PlanInForce):
                    problems.append(_problem(row, column, cell, "the case is recorded as an "
                                             "assessment request that has no issued date yet; "
                                             "give its received date too"))
                else:
                    new.append((column, event))
            if isinstance(event, PlanInForce) and event.last_review:
                event = ReviewDecided(on=event.last_review)
                column = "last_review"
            else:
                continue
        latest = max(reviews) if reviews else None
        if latest is None or event.on > latest:
            new.append((column, event))
        elif event.on < latest:
            problems.append(_problem(row, column, event.on.isoformat(), "is earlier than the "
                                     f"last review decision recorded ({latest.isoformat()})"))
    if problems:
        return problems
    if not new and not changes:
        return None
    so_far = sorted(recorded, key=lambda e: e.on)
    for column, event in new:
        try:
            check_new_event(so_far, event, today)
        except Refused as exc:
            return [_problem(row, column, event.on.isoformat(), str(exc))]
        so_far = sorted([*so_far, event], key=lambda e: e.on)
    return changes, [e for _, e in new]


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


class _Writer:
    """Executemany writes of prepared tuples, and the audit chain carried from row to row.

    Values arrive in the form stored: dates as ISO text (`prepare.iso`), the recording time in
    SQLAlchemy's own form for the dialect (computed once), so each row costs one tuple.
    """

    def __init__(self, session: Session, env: Env) -> None:
        from ehcp_cli.store import repo
        from ehcp_cli.store.models import AuditRow, Case, DeadlineRow, EventRow

        conn = session.connection()
        self.session, self.conn, self.env = session, conn, env
        self.sqlite = conn.dialect.name == "sqlite"
        self.cases = _Statement(conn, Case.__table__, (  # type: ignore[attr-defined]
            "id", "ref", "name", "dob", "upn", "coordinator", "setting", "need",
            "reception_year", "stage", "created_at"))
        from ehcp_cli.importing.prepare import DEADLINE_COLUMNS, EVENT_COLUMNS

        self.events = _Statement(conn, EventRow.__table__, EVENT_COLUMNS)  # type: ignore[attr-defined]
        self.deadlines = _Statement(conn, DeadlineRow.__table__, DEADLINE_COLUMNS)  # type: ignore[attr-defined]
        self.audit = _Statement(conn, AuditRow.__table__, (  # type: ignore[attr-defined]
            "at", "user", "case_id", "action", "details", "prev_hash", "hash"))
        self.now = self.cases.converter("created_at")(env.now)
        self.head: str | None = None  # the audit chain's last hash, read on first use
        self.stamp = repo.audit_timestamp(env.now)
        self.next_id: int | None = None
        self.deferred: list[Any] = []  # indexes to build at the end (see `defer_indexes`)

    def defer_indexes(self) -> None:
        """Drop the secondary indexes until `finish`, as bulk loaders do: building an index once
        from sorted keys costs much less than keeping it up to date row by row. Only for a
        database with no cases yet, where the import makes no look-ups that need them; the
        unique constraints on references and hashes stay. Inside the transaction, so a rolled
        back import leaves every index as it was."""
        from ehcp_cli.store.models import AuditRow, Case, DeadlineRow, EventRow

        for model in (Case, EventRow, DeadlineRow, AuditRow):
            for index in sorted(model.__table__.indexes, key=lambda i: i.name):  # type: ignore[attr-defined]
                index.drop(self.conn)
                self.deferred.append(index)

    def finish(self) -> None:
        """Build what `defer_indexes` dropped (their definitions are the models', which a test
        holds equal to the migrations')."""
        for index in self.deferred:
            index.create(self.conn)
        self.deferred = []

    def _chain(self, case_id: int, action: str, body: str) -> tuple[Any, ...]:
        """The audit row for `body` (its details as JSON), linked to the entry before it."""
        from ehcp_cli.store import repo

        if self.head is None:
            self.head = repo.last_audit_hash(session=self.session)
        digest = repo.chain_hash(self.head, self.stamp, self.env.user, case_id, action, body)
        entry = (self.now, self.env.user, case_id, action, body, self.head, digest)
        self.head = digest
        return entry

    def _ids(self, count: int) -> list[int]:
        """Case ids for new rows (ids are needed before the events and deadlines that cite them)."""
        from sqlalchemy import func, select, text

        from ehcp_cli.store.models import Case

        if not self.sqlite:  # take them from the sequence, so concurrent writers never collide
            seq = self.conn.execute(text("SELECT pg_get_serial_sequence('cases', 'id')")).scalar()
            return list(self.conn.execute(
                text("SELECT nextval(:seq) FROM generate_series(1, :n)"), {"seq": seq, "n": count}
            ).scalars())
        if self.next_id is None:  # the write lock is held: nobody else is adding cases
            self.next_id = (self.conn.execute(select(func.max(Case.id))).scalar() or 0) + 1
        first, self.next_id = self.next_id, self.next_id + count
        return list(range(first, first + count))

    def _event_rows(self, case_id: int, events: Sequence[Any]) -> list[tuple[Any, ...]]:
        from ehcp_cli.importing.prepare import event_rows

        now, user = self.now, self.env.user
        return [(case_id, on, kind, data, now, user) for on, kind, data in event_rows(events)]

    def create(self, rows: list[Prepared]) -> None:
        """New cases from prepared rows: only ids, the recording time and the chain are added."""
        if not rows:
            return
        from ehcp_cli.importing.prepare import imported_details

        now, user = self.now, self.env.user
        cases, events, deadlines, audit = [], [], [], []
        for case_id, row in zip(self._ids(len(rows)), rows, strict=True):
            ref = row.ref
            name, dob, upn, coordinator, setting, need, stage = row.case
            cases.append((case_id, ref, name, dob, upn, coordinator, setting, need, None,
                          stage, now))
            events += [(case_id, on, kind, data, now, user) for on, kind, data in row.events]
            deadlines += [(case_id, *values) for values in row.deadlines]
            details = imported_details(ref, name, dob, upn, coordinator, setting, need)
            audit.append(self._chain(case_id, "imported", details))
        self.cases.run(cases)
        self.events.run(events)
        self.deadlines.run(deadlines)
        self.audit.run(audit)

    def update(self, row: ImportRow, case: dict[str, Any], changes: dict[str, Any],
               new_events: list[Any]) -> None:
        """Apply one row's changes to its recorded case and refresh what derives from it."""
        from sqlalchemy import delete, update

        from ehcp_cli.importing.prepare import deadline_rows, derive, describe_events
        from ehcp_cli.store.models import Case, DeadlineRow

        case_id = case["id"]
        self.events.run(self._event_rows(case_id, new_events))
        values = {field: row.details[field] for field in changes}
        if new_events or "dob" in changes:
            recorded = _recorded_events(self.conn, [case_id]).get(case_id, [])
            stage, found = derive(values.get("dob", case["dob"]), recorded,
                                  case["reception_year"])
            values["stage"] = stage
            table = DeadlineRow.__table__  # type: ignore[attr-defined]
            self.conn.execute(delete(table).where(table.c.case_id == case_id))
            self.deadlines.run([(case_id, *values) for values in deadline_rows(found)])
        t = Case.__table__  # type: ignore[attr-defined]
        self.conn.execute(update(t).where(t.c.id == case_id).values(**values))
        details: dict[str, Any] = {"ref": row.ref}
        if changes:
            details["changes"] = changes
        if new_events:
            details["events"] = describe_events(new_events)
            action = "imported"
        else:
            details["via"] = "import"
            action = "case-updated"
        body = json.dumps(details, sort_keys=True, default=str)
        self.audit.run([self._chain(case_id, action, body)])


class _Statement:
    """An INSERT built by SQLAlchemy Core for this dialect, run as one driver executemany.

    `Connection.execute(insert(table), dicts)` costs about three times as much per row here (a
    bind processor call for every value of every row); instead rows arrive already in the
    driver's form (see `converter`) and the statement text is still SQLAlchemy's own.
    """

    def __init__(self, conn: Connection, table: Any, columns: Iterable[str]) -> None:
        from sqlalchemy import insert

        self.conn, self.table = conn, table
        self.columns = tuple(columns)
        compiled = insert(table).compile(dialect=conn.dialect, column_keys=list(self.columns))
        self.sql = compiled.string
        self.positional = compiled.positional
        if self.positional and tuple(compiled.positiontup or ()) != self.columns:
            raise AssertionError(f"{table.name}: columns out of table order")

    def converter(self, column: str) -> Callable[[Any], Any]:
        """The dialect's bind processor for a column, remembering its answers (dates repeat)."""
        dialect = self.conn.dialect
        # The dialect's own implementation (SQLite's DATETIME stores text in SQLAlchemy's format;
        # the generic type would leave it to the driver's deprecated default adapter).
        process = self.table.c[column].type.dialect_impl(dialect).bind_processor(dialect)
        if process is None:
            return lambda value: value
        memo: dict[Any, Any] = {}

        def convert(value: Any) -> Any:
            try:
                return memo[value]
            except KeyError:
                result = memo[value] = process(value)
                return result

        return convert

    def run(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        params: list[Any] = rows if self.positional else [
            dict(zip(self.columns, row, strict=True)) for row in rows]
        self.conn.exec_driver_sql(self.sql, params)  # type: ignore[arg-type]
