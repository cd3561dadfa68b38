"""Consistent copies of an SQLite database, taken while other processes may be writing to it.

SQLite's online backup API copies the pages as of one moment, retrying when a writer changes
them meanwhile, so the copy is never torn. Copies hold the same personal data as the database and
are created readable by their owner only. PostgreSQL databases are backed up with the server's
own `pg_dump`, which the caller is told to use.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from ehcp_cli.errors import Refused

PG_DUMP_HINT = (
    "ehcp backs up SQLite databases only; for PostgreSQL use the server's own tool, e.g. "
    "`pg_dump --format=custom --file=ehcp-$(date +%F).dump DBNAME`, restore with `pg_restore`"
)


def stamped_name(source: Path, moment: datetime, label: str = "backup") -> str:
    """`caseload.db` -> `caseload.db.backup-20261122T101500Z` (UTC, sorts by time)."""
    return f"{source.name}.{label}-{moment.strftime('%Y%m%dT%H%M%SZ')}"


def backup_sqlite(source: Path, target: Path) -> Path:
    """Copy `source` to `target` (a new file) with the online backup API; returns `target`.

    The copy is written beside the target under a temporary name and renamed into place when
    complete, so a crash never leaves a half-written file under the name asked for.
    """
    if not source.is_file():
        raise Refused(f"there is no database at {source}")
    if target.exists():
        raise Refused(f"{target} already exists; give a new file name or a folder")
    if not target.parent.is_dir():
        raise Refused(f"folder {target.parent} does not exist")
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=60)
        dst = sqlite3.connect(partial)
        try:
            with dst:
                src.backup(dst, pages=1024)
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal
            ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            dst.close()
            src.close()
        if ok != "ok":
            raise Refused(f"the copy failed its integrity check ({ok}); "
                          "the database may be damaged")
        os.chmod(partial, 0o600)
        try:
            os.link(partial, target)  # fails rather than replace a file created meanwhile
        except FileExistsError:
            raise Refused(f"{target} already exists; give a new file name or a folder") from None
        except OSError:  # a filesystem without hard links
            os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target
