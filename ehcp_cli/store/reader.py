"""Read-only queries as plain SQL, run by the stdlib sqlite3 driver when the database is SQLite.

Why: `overdue` runs from cron every morning and `case show` while a parent is on the phone; both
only read. Importing SQLAlchemy and SQLModel costs about 0.4 s per run, more than the whole query
at council scale. So on a SQLite database already at the current schema these commands open it
with sqlite3 (one read transaction, query_only) and run the same SQL text that SQLAlchemy runs
everywhere else: on PostgreSQL, on a database that must first be created or is refused as too
old, and inside write commands. One query text, two drivers, the same rows.

A `Query` is `(sql, params) -> rows as tuples`. Dates come back as `date` from PostgreSQL and as
ISO text from SQLite: `day()` reads both. Identifiers that are SQL keywords are quoted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ehcp_cli.errors import Refused

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from ehcp_cli.domain.rules import Deadline

Query = Callable[[str, dict[str, Any]], Iterable[Sequence[Any]]]


def day(value: Any) -> date | None:
    """A date column as read by either driver."""
    if value is None or isinstance(value, date):
        return value
    return _day_of_text(value)


@lru_cache(maxsize=8192)  # a listing repeats the same few thousand dates
def _day_of_text(text: str) -> date:
    return date.fromisoformat(text[:10])


def _sqlite_params(params: dict[str, Any]) -> dict[str, Any]:
    # Stored the way SQLAlchemy stores SQLite dates (ISO text), so text comparison is date order.
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in params.items()}


def session_query(session: Session) -> Query:
    """Run this module's SQL inside an SQLAlchemy session (and its one transaction)."""
    from sqlalchemy import text

    sqlite = session.get_bind().dialect.name == "sqlite"

    def run(sql: str, params: dict[str, Any]) -> Iterable[Sequence[Any]]:
        return session.execute(text(sql), _sqlite_params(params) if sqlite else params)

    return run


def _sqlite_connection(db: str | None) -> sqlite3.Connection | None:
    """A read-only connection when `db` is an SQLite file at the current schema, else None."""
    from ehcp_cli.store.engine import BUSY_TIMEOUT_MS, resolve_url, sqlite_path
    from ehcp_cli.store.schema import HEAD_REVISION

    url = resolve_url(db)
    path = sqlite_path(url)
    if path is None or "?" in url or not path.is_file() or path.stat().st_size == 0:
        return None  # PostgreSQL, URL options, or a database to create: the general path
    connection = None
    try:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        connection.execute("PRAGMA query_only = ON")
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        revision = None
    if revision is None or revision[0] != HEAD_REVISION:
        if connection is not None:
            connection.close()
        return None  # not ours, damaged or another schema: the general path says which
    return connection


@contextmanager
def read_transaction(db: str | None, engine: Callable[[], Engine]) -> Iterator[Query]:
    """One read transaction: sqlite3 on a current SQLite file, else an SQLAlchemy session."""
    connection = _sqlite_connection(db)
    if connection is None:
        from ehcp_cli.store.engine import transaction

        with transaction(engine(), write=False) as session:
            yield session_query(session)
        return
    try:
        connection.execute("BEGIN")
        yield lambda sql, params: connection.execute(sql, _sqlite_params(params))
        connection.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        raise Refused(f"the database could not be read ({str(exc).splitlines()[0]}); "
                      "run `ehcp db verify`") from None
    finally:
        connection.close()


# --- overdue ------------------------------------------------------------------------------------
_OVERDUE_COLUMNS = (
    "c.ref, c.name, c.coordinator, c.stage, d.rule, d.\"key\", d.kind, d.description, d.due, "
    "d.act_by, d.regulation, d.exception"
)


