"""Planning views: `ehcp due` (week by week), `ehcp phase cohort YEAR`, `ehcp report summary`."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from helpers import ok


def table_lines(out: str) -> list[str]:
    """A plain table's lines without trailing spaces or rules under headers (layout, not data)."""
    return [line.rstrip() for line in out.splitlines() if line.strip(" -─")]


@pytest.fixture
def due_caseload(ehcp, opened):  # type: ignore[no-untyped-def]
    """T1 (Sam, worked example 1) with health advice due on Easter Monday 2026 and an exception
    on issue-decision; K1 (Kim) received 2 Feb 2026."""
    ok(ehcp("advice", "request", opened, "health", "--on", "2026-02-23"))
    ok(ehcp("exception", "add", opened, "issue-decision", "--reason", "closure",
            "--from", "2026-04-01", "--to", "2026-04-30"))
    ok(ehcp("case", "open", "Kit Kay", "--dob", "2017-02-02", "--received", "2026-02-02",
            "--ref", "K1", "--coordinator", "Kim"))
    return opened


EXPECTED_DUE = [
    {"week_beginning": "2026-04-06", "ref": "T1", "name": "Test Child", "coordinator": "Sam",
     "stage": "requested", "rule": "advice", "key": "health", "kind": "statutory",
     "description": "medical advice", "due": "2026-04-06", "act_by": "2026-04-02",
     "days_left": 0, "regulation": "reg 8(1)", "status": "open", "exception": None},
    {"week_beginning": "2026-04-27", "ref": "T1", "name": "Test Child", "coordinator": "Sam",
     "stage": "requested", "rule": "issue-decision", "key": "", "kind": "statutory",
     "description": "decide whether to issue a plan (notify a refusal)", "due": "2026-04-27",
     "act_by": "2026-04-27", "days_left": 21, "regulation": "reg 10(1)", "status": "open",
     "exception": {"reason": "closure", "from": "2026-04-01", "to": "2026-04-30", "note": None}},
]


def test_due_json(ehcp, due_caseload):
    rows = ok(ehcp("due", "--as-of", "2026-04-06", "--format", "json")).json()
    assert rows == EXPECTED_DUE


def test_due_window_kinds_and_coordinator(ehcp, due_caseload):
    def due(*args: str) -> list[tuple[str, str, str]]:
        rows = ok(ehcp("due", "-f", "json", *args)).json()
        return [(r["week_beginning"], r["ref"], r["rule"]) for r in rows]

    assert due("--as-of", "2026-04-06", "--include-guidance") == [
        ("2026-04-06", "T1", "advice"), ("2026-04-13", "T1", "draft-target"),
        ("2026-04-27", "T1", "issue-decision")]
    # Four weeks from Mon 13 Apr reach Mon 11 May inclusive, like `overdue --due-within 28`.
    assert due("--as-of", "2026-04-13", "--include-guidance") == [
        ("2026-04-13", "T1", "draft-target"), ("2026-04-27", "T1", "issue-decision"),
        ("2026-05-11", "K1", "draft-target")]
    assert due("--as-of", "2026-04-14", "--include-guidance") == [
        ("2026-04-27", "T1", "issue-decision"), ("2026-05-11", "K1", "draft-target")]
    assert due("--as-of", "2026-04-06", "--weeks", "7") == [
        ("2026-04-06", "T1", "advice"), ("2026-04-27", "T1", "issue-decision"),
        ("2026-05-25", "K1", "issue-decision"), ("2026-05-25", "T1", "final-plan")]
    assert due("--as-of", "2026-04-06", "--weeks", "7", "--coordinator", "KIM") == [
        ("2026-05-25", "K1", "issue-decision")]
    # Met deadlines are not due; overdue ones are `overdue`'s.
    ok(ehcp("advice", "receive", "T1", "health", "--on", "2026-04-01"))
    assert due("--as-of", "2026-04-06", "--weeks", "1") == []


