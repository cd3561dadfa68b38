"""`ehcp db backup` and `ehcp db verify`, including tampering done behind ehcp's back."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from ehcp_cli.store.engine import resolve_url


def _raw(db: str):  # type: ignore[no-untyped-def]
    return create_engine(resolve_url(db))


def _tamper(db: str, backend: str, *statements: str) -> None:
    """Run SQL with the append-only triggers out of the way, as a hostile admin could."""
    engine = _raw(db)
    with engine.begin() as conn:
        if backend == "sqlite":
            conn.execute(text("DROP TRIGGER audit_no_update"))
            conn.execute(text("DROP TRIGGER audit_no_delete"))
        else:
            conn.execute(text("ALTER TABLE audit DISABLE TRIGGER USER"))
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


@pytest.fixture
def busy_case(ehcp, opened):  # type: ignore[no-untyped-def]
    r = ehcp("advice", "request", opened, "health", "educational", "--on", "2026-01-20")
    assert r.code == 0
    assert ehcp("advice", "receive", opened, "health", "--on", "2026-02-02").code == 0
    assert ehcp("case", "open", "Second Child", "--dob", "2016-03-03", "--received", "2026-02-01",
                "--ref", "T2").code == 0
    assert ehcp("move", opened, "assessing", "--on", "2026-02-10").code == 0
    return opened


def _audit_ids(db: str) -> list[int]:
    engine = _raw(db)
    with engine.connect() as conn:
        ids = [r[0] for r in conn.execute(text("SELECT id FROM audit ORDER BY id"))]
    engine.dispose()
    return ids


def test_verify_clean(ehcp, busy_case):
    r = ehcp("db", "verify")
    assert r.code == 0, r.out + r.err
    assert r.out.startswith("ok: schema 0004, 5 history entries, chain head ")
    assert r.err == ""


def test_verify_catches_an_edited_entry(ehcp, busy_case, db, backend):
    ids = _audit_ids(db)
    _tamper(db, backend, f"UPDATE audit SET \"user\" = 'mallory' WHERE id = {ids[2]}")
    r = ehcp("db", "verify")
    assert r.code == 1
    assert r.out.splitlines() == [
        f"history: audit entry {ids[2]} was edited after it was written "
        "(its contents no longer match its hash)"
    ]
    assert r.err.splitlines() == ["error: verify found 1 problem"]


def test_verify_catches_a_deleted_entry(ehcp, busy_case, db, backend):
    ids = _audit_ids(db)
    _tamper(db, backend, f"DELETE FROM audit WHERE id = {ids[1]}")
    r = ehcp("db", "verify")
    assert r.code == 1
    assert r.out.splitlines() == [
        f"history: audit entry {ids[2]} does not follow entry {ids[0]}: an entry between them "
        "was deleted, or one of them was altered"
    ]


def test_verify_catches_a_case_whose_history_was_deleted(ehcp, busy_case, db,
                                                                         backend):
    ids = _audit_ids(db)
    _tamper(db, backend,
            "DELETE FROM audit WHERE case_id = (SELECT id FROM cases WHERE ref = 'T2')")
    r = ehcp("db", "verify")
    assert r.code == 1
    lines = r.out.splitlines()
    assert f"history: audit entry {ids[4]} does not follow entry {ids[2]}: an entry between them " \
           "was deleted, or one of them was altered" in lines
    assert "history: case T2 has no history at all (its entries were deleted)" in lines
    assert "T2" not in r.err and "Second Child" not in r.out + r.err


def test_verify_catches_a_rewritten_chain_link(ehcp, busy_case, db, backend):
    ids = _audit_ids(db)
    _tamper(db, backend, f"UPDATE audit SET details = '{{}}' WHERE id = {ids[0]}")
    r = ehcp("db", "verify")
    assert r.code == 1
    assert r.out.splitlines()[0].startswith(f"history: audit entry {ids[0]} was edited")


def test_audit_rows_cannot_be_changed_or_deleted(busy_case, db):
    engine = _raw(db)
    for statement in ("UPDATE audit SET \"user\" = 'x'", "DELETE FROM audit"):
        with pytest.raises(Exception, match="append-only"):
            with engine.begin() as conn:
                conn.execute(text(statement))
    engine.dispose()


def test_audit_chain_cannot_fork(busy_case, db):
    engine = _raw(db)
    with pytest.raises(Exception, match="(?i)unique"):
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO audit (at, \"user\", case_id, action, details, prev_hash, hash) "
                "SELECT at, \"user\", case_id, action, details, prev_hash, 'f' || substr(hash, 2) "
                "FROM audit "
                "ORDER BY id DESC LIMIT 1"))
    engine.dispose()


def test_verify_catches_orphan_rows(ehcp, busy_case, db, backend):
    if backend == "sqlite":
        engine = _raw(db)
        with engine.begin() as conn:  # foreign keys are off unless a connection asks for them
            conn.execute(text("UPDATE events SET case_id = 999 WHERE id = 1"))
        engine.dispose()
    else:
        _tamper(db, backend, "ALTER TABLE events DISABLE TRIGGER ALL",
                "UPDATE events SET case_id = 999 WHERE id = (SELECT min(id) FROM events)",
                "ALTER TABLE events ENABLE TRIGGER ALL")
    r = ehcp("db", "verify")
    assert r.code == 1
    assert any(line.startswith("foreign key: events row ") and line.endswith("missing cases row")
               for line in r.out.splitlines()), r.out


def test_verify_reports_an_old_schema(ehcp, busy_case, db):
    engine = _raw(db)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    engine.dispose()
    r = ehcp("db", "verify")
    assert r.code == 1
    assert "schema: at revision 0001, this version of ehcp expects 0004; run `ehcp db upgrade`" \
        in r.out.splitlines()


def test_verify_of_a_missing_file(ehcp, tmp_path, backend):
    if backend != "sqlite":
        pytest.skip("a file path is SQLite only")
    r = ehcp("--db", str(tmp_path / "nothing.db"), "db", "verify")
    assert (r.code, r.err) == (1, f"error: there is no database at {tmp_path / 'nothing.db'}\n")
    assert not (tmp_path / "nothing.db").exists()


def test_verify_sees_a_damaged_file(ehcp, tmp_path, backend):
    if backend != "sqlite":
        pytest.skip("SQLite storage check")
    path = tmp_path / "damaged.db"
    assert ehcp("--db", str(path), "case", "open", "A B", "--dob", "2015-01-01",
                "--received", "2026-01-05").code == 0
    from ehcp_cli.store.engine import dispose_engines

    dispose_engines()
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'ix_cases_stage'").fetchone()[0]
    con.close()
    with open(path, "r+b") as f:  # scribble over one index page
        f.seek((root - 1) * page_size + 8)
        f.write(b"\xff" * 64)
    r = ehcp("--db", str(path), "db", "verify")
    assert r.code == 1
    assert any(line.startswith("storage: ") for line in r.out.splitlines()), r.out
    assert r.err.count("error:") == 1 and "Traceback" not in r.err
    listed = ehcp("--db", str(path), "case", "list")
    assert listed.code in (0, 1) and "internal error" not in listed.err


# --- backups -----------------------------------------------------------------------------------


def test_backup_is_a_consistent_private_copy(ehcp, busy_case, tmp_path, backend):
    target = tmp_path / "copy.db"
    r = ehcp("db", "backup", str(target))
    if backend == "postgresql":
        assert r.code == 1
        assert r.err.startswith("error: ehcp backs up SQLite databases only; for PostgreSQL use ")
        assert "pg_dump" in r.err and not target.exists()
        return
    assert (r.code, r.out.strip()) == (0, str(target))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    con = sqlite3.connect(target)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert con.execute("SELECT count(*) FROM audit").fetchone() == (5,)
    assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    con.close()
    r = ehcp("--db", str(target), "db", "verify")
    assert r.code == 0, r.out


def test_backup_into_a_folder_and_never_over_a_file(ehcp, busy_case, tmp_path, backend):
    if backend != "sqlite":
        pytest.skip("SQLite backups")
    folder = tmp_path / "backups"
    folder.mkdir()
    r = ehcp("db", "backup", str(folder))
    assert r.code == 0, r.err
    made = Path(r.out.strip())
    assert made.parent == folder and made.name.startswith("caseload.db.backup-")
    again = ehcp("db", "backup", str(made))
    assert again.code == 1
    assert again.err == f"error: {made} already exists; give a new file name or a folder\n"
    assert sorted(p.name for p in folder.iterdir()) == [made.name]  # no partial files left


def test_backup_while_another_process_writes(ehcp, busy_case, tmp_path, backend, db):
    if backend != "sqlite":
        pytest.skip("SQLite backups")
    import subprocess
    import sys

    writer = subprocess.Popen(
        [sys.executable, "-m", "ehcp_cli", "case", "open", "Busy Writer", "--dob", "2015-01-01",
         "--received", "2026-01-05"], stdin=subprocess.DEVNULL)
    r = ehcp("db", "backup", str(tmp_path / "during.db"))
    assert writer.wait(timeout=60) == 0
    assert r.code == 0, r.err
    con = sqlite3.connect(tmp_path / "during.db")
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert con.execute("SELECT count(*) FROM cases").fetchone()[0] in (2, 3)
    con.close()


def test_refresh_rewrites_deadline_rows_left_by_an_older_version(ehcp, opened, db):
    """A rule corrected in a new version: verify notices untouched cases, refresh fixes them."""
    from sqlalchemy import create_engine, text

    from ehcp_cli.store.engine import resolve_url

    engine = create_engine(resolve_url(db))
    with engine.begin() as conn:  # as an older version might have stored it
        conn.execute(text("UPDATE deadlines SET due = '2026-03-01' WHERE rule = 'final-plan'"))
    engine.dispose()
    r = ehcp("db", "verify")
    assert r.code == 1
    assert "deadlines: 1 of 1 cases hold deadline rows that differ from this version's rules (T1)" \
        in r.out
    assert ehcp("db", "refresh").out == "refreshed 1 of 1 cases\n"
    assert ehcp("db", "verify").code == 0
    assert ehcp("db", "refresh").out == "all 1 cases already match this version's rules\n"
    doc = ehcp("case", "show", opened, "--format", "json").json()
    assert next(d for d in doc["deadlines"] if d["rule"] == "final-plan")["due"] == "2026-05-25"
