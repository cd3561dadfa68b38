"""`ehcp import`: files as spreadsheets save them, every kind of problem, all-or-nothing writes,
idempotent re-imports and updates that show in a case's history."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEADER = ("ref,name,dob,upn,coordinator,setting,need,received,assessing,not_assessing,drafted,"
          "not_issuing,issued,last_review,ceased,cease_reason,withdrawn")
# A valid UPN for the invented council 999 (check letter computed by identity.upn_check_letter).
UPN = "Y999000026000"
UPN2 = "M999000026001"


@pytest.fixture(autouse=True, params=["in-process", "worker"])
def reading(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs twice: rows read in this process, and by the worker process that large
    files get (whatever their size here), so both paths must give the same results."""
    from ehcp_cli.importing import worker

    parallel = request.param == "worker"
    monkeypatch.setattr(worker, "parallel_worthwhile", lambda size: parallel)
    return str(request.param)


def write(tmp_path: Path, text: str, name: str = "in.csv", *, bom: bool = False,
          crlf: bool = False) -> Path:
    if crlf:
        text = text.replace("\n", "\r\n")
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def rows(*lines: str, header: str = HEADER) -> str:
    return "\n".join((header, *lines)) + "\n"


def problems(result) -> list[str]:  # type: ignore[no-untyped-def]
    lines = result.err.splitlines()
    assert lines[0].startswith("error: ") and "nothing was written" in lines[0], result.err
    return lines[1:]


def count(ehcp) -> int:  # type: ignore[no-untyped-def]
    return len(ehcp("case", "list", "--format", "json").json())


def test_excel_file_with_bom_crlf_shuffled_headers_and_uk_dates(ehcp, tmp_path):
    text = ("Name , REF,DOB,Received,Assessing , Need,Not-Assessing\n"
            "Pip Teapot,T1,10/10/2015,05/01/2026,16/02/2026,slcn,\n")
    r = ehcp("import", write(tmp_path, text, bom=True, crlf=True))
    assert r.code == 0, r.err
    assert r.out == "imported 1 rows: 1 created, 0 updated, 0 unchanged, 0 rejected\n"
    doc = ehcp("case", "show", "T1", "--as-of", "2026-03-01", "--format", "json").json()
    assert (doc["name"], doc["dob"], doc["need"], doc["stage"]) == (
        "Pip Teapot", "2015-10-10", "SLCN", "assessing")
    assert [(e["on"], e["kind"]) for e in doc["events"]] == [
        ("2026-01-05", "requested"), ("2026-02-16", "stage")]


def test_an_imported_case_has_exactly_the_deadlines_and_stage_commands_give(ehcp, tmp_path):
    """Opening and moving a case by hand and importing the same facts must agree exactly."""
    by_hand = [
        ("case", "open", "Hand Made", "--dob", "2012-03-04", "--received", "2025-09-01",
         "--ref", "H1"),
        ("move", "H1", "assessing", "--on", "2025-10-20"),
        ("move", "H1", "drafted", "--on", "2026-01-05"),
        ("move", "H1", "issued", "--on", "2026-02-02"),
        ("review", "decided", "H1", "maintain", "--on", "2026-06-01"),
        ("case", "open", "Plan Made", "--dob", "2010-01-09", "--plan-issued", "2019-05-30",
         "--last-review", "2025-05-12", "--ref", "H2"),
        ("move", "H2", "ceased", "--on", "2025-09-01", "--reason", "5"),
    ]
    for args in by_hand:
        assert ehcp(*args).code == 0
    path = write(tmp_path, rows(
        "I1,Hand Made,2012-03-04,,,,,2025-09-01,2025-10-20,,2026-01-05,,2026-02-02,2026-06-01,,",
        "I2,Plan Made,2010-01-09,,,,,,,,,,2019-05-30,2025-05-12,2025-09-01,5"))
    assert ehcp("import", path).code == 0
    for hand, imported in (("H1", "I1"), ("H2", "I2")):
        a = ehcp("case", "show", hand, "--as-of", "2026-11-01", "--format", "json").json()
        b = ehcp("case", "show", imported, "--as-of", "2026-11-01", "--format", "json").json()
        assert a["stage"] == b["stage"]
        assert a["deadlines"] == b["deadlines"]
        # Review decisions recorded by hand carry their outcome; the import knows only the date.
        assert [(e["on"], e["kind"]) for e in a["events"]] == [
            (e["on"], e["kind"]) for e in b["events"]]


