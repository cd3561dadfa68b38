"""Migrations: the head constant, no drift between models and migrations, upgrading real data."""

from __future__ import annotations

import stat
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from ehcp_cli.store import schema
from ehcp_cli.store.engine import dispose_engines, engine_for, resolve_url
from ehcp_cli.store.models import SQLModel

TABLES = ("cases", "events", "deadlines", "audit")


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(resolve_url(url))
    with engine.connect() as conn:
        counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}
    engine.dispose()
    return counts


def _downgrade(url: str, revision: str) -> None:
    engine = engine_for(resolve_url(url))
    with engine.begin() as conn:
        command.downgrade(schema.alembic_config(conn), revision)
    dispose_engines()


def test_head_revision_constant_is_alembics_head():
    script = ScriptDirectory.from_config(schema.alembic_config())
    assert script.get_heads() == [schema.HEAD_REVISION]


def test_every_revision_is_a_single_line_of_history():
    script = ScriptDirectory.from_config(schema.alembic_config())
    revisions = [r.revision for r in script.walk_revisions()]
    assert revisions == ["0004", "0003", "0002", "0001"]


def test_models_and_migrations_agree(ehcp, empty_db):
    assert ehcp("--db", empty_db, "db", "upgrade").code == 0
    engine = engine_for(resolve_url(empty_db))
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_new_database_is_created_at_head_on_first_use(ehcp, empty_db):
    r = ehcp("--db", empty_db, "case", "list", "--format", "json")
    assert (r.code, r.out) == (0, "[]\n")
    again = ehcp("--db", empty_db, "db", "upgrade")
    assert again.out == f"database already at the latest schema ({schema.HEAD_REVISION})\n"


def _populate(ehcp) -> None:  # type: ignore[no-untyped-def]
    steps = [
        ("case", "open", "Ann O'Hara", "--dob", "2014-02-03", "--received", "2026-01-05",
         "--ref", "M1", "--upn", "A123456789012", "--coordinator", "Sam"),
        ("advice", "request", "M1", "health", "psychological", "--on", "2026-01-12"),
        ("advice", "receive", "M1", "health", "--on", "2026-02-01"),
        ("move", "M1", "assessing", "--on", "2026-02-20"),
        ("case", "open", "Bo Li", "--dob", "2012-05-06", "--plan-issued", "2024-03-01",
         "--last-review", "2025-03-01", "--ref", "M2"),
        ("review", "held", "M2", "--on", "2026-02-10"),
        ("case", "update", "M2", "--setting", "Oak School"),
    ]
    for step in steps:
        r = ehcp(*step)
        assert r.code == 0, (step, r.err)


def test_upgrade_from_0001_keeps_every_row(ehcp, db, backend, tmp_path):
    _populate(ehcp)
    before = _counts(db)
    shown = ehcp("case", "show", "M1", "--as-of", "2026-03-01", "--format", "json").json()
    _downgrade(db, "0001")

    refused = ehcp("case", "list")
    assert refused.code == 1
    assert refused.err == ("error: the database schema is older than this version of ehcp; "
                           "run `ehcp db upgrade`\n")
    assert ehcp("db", "verify").out.splitlines() == [
        "schema: at revision 0001, this version of ehcp expects 0004; run `ehcp db upgrade`"]

    r = ehcp("db", "upgrade")
    assert r.code == 0, r.err
    assert r.out == "database upgraded from 0001 to 0004\n"
    assert _counts(db) == before
    assert ehcp("case", "show", "M1", "--as-of", "2026-03-01", "--format", "json").json() == shown
    verified = ehcp("db", "verify")
    assert verified.code == 0, verified.out
    if backend == "sqlite":
        path = Path(resolve_url(db).split(":///", 1)[1])
        copies = sorted(path.parent.glob("caseload.db.0001-*"))
        assert len(copies) == 1
        assert r.err == f"backed up to {copies[0]}\n"
        assert stat.S_IMODE(copies[0].stat().st_mode) == 0o600
        import sqlite3

        con = sqlite3.connect(copies[0])
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        con.close()
        dispose_engines()
        con = sqlite3.connect(path)
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        con.close()
    # Writes work again, and the chain carries on from where it was.
    assert ehcp("move", "M1", "drafted", "--on", "2026-03-02").code == 0
    assert ehcp("db", "verify").code == 0


def test_no_backup_when_nothing_to_migrate(ehcp, db, backend):
    assert ehcp("case", "list").code == 0
    r = ehcp("db", "upgrade")
    assert (r.code, r.err) == (0, "")
    if backend == "sqlite":
        path = Path(resolve_url(db).split(":///", 1)[1])
        assert [p.name for p in path.parent.iterdir() if ".0" in p.name] == []


def test_newer_database_is_refused(ehcp, db):
    assert ehcp("case", "list").code == 0
    engine = create_engine(resolve_url(db))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    r = ehcp("case", "list")
    assert (r.code, r.err) == (
        1, "error: the database was written by a newer version of ehcp; upgrade ehcp\n")


def test_append_only_triggers_survive_upgrade(ehcp, empty_db):
    assert ehcp("--db", empty_db, "db", "upgrade").code == 0
    engine = engine_for(resolve_url(empty_db))
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            names = {r[0] for r in conn.execute(text(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'"))}
        else:
            names = {r[0] for r in conn.execute(text(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit'::regclass "
                "AND NOT tgisinternal"))}
    assert {"audit_no_update", "audit_no_delete"} <= names


def test_downgrade_and_upgrade_round_trip_on_an_empty_database(ehcp, empty_db, backend):
    assert ehcp("--db", empty_db, "db", "upgrade").code == 0
    _downgrade(empty_db, "0001")
    r = ehcp("--db", empty_db, "db", "upgrade")
    assert r.out == f"database upgraded from 0001 to {schema.HEAD_REVISION}\n"
    assert r.err.startswith("backed up to ") if backend == "sqlite" else r.err == ""
