"""The JSON documents coordinators' scripts rely on, pinned whole for a small case.

Field names and shapes here are the contract (cli-contract.md): change them only by adding, and
then add the new field to these expected documents deliberately.
"""

from __future__ import annotations

import pytest
from helpers import ok

EXCEPTION = {"reason": "personal", "from": "2026-02-01", "to": None, "note": "family illness"}


def deadline(
    rule,
    kind,
    description,
    due,
    act_by,
    regulation,
    status,
    exception=None,
    key="",  # type: ignore[no-untyped-def]
    met_on=None,
):
    return {
        "rule": rule,
        "kind": kind,
        "description": description,
        "due": due,
        "act_by": act_by,
        "met_on": met_on,
        "regulation": regulation,
        "status": status,
        "exception": exception,
        "key": key,
    }


@pytest.fixture
def small_case(ehcp):  # type: ignore[no-untyped-def]
    ok(
        ehcp(
            "case",
            "open",
            "Ann Lee",
            "--dob",
            "2015-10-10",
            "--received",
            "2026-01-05",
            "--ref",
            "A1",
            "--coordinator",
            "Sam",
            "--upn",
            "H801200001001",
            "--setting",
            "Oak Primary",
            "--need",
            "ASD",
        )
    )
    ok(ehcp("advice", "request", "A1", "health", "--on", "2026-01-12", "--from", "Dr Ng"))
    ok(
        ehcp(
            "exception",
            "add",
            "A1",
            "decision-to-assess",
            "--reason",
            "personal",
            "--from",
            "2026-02-01",
            "--note",
            "family illness",
        )
    )
    return "A1"


def test_case_show_document(ehcp, small_case):
    doc = ok(ehcp("case", "show", small_case, "--as-of", "2026-02-24", "--format", "json")).json()
    assert doc == {
        "ref": "A1",
        "name": "Ann Lee",
        "dob": "2015-10-10",
        "upn": "H801200001001",
        "coordinator": "Sam",
        "setting": "Oak Primary",
        "need": "ASD",
        "stage": "requested",
        "year_group": 5,
        "events": [
            {
                "on": "2026-01-05",
                "kind": "requested",
                "description": "EHC needs assessment requested",
                "recorded_by": "tester",
            },
            {
                "on": "2026-01-12",
                "kind": "advice-requested",
                "advice": "health",
                "provider": "Dr Ng",
                "description": "health advice requested from Dr Ng",
                "recorded_by": "tester",
            },
            {
                "on": "2026-02-01",
                "kind": "exception",
                "note": "family illness",
                "reason": "personal",
                "rule": "decision-to-assess",
                "description": "exception to decision-to-assess: personal (open-ended)",
                "recorded_by": "tester",
            },
        ],
        "advice": [
            {
                "kind": "health",
                "provider": "Dr Ng",
                "requested_on": "2026-01-12",
                "due": "2026-02-23",
                "received_on": None,
                "chased_on": [],
            },
        ],
        "deadlines": [
            deadline(
                "decision-to-assess",
                "statutory",
                "decide and notify whether to assess",
                "2026-02-16",
                "2026-02-16",
                "reg 5(1)",
                "overdue",
                EXCEPTION,
            ),
            deadline(
                "advice",
                "statutory",
                "medical advice from Dr Ng",
                "2026-02-23",
                "2026-02-23",
                "reg 8(1)",
                "overdue",
                key="health",
            ),
            deadline(
                "draft-target",
                "guidance",
                "issue the draft plan (leaves time for the 15 days and consultation)",
                "2026-04-13",
                "2026-04-13",
                "IPSEA practice",
                "open",
            ),
            deadline(
                "issue-decision",
                "statutory",
                "decide whether to issue a plan (notify a refusal)",
                "2026-04-27",
                "2026-04-27",
                "reg 10(1)",
                "open",
            ),
            deadline(
                "final-plan",
                "statutory",
                "issue the final EHC plan",
                "2026-05-25",
                "2026-05-22",
                "reg 13(2)",
                "open",
            ),
        ],
    }


def test_case_open_json_is_the_case_object(ehcp):
    doc = ok(
        ehcp(
            "case",
            "open",
            "Bo",
            "--dob",
            "2015-10-10",
            "--received",
            "2026-01-05",
            "--ref",
            "B1",
            "--format",
            "json",
        )
    ).json()
    shown = ok(ehcp("case", "show", "B1", "--format", "json")).json()
    assert doc == shown


def test_overdue_document(ehcp, small_case):
    r = ok(ehcp("overdue", "--as-of", "2026-02-24", "--format", "json"))
    common = {
        "ref": "A1",
        "name": "Ann Lee",
        "coordinator": "Sam",
        "stage": "requested",
        "kind": "statutory",
    }
    assert r.json() == [
        {
            **common,
            "rule": "decision-to-assess",
            "key": "",
            "description": "decide and notify whether to assess",
            "due": "2026-02-16",
            "act_by": "2026-02-16",
            "days_overdue": 8,
            "regulation": "reg 5(1)",
            "exception": EXCEPTION,
        },
        {
            **common,
            "rule": "advice",
            "key": "health",
            "description": "medical advice from Dr Ng",
            "due": "2026-02-23",
            "act_by": "2026-02-23",
            "days_overdue": 1,
            "regulation": "reg 8(1)",
            "exception": None,
        },
    ]
    assert r.err == ""


def test_overdue_due_soon_has_zero_or_negative_days(ehcp, small_case):
    got = ok(
        ehcp("overdue", "--as-of", "2026-04-13", "--due-within", "14", "--format", "json")
    ).json()
    assert [(g["rule"], g["days_overdue"]) for g in got] == [
        ("decision-to-assess", 56),
        ("advice", 49),
        ("issue-decision", -14),
    ]


def test_history_document(ehcp, small_case):
    history = ok(ehcp("case", "history", small_case, "--format", "json")).json()
    assert [sorted(h) for h in history] == [["action", "at", "details", "user"]] * 3
    assert [h["action"] for h in history] == ["case-opened", "advice-requested", "exception-added"]
    assert history[0]["details"] == {
        "ref": "A1",
        "name": "Ann Lee",
        "dob": "2015-10-10",
        "upn": "H801200001001",
        "coordinator": "Sam",
        "setting": "Oak Primary",
        "need": "ASD",
    }
    assert history[2]["details"] == {
        "ref": "A1",
        "on": "2026-02-01",
        "rule": "decision-to-assess",
        "reason": "personal",
        "note": "family illness",
    }


def test_json_output_is_utf8_not_escaped(ehcp):
    ok(
        ehcp(
            "case",
            "open",
            "Zoë Ó'Brien",
            "--dob",
            "2015-10-10",
            "--received",
            "2026-01-05",
            "--ref",
            "Z1",
        )
    )
    out = ok(ehcp("case", "show", "Z1", "--format", "json")).out
    assert "Zoë Ó'Brien" in out and "\\u" not in out
    out = ok(ehcp("case", "list", "--format", "json")).out
    assert "Zoë Ó'Brien" in out
