"""export -> import into an empty database -> export again gives the same file.

Written against the contract's "Bulk import" column set, so it holds whoever implements import.
"""

from __future__ import annotations

from test_export import EXPECTED_CASES_CSV, build_caseload, ok


def test_csv_round_trip(ehcp, empty_db, tmp_path):
    build_caseload(ehcp)
    first = tmp_path / "first.csv"
    ok(ehcp("export", "cases", "--output", first))
    assert first.read_text(encoding="utf-8") == EXPECTED_CASES_CSV
    ok(ehcp("--db", empty_db, "import", first))
    again = ok(ehcp("--db", empty_db, "export", "cases")).out
    assert again == EXPECTED_CASES_CSV


def test_json_round_trip_through_a_csv_import(ehcp, empty_db, tmp_path):
    build_caseload(ehcp)
    before = ok(ehcp("export", "cases", "--format", "json")).out
    csv_file = tmp_path / "cases.csv"
    ok(ehcp("export", "cases", "-o", csv_file))
    ok(ehcp("--db", empty_db, "import", csv_file))
    assert ok(ehcp("--db", empty_db, "export", "cases", "--format", "json")).out == before


def test_reimporting_an_export_into_its_own_database_changes_nothing(ehcp, tmp_path):
    build_caseload(ehcp)
    csv_file = tmp_path / "cases.csv"
    ok(ehcp("export", "cases", "-o", csv_file))
    ok(ehcp("import", csv_file))
    assert ok(ehcp("export", "cases")).out == EXPECTED_CASES_CSV


def test_an_excel_saved_export_with_a_byte_order_mark_round_trips(ehcp, empty_db, tmp_path):
    build_caseload(ehcp)
    saved = tmp_path / "excel.csv"
    saved.write_bytes(b"\xef\xbb\xbf" + EXPECTED_CASES_CSV.replace("\n", "\r\n").encode())
    ok(ehcp("--db", empty_db, "import", saved))
    assert ok(ehcp("--db", empty_db, "export", "cases")).out == EXPECTED_CASES_CSV


def _case(ehcp, db: str | None, ref: str) -> dict:  # type: ignore[no-untyped-def]
    """What `case show` says of a case (on one database), without when it was recorded."""
    args = ("--db", db) if db else ()
    return ok(ehcp(*args, "case", "show", ref, "--as-of", "2026-11-01", "--format", "json")).json()


def test_a_withdrawn_case_comes_back_withdrawn_with_its_deadlines(ehcp, empty_db, tmp_path):
    """The defect this column exists for: exported and imported again, a withdrawn request came
    back `requested`, its assessment deadlines overdue."""
    build_caseload(ehcp)
    csv_file = tmp_path / "cases.csv"
    ok(ehcp("export", "cases", "-o", csv_file))
    ok(ehcp("--db", empty_db, "import", csv_file))
    here, there = _case(ehcp, None, "F6"), _case(ehcp, empty_db, "F6")
    assert here["stage"] == there["stage"] == "withdrawn"
    assert here["deadlines"] == there["deadlines"]
    assert [(e["on"], e["kind"], e.get("stage")) for e in there["events"]] == [
        ("2025-10-06", "requested", None), ("2025-11-17", "stage", "assessing"),
        ("2026-01-12", "stage", "withdrawn")]
    overdue = ok(ehcp("--db", empty_db, "overdue", "--as-of", "2026-11-01", "-f", "json")).json()
    assert "F6" not in {item["ref"] for item in overdue}


def test_a_newer_export_withdraws_the_case_through_an_event(ehcp, empty_db, tmp_path):
    ok(ehcp("case", "open", "Gil Green", "--dob", "2014-04-04", "--received", "2026-01-05",
            "--ref", "G7"))
    ok(ehcp("move", "G7", "assessing", "--on", "2026-02-09"))
    older, newer = tmp_path / "older.csv", tmp_path / "newer.csv"
    ok(ehcp("export", "cases", "-o", older))
    ok(ehcp("--db", empty_db, "import", older))
    ok(ehcp("move", "G7", "withdrawn", "--on", "2026-03-16"))
    ok(ehcp("export", "cases", "-o", newer))
    result = ok(ehcp("--db", empty_db, "import", newer))
    assert result.out == "imported 1 rows: 0 created, 1 updated, 0 unchanged, 0 rejected\n"
    here, there = _case(ehcp, None, "G7"), _case(ehcp, empty_db, "G7")
    assert (here["stage"], here["deadlines"]) == (there["stage"], there["deadlines"])
    history = ok(ehcp("--db", empty_db, "case", "history", "G7", "-f", "json")).json()
    assert [(h["action"], h["details"].get("events")) for h in history] == [
        ("imported", None), ("imported", ["2026-03-16 withdrawn"])]
    assert ok(ehcp("--db", empty_db, "import", newer)).out.startswith("nothing to change")
    assert ok(ehcp("--db", empty_db, "export", "cases")).out == newer.read_text(encoding="utf-8")