def test_an_imported_withdrawal_is_the_event_ehcp_move_records(ehcp, tmp_path):
    """`withdrawn` gives exactly what `ehcp move REF withdrawn --on DATE` gives (stage, events,
    deadlines) from each stage a request can be withdrawn in, the day it was received included;
    and the assessment clocks stop, so nothing of these cases is ever overdue."""
    by_hand = [
        ("case", "open", "Gone Early", "--dob", "2014-02-03", "--received", "2026-01-05",
         "--ref", "H1"),
        ("move", "H1", "withdrawn", "--on", "2026-01-05"),
        ("case", "open", "Gone Assessing", "--dob", "2013-05-06", "--received", "2025-11-03",
         "--ref", "H2"),
        ("move", "H2", "assessing", "--on", "2025-12-08"),
        ("move", "H2", "withdrawn", "--on", "2026-02-16"),
        ("case", "open", "Gone Drafted", "--dob", "2012-07-08", "--received", "2025-06-02",
         "--ref", "H3"),
        ("move", "H3", "assessing", "--on", "2025-07-14"),
        ("move", "H3", "drafted", "--on", "2025-10-06"),
        ("move", "H3", "withdrawn", "--on", "2025-10-20"),
    ]
    for args in by_hand:
        assert ehcp(*args).code == 0
    path = write(tmp_path, rows(
        "I1,Gone Early,2014-02-03,,,,,2026-01-05,,,,,,,,,05/01/2026",
        "I2,Gone Assessing,2013-05-06,,,,,2025-11-03,2025-12-08,,,,,,,,2026-02-16",
        "I3,Gone Drafted,2012-07-08,,,,,2025-06-02,2025-07-14,,2025-10-06,,,,,,2025-10-20"))
    r = ehcp("import", path)
    assert r.out == "imported 3 rows: 3 created, 0 updated, 0 unchanged, 0 rejected\n", r.err
    for hand, imported in (("H1", "I1"), ("H2", "I2"), ("H3", "I3")):
        a = ehcp("case", "show", hand, "--as-of", "2026-11-01", "--format", "json").json()
        b = ehcp("case", "show", imported, "--as-of", "2026-11-01", "--format", "json").json()
        assert a["stage"] == b["stage"] == "withdrawn"
        assert a["events"] == b["events"]
        assert a["deadlines"] == b["deadlines"]
    overdue = ehcp("overdue", "--as-of", "2026-11-01", "--include-guidance", "--format", "json")
    assert overdue.json() == []


def test_a_withdrawn_row_does_not_hold_its_upn(ehcp, tmp_path):
    """As after `ehcp move … withdrawn`, a withdrawn case no longer counts against the pupil's
    UPN: an open case may hold it already, or a later row of the same file."""
    assert ehcp("case", "open", "A B", "--dob", "2015-10-10", "--received", "2026-03-02",
                "--ref", "K1", "--upn", UPN).code == 0
    path = write(tmp_path, rows(
        f"W1,A B,2015-10-10,{UPN},,,,2026-01-05,,,,,,,,,2026-02-02",
        f"W2,C D,2014-10-10,{UPN2},,,,2025-01-06,,,,,,,,,2025-02-03",
        f"N2,C D,2014-10-10,{UPN2},,,,2026-03-02,,,,,,,,,"))
    r = ehcp("import", path)
    assert r.out == "imported 3 rows: 3 created, 0 updated, 0 unchanged, 0 rejected\n", r.err
    (line,) = problems(ehcp("import", write(tmp_path, rows(
        f"N3,C D,2014-10-10,{UPN2},,,,2026-03-02,,,,,,,,,"), "again.csv")))
    assert line == (f"error: row 2, column upn, value '{UPN2}': an open case already holds "
                    "that UPN: N2")


def test_unknown_column_is_refused_naming_the_columns(ehcp, tmp_path):
    r = ehcp("import", write(tmp_path, "ref,name,dob,recieved\nT1,A B,2015-10-10,2026-01-05\n"))
    assert r.code == 1
    assert problems(r) == [
        "error: row 1, column D, value 'recieved': unknown column: the columns are ref, name, dob, "
        "upn, coordinator, setting, need, received, assessing, not_assessing, drafted, "
        "not_issuing, issued, last_review, ceased, cease_reason, withdrawn"]
    assert count(ehcp) == 0


def test_missing_required_and_duplicate_columns(ehcp, tmp_path):
    r = ehcp("import", write(tmp_path, "ref,name,Name,received\n"))
    assert r.code == 1
    assert problems(r) == [
        "error: row 1, column C, value 'Name': the same column as B: keep one of them",
        "error: row 1: no dob column: the columns ref, name, dob are required"]


