"""Engines and transactions for SQLite (the embedded default) and PostgreSQL.

Every command runs in one transaction (`transaction()`): it commits once at the end or changes
nothing. On SQLite, writers take the write lock up front (BEGIN IMMEDIATE) so two processes never
deadlock upgrading a read lock, and a generous busy timeout makes them queue instead of failing
with "database is locked".
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ehcp_cli.errors import Refused, UsageError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

T = TypeVar("T")

BUSY_TIMEOUT_MS = 60_000
# Writers on PostgreSQL queue on this transaction-scoped advisory lock, as SQLite writers queue on
# BEGIN IMMEDIATE: the audit chain needs one writer at a time anyway (repo.last_audit_hash relies
# on this lock), and taking it first means no deadlocks and no two writers picking the same
# generated reference.
WRITE_LOCK_KEY = 4242
# A command whose transaction hit a transient conflict (SQLite busy past the timeout, PostgreSQL
# serialization failure or deadlock) is run again from the start, at most this many times.
RETRIES = 5
TRANSIENT_PG_CODES = {"40001", "40P01", "55P03"}  # serialization, deadlock, lock not available


class Busy(Refused):
    """The database stayed busy or a concurrent writer conflicted; running again may succeed."""


def default_db_path() -> Path:
    """`caseload.db` in the user data directory (e.g. ~/.local/share/ehcp on Linux)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("ehcp", appauthor=False)) / "caseload.db"


def resolve_url(db: str | None) -> str:
    """A `--db` value (a file path or an SQLAlchemy URL) as an SQLAlchemy URL."""
    if not db:
        return f"sqlite:///{default_db_path()}"
    if "://" in db:
        if db.startswith("postgresql://"):
            # The plain scheme means psycopg2 to SQLAlchemy; we ship psycopg 3.
            return "postgresql+psycopg://" + db[len("postgresql://") :]
        return db
    return f"sqlite:///{Path(db).expanduser().resolve()}"


def display_url(url: str) -> str:
    """The URL as it may be shown in a message: never with its password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.split("://", 1)[0] + "://…"


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL, or None for other databases and in-memory SQLite."""
    if not url.startswith("sqlite"):
        return None
    path = url.split(":///", 1)[1] if ":///" in url else ""
    path = path.split("?", 1)[0]
    return Path(path) if path and path != ":memory:" else None


def certainly_empty(db: str | None) -> bool:
    """Whether `--db` names an SQLite file that does not exist yet (or is an empty file), so
    nothing can be recorded in it; False whenever that is not certain (PostgreSQL, for one).
    Cheap: it opens nothing, so it can be asked before the database is created."""
    path = sqlite_path(resolve_url(db))
    try:
        return path is not None and path.stat().st_size == 0
    except FileNotFoundError:
        return True


