"""Schema versions: is this database at head, and migrating it there with alembic.

The head revision is a constant so that every command can check the schema with one cheap query
instead of loading alembic; a test keeps it equal to alembic's own head.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection, Engine

HEAD_REVISION = "0004"


def migrations_dir() -> Path:
    """The alembic scripts: shipped in the wheel as `ehcp_cli.migrations`, or the checkout's
    folder."""
    try:
        import ehcp_cli.migrations as package

        return Path(package.__file__).parent
    except ImportError:  # running straight from a source tree that was never installed
        return Path(__file__).resolve().parents[2] / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def current_revision(connection: Connection) -> str | None:
    from sqlalchemy import inspect, text

    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def schema_state(engine: Engine) -> str:
    """'current', 'empty' (no tables), 'old', 'newer' or 'foreign' (tables, but not ours)."""
    from sqlalchemy import inspect

    with engine.connect() as connection:
        revision = current_revision(connection)
        if revision is None:
            return "foreign" if inspect(connection).get_table_names() else "empty"
    if revision == HEAD_REVISION:
        return "current"
    known = _known_revisions()
    return "old" if revision in known else "newer"


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Migrate to `revision` in one transaction; returns (from, to) revisions.

    On SQLite, foreign keys are off while tables are rebuilt (a batch migration of a parent table
    would otherwise cascade-delete its children) and checked with `foreign_key_check` afterwards.
    """
    from alembic import command
    from sqlalchemy import text

    from ehcp_cli.errors import Refused

    with engine.connect() as plain:
        sqlite = plain.dialect.name == "sqlite"
        raw = plain.connection.driver_connection
        if sqlite:  # must be set outside a transaction, so on the driver's connection
            raw.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
        try:
            connection = plain.execution_options(ehcp_write=True)
            with connection.begin():
                if not sqlite:
                    # Two first uses at once: the second waits here, then finds nothing to do.
                    connection.execute(text("SELECT pg_advisory_xact_lock(4243)"))
                before = current_revision(connection)
                command.upgrade(alembic_config(connection), revision)
                if sqlite:
                    broken = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
                    if broken:
                        raise Refused(
                            f"migration left {len(broken)} broken foreign keys; nothing changed"
                        )
                after = current_revision(connection)
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]
    return before, after
