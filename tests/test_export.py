"""`ehcp export cases` and `ehcp export deadlines` (CSV, JSON, iCalendar)."""

from __future__ import annotations

import json
import os
import stat
from datetime import date, timedelta

import pytest
from helpers import ok


def build_caseload(ehcp) -> None:  # type: ignore[no-untyped-def]
    """One case at every point of the import's columns (all dates before 2026-11-22)."""
    ok(ehcp("case", "open", "Amy Able", "--dob", "2016-03-01", "--received", "2026-01-05",
            "--ref", "A1", "--upn", "R201001001001", "--coordinator", "Sam",
            "--setting", "Hill School", "--need", "ASD"))
    ok(ehcp("move", "A1", "assessing", "--on", "2026-02-10"))
    ok(ehcp("move", "A1", "drafted", "--on", "2026-04-20"))
    ok(ehcp("move", "A1", "issued", "--on", "2026-05-20"))
    ok(ehcp("case", "open", "Ben Bold", "--dob", "2012-09-15", "--plan-issued", "2022-03-10",
            "--last-review", "2025-03-01", "--ref", "B2", "--coordinator", "Kim"))
    ok(ehcp("review", "held", "B2", "--on", "2026-02-02"))
    ok(ehcp("review", "decided", "B2", "maintain", "--on", "2026-02-20"))
    ok(ehcp("case", "open", "Cara, \"Cee\" Coe", "--dob", "2018-01-20", "--received", "2025-06-01",
            "--ref", "C3"))
    ok(ehcp("move", "C3", "not-assessing", "--on", "2025-07-01"))
    ok(ehcp("case", "open", "Dan Dare", "--dob", "2008-05-05", "--plan-issued", "2020-01-10",
            "--ref", "D4", "--need", "MLD"))
    ok(ehcp("move", "D4", "ceased", "--on", "2026-03-01", "--reason", "2"))
    ok(ehcp("case", "open", "Zoë Éclair", "--dob", "2014-11-30", "--received", "2025-09-01",
            "--ref", "E5", "--upn", "H301001001002"))
    ok(ehcp("move", "E5", "assessing", "--on", "2025-10-01"))
    ok(ehcp("move", "E5", "not-issuing", "--on", "2026-01-10"))
    ok(ehcp("case", "open", "Fay Fern", "--dob", "2013-06-06", "--received", "2025-10-06",
            "--ref", "F6", "--coordinator", "Kim"))
    ok(ehcp("move", "F6", "assessing", "--on", "2025-11-17"))
    ok(ehcp("move", "F6", "withdrawn", "--on", "2026-01-12"))


EXPECTED_CASES_CSV = """\
ref,name,dob,upn,coordinator,setting,need,received,assessing,not_assessing,drafted,not_issuing,issued,last_review,ceased,cease_reason,withdrawn
A1,Amy Able,2016-03-01,R201001001001,Sam,Hill School,ASD,2026-01-05,2026-02-10,,2026-04-20,,2026-05-20,,,,
B2,Ben Bold,2012-09-15,,Kim,,,,,,,,2022-03-10,2026-02-20,,,
C3,"Cara, ""Cee"" Coe",2018-01-20,,,,,2025-06-01,,2025-07-01,,,,,,,
D4,Dan Dare,2008-05-05,,,,MLD,,,,,,2020-01-10,,2026-03-01,2,
E5,Zoë Éclair,2014-11-30,H301001001002,,,,2025-09-01,2025-10-01,,,2026-01-10,,,,,
F6,Fay Fern,2013-06-06,,Kim,,,2025-10-06,2025-11-17,,,,,,,,2026-01-12
"""  # noqa: E501


def test_export_cases_csv_is_the_import_column_set(ehcp):
    build_caseload(ehcp)
    result = ok(ehcp("export", "cases"))
    assert result.out == EXPECTED_CASES_CSV
    assert result.err == ""


def test_export_cases_json(ehcp):
    build_caseload(ehcp)
    rows = ok(ehcp("export", "cases", "--format", "json")).json()
    assert rows[0] == {
        "ref": "A1", "name": "Amy Able", "dob": "2016-03-01", "upn": "R201001001001",
        "coordinator": "Sam", "setting": "Hill School", "need": "ASD", "received": "2026-01-05",
        "assessing": "2026-02-10", "not_assessing": None, "drafted": "2026-04-20",
        "not_issuing": None, "issued": "2026-05-20", "last_review": None, "ceased": None,
        "cease_reason": None, "withdrawn": None,
    }
    assert [list(r) for r in rows] == [list(rows[0])] * 6  # same keys, same order, every row
    assert [r["ref"] for r in rows] == ["A1", "B2", "C3", "D4", "E5", "F6"]
    assert rows[3]["cease_reason"] == "2" and rows[1]["last_review"] == "2026-02-20"
    assert rows[5]["withdrawn"] == "2026-01-12" and rows[5]["assessing"] == "2025-11-17"