@pytest.mark.parametrize(("line", "expected"), [
    (",A B,2015-10-10,,,,,2026-01-05,,,,,,,,",
     "row 2, column ref, value '': required: every row needs a case reference"),
    ("T 1,A B,2015-10-10,,,,,2026-01-05,,,,,,,,",
     "row 2, column ref, value 'T 1': use 1-64 letters, digits, '.', '_', '/' or '-', starting "
     "with a letter or digit"),
    ("T1, ,2015-10-10,,,,,2026-01-05,,,,,,,,",
     "row 2, column name, value ' ': required: every row needs the child's or young person's "
     "name"),
    ("T1,A B,,,,,,2026-01-05,,,,,,,,",
     "row 2, column dob, value '': required: every row needs the date of birth (use YYYY-MM-DD "
     "or DD/MM/YYYY)"),
    ("T1,A B,10/13/2015,,,,,2026-01-05,,,,,,,,",
     "row 2, column dob, value '10/13/2015': not a real calendar date: use YYYY-MM-DD or "
     "DD/MM/YYYY"),
    ("T1,A B,2015-02-30,,,,,2026-01-05,,,,,,,,",
     "row 2, column dob, value '2015-02-30': not a real calendar date: use YYYY-MM-DD or "
     "DD/MM/YYYY"),
    ("T1,A B,Oct 10 2015,,,,,2026-01-05,,,,,,,,",
     "row 2, column dob, value 'Oct 10 2015': not a date: use YYYY-MM-DD or DD/MM/YYYY (day "
     "first)"),
    ("T1,A B,2015-10-10,,,,,2099-01-05,,,,,,,,",
     "row 2, column received, value '2099-01-05': is after today"),
    ("T1,A B,2015-10-10,Y999000026001,,,,2026-01-05,,,,,,,,",
     "row 2, column upn, value 'Y999000026001': its check letter does not match (mistyped?)"),
    ("T1,A B,2015-10-10,,,,AUT,2026-01-05,,,,,,,,",
     "row 2, column need, value 'AUT': not a DfE primary-need code: use one of SPLD, MLD, SLD, "
     "PMLD, SEMH, SLCN, HI, VI, MSI, PD, ASD, DS, OTH"),
    ("T1,A B,2015-10-10,,,,,,,,,,,,,",
     "row 2, column received, value '': a row needs received (an assessment request) or issued "
     "(a plan in force)"),
    ("T1,A B,2015-10-10,,,,,,,,,,2020-01-01,,2025-01-01,",
     "row 2, column cease_reason, value '': required with ceased: an SEN2 ceasing reason code "
     "1-9"),
    ("T1,A B,2015-10-10,,,,,,,,,,2020-01-01,,2025-01-01,12",
     "row 2, column cease_reason, value '12': not an SEN2 ceasing reason: use a code 1-9"),
    ("T1,A B,2015-10-10,,,,,,,,,,2020-01-01,,,3",
     "row 2, column cease_reason, value '3': goes with a ceased date: fill in ceased or clear "
     "this cell"),
    ("T1,A B,2015-10-10,,,,,2026-01-05,,,2026-03-01,,,,,",
     "row 2, column drafted, value '2026-03-01': cannot follow received (2026-01-05): after "
     "received comes assessing, not_assessing or withdrawn"),
    ("T1,A B,2015-10-10,,,,,2026-01-05,2026-02-01,2026-03-01,,,,,,",
     "row 2, column not_assessing, value '2026-03-01': cannot follow assessing (2026-02-01): "
     "after assessing comes drafted, not_issuing or withdrawn"),
    ("T1,A B,2015-10-10,,,,,2026-01-05,2025-12-01,,,,,,,",
     "row 2, column assessing, value '2025-12-01': is before received (2026-01-05)"),
    ("T1,A B,2015-10-10,,,,,2015-01-05,,,,,,,,",
     "row 2, column received, value '2015-01-05': is before the date of birth (2015-10-10)"),
    ("T1,A B,2015-10-10,,,,,,2026-01-05,,,,2020-01-01,,,",
     "row 2, column assessing, value '2026-01-05': an assessment stage needs the received date "
     "of its request"),
    ("T1,A B,2015-10-10,,,,,,,,,,2020-01-01,2019-01-01,,",
     "row 2, column last_review, value '2019-01-01': is before issued (2020-01-01)"),
    ("T1,A B,2015-10-10,,,,,2026-01-05,2026-02-01,,,,,2026-03-01,,",
     "row 2, column last_review, value '2026-03-01': cannot come after assessing (2026-02-01): "
     "a review decision needs a plan in force (on or after issued, before ceased)"),
    ("T1,A\x07B,2015-10-10,,,,,2026-01-05,,,,,,,,",
     "row 2, column name, value 'A\\x07B': must not contain control characters"),
    # withdrawn: a date like the other stage columns, and a step the transition table allows
    ("T1,A B,2015-10-10,,,,,,,,,,2020-01-01,,,,2021-01-01",
     "row 2, column withdrawn, value '2021-01-01': a withdrawal needs the received date of the "
     "request withdrawn"),
    ("T1,A B,2015-10-10,,,,,,,,,,,,,,2026-02-01",
     "row 2, column received, value '': a row needs received (an assessment request) or issued "
     "(a plan in force)"),
    ("T1,A B,2015-10-10,,,,,2026-01-05,,,,,,,,,2026-01-04",
     "row 2, column withdrawn, value '2026-01-04': is before received (2026-01-05)"),
    ("T1,A B,2015-10-10,,,,,2026-01-05,,,,,,,,,2099-01-05",
     "row 2, column withdrawn, value '2099-01-05': is after today"),
    ("T1,A B,2015-10-10,,,,,2026-01-05,,,,,,,,,31/02/2026",
     "row 2, column withdrawn, value '31/02/2026': not a real calendar date: use YYYY-MM-DD or "
     "DD/MM/YYYY"),
    ("T1,A B,2015-10-10,,,,,2026-01-05,2026-02-01,,2026-04-01,,2026-05-01,,,,2026-06-01",
     "row 2, column withdrawn, value '2026-06-01': cannot follow issued (2026-05-01): after "
     "issued comes ceased"),
    ("T1,A B,2015-10-10,,,,,2026-01-05,,2026-02-01,,,,,,,2026-03-01",
     "row 2, column withdrawn, value '2026-03-01': cannot follow not_assessing (2026-02-01): "
     "after not_assessing comes assessing"),
    ("T1,A B,2015-10-10,,,,,2026-01-05,2026-02-01,,,2026-03-01,,,,,2026-03-01",
     "row 2, column withdrawn, value '2026-03-01': cannot follow not_issuing (2026-03-01): "
     "after not_issuing comes drafted"),
    ("T1,A B,2015-10-10,,,,,2026-01-05,2026-03-01,,,,,,,,2026-02-01",
     "row 2, column assessing, value '2026-03-01': cannot follow withdrawn (2026-02-01): a row "
     "holds one request, and nothing follows withdrawn in it"),
    ("T1,A B,2015-10-10,,,,,2026-01-05,,,,,,2026-03-01,,,2026-02-01",
     "row 2, column last_review, value '2026-03-01': cannot come after withdrawn (2026-02-01): "
     "a review decision needs a plan in force"),
])
def test_each_problem_is_one_exact_line(ehcp, tmp_path, line, expected):
    r = ehcp("import", write(tmp_path, rows(line)))
    assert r.code == 1
    (only,) = problems(r)
    assert only.startswith("error: " + expected), only
    assert count(ehcp) == 0


