"""`ehcp rules`: every rule of the registry, with its kind, citation and exceptions."""

from __future__ import annotations

import pytest
from helpers import ok

from ehcp_cli.domain.rules import RULES


def test_rules_json_pins_a_rule(ehcp):
    rows = ok(ehcp("rules", "--format", "json")).json()
    final = next(r for r in rows if r["id"] == "final-plan")
    assert final == {
        "id": "final-plan",
        "kind": "statutory",
        "description": "issue the final EHC plan",
        "regulation": "reg 13(2)",
        "exceptions": "reg 13(3)",
    }
    longstop = next(r for r in rows if r["id"] == "amendment-longstop")
    assert longstop == {
        "id": "amendment-longstop",
        "kind": "case-law",
        "description": "final amended plan after a review",
        "regulation": "R (L, M, P) v Devon CC [2022] EWHC 493 (Admin)",
        "exceptions": None,
    }


def test_rules_lists_every_registered_rule_once_in_registry_order(ehcp):
    rows = ok(ehcp("rules", "-f", "json")).json()
    assert [r["id"] for r in rows] == list(RULES)
    assert {r["kind"] for r in rows} <= {"statutory", "case-law", "guidance", "window"}
    assert all(r["description"] and r["regulation"] for r in rows)


def test_rules_csv_and_table(ehcp, monkeypatch):
    csv = ok(ehcp("rules", "-f", "csv")).out.splitlines()
    assert csv[0] == "id,kind,description,regulation,exceptions"
    assert "final-plan,statutory,issue the final EHC plan,reg 13(2),reg 13(3)" in csv
    assert len(csv) == len(RULES) + 1
    monkeypatch.setenv("COLUMNS", "200")
    table = [line.rstrip() for line in ok(ehcp("rules")).out.splitlines() if line.strip(" -─")]
    assert table[0] == f"{len(RULES)} rules"
    assert any(line.split()[:2] == ["final-plan", "statutory"] for line in table)


def test_rules_does_not_need_a_database(ehcp, tmp_path):
    result = ok(ehcp("--db", tmp_path, "rules", "-f", "json"))  # a folder: unusable as a database
    assert len(result.json()) == len(RULES)


@pytest.mark.parametrize("args", [["--format", "xml"], ["--as-of", "today"], ["extra"]])
def test_rules_usage_errors(ehcp, args):
    result = ehcp("rules", *args)
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("error: ")