def test_export_of_an_empty_database(ehcp):
    assert ok(ehcp("export", "cases")).out.splitlines() == [EXPECTED_CASES_CSV.splitlines()[0]]
    assert ok(ehcp("export", "cases", "-f", "json")).json() == []


def test_stage_columns_hold_the_latest_request_and_the_first_date_of_each_stage_after_it():
    """Imported elsewhere, the case's clocks must run from the request they belong to: a row
    with the first request's date would count the second request's 20 weeks from the first."""
    from ehcp_cli.actions.exports import stage_columns
    from ehcp_cli.domain.events import PlanInForce, Requested, ReviewDecided, StageReached

    events = [
        Requested(on=date(2025, 1, 6)),
        StageReached(on=date(2025, 2, 3), stage="not-assessing"),
        StageReached(on=date(2025, 3, 3), stage="requested"),
        StageReached(on=date(2025, 4, 1), stage="assessing"),
        StageReached(on=date(2025, 4, 2), stage="assessing"),  # only the first date counts
    ]
    cols = stage_columns(events)
    assert cols["received"] == date(2025, 3, 3)  # the second request, not the first
    assert cols["not_assessing"] is None and cols["assessing"] == date(2025, 4, 1)
    assert stage_columns(events[:2])["received"] == date(2025, 1, 6)
    assert stage_columns(events[:2])["not_assessing"] == date(2025, 2, 3)
    plan = [PlanInForce(on=date(2020, 1, 1), last_review=date(2024, 5, 1)),
            ReviewDecided(on=date(2025, 4, 30), decision="maintain")]
    assert stage_columns(plan)["last_review"] == date(2025, 4, 30)
    assert stage_columns(plan[:1])["last_review"] == date(2024, 5, 1)


def test_withdrawn_holds_the_withdrawal_that_closed_the_case():
    """One request: the date it was withdrawn. A fresh request after it: blank, as the row holds
    the latest request and the case is open again. Withdrawn again: that second withdrawal."""
    from ehcp_cli.actions.exports import stage_columns
    from ehcp_cli.domain.events import Requested, StageReached

    def stage(day: int, name: str) -> StageReached:
        return StageReached(on=date(2025, 1, day), stage=name)

    once = [Requested(on=date(2025, 1, 6)), stage(9, "assessing"), stage(13, "withdrawn")]
    assert stage_columns(once)["withdrawn"] == date(2025, 1, 13)
    assert stage_columns(once)["assessing"] == date(2025, 1, 9)
    again = [*once, stage(20, "requested")]
    assert stage_columns(again)["withdrawn"] is None
    assert stage_columns(again)["received"] == date(2025, 1, 20)
    assert stage_columns(again)["assessing"] is None
    twice = [*again, stage(22, "withdrawn")]
    assert stage_columns(twice)["withdrawn"] == date(2025, 1, 22)
    assert stage_columns(once[:2])["withdrawn"] is None


def test_export_to_a_file_is_owner_only(ehcp, tmp_path):
    build_caseload(ehcp)
    target = tmp_path / "cases.csv"
    target.write_text("old contents")
    os.chmod(target, 0o644)
    result = ok(ehcp("export", "cases", "--output", target))
    assert result.out == ""
    assert result.err == f"wrote 6 cases to {target}\n"
    assert target.read_text(encoding="utf-8") == EXPECTED_CASES_CSV
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
    fresh = tmp_path / "deadlines.ics"
    ok(ehcp("export", "deadlines", "-f", "ics", "-o", fresh, "--as-of", "2026-06-01"))
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600


def test_export_usage_errors(ehcp, tmp_path):
    for args in (
        ["export", "cases", "--format", "ics"],
        ["export", "deadlines", "--format", "xml"],
        ["export", "deadlines", "--as-of", "31/02/2026"],
        ["export", "deadlines", "--as-of", "02-01-2026"],
        ["export", "cases", "--output", str(tmp_path)],
        ["export", "cases", "--output", str(tmp_path / "no" / "such" / "folder.csv")],
        ["export", "cases", "--bogus"],
    ):
        result = ehcp(*args)
        assert result.code == 2, args
        assert result.err.startswith("error: ") and result.err.count("\n") == 1, result.err
        assert result.out == ""
    assert not (tmp_path / "no").exists()


def test_export_refuses_a_database_that_is_not_ehcp(ehcp, tmp_path):
    import sqlite3

    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE pupils (id INTEGER)")
    result = ehcp("--db", foreign, "export", "cases")
    assert result.code == 1
    assert result.err == (
        "error: the database is not an ehcp database (it has tables but no ehcp schema)\n")