def test_due_csv_and_table(ehcp, due_caseload, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # a wide page, so no cell is cut short
    csv = ok(ehcp("due", "--as-of", "2026-04-06", "-f", "csv")).out.splitlines()
    assert csv[0] == ("week_beginning,ref,name,coordinator,stage,rule,key,kind,description,due,"
                      "act_by,days_left,regulation,status,exception")
    assert csv[1] == ("2026-04-06,T1,Test Child,Sam,requested,advice,health,statutory,"
                      "medical advice,2026-04-06,2026-04-02,0,reg 8(1),open,")
    table = table_lines(ok(ehcp("due", "--as-of", "2026-04-06")).out)
    assert [line for line in table if line.startswith("Week")] == [
        "Week beginning Mon 06 Apr 2026: 1 due", "Week beginning Mon 27 Apr 2026: 1 due"]
    assert table[2].split() == ["06", "Apr", "2026", "02", "Apr", "2026", "T1", "Test", "Child",
                                "advice", "(health)", "Sam", "reg", "8(1)"]
    assert table[-1].endswith("reg 10(1)  closure (2026-04-01–2026-04-30)")
    assert ok(ehcp("due", "--as-of", "2026-07-01")).out == (
        "nothing due in the 4 weeks from 01 Jul 2026\n")


@pytest.mark.parametrize("args", [
    ["--weeks", "0"], ["--weeks", "four"], ["--weeks", "105"], ["--as-of", "2026-13-01"],
    ["--format", "ics"],
])
def test_due_usage_errors(ehcp, args):
    result = ehcp("due", *args)
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("error: ") and result.err.count("\n") == 1


def foreign_db(tmp_path) -> str:  # type: ignore[no-untyped-def]
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE pupils (id INTEGER)")
    return str(path)


@pytest.mark.parametrize("command", [["due"], ["phase", "cohort", "2027"], ["report", "summary"],
                                     ["chase", "list"]])
def test_reports_refuse_a_database_that_is_not_ehcp(ehcp, tmp_path, command):
    result = ehcp("--db", foreign_db(tmp_path), *command)
    assert (result.code, result.out) == (1, "")
    assert result.err.startswith("error: the database is not an ehcp database")


# --- phase cohort ------------------------------------------------------------------------------
@pytest.fixture
def cohort_caseload(ehcp):  # type: ignore[no-untyped-def]
    """Four children moving in September 2027 and one in 2028."""
    ok(ehcp("case", "open", "Pat Page", "--dob", "2015-10-10", "--plan-issued", "2024-01-10",
            "--ref", "P1", "--coordinator", "Sam", "--setting", "Oak Primary"))
    ok(ehcp("case", "open", "Quin Quay", "--dob", "2010-12-01", "--plan-issued", "2023-05-01",
            "--last-review", "2026-05-01", "--ref", "P2", "--coordinator", "Kim"))
    ok(ehcp("case", "open", "Rae Rye", "--dob", "2015-12-01", "--plan-issued", "2022-01-10",
            "--ref", "P3", "--coordinator", "Kim"))
    ok(ehcp("review", "held", "P3", "--on", "2026-10-01"))
    ok(ehcp("review", "decided", "P3", "maintain", "--on", "2026-10-15"))
    ok(ehcp("case", "open", "Sid Sow", "--dob", "2015-11-11", "--plan-issued", "2021-01-10",
            "--ref", "P4"))
    ok(ehcp("move", "P4", "ceased", "--on", "2026-06-01", "--reason", "7"))
    ok(ehcp("case", "open", "Tia Toe", "--dob", "2016-10-10", "--plan-issued", "2024-01-10",
            "--ref", "P5"))


def cohort_row(ref: str, name: str, dob: str, coordinator, setting, stage: str,  # type: ignore[no-untyped-def]
               transfer: str, due: str, act_by: str, met_on, status: str) -> dict:
    return {"ref": ref, "name": name, "dob": dob, "coordinator": coordinator, "setting": setting,
            "stage": stage, "transfer": transfer, "year": 2027, "due": due, "act_by": act_by,
            "met_on": met_on, "status": status, "exception": None,
            "rule": "phase-transfer", "key": f"{transfer}:2027", "regulation": "reg 18(1)"}


def test_phase_cohort_json(ehcp, cohort_caseload):
    rows = ok(ehcp("phase", "cohort", "2027", "--as-of", "2026-11-01", "--format", "json")).json()
    assert rows == [
        cohort_row("P1", "Pat Page", "2015-10-10", "Sam", "Oak Primary", "issued",
                   "primary-to-secondary", "2027-02-14", "2027-02-12", None, "open"),
        cohort_row("P3", "Rae Rye", "2015-12-01", "Kim", None, "issued",
                   "primary-to-secondary", "2027-02-14", "2027-02-12", "2026-10-15", "met"),
        cohort_row("P4", "Sid Sow", "2015-11-11", None, None, "ceased",
                   "primary-to-secondary", "2027-02-14", "2027-02-12", None, "not-applicable"),
        cohort_row("P2", "Quin Quay", "2010-12-01", "Kim", None, "issued",
                   "secondary-to-post16", "2027-03-30", "2027-03-30", None, "open"),
    ]


def test_phase_cohort_status_is_judged_as_of(ehcp, cohort_caseload):
    def statuses(as_of: str) -> dict[str, tuple]:
        rows = ok(ehcp("phase", "cohort", "2027", "--as-of", as_of, "-f", "json")).json()
        return {r["ref"]: (r["status"], r["met_on"]) for r in rows}

    assert statuses("2026-10-10") == {"P1": ("open", None), "P3": ("open", None),
                                      "P4": ("not-applicable", None), "P2": ("open", None)}
    assert statuses("2026-05-01")["P4"] == ("open", None)  # before it ceased
    assert statuses("2027-02-15") == {"P1": ("overdue", None), "P3": ("met", "2026-10-15"),
                                      "P4": ("not-applicable", None), "P2": ("open", None)}
    assert [r["ref"] for r in ok(ehcp("phase", "cohort", "2028", "-f", "json")).json()] == ["P5"]
    assert ok(ehcp("phase", "cohort", "2040", "-f", "json")).json() == []


def test_phase_cohort_includes_transfers_added_by_hand(ehcp, cohort_caseload):
    ok(ehcp("phase", "add", "P5", "infant-to-junior", "--transfer-on", "2027-09-01",
            "--on", "2026-11-01"))
    rows = ok(ehcp("phase", "cohort", "2027", "--as-of", "2026-11-01", "-f", "json")).json()
    added = [r for r in rows if r["ref"] == "P5"]
    assert [(r["transfer"], r["due"]) for r in added] == [("infant-to-junior", "2027-02-14")]
    assert rows.index(added[0]) == 0  # infant-to-junior sorts before primary-to-secondary


def test_phase_cohort_includes_post16_moves_at_another_time_of_year(ehcp, cohort_caseload):
    """A post-16 move outside September is rule `phase-transfer-post16` (reg 18(2)), keyed
    `post16-to-post16:<year>` like the reg 18(1) transfers, and belongs in that year's cohort."""
    ok(ehcp("phase", "add", "P2", "post16-to-post16", "--transfer-on", "2027-01-11",
            "--on", "2026-05-01"))
    rows = ok(ehcp("phase", "cohort", "2027", "--as-of", "2026-11-01", "-f", "json")).json()
    moved = [r for r in rows if r["transfer"] == "post16-to-post16"]
    assert [(r["ref"], r["rule"], r["key"], r["regulation"], r["due"]) for r in moved] == [
        ("P2", "phase-transfer-post16", "post16-to-post16:2027", "reg 18(2)", "2026-08-11")]
    assert rows[-1] == moved[0]  # the post-16 kind sorts last
    assert [r["ref"] for r in ok(ehcp("phase", "cohort", "2026", "-f", "json")).json()] == []


def test_phase_cohort_table_and_csv(ehcp, cohort_caseload, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    table = table_lines(ok(ehcp("phase", "cohort", "2027", "--as-of", "2026-11-01")).out)
    assert table[0] == "Phase transfers in 2027: 4 children (as of 01 Nov 2026)"
    assert [line.split()[1] for line in table[2:]] == ["P1", "P3", "P4", "P2"]
    assert table[4].split()[-1] == "not-applicable"
    assert "phase-transfer (primary-to-secondary:2027)  reg 18(1)" in table[2]
    csv = ok(ehcp("phase", "cohort", "2027", "--as-of", "2026-11-01", "-f", "csv")).out
    assert csv.splitlines()[:2] == [
        "ref,name,dob,coordinator,setting,stage,transfer,year,due,act_by,met_on,status,exception,"
        "rule,key,regulation",
        "P1,Pat Page,2015-10-10,Sam,Oak Primary,issued,primary-to-secondary,2027,2027-02-14,"
        "2027-02-12,,open,,phase-transfer,primary-to-secondary:2027,reg 18(1)",
    ]
    assert ok(ehcp("phase", "cohort", "2040")).out == "no phase transfers in 2040\n"


@pytest.mark.parametrize("args", [["1999"], ["2101"], ["next"], [], ["2027", "--format", "ics"]])
def test_phase_cohort_usage_errors(ehcp, args):
    result = ehcp("phase", "cohort", *args)
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("error: ")


def test_phase_help_lists_cohort_next_to_add(ehcp):
    out = ok(ehcp("phase", "--help")).out
    assert "add" in out and "cohort" in out


# --- report summary ----------------------------------------------------------------------------
@pytest.fixture
def summary_caseload(ehcp, due_caseload):  # type: ignore[no-untyped-def]
    ok(ehcp("exception", "add", "T1", "decision-to-assess", "--reason", "personal",
            "--from", "2026-02-01"))
    ok(ehcp("case", "open", "Nia Noon", "--dob", "2019-03-01", "--plan-issued", "2024-01-10",
            "--ref", "N1"))
    ok(ehcp("review", "held", "N1", "--on", "2025-12-01"))
    ok(ehcp("review", "decided", "N1", "amend", "--on", "2025-12-20"))
    ok(ehcp("case", "open", "Dan Dare", "--dob", "2008-05-05", "--plan-issued", "2020-01-10",
            "--ref", "D1", "--coordinator", "Sam"))
    ok(ehcp("move", "D1", "ceased", "--on", "2026-03-01", "--reason", "2"))


def test_report_summary_json(ehcp, summary_caseload):
    rows = ok(ehcp("report", "summary", "--as-of", "2026-04-06", "--format", "json")).json()
    assert rows == [
        {"coordinator": "Kim", "open_cases": 1, "overdue_statutory": 1, "overdue_case_law": 0,
         "overdue_with_exception": 0, "due_within_14_days": 0},
        {"coordinator": "Sam", "open_cases": 1, "overdue_statutory": 1, "overdue_case_law": 0,
         "overdue_with_exception": 1, "due_within_14_days": 1},
        {"coordinator": None, "open_cases": 1, "overdue_statutory": 2, "overdue_case_law": 1,
         "overdue_with_exception": 0, "due_within_14_days": 0},
    ]


def test_report_summary_agrees_with_overdue(ehcp, summary_caseload):
    as_of = "2026-04-06"
    summary = ok(ehcp("report", "summary", "--as-of", as_of, "-f", "json")).json()
    listed = ok(ehcp("overdue", "--as-of", as_of, "--due-within", "14", "-f", "json")).json()
    for row in summary:
        mine = [r for r in listed if r["coordinator"] == row["coordinator"]]
        late = [r for r in mine if r["days_overdue"] > 0]
        assert row["overdue_statutory"] == sum(r["kind"] == "statutory" for r in late)
        assert row["overdue_case_law"] == sum(r["kind"] == "case-law" for r in late)
        assert row["overdue_with_exception"] == sum(r["exception"] is not None for r in late)
        assert row["due_within_14_days"] == len(mine) - len(late)


def test_report_summary_table_has_a_total(ehcp, summary_caseload, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    lines = table_lines(ok(ehcp("report", "summary", "--as-of", "2026-04-06")).out)
    assert lines[0] == "Caseload summary as of 06 Apr 2026"
    assert [line.split() for line in lines[2:]] == [
        ["Kim", "1", "1", "0", "0", "0"],
        ["Sam", "1", "1", "0", "1", "1"],
        ["(no", "coordinator)", "1", "2", "1", "0", "0"],
        ["All", "coordinators", "3", "4", "1", "1", "1"],
    ]


def test_report_summary_of_an_empty_caseload(ehcp):
    assert ok(ehcp("report", "summary", "-f", "json")).json() == []
    assert ok(ehcp("report", "summary")).out == "no cases\n"


@pytest.mark.parametrize("args", [["--as-of", "soon"], ["--format", "yaml"],
                                  ["--coordinator", "x"]])
def test_report_summary_usage_errors(ehcp, args):
    result = ehcp("report", "summary", *args)
    assert (result.code, result.out) == (2, "")


def test_week_beginning_is_the_monday():
    from ehcp_cli.actions.planning import week_beginning

    assert week_beginning(date(2026, 4, 6)) == date(2026, 4, 6)
    assert week_beginning(date(2026, 4, 12)) == date(2026, 4, 6)
    assert week_beginning(date(2026, 1, 1)) == date(2025, 12, 29)