def _exported(ehcp, tmp_path, person: tuple[str, str, str],  # type: ignore[no-untyped-def]
              moves: dict[str, list[tuple[str, str]]]):
    """Open a case per reference for `person` (name, date of birth, request received), move each
    through its stages, and export them all to a file."""
    name, dob, received = person
    for ref, steps in moves.items():
        ok(ehcp("case", "open", name, "--dob", dob, "--received", received, "--ref", ref))
        for stage, on in steps:
            ok(ehcp("move", ref, stage, "--on", on))
    csv_file = tmp_path / "cases.csv"
    ok(ehcp("export", "cases", "-o", csv_file))
    return csv_file


def test_cases_requested_again_after_a_withdrawal(ehcp, empty_db, tmp_path):
    """A row holds one request (the README's limit), the latest: the case comes back in its own
    stage with its clocks running from that request. Its own database takes the file back
    unchanged."""
    moves = {
        "R1": [("withdrawn", "2026-02-02"), ("requested", "2026-03-02")],
        "R2": [("withdrawn", "2026-02-02"), ("requested", "2026-03-02"),
               ("assessing", "2026-04-13")],
        "R3": [("withdrawn", "2026-02-02"), ("requested", "2026-03-02"),
               ("assessing", "2026-04-13"), ("withdrawn", "2026-05-11")],
    }
    csv_file = _exported(ehcp, tmp_path, ("Hal Hope", "2015-05-05", "2026-01-05"), moves)
    assert csv_file.read_text(encoding="utf-8").splitlines()[1:] == [
        "R1,Hal Hope,2015-05-05,,,,,2026-03-02,,,,,,,,,",
        "R2,Hal Hope,2015-05-05,,,,,2026-03-02,2026-04-13,,,,,,,,",
        "R3,Hal Hope,2015-05-05,,,,,2026-03-02,2026-04-13,,,,,,,,2026-05-11"]
    assert ok(ehcp("import", csv_file)).out.startswith("nothing to change: all 3 rows")
    ok(ehcp("--db", empty_db, "import", csv_file))
    stages = {c["ref"]: c["stage"] for c in
              ok(ehcp("--db", empty_db, "case", "list", "-f", "json")).json()}
    assert stages == {"R1": "requested", "R2": "assessing", "R3": "withdrawn"}
    assert ok(ehcp("--db", empty_db, "export", "cases")).out == csv_file.read_text(
        encoding="utf-8")


def test_cases_requested_again_after_a_refusal_move_with_their_latest_request(ehcp, empty_db,
                                                                              tmp_path):
    """Refused (not issuing, or not assessing) and requested again: the row is the latest
    request, so the file imports into another database (a row of the first request's dates and
    the second's was refused) and the case's open deadlines there run from the request they
    belong to, as in its own database, which takes the file back unchanged."""
    moves = {
        "Q1": [("assessing", "2025-10-06"), ("not-issuing", "2026-01-12"),
               ("requested", "2026-03-02"), ("not-assessing", "2026-04-06")],
        "Q2": [("not-assessing", "2025-10-06"), ("requested", "2026-05-04"),
               ("assessing", "2026-06-08")],
    }
    csv_file = _exported(ehcp, tmp_path, ("Ivy Ink", "2016-06-06", "2025-09-01"), moves)
    assert csv_file.read_text(encoding="utf-8").splitlines()[1:] == [
        "Q1,Ivy Ink,2016-06-06,,,,,2026-03-02,,2026-04-06,,,,,,,",
        "Q2,Ivy Ink,2016-06-06,,,,,2026-05-04,2026-06-08,,,,,,,,"]
    assert ok(ehcp("import", csv_file)).out.startswith("nothing to change: all 2 rows")
    ok(ehcp("--db", empty_db, "import", csv_file))

    def still_open(db: str | None, ref: str) -> list[tuple[str, str]]:
        return [(d["rule"], d["due"]) for d in _case(ehcp, db, ref)["deadlines"]
                if d["status"] in ("open", "overdue")]

    for ref in moves:
        here, there = _case(ehcp, None, ref), _case(ehcp, empty_db, ref)
        assert here["stage"] == there["stage"]
        assert still_open(None, ref) == still_open(empty_db, ref)
    assert ("final-plan", "2026-09-21") in still_open(empty_db, "Q2")  # 20 weeks from 4 May
    assert ok(ehcp("--db", empty_db, "export", "cases")).out == csv_file.read_text(
        encoding="utf-8")
