"""`ehcp overdue`: what is late (and due soon) across the caseload, with every option."""

from __future__ import annotations

import pytest
from helpers import ok

HEADER = (
    "ref,name,coordinator,stage,rule,kind,description,due,act_by,days_overdue,regulation,exception,key"
)


def rows(ehcp, *args: str) -> list[tuple]:  # type: ignore[no-untyped-def,type-arg]
    got = ok(ehcp("overdue", *args, "--format", "json")).json()
    return [(r["ref"], r["rule"], r["due"], r["days_overdue"]) for r in got]


@pytest.fixture
def caseload(ehcp):  # type: ignore[no-untyped-def]
    ok(
        ehcp(
            "case",
            "open",
            "Ann",
            "--dob",
            "2015-10-10",
            "--received",
            "2026-01-05",
            "--ref",
            "A1",
            "--coordinator",
            "Sam",
        )
    )
    ok(
        ehcp(
            "case",
            "open",
            "Bo",
            "--dob",
            "2015-10-10",
            "--received",
            "2026-01-12",
            "--ref",
            "B2",
            "--coordinator",
            "Kim",
        )
    )


def test_the_due_day_is_not_overdue_and_the_next_day_is(ehcp, caseload):
    assert rows(ehcp, "--as-of", "2026-02-16") == []
    assert rows(ehcp, "--as-of", "2026-02-17") == [("A1", "decision-to-assess", "2026-02-16", 1)]
    assert rows(ehcp, "--as-of", "2026-02-24") == [
        ("A1", "decision-to-assess", "2026-02-16", 8),
        ("B2", "decision-to-assess", "2026-02-23", 1),
    ]


def test_coordinator_filter_ignores_case(ehcp, caseload):
    assert rows(ehcp, "--as-of", "2026-02-24", "--coordinator", "kim") == [
        ("B2", "decision-to-assess", "2026-02-23", 1)
    ]
    assert rows(ehcp, "--as-of", "2026-02-24", "--coordinator", "Nobody") == []


def test_due_within_adds_what_is_due_soon_inclusive(ehcp, caseload):
    assert rows(ehcp, "--as-of", "2026-02-10", "--due-within", "6") == [
        ("A1", "decision-to-assess", "2026-02-16", -6)
    ]
    assert rows(ehcp, "--as-of", "2026-02-10", "--due-within", "5") == []
    assert rows(ehcp, "--as-of", "2026-02-16", "--due-within", "0") == [
        ("A1", "decision-to-assess", "2026-02-16", 0)
    ]


def test_guidance_only_when_asked(ehcp, caseload):
    assert [r[1] for r in rows(ehcp, "--as-of", "2026-04-14")] == [
        "decision-to-assess",
        "decision-to-assess",
    ]
    assert rows(ehcp, "--as-of", "2026-04-14", "--include-guidance") == [
        ("A1", "decision-to-assess", "2026-02-16", 57),
        ("B2", "decision-to-assess", "2026-02-23", 50),
        ("A1", "draft-target", "2026-04-13", 1),
    ]


def test_met_deadlines_drop_out_but_a_past_report_stays_reproducible(ehcp, caseload):
    ok(ehcp("move", "A1", "assessing", "--on", "2026-03-01"))
    assert rows(ehcp, "--as-of", "2026-03-02") == [("B2", "decision-to-assess", "2026-02-23", 7)]
    assert rows(ehcp, "--as-of", "2026-02-28") == [
        ("A1", "decision-to-assess", "2026-02-16", 12),
        ("B2", "decision-to-assess", "2026-02-23", 5),
    ]


def test_csv_and_table(ehcp, caseload):
    out = ok(ehcp("overdue", "--as-of", "2026-02-17", "--format", "csv")).out
    assert out == (
        f"{HEADER}\nA1,Ann,Sam,requested,decision-to-assess,statutory,"
        "decide and notify whether to assess,2026-02-16,2026-02-16,1,reg 5(1),,\n"
    )
    assert ok(ehcp("overdue", "--as-of", "2026-02-16", "--format", "csv")).out == HEADER + "\n"
    table = ok(ehcp("overdue", "--as-of", "2026-02-17")).out
    assert "A1" in table and "decision-to-assess" in table and "16 Feb 2026" in table
    assert "\x1b[" not in table
    assert ok(ehcp("overdue", "--as-of", "2026-02-16", "--format", "json")).out == "[]\n"


def test_fail_if_any(ehcp, caseload):
    r = ehcp("overdue", "--as-of", "2026-02-17", "--fail-if-any", "--format", "json")
    assert r.code == 3 and r.err == ""
    assert len(r.json()) == 1
    r = ehcp("overdue", "--as-of", "2026-02-16", "--fail-if-any")
    assert r.code == 0
    r = ehcp("overdue", "--as-of", "2026-02-10", "--due-within", "7", "--fail-if-any")
    assert r.code == 3


def test_an_empty_caseload(ehcp):
    assert ok(ehcp("overdue", "--format", "json")).json() == []
    assert ehcp("overdue", "--fail-if-any").code == 0


@pytest.mark.parametrize(
    "args",
    [
        ["--as-of", "next week"],
        ["--as-of", "02/30/2026"],
        ["--due-within", "-1"],
        ["--due-within", "soon"],
        ["--format", "xml"],
        ["--stage", "requested"],
    ],
)
def test_usage_errors(ehcp, args):
    r = ehcp("overdue", *args)
    assert (r.code, r.out) == (2, "")
    assert r.err.startswith("error: ") and r.err.count("\n") == 1


@pytest.mark.parametrize("as_of", ["2026-11-02", "2025-06-01"])
def test_both_halves_of_the_query_are_index_range_scans(ehcp, caseload, db, backend, as_of):
    """Rows still open, and rows met or lapsed after the date, are each found through their
    partial index, never by reading every deadline. On PostgreSQL sequential scans are priced
    out, so the plan shows what the indexes allow rather than what a tiny table prefers."""
    import re
    from datetime import date

    from sqlalchemy import create_engine, text

    from ehcp_cli.store import reader
    from ehcp_cli.store.engine import resolve_url

    day = date.fromisoformat(as_of)
    sql = reader.overdue_sql(2, coordinator=False)
    params = reader.overdue_params(day, day, ("statutory", "case-law"), None)
    engine = create_engine(resolve_url(db))
    with engine.connect() as conn:
        if backend == "sqlite":
            plan = [row[-1] for row in conn.execute(
                text(f"EXPLAIN QUERY PLAN {sql}"), reader._sqlite_params(params))]
        else:
            conn.execute(text("SET LOCAL enable_seqscan = off"))
            plan = [row[0] for row in conn.execute(text(f"EXPLAIN {sql}"), params)]
    engine.dispose()
    steps = "\n".join(plan)
    assert not re.search(r"^SCAN |Seq Scan on deadlines", steps, re.MULTILINE), steps
    used = set(re.findall(r"(?:USING INDEX|Index Scan (?:using|on)) (ix_deadlines_\w+)", steps))
    assert used == {"ix_deadlines_open_due", "ix_deadlines_met_on", "ix_deadlines_lapsed_on"}, steps