def test_every_problem_of_every_row_is_reported_and_nothing_is_written(ehcp, tmp_path):
    ehcp("case", "open", "Kept Case", "--dob", "2015-10-10", "--received", "2026-01-05",
         "--ref", "K1", "--upn", UPN)
    before = ehcp("case", "history", "K1", "--format", "json").json()
    path = write(tmp_path, rows(
        "A1,Good Row,2015-10-10,,,,,2026-01-05,,,,,,,,",
        "A2,Bad Need,2015-10-10,,,,XX,2026-01-05,,,,,,,,",
        "A1,Same Ref,2015-10-10,,,,,2026-01-05,,,,,,,,",
        f"A3,Same Upn,2015-10-10,{UPN2},,,,2026-01-05,,,,,,,,",
        f"A4,Same Upn,2015-10-10,{UPN2},,,,2026-01-05,,,,,,,,",
        f"A5,Held Upn,2015-10-10,{UPN},,,,2026-01-05,,,,,,,,",
        "A6,Good Row,2015-10-10,,,,,2026-01-05,,,,,,,,"))
    r = ehcp("import", path)
    assert r.code == 1
    assert r.err.splitlines()[0] == (
        "error: in.csv not imported: 4 problems in 4 of 7 rows; nothing was written")
    assert problems(r) == [
        "error: row 3, column need, value 'XX': not a DfE primary-need code: use one of SPLD, "
        "MLD, SLD, PMLD, SEMH, SLCN, HI, VI, MSI, PD, ASD, DS, OTH",
        "error: row 4, column ref, value 'A1': the same reference as row 2: each case appears "
        "once in a file",
        f"error: row 6, column upn, value '{UPN2}': the same UPN as row 5 (A3): a pupil has one "
        "open case",
        f"error: row 7, column upn, value '{UPN}': an open case already holds that UPN: K1",
    ]
    assert count(ehcp) == 1
    assert ehcp("case", "history", "K1", "--format", "json").json() == before


def test_problems_are_capped_with_a_count(ehcp, tmp_path):
    path = write(tmp_path, rows(*(f"R{i},A B,not a date,,,,,2026-01-05,,,,,,,,"
                                  for i in range(250))))
    r = ehcp("import", path)
    assert r.code == 1
    lines = problems(r)
    assert len(lines) == 201
    assert lines[-1] == "error: ... and 50 more problems"


def test_ragged_rows_stray_cells_blank_rows_and_a_non_utf8_file(ehcp, tmp_path):
    path = write(tmp_path, "ref,name,dob,received,\nT1,A B,2015-10-10,2026-01-05,oops\n,,,,\n"
                 "T2,C D,2015-10-10,2026-01-05,,extra\n")
    assert problems(ehcp("import", path)) == [
        "error: row 2, column E, value 'oops': this column has no header: name it or delete the "
        "column",
        "error: row 4, column F, value 'extra': the row has 6 cells but the header names 5 "
        "columns"]
    latin = tmp_path / "latin.csv"
    latin.write_bytes("ref,name,dob,received\nT1,Zoë B,2015-10-10,2026-01-05\n".encode("cp1252"))
    (line,) = problems(ehcp("import", latin))
    assert line.startswith("error: row 2: the file is not UTF-8 text")


