"""`ehcp demo`: the README's first command works, is reproducible and touches no real data."""

from __future__ import annotations

from pathlib import Path


def test_demo_lists_overdue_rows_from_the_sample_caseload(ehcp, tmp_path, monkeypatch):
    real = tmp_path / "real.db"
    monkeypatch.setenv("EHCP_DB", str(real))
    r = ehcp("demo")
    assert r.code == 0, r.err
    assert "Overdue as of 01 Oct 2026 and due within 14 days (sample data)" in r.out
    assert "SAMPLE-" in r.out and "annual-review" in r.out
    assert not real.exists()


def test_demo_json_is_the_overdue_report_and_is_reproducible(ehcp):
    first = ehcp("demo", "--format", "json")
    assert first.code == 0, first.err
    rows = first.json()
    assert len(rows) > 20
    assert {r["rule"] for r in rows} >= {"annual-review", "decision-to-assess", "final-plan",
                                         "phase-transfer"}
    assert any(r["days_overdue"] > 0 for r in rows) and any(r["days_overdue"] <= 0 for r in rows)
    assert ehcp("demo", "--format", "json").json() == rows
    later = ehcp("demo", "--as-of", "2026-11-01", "--format", "json").json()
    assert later[0]["days_overdue"] == rows[0]["days_overdue"] + 31


def test_demo_leaves_no_temporary_database_behind(ehcp, tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert ehcp("demo", "--format", "csv").code == 0
    assert not [p for p in Path(tmp_path).iterdir() if p.name.startswith("ehcp-demo-")]
