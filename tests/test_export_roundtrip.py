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
