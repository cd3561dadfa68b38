"""Database administration: create or migrate the schema, back it up, verify it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ehcp_cli.actions.env import Env
from ehcp_cli.errors import Refused


@dataclass(frozen=True)
class Upgraded:
    before: str | None
    after: str | None
    backup: Path | None  # the copy taken first, when there was something to migrate


def upgrade(env: Env) -> Upgraded:
    """Migrate to the latest schema; an SQLite file with data is first copied beside itself."""
    from ehcp_cli.store import schema
    from ehcp_cli.store.backup import backup_sqlite, stamped_name
    from ehcp_cli.store.engine import (
        create_private_file,
        engine_for,
        resolve_url,
        sqlite_path,
        unreachable_refused,
    )

    url = resolve_url(env.db)
    path = sqlite_path(url)
    if path is not None:
        create_private_file(path)
    engine = engine_for(url)
    copy = None
    with unreachable_refused(url), engine.connect() as connection:
        revision = schema.current_revision(connection)
    if path is not None:
        if revision is not None and revision != schema.HEAD_REVISION:
            copy = backup_sqlite(path, path.with_name(stamped_name(path, env.now, revision)))
    before, after = schema.upgrade(engine)
    return Upgraded(before, after, copy if before != after else None)


def backup(env: Env, target: Path) -> Path:
    from ehcp_cli.store.backup import PG_DUMP_HINT, backup_sqlite, stamped_name
    from ehcp_cli.store.engine import resolve_url, sqlite_path

    url = resolve_url(env.db)
    source = sqlite_path(url)
    if source is None:
        if url.startswith("postgresql"):
            raise Refused(PG_DUMP_HINT)
        raise Refused("only a database file can be backed up")
    target = target.expanduser()
    if target.is_dir():
        target = target / stamped_name(source, env.now)
    return backup_sqlite(source, target.resolve())


def verify(env: Env):  # type: ignore[no-untyped-def]
    """Run every check; returns the report (problems as sentences, chain length and head)."""
    from ehcp_cli.store import integrity
    from ehcp_cli.store.engine import engine_for, resolve_url, sqlite_path, unreachable_refused

    url = resolve_url(env.db)
    path = sqlite_path(url)
    if path is not None and not path.is_file():
        raise Refused(f"there is no database at {path}")
    with unreachable_refused(url):
        connection = engine_for(url).connect()
    with connection:
        return integrity.verify(connection)


def refresh(env: Env) -> tuple[int, list[str]]:
    """Rewrite the derived rows of every case whose rows differ from this version's rules."""
    from ehcp_cli.store import repo
    from ehcp_cli.store.engine import transaction
    from ehcp_cli.store.refresh import stale_cases

    with transaction(env.engine(), write=True) as session:
        checked, stale = stale_cases(session.connection(), fix=True)
        if stale:
            repo.append_audit(session=session, case_id=None, user=env.user, now=env.now,
                              action="deadlines-refreshed",
                              details={"checked": checked, "refreshed": stale})
    return checked, stale