# --- deadlines -----------------------------------------------------------------------------------
def deadlines_caseload(ehcp, opened) -> None:  # type: ignore[no-untyped-def]
    """T1 (worked example 1, coordinator Sam) with health advice and an exception; K1 for Kim."""
    ok(ehcp("advice", "request", opened, "health", "--on", "2026-02-16", "--from", "Dr Who"))
    ok(ehcp("exception", "add", opened, "decision-to-assess", "--reason", "personal",
            "--from", "2026-02-01", "--note", "family abroad"))
    ok(ehcp("case", "open", "Kit Kay", "--dob", "2017-02-02", "--received", "2026-02-02",
            "--ref", "K1", "--coordinator", "Kim"))


EXPECTED_T1_DEADLINES = [
    {"ref": "T1", "name": "Test Child", "coordinator": "Sam", "rule": "decision-to-assess",
     "key": "", "kind": "statutory", "description": "decide and notify whether to assess",
     "due": "2026-02-16", "act_by": "2026-02-16", "met_on": None, "regulation": "reg 5(1)",
     "status": "overdue",
     "exception": {"reason": "personal", "from": "2026-02-01", "to": None, "note": "family abroad"},
     "trigger": "2026-01-05"},
    {"ref": "T1", "name": "Test Child", "coordinator": "Sam", "rule": "advice", "key": "health",
     "kind": "statutory", "description": "medical advice from Dr Who", "due": "2026-03-30",
     "act_by": "2026-03-30", "met_on": None, "regulation": "reg 8(1)", "status": "open",
     "exception": None, "trigger": "2026-02-16"},
    {"ref": "T1", "name": "Test Child", "coordinator": "Sam", "rule": "draft-target", "key": "",
     "kind": "guidance",
     "description": "issue the draft plan (leaves time for the 15 days and consultation)",
     "due": "2026-04-13", "act_by": "2026-04-13", "met_on": None, "regulation": "IPSEA practice",
     "status": "open", "exception": None, "trigger": "2026-01-05"},
    {"ref": "T1", "name": "Test Child", "coordinator": "Sam", "rule": "issue-decision", "key": "",
     "kind": "statutory", "description": "decide whether to issue a plan (notify a refusal)",
     "due": "2026-04-27", "act_by": "2026-04-27", "met_on": None, "regulation": "reg 10(1)",
     "status": "open", "exception": None, "trigger": "2026-01-05"},
    {"ref": "T1", "name": "Test Child", "coordinator": "Sam", "rule": "final-plan", "key": "",
     "kind": "statutory", "description": "issue the final EHC plan", "due": "2026-05-25",
     "act_by": "2026-05-22", "met_on": None, "regulation": "reg 13(2)", "status": "open",
     "exception": None, "trigger": "2026-01-05"},
]


def test_export_deadlines_json(ehcp, opened):
    deadlines_caseload(ehcp, opened)
    rows = ok(ehcp("export", "deadlines", "--as-of", "2026-03-01", "--format", "json",
                   "--coordinator", "sam")).json()
    assert rows == EXPECTED_T1_DEADLINES
    everyone = ok(ehcp("export", "deadlines", "--as-of", "2026-03-01", "-f", "json")).json()
    assert {r["ref"] for r in everyone} == {"T1", "K1"}
    assert [r["due"] for r in everyone] == sorted(r["due"] for r in everyone)


def test_export_deadlines_csv(ehcp, opened):
    deadlines_caseload(ehcp, opened)
    lines = ok(ehcp("export", "deadlines", "--as-of", "2026-03-01", "--coordinator", "Sam")).out
    assert lines.splitlines()[:3] == [
        "ref,name,coordinator,rule,key,kind,description,due,act_by,met_on,regulation,status,"
        "exception,trigger",
        'T1,Test Child,Sam,decision-to-assess,,statutory,decide and notify whether to assess,'
        '2026-02-16,2026-02-16,,reg 5(1),overdue,"{""from"": ""2026-02-01"", ""note"": '
        '""family abroad"", ""reason"": ""personal"", ""to"": null}",2026-01-05',
        "T1,Test Child,Sam,advice,health,statutory,medical advice from Dr Who,2026-03-30,"
        "2026-03-30,,reg 8(1),open,,2026-02-16",
    ]