def test_a_multi_line_cell_keeps_spreadsheet_row_numbers(ehcp, tmp_path):
    path = write(tmp_path, 'ref,name,dob,received\nT1,"Two\nLines",2015-10-10,2026-01-05\n'
                 "T2,C D,2015-10-10,bad\n")
    lines = problems(ehcp("import", path))
    assert lines[0].startswith("error: row 2, column name, value 'Two\\x0aLines': must not "
                               "contain control characters")
    assert lines[1].startswith("error: row 3, column received, value 'bad'")


def test_dry_run_writes_nothing_and_says_what_would_happen(ehcp, tmp_path):
    path = write(tmp_path, rows("T1,A B,2015-10-10,,,,,2026-01-05,,,,,,,,"))
    r = ehcp("import", path, "--dry-run")
    assert r.code == 0, r.err
    assert r.out == ("dry run, nothing written: 1 rows would give 1 created, 0 updated, "
                     "0 unchanged, 0 rejected\n")
    assert count(ehcp) == 0


def test_reimporting_the_same_file_changes_nothing_and_says_so(ehcp, tmp_path):
    path = ROOT / "sample_data" / "import-example.csv"
    first = ehcp("import", path).out
    assert first == "imported 6 rows: 6 created, 0 updated, 0 unchanged, 0 rejected\n"
    histories = [ehcp("case", "history", ref, "--format", "json").json()
                 for ref in ("EHC-0104", "EHC-0106")]
    again = ehcp("import", path)
    assert again.code == 0
    assert again.out == ("nothing to change: all 6 rows match the database (0 created, "
                         "0 updated, 6 unchanged, 0 rejected)\n")
    assert [ehcp("case", "history", ref, "--format", "json").json()
            for ref in ("EHC-0104", "EHC-0106")] == histories
    assert {c["ref"]: c["stage"] for c in ehcp("case", "list", "-f", "json").json()} == {
        "EHC-0101": "requested", "EHC-0102": "drafted", "EHC-0103": "issued",
        "EHC-0104": "issued", "EHC-0105": "ceased", "EHC-0106": "withdrawn"}


def test_an_update_row_appends_events_and_shows_in_history(ehcp, tmp_path):
    first = write(tmp_path, rows(f"T1,A B,2015-10-10,{UPN},Sam,,,2026-01-05,,,,,,,,"), "a.csv")
    assert ehcp("import", first).code == 0
    assert ehcp("advice", "request", "T1", "health", "--on", "2026-01-20").code == 0
    later = write(tmp_path, rows(
        f"T1,A B,2015-10-10,{UPN},Kim,,,2026-01-05,2026-02-10,,2026-05-01,,,,,"), "b.csv")
    r = ehcp("import", later)
    assert r.code == 0, r.err
    assert r.out == "imported 1 rows: 0 created, 1 updated, 0 unchanged, 0 rejected\n"
    doc = ehcp("case", "show", "T1", "--as-of", "2026-06-01", "--format", "json").json()
    assert doc["stage"] == "drafted" and doc["coordinator"] == "Kim"
    assert [(e["on"], e["kind"], e.get("stage")) for e in doc["events"]] == [
        ("2026-01-05", "requested", None), ("2026-01-20", "advice-requested", None),
        ("2026-02-10", "stage", "assessing"), ("2026-05-01", "stage", "drafted")]
    assert {d["rule"]: d["status"] for d in doc["deadlines"]}["decision-to-assess"] == "met"
    history = ehcp("case", "history", "T1", "--format", "json").json()
    assert [h["action"] for h in history] == ["imported", "advice-requested", "imported"]
    assert history[-1]["details"] == {
        "ref": "T1", "changes": {"coordinator": {"from": "Sam", "to": "Kim"}},
        "events": ["2026-02-10 assessing", "2026-05-01 drafted"]}
    assert ehcp("import", later).out.startswith("nothing to change")


def test_a_newly_filled_withdrawn_date_is_recorded_as_the_move_would_be(ehcp, tmp_path):
    line = f"T1,A B,2015-10-10,{UPN},Sam,,,2026-01-05,2026-02-10,,,,,,,,"
    assert ehcp("import", write(tmp_path, rows(line), "a.csv")).code == 0
    later = write(tmp_path, rows(line + "2026-03-02"), "b.csv")
    r = ehcp("import", later)
    assert r.code == 0, r.err
    assert r.out == "imported 1 rows: 0 created, 1 updated, 0 unchanged, 0 rejected\n"
    for args in (("case", "open", "A B", "--dob", "2015-10-10", "--received", "2026-01-05",
                  "--ref", "H1"),
                 ("move", "H1", "assessing", "--on", "2026-02-10"),
                 ("move", "H1", "withdrawn", "--on", "2026-03-02")):
        assert ehcp(*args).code == 0
    doc = ehcp("case", "show", "T1", "--as-of", "2026-11-01", "--format", "json").json()
    hand = ehcp("case", "show", "H1", "--as-of", "2026-11-01", "--format", "json").json()
    assert doc["stage"] == hand["stage"] == "withdrawn"
    assert doc["events"] == hand["events"] and doc["deadlines"] == hand["deadlines"]
    history = ehcp("case", "history", "T1", "--format", "json").json()
    assert [h["action"] for h in history] == ["imported", "imported"]
    assert history[-1]["details"] == {"ref": "T1", "events": ["2026-03-02 withdrawn"]}
    assert ehcp("import", later).out.startswith("nothing to change")