def overdue_sql(kinds: int, coordinator: bool) -> str:
    """Unmet deadlines due before :until whose clock started by :as_of, oldest first.

    Two halves, each index range scans: rows still open (the partial index
    `ix_deadlines_open_due`), then rows met or closed only after :as_of, for reports on past
    dates (`ix_deadlines_met_on` and `ix_deadlines_lapsed_on`, one range per side of the OR).
    """
    names = ", ".join(f":kind{i}" for i in range(kinds))
    common = f"d.due < :until AND d.\"trigger\" <= :as_of AND d.kind IN ({names})"
    if coordinator:
        common += " AND lower(c.coordinator) = :coordinator"
    head = f"SELECT {_OVERDUE_COLUMNS} FROM deadlines d JOIN cases c ON c.id = d.case_id WHERE "
    return (
        f"{head}d.met_on IS NULL AND d.lapsed_on IS NULL AND {common} "
        f"UNION ALL "
        f"{head}(d.met_on > :as_of OR d.lapsed_on > :as_of) "
        f"AND (d.met_on IS NULL OR d.met_on > :as_of) "
        f"AND (d.lapsed_on IS NULL OR d.lapsed_on > :as_of) AND {common} "
        f"ORDER BY due, ref, rule, \"key\""
    )


def overdue_params(as_of: date, until: date, kinds: Sequence[str],
                   coordinator: str | None) -> dict[str, Any]:
    params: dict[str, Any] = {"as_of": as_of, "until": until}
    params.update({f"kind{i}": kind for i, kind in enumerate(kinds)})
    if coordinator:
        params["coordinator"] = coordinator.lower()
    return params


def overdue_rows(query: Query, *, as_of: date, until: date, kinds: Sequence[str],
                 coordinator: str | None = None) -> Iterable[Sequence[Any]]:
    """(ref, name, coordinator, stage, rule, key, kind, description, due, act_by, regulation,
    exception) rows; `due` and `act_by` as stored (see `day`)."""
    return query(overdue_sql(len(kinds), bool(coordinator)),
                 overdue_params(as_of, until, kinds, coordinator))


# --- one case ------------------------------------------------------------------------------------
CASE_COLUMNS = ("id", "ref", "name", "dob", "upn", "coordinator", "setting", "need", "stage",
                "reception_year")


def case_by_ref(query: Query, ref: str) -> dict[str, Any]:
    found = list(query(f"SELECT {', '.join(CASE_COLUMNS)} FROM cases WHERE ref = :ref",
                       {"ref": ref}))
    if not found:
        raise Refused(f"no case with reference {ref}")
    case = dict(zip(CASE_COLUMNS, found[0], strict=True))
    case["dob"] = day(case["dob"])
    return case


def case_events(query: Query, case_id: int) -> list[tuple[date, str, str, str]]:
    """(on, kind, data as JSON text, recorded_by), in date then entry order."""
    return [
        (day(on), kind, data, by)  # type: ignore[misc]
        for on, kind, data, by in query(
            'SELECT "on", kind, data, recorded_by FROM events WHERE case_id = :case_id '
            'ORDER BY "on", id',
            {"case_id": case_id},
        )
    ]


DEADLINE_COLUMNS = ("rule", "key", "kind", "description", "regulation", "trigger", "due",
                    "act_by", "met_on", "lapsed_on", "exception")
_DATE_COLUMNS = frozenset({"trigger", "due", "act_by", "met_on", "lapsed_on"})


def case_deadlines(query: Query, case_id: int) -> list[dict[str, Any]]:
    """The case's deadline rows as dicts, in due order."""
    columns = ", ".join(f'"{c}"' for c in DEADLINE_COLUMNS)
    out = []
    for row in query(f'SELECT {columns} FROM deadlines WHERE case_id = :case_id '
                     'ORDER BY due, rule, "key"', {"case_id": case_id}):
        record = dict(zip(DEADLINE_COLUMNS, row, strict=True))
        for name in _DATE_COLUMNS:
            record[name] = day(record[name])
        out.append(record)
    return out


def deadline_from_row(row: Any) -> Deadline:
    """The domain's `Deadline` for a stored deadline row, so every report judges status alike.

    Takes a mapping (as `case_deadlines` returns) or a row with attributes (an SQLAlchemy row),
    with dates as either driver returns them. The stored exception is display data, not needed
    to judge status, and is left out.
    """
    from ehcp_cli.domain.rules import Deadline  # the rules are only needed once a row is judged

    get = row.__getitem__ if isinstance(row, Mapping) else row.__getattribute__
    return Deadline(
        rule=get("rule"), kind=get("kind"), description=get("description"),
        regulation=get("regulation"), trigger=day(get("trigger")),  # type: ignore[arg-type]
        due=day(get("due")),  # type: ignore[arg-type]
        met_on=day(get("met_on")), lapsed_on=day(get("lapsed_on")), key=get("key"),
    )
