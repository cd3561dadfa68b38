"""Crash safety: `ehcp import` killed with SIGKILL in the middle of writing leaves the database
exactly as it was, and intact."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from ehcp_cli.store.engine import dispose_engines, resolve_url, sqlite_path

ROWS = 50_000
TABLES = ("cases", "events", "deadlines", "audit", "alembic_version")


def _big_csv(path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        f.write("ref,name,dob,upn,coordinator,setting,need,received,assessing,issued,last_review\n")
        for n in range(ROWS):
            if n % 2:
                f.write(f"BIG-{n:06d},Child Number {n},2014-03-{1 + n % 28:02d},,Coordinator "
                        f"{n % 7},Some School,ASD,2026-01-05,2026-02-20,,\n")
            else:
                f.write(f"BIG-{n:06d},Child Number {n},2012-05-{1 + n % 28:02d},,Coordinator "
                        f"{n % 7},Other School,SEMH,,,2023-06-01,2025-06-01\n")


def _snapshot(url: str) -> dict[str, list[tuple]]:
    engine = create_engine(resolve_url(url))
    with engine.connect() as conn:
        snap = {t: sorted(tuple(map(str, r)) for r in conn.execute(text(f"SELECT * FROM {t}")))
                for t in TABLES}
    engine.dispose()
    return snap


def _started_writing(url: str, proc: subprocess.Popen, baseline: int) -> bool:
    path = sqlite_path(resolve_url(url))
    if path is not None:
        wal = path.with_name(path.name + "-wal")
        return wal.exists() and wal.stat().st_size > baseline
    engine = create_engine(resolve_url(url))
    with engine.connect() as conn:  # a backend of ours holding a transaction id has written
        writing = conn.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()")).scalar_one()
    engine.dispose()
    return writing > 0


@pytest.mark.slow
def test_sigkill_during_import_changes_nothing(ehcp, opened, db, tmp_path):
    assert ehcp("advice", "request", opened, "health", "--on", "2026-01-12").code == 0
    csv_path = tmp_path / "big.csv"
    _big_csv(csv_path)
    dispose_engines()
    path = sqlite_path(resolve_url(db))
    baseline = 0
    if path is not None:
        con = sqlite3.connect(path)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        wal = path.with_name(path.name + "-wal")
        baseline = wal.stat().st_size if wal.exists() else 0
    before = _snapshot(db)

    proc = subprocess.Popen([sys.executable, "-m", "ehcp_cli", "import", str(csv_path)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env={**os.environ, "EHCP_DB": db})
    deadline = time.monotonic() + 300
    while not _started_writing(db, proc, baseline):
        assert proc.poll() is None, f"import ended before it was killed: {proc.stderr.read()!r}"
        assert time.monotonic() < deadline, "import never started writing"
        time.sleep(0.02)
    time.sleep(0.2)  # well into the write
    assert proc.poll() is None, "import finished before it could be killed; use a bigger file"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    if path is not None:
        con = sqlite3.connect(path)
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        con.close()
    assert _snapshot(db) == before
    r = ehcp("db", "verify")
    assert r.code == 0, r.out
    # and the database takes writes again
    assert ehcp("move", opened, "assessing", "--on", "2026-02-20").code == 0