def test_a_case_requested_again_after_a_withdrawal(ehcp, tmp_path):
    """A row holds one request. The case's own export gives the fresh request, `withdrawn`
    blank; an older file giving the first request and its withdrawal agrees with it too; a newer
    one giving a second withdrawal records it; once withdrawn, another date contradicts it."""
    for args in (("case", "open", "A B", "--dob", "2015-10-10", "--received", "2026-01-05",
                  "--ref", "T1"),
                 ("move", "T1", "withdrawn", "--on", "2026-02-02"),
                 ("move", "T1", "requested", "--on", "2026-03-02")):
        assert ehcp(*args).code == 0
    line = "T1,A B,2015-10-10,,,,,2026-03-02,,,,,,,,,"
    assert ehcp("export", "cases").out.splitlines()[1] == line
    older = "T1,A B,2015-10-10,,,,,2026-01-05,,,,,,,,,2026-02-02"
    for cells, name in ((line, "own.csv"), (older, "older.csv")):
        r = ehcp("import", write(tmp_path, rows(cells), name))
        assert r.out.startswith("nothing to change"), r.out + r.err
    r = ehcp("import", write(tmp_path, rows(line + "2026-04-06"), "newer.csv"))
    assert r.out == "imported 1 rows: 0 created, 1 updated, 0 unchanged, 0 rejected\n", r.err
    doc = ehcp("case", "show", "T1", "--format", "json").json()
    assert doc["stage"] == "withdrawn"
    assert [(e["on"], e.get("stage")) for e in doc["events"]][-2:] == [
        ("2026-03-02", "requested"), ("2026-04-06", "withdrawn")]
    assert ehcp("export", "cases").out.splitlines()[1] == line + "2026-04-06"
    (only,) = problems(ehcp("import", write(tmp_path, rows(line + "2026-04-07"), "wrong.csv")))
    assert only == ("error: row 2, column withdrawn, value '2026-04-07': differs from the "
                    "withdrawn dates recorded (2026-02-02, 2026-04-06)")


def test_a_details_only_change_is_a_case_update(ehcp, tmp_path):
    assert ehcp("import", write(tmp_path, rows("T1,A B,2015-10-10,,,,,2026-01-05,,,,,,,,"),
                                "a.csv")).code == 0
    r = ehcp("import", write(tmp_path, rows("T1,A B,2015-10-10,,,,asd,2026-01-05,,,,,,,,"),
                             "b.csv"))
    assert r.out == "imported 1 rows: 0 created, 1 updated, 0 unchanged, 0 rejected\n"
    last = ehcp("case", "history", "T1", "--format", "json").json()[-1]
    assert last["action"] == "case-updated"
    assert last["details"] == {"ref": "T1", "via": "import",
                               "changes": {"need": {"from": None, "to": "ASD"}}}


def test_a_newer_last_review_is_recorded_as_a_review_decision(ehcp, tmp_path):
    first = write(tmp_path, rows("P1,A B,2010-10-10,,,,,,,,,,2019-01-01,2025-03-01,,"), "a.csv")
    assert ehcp("import", first).code == 0
    r = ehcp("import", write(tmp_path, rows("P1,A B,2010-10-10,,,,,,,,,,2019-01-01,2026-03-01,,"),
                             "b.csv"))
    assert r.code == 0, r.err
    doc = ehcp("case", "show", "P1", "--as-of", "2026-06-01", "--format", "json").json()
    assert [(e["on"], e["kind"]) for e in doc["events"]] == [
        ("2019-01-01", "plan-in-force"), ("2026-03-01", "review-decided")]


