"""What differs on PostgreSQL: URLs, unreachable servers, time zones, case-insensitive matching."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from ehcp_cli.store.engine import resolve_url


def test_plain_postgresql_scheme_means_psycopg_3():
    assert resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize("command", [("case", "list"), ("db", "upgrade"), ("db", "verify")])
def test_unreachable_server_is_one_line_without_the_password(ehcp, command):
    r = ehcp("--db", "postgresql://someone:s3cret@127.0.0.1:1/ehcp", *command)
    assert r.code == 1
    assert r.err.startswith("error: cannot open the database "
                            "postgresql+psycopg://someone:***@127.0.0.1:1/ehcp: ")
    assert len(r.err.splitlines()) == 1 and "s3cret" not in r.err


def test_timestamps_are_utc_whatever_the_server_zone(ehcp, db, backend):
    if backend != "postgresql":
        pytest.skip("PostgreSQL server time zone")
    engine = create_engine(resolve_url(db))
    with engine.begin() as conn:
        name = conn.execute(text("SELECT current_database()")).scalar_one()
        conn.execute(text(f"ALTER DATABASE \"{name}\" SET timezone TO 'America/New_York'"))
    engine.dispose()
    assert ehcp("case", "open", "A B", "--dob", "2015-01-01", "--received", "2026-01-05",
                "--ref", "TZ").code == 0
    history = ehcp("case", "history", "TZ", "--format", "json").json()
    assert history[0]["at"].endswith("+00:00")
    assert ehcp("db", "verify").code == 0


def test_coordinator_filters_ignore_case_on_both(ehcp, opened):
    rows = ehcp("case", "list", "--coordinator", "sAM", "--format", "json").json()
    assert [r["ref"] for r in rows] == [opened]
    late = ehcp("overdue", "--as-of", "2026-06-01", "--coordinator", "SAM", "--format", "json")
    assert late.code == 0 and {r["ref"] for r in late.json()} == {opened}


def test_generated_references_carry_on_after_explicit_ones(ehcp, opened):
    refs = []
    for n in range(3):
        r = ehcp("case", "open", f"Gen {n}", "--dob", "2015-01-01", "--received", "2026-01-05")
        assert r.code == 0, r.err
        refs.append(r.out.strip())
    assert len(set(refs)) == 3 and all(ref.startswith("EHC-") for ref in refs)
    assert ehcp("db", "verify").code == 0


def test_first_use_of_an_empty_database_creates_the_schema(ehcp, empty_db):
    r = ehcp("--db", empty_db, "case", "open", "A B", "--dob", "2015-01-01",
             "--received", "2026-01-05", "--ref", "E1")
    assert r.code == 0, r.err
    assert ehcp("--db", empty_db, "db", "verify").code == 0
