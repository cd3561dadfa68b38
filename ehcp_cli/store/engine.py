"""Engines and transactions for SQLite (the embedded default) and PostgreSQL.

Every command runs in one transaction (`transaction()`): it commits once at the end or changes
nothing. On SQLite, writers take the write lock up front (BEGIN IMMEDIATE) so two processes never
deadlock upgrading a read lock, and a generous busy timeout makes them queue instead of failing
with "database is locked".
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ehcp_cli.errors import Refused, UsageError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

BUSY_TIMEOUT_MS = 60_000


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


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL, or None for other databases and in-memory SQLite."""
    if not url.startswith("sqlite"):
        return None
    path = url.split(":///", 1)[1] if ":///" in url else ""
    path = path.split("?", 1)[0]
    return Path(path) if path and path != ":memory:" else None


def create_private_file(path: Path) -> bool:
    """Create an empty file readable by its owner only; False if it already existed."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False
    os.close(fd)
    return True


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
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
        return create_engine(url, pool_pre_ping=True)
    except Exception as exc:  # a malformed URL or an unknown dialect
        raise UsageError(f"cannot use --db {url.split('://')[0]}://…: {exc}") from None


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
    state = schema.schema_state(engine)
    if state == "empty":
        schema.upgrade(engine)
    elif state == "old":
        raise Refused("the database schema is older than this version of ehcp; run `ehcp db upgrade`")
    elif state == "newer":
        raise Refused("the database was written by a newer version of ehcp; upgrade ehcp")
    elif state == "foreign":
        raise Refused("the database is not an ehcp database (it has tables but no ehcp schema)")
    return engine


@contextmanager
def transaction(engine: Engine, *, write: bool) -> Iterator[Session]:
    """One session, one transaction: commits when the block ends, rolls back on any error."""
    from sqlalchemy.exc import OperationalError
    from sqlmodel import Session

    bind = engine.execution_options(ehcp_write=True) if write else engine
    session = Session(bind, expire_on_commit=False)
    try:
        with session.begin():
            yield session
    except OperationalError as exc:
        raise Refused(f"the database refused the change: {exc.orig}") from None
    finally:
        session.close()