@pytest.mark.parametrize(("recorded", "line", "expected"), [
    (("move", "T1", "assessing", "--on", "2026-02-10"),
     "T1,A B,2015-10-10,,,,,2026-01-05,2026-02-11,,,,,,,",
     "row 2, column assessing, value '2026-02-11': differs from the assessing date recorded "
     "(2026-02-10)"),
    (("move", "T1", "assessing", "--on", "2026-02-10"),
     "T1,A B,2015-10-10,,,,,2026-01-04,,,,,,,,",
     "row 2, column received, value '2026-01-04': differs from the request date recorded "
     "(2026-01-05)"),
    (("advice", "request", "T1", "health", "--on", "2026-03-01"),
     "T1,A B,2015-10-10,,,,,2026-01-05,2026-02-10,,,,,,,",
     "row 2, column assessing, value '2026-02-10': 2026-02-10 is earlier than the case's "
     "previous event (2026-03-01)"),
    (("move", "T1", "withdrawn", "--on", "2026-02-10"),
     "T1,A B,2015-10-10,,,,,2026-01-05,2026-02-12,,,,,,,",
     "row 2, column assessing, value '2026-02-12': cannot move from withdrawn to assessing; "
     "allowed next: requested"),
    (("move", "T1", "withdrawn", "--on", "2026-02-10"),
     "T1,A B,2015-10-10,,,,,2026-01-05,,,,,,,,,2026-02-11",
     "row 2, column withdrawn, value '2026-02-11': differs from the withdrawn date recorded "
     "(2026-02-10)"),
    (("advice", "request", "T1", "health", "--on", "2026-03-01"),
     "T1,A B,2015-10-10,,,,,2026-01-05,,,,,,,,,2026-02-10",
     "row 2, column withdrawn, value '2026-02-10': 2026-02-10 is earlier than the case's "
     "previous event (2026-03-01)"),
    (("move", "T1", "assessing", "--on", "2026-02-10"),
     "T1,A B,2015-10-10,,,,,2026-01-05,2026-02-10,,2026-03-01,,2026-04-01,,,,2026-05-01",
     "row 2, column withdrawn, value '2026-05-01': cannot follow issued (2026-04-01): after "
     "issued comes ceased"),
])
def test_a_row_contradicting_recorded_history_is_a_problem(ehcp, tmp_path, recorded, line,
                                                           expected):
    assert ehcp("case", "open", "A B", "--dob", "2015-10-10", "--received", "2026-01-05",
                "--ref", "T1").code == 0
    assert ehcp(*recorded).code == 0
    before = ehcp("case", "show", "T1", "--format", "json").json()
    r = ehcp("import", write(tmp_path, rows(line)))
    assert r.code == 1
    (only,) = problems(r)
    assert only.startswith("error: " + expected), only
    assert ehcp("case", "show", "T1", "--format", "json").json() == before


def test_plan_in_force_row_against_a_recorded_request(ehcp, tmp_path):
    assert ehcp("case", "open", "A B", "--dob", "2015-10-10", "--received", "2026-01-05",
                "--ref", "T1").code == 0
    (only,) = problems(ehcp("import", write(tmp_path, rows(
        "T1,A B,2015-10-10,,,,,,,,,,2026-06-01,,,"))))
    assert "the case is recorded as an assessment request that has no issued date yet" in only


def test_the_audit_chain_verifies_after_an_import(ehcp, tmp_path):
    assert ehcp("case", "open", "A B", "--dob", "2015-10-10", "--received", "2026-01-05").code == 0
    assert ehcp("import", ROOT / "sample_data" / "caseload.csv").code == 0
    r = ehcp("db", "verify")
    assert r.code == 0, r.err + r.out


def test_the_sample_caseload_imports_and_every_stage_is_present(ehcp):
    r = ehcp("import", ROOT / "sample_data" / "caseload.csv")
    assert r.out == "imported 200 rows: 200 created, 0 updated, 0 unchanged, 0 rejected\n"
    stages = {c["stage"] for c in ehcp("case", "list", "--format", "json").json()}
    assert stages == {"requested", "assessing", "not-assessing", "drafted", "not-issuing",
                      "issued", "ceased"}