def test_met_deadlines_only_with_include_met_and_judged_as_of(ehcp, opened):
    ok(ehcp("move", opened, "assessing", "--on", "2026-02-10"))
    ok(ehcp("advice", "request", opened, "health", "--on", "2026-02-16"))
    ok(ehcp("advice", "receive", opened, "health", "--on", "2026-04-10"))

    def rules(*extra: str) -> dict[str, dict]:
        rows = ok(ehcp("export", "deadlines", "-f", "json", *extra)).json()
        return {r["rule"]: r for r in rows}

    now = rules("--as-of", "2026-04-20")
    assert "decision-to-assess" not in now and "advice" not in now
    met = rules("--as-of", "2026-04-20", "--include-met")
    assert (met["decision-to-assess"]["status"], met["decision-to-assess"]["met_on"]) == (
        "met", "2026-02-10")
    assert (met["advice"]["status"], met["advice"]["met_on"]) == ("met-late", "2026-04-10")
    # On 1 April the advice was late and not yet in: later events do not leak into the past.
    before = rules("--as-of", "2026-04-01")
    assert (before["advice"]["status"], before["advice"]["met_on"]) == ("overdue", None)
    # Clocks not yet started on the as-of date are not listed.
    assert rules("--as-of", "2026-02-01").keys() == {
        "decision-to-assess", "draft-target", "issue-decision", "final-plan"}


def test_ceased_case_deadlines_are_not_exported_even_with_include_met(ehcp):
    ok(ehcp("case", "open", "Dan Dare", "--dob", "2008-05-05", "--plan-issued", "2020-01-10",
            "--ref", "D4"))
    ok(ehcp("move", "D4", "ceased", "--on", "2026-03-01", "--reason", "2"))
    rows = ok(ehcp("export", "deadlines", "--as-of", "2026-06-01", "-f", "json",
                   "--include-met")).json()
    assert all(r["status"] != "not-applicable" for r in rows)
    assert all(r["status"] in ("met", "met-late") for r in rows)


# --- iCalendar -----------------------------------------------------------------------------------
def parse_calendar(text: str):  # type: ignore[no-untyped-def]
    import icalendar

    return icalendar.Calendar.from_ical(text)


def test_export_deadlines_ics(ehcp, opened):
    deadlines_caseload(ehcp, opened)
    text = ok(ehcp("export", "deadlines", "--as-of", "2026-03-01", "--format", "ics",
                   "--coordinator", "Sam")).out
    assert "Test Child" not in text  # calendars are shared and synced: references only
    cal = parse_calendar(text)
    assert str(cal["version"]) == "2.0"
    events = cal.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [
        "T1 decision-to-assess", "T1 advice (health)", "T1 draft-target", "T1 issue-decision",
        "T1 final-plan"]
    final = events[-1]
    assert final.decoded("dtstart") == date(2026, 5, 22)  # act_by: 25 May 2026 is a bank holiday
    assert final.decoded("dtend") == date(2026, 5, 23)
    assert str(final["description"]) == (
        "issue the final EHC plan (statutory).\n"
        "Legal due date: Monday 25 May 2026 (2026-05-25).\n"
        "Act by: Friday 22 May 2026 (the last working day on or before the due date).\n"
        "Law: reg 13(2).\n"
        "Status on export: open.\n"
        "Coordinator: Sam.")
    assert "Exception recorded: personal from 2026-02-01." in str(events[0]["description"])
    assert all(type(e.decoded("dtstart")) is date for e in events)  # all-day events
    uids = [str(e["uid"]) for e in events]
    assert len(set(uids)) == len(uids)


def test_ics_uids_are_stable_between_exports(ehcp, opened):
    def uids(as_of: str) -> dict[str, str]:
        cal = parse_calendar(ok(ehcp("export", "deadlines", "-f", "ics", "--as-of", as_of)).out)
        return {str(e["summary"]): str(e["uid"]) for e in cal.walk("VEVENT")}

    first = uids("2026-03-01")
    ok(ehcp("advice", "request", opened, "health", "--on", "2026-03-02"))
    second = uids("2026-03-10")
    assert second.pop("T1 advice (health)")
    assert second == first


def test_ics_with_nothing_to_export_is_a_valid_empty_calendar(ehcp):
    cal = parse_calendar(ok(ehcp("export", "deadlines", "-f", "ics")).out)
    assert cal.walk("VEVENT") == []


def test_export_deadlines_respects_redact(ehcp, opened):
    rows = ok(ehcp("--redact", "export", "deadlines", "-f", "json", "--as-of", "2026-03-01")).json()
    assert {r["name"] for r in rows} == {"T.C."}


@pytest.mark.parametrize("offset", [0, 1])
def test_deadline_due_on_the_as_of_date_is_open_not_overdue(ehcp, opened, offset):
    as_of = date(2026, 2, 16) + timedelta(days=offset)
    rows = ok(ehcp("export", "deadlines", "-f", "json", "--as-of", as_of.isoformat())).json()
    first = rows[0]
    assert first["rule"] == "decision-to-assess"
    assert first["status"] == ("open" if offset == 0 else "overdue")


def test_json_export_lines_are_one_object_each(ehcp, opened):
    out = ok(ehcp("export", "deadlines", "-f", "json", "--as-of", "2026-03-01")).out
    body = out.strip().splitlines()[1:-1]
    assert all(json.loads(line.rstrip(","))["ref"] == "T1" for line in body)