def create_private_file(path: Path) -> bool:
    """Create an empty file readable by its owner only; False if it already existed.

    Every folder created on the way is owner-only too: `mkdir(parents=True, mode=...)` gives the
    mode to the last folder only, the others getting the umask's default.
    """
    missing = [folder for folder in (path.parent, *path.parent.parents) if not folder.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def dispose_engines() -> None:
    """Close every pooled connection (tests drop their databases; a long-lived process may call
    this before forking)."""
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


_engines: dict[str, Engine] = {}


def engine_for(url: str) -> Engine:
    """One engine per URL for the life of the process."""
    if url not in _engines:
        _engines[url] = _create_engine(url)
    return _engines[url]


def _create_engine(url: str) -> Engine:
    from sqlalchemy import create_engine, event

    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # type: ignore[no-untyped-def]
            mode = "IMMEDIATE" if conn.get_execution_options().get("ehcp_write") else "DEFERRED"
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    if url.startswith("postgresql"):
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise UsageError(
                "PostgreSQL needs the psycopg driver: pip install 'ehcp[postgres]'"
            ) from None
    try:
        engine = create_engine(url, pool_pre_ping=True)
    except Exception as exc:  # a malformed URL or an unknown dialect
        raise UsageError(f"cannot use --db {url.split('://')[0]}://…: {exc}") from None
    if engine.dialect.name == "postgresql":

        @event.listens_for(engine, "connect")
        def _pg_session(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            # Timestamps come back in UTC whatever the server's TimeZone, as SQLite's do.
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SET TIME ZONE 'UTC'")
            dbapi_connection.commit()

        @event.listens_for(engine, "begin")
        def _pg_begin(conn):  # type: ignore[no-untyped-def]
            if conn.get_execution_options().get("ehcp_write"):
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")

    return engine


@contextmanager
def unreachable_refused(url: str) -> Iterator[None]:
    """A database that cannot be opened (server down, no such database) is one `error:` line."""
    from sqlalchemy.exc import DBAPIError

    try:
        yield
    except DBAPIError as exc:
        raise Refused(f"cannot open the database {display_url(url)}: "
                      f"{_first_line(exc.orig)}") from None


def open_database(db: str | None) -> Engine:
    """The engine for `--db`, creating a new database at the latest schema on first use.

    A database at an older schema is refused: migrating is a deliberate `ehcp db upgrade`.
    """
    from ehcp_cli.store import schema

    url = resolve_url(db)
    path = sqlite_path(url)
    if path is not None:
        if path.is_dir():
            raise UsageError(f"--db {path} is a directory; give a database file path")
        create_private_file(path)
    engine = engine_for(url)
    with unreachable_refused(url):
        state = schema.schema_state(engine)
    if state == "empty":
        schema.upgrade(engine)
    elif state == "old":
        raise Refused(
            "the database schema is older than this version of ehcp; run `ehcp db upgrade`")
    elif state == "newer":
        raise Refused("the database was written by a newer version of ehcp; upgrade ehcp")
    elif state == "foreign":
        raise Refused("the database is not an ehcp database (it has tables but no ehcp schema)")
    return engine


@contextmanager
def transaction(engine: Engine, *, write: bool) -> Iterator[Session]:
    """One session, one transaction: commits when the block ends, rolls back on any error."""
    from sqlalchemy.exc import DataError, DBAPIError, OperationalError
    from sqlmodel import Session

    bind = engine.execution_options(ehcp_write=True) if write else engine
    session = Session(bind, expire_on_commit=False)
    try:
        with session.begin():
            yield session
    except DBAPIError as exc:
        if is_transient(exc):
            raise Busy("the database is busy with other changes; nothing was changed, "
                       "try again") from None
        if isinstance(exc, DataError):  # e.g. PostgreSQL text cannot hold a NUL character
            raise Refused(f"the database cannot hold that value: {_first_line(exc.orig)}") from None
        if isinstance(exc, OperationalError):
            raise Refused(f"the database refused the change: {_first_line(exc.orig)}") from None
        if "malformed" in str(exc.orig) or "not a database" in str(exc.orig):
            raise Refused(f"the database file is damaged ({_first_line(exc.orig)}); run "
                          "`ehcp db verify` and restore a backup") from None
        raise
    finally:
        session.close()


def _first_line(error: object) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def is_transient(exc: BaseException) -> bool:
    """A conflict with a concurrent writer that a fresh attempt can get past."""
    orig = getattr(exc, "orig", exc)
    if getattr(orig, "sqlstate", None) in TRANSIENT_PG_CODES:
        return True
    if type(orig).__module__.startswith("sqlite3"):
        text = str(orig).lower()
        return "database is locked" in text or "database is busy" in text
    return False


def retrying(run: Callable[[], T]) -> T:
    """Run a whole command again when its transaction met a transient conflict.

    Safe because every command is one transaction: an attempt that raised `Busy` changed nothing.
    """
    import random
    import time

    for attempt in range(RETRIES):
        try:
            return run()
        except Busy:
            if attempt == RETRIES - 1:
                raise
            time.sleep(random.uniform(0.05, 0.2) * (attempt + 1))
    raise AssertionError("unreachable")