def test_a_20000_row_file_imports_in_one_go(ehcp, tmp_path):
    sys.path.insert(0, str(ROOT / "sample_data"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    path = tmp_path / "big.csv"
    generate.write(path, generate.rows(20_000, prefix="B"))
    r = ehcp("import", path)
    assert r.code == 0, r.err
    assert r.out == "imported 20000 rows: 20000 created, 0 updated, 0 unchanged, 0 rejected\n"
    assert count(ehcp) == 20_000
    assert ehcp("import", path).out.startswith("nothing to change: all 20000 rows")


def test_generated_files_are_deterministic(tmp_path):
    sys.path.insert(0, str(ROOT / "sample_data"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=generate.COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(generate.rows(200))
    assert out.getvalue() == (ROOT / "sample_data" / "caseload.csv").read_text(encoding="utf-8")


def test_imported_timestamps_are_stored_like_those_of_commands(ehcp, tmp_path, db):
    """One stored form for every timestamp, whichever path wrote it (and no reliance on the
    sqlite3 driver's deprecated default adapters)."""
    from sqlalchemy import create_engine, text

    from ehcp_cli.store.engine import resolve_url

    csv_text = rows("R1,Ann Lee,2015-01-01,2026-01-05", header="ref,name,dob,received")
    assert ehcp("import", write(tmp_path, csv_text)).code == 0
    assert ehcp("case", "open", "Bo Day", "--dob", "2015-01-01", "--received", "2026-01-05",
                "--ref", "C1").code == 0
    engine = create_engine(resolve_url(db))
    with engine.connect() as conn:
        kinds = conn.execute(text(
            "SELECT c.ref, typeof(c.created_at) || ':' || length(c.created_at), "
            "typeof(a.at) || ':' || length(a.at) FROM cases c JOIN audit a ON a.case_id = c.id"
            " ORDER BY c.ref"
        )).all() if conn.dialect.name == "sqlite" else []
    engine.dispose()
    if kinds:
        (_, imported_case, imported_audit), (_, command_case, command_audit) = kinds
        assert (imported_case, imported_audit) == (command_case, command_audit)
    assert ehcp("db", "verify").code == 0


def test_a_failed_worker_is_one_error_line_and_nothing_written(ehcp, tmp_path, monkeypatch,
                                                               reading):
    if reading != "worker":
        pytest.skip("only the worker process can fail this way")
    monkeypatch.setattr(sys, "executable", "/bin/false")  # the worker exits at once, silently
    r = ehcp("import", write(tmp_path, rows("R1,Ann Lee,2015-01-01,,,,,2026-01-05")))
    assert r.code == 70
    assert r.err.count("\n") == 1 and "Ann Lee" not in r.err, r.err
    assert count(ehcp) == 0


def _indexes(db: str) -> list[tuple[str, ...]]:
    from sqlalchemy import create_engine, text

    from ehcp_cli.store.engine import resolve_url

    engine = create_engine(resolve_url(db))
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            query = "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY 1"
        else:
            query = ("SELECT indexname, tablename, indexdef FROM pg_indexes "
                     "WHERE schemaname = current_schema() ORDER BY 1")
        found = [tuple(" ".join(str(v).split()) for v in row) for row in conn.execute(text(query))]
    engine.dispose()
    return found


def test_a_first_import_leaves_exactly_the_indexes_of_a_new_database(ehcp, tmp_path, db):
    """A first import builds the indexes after the rows; they must come back exactly."""
    assert ehcp("db", "upgrade").code == 0
    before = _indexes(db)
    assert any(name == "ix_deadlines_open_due" for name, *_ in before)
    bad = rows("R1,Ann Lee,2015-01-01,,,,,2026-01-05", "R1,Ann Lee,2015-01-01,,,,,2026-01-05")
    assert ehcp("import", write(tmp_path, bad)).code == 1  # rolled back, indexes and all
    assert _indexes(db) == before
    assert ehcp("import", ROOT / "sample_data" / "caseload.csv").code == 0
    assert _indexes(db) == before


def test_a_database_created_while_the_file_was_being_read_is_imported_on_a_second_try(
        ehcp, tmp_path, monkeypatch):
    """Reading starts before the database is opened, keeping no cells when it did not exist yet.
    If another command creates it and records a case in between, the rows could not be compared
    with that case: the attempt changes nothing and the command runs again, comparing them."""
    from ehcp_cli.store import engine

    assert ehcp("import", write(tmp_path, rows("R1,Ann Lee,2015-01-01,,,,,2026-01-05"))).code == 0
    answers = iter([True])  # wrongly "empty" the first time, then the truth
    monkeypatch.setattr(engine, "certainly_empty", lambda db: next(answers, False))
    r = ehcp("import", write(tmp_path, rows("R1,Ann Lee,2015-01-01,,,,,2026-01-05",
                                            "R2,Bo Day,2015-01-01,,,,,2026-01-06")))
    assert r.code == 0, r.err
    assert r.out.startswith("imported 2 rows: 1 created, 0 updated, 1 unchanged"), r.out
    assert count(ehcp) == 2


def test_repeats_are_found_across_batches_and_problems_capped_in_file_order(ehcp, tmp_path):
    """The whole-file checks see every earlier batch (rows are read 2,000 at a time), and the
    problem lines kept are the file's first ones, however many batches hold problems."""
    lines = [f"R{i},A B,2015-01-01,{UPN if i == 0 else ''},,,,2026-01-05,,,,,,,,"
             for i in range(4500)]
    lines[4000] = f"S1,A B,2015-01-01,{UPN},,,,2026-01-05,,,,,,,,"  # row 4002: R0's UPN
    lines[4001] = "R1,A B,2015-01-01,,,,,2026-01-05,,,,,,,,"  # row 4003: R1 is row 3
    r = ehcp("import", write(tmp_path, rows(*lines)))
    assert r.code == 1
    assert problems(r) == [
        f"error: row 4002, column upn, value '{UPN}': the same UPN as row 2 (R0): a pupil has "
        "one open case",
        "error: row 4003, column ref, value 'R1': the same reference as row 3: each case "
        "appears once in a file",
    ]
    # 300 bad dates, in every batch, before and after the repeats; R0's row is one of them, so
    # it holds no UPN and S1's is no repeat.
    for i in range(0, 4500, 15):
        lines[i] = f"R{i},A B,not a date,,,,,2026-01-05,,,,,,,,"
    r = ehcp("import", write(tmp_path, rows(*lines)))
    shown = problems(r)
    assert r.err.splitlines()[0].startswith("error: in.csv not imported: 301 problems in 301 of "
                                            "4500 rows"), r.err
    assert len(shown) == 201 and shown[-1] == "error: ... and 101 more problems"
    numbers = [int(line.split(",")[0].split()[-1]) for line in shown[:-1]]
    assert numbers == [2 + 15 * k for k in range(200)]
    assert count(ehcp) == 0
