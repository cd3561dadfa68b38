"""The eight worked examples of statutory-timescales.md section 4, exactly as written there.

Each example is checked twice: as a unit test of `domain.rules.evaluate` on hand-built facts, and
end to end through the CLI (`case show --format json` and `overdue --as-of`).
"""

from __future__ import annotations

from datetime import date

from helpers import ok

from ehcp_cli.domain import events as ev
from ehcp_cli.domain.facts import CaseFacts
from ehcp_cli.domain.rules import evaluate

D = date.fromisoformat
DOB = D("2015-10-10")


def dues(facts: CaseFacts, rule: str) -> list[date]:
    return [d.due for d in evaluate(facts) if d.rule == rule]


def one(facts: CaseFacts, rule: str):  # type: ignore[no-untyped-def]
    found = [d for d in evaluate(facts) if d.rule == rule]
    assert len(found) == 1, (rule, found)
    return found[0]


def shown(ehcp, ref: str, as_of: str) -> dict[str, list[tuple[str, str, str]]]:  # type: ignore[no-untyped-def]
    """rule -> [(due, act_by, status)] from `case show --format json`."""
    r = ehcp("case", "show", ref, "--as-of", as_of, "--format", "json")
    assert r.code == 0, r.err
    out: dict[str, list[tuple[str, str, str]]] = {}
    for d in r.json()["deadlines"]:
        out.setdefault(d["rule"], []).append((d["due"], d["act_by"], d["status"]))
    return out


# --- 1. the 20-week pathway --------------------------------------------------------------------
REQUEST_2026 = CaseFacts(dob=DOB, events=(ev.Requested(on=D("2026-01-05")),))


def test_example_1_pathway_deadlines():
    assert one(REQUEST_2026, "decision-to-assess").due == D("2026-02-16")
    assert one(REQUEST_2026, "draft-target").due == D("2026-04-13")
    assert one(REQUEST_2026, "issue-decision").due == D("2026-04-27")
    final = one(REQUEST_2026, "final-plan")
    assert final.due == D("2026-05-25")
    assert final.act_by == D("2026-05-22")  # Mon 25 May 2026 is the spring bank holiday
    assert {d.rule for d in evaluate(REQUEST_2026)} == {
        "decision-to-assess",
        "draft-target",
        "issue-decision",
        "final-plan",
    }


def test_example_1_through_the_cli(ehcp, opened):
    assert shown(ehcp, opened, "2026-01-05") == {
        "decision-to-assess": [("2026-02-16", "2026-02-16", "open")],
        "draft-target": [("2026-04-13", "2026-04-13", "open")],
        "issue-decision": [("2026-04-27", "2026-04-27", "open")],
        "final-plan": [("2026-05-25", "2026-05-22", "open")],
    }
    rows = ok(ehcp("overdue", "--as-of", "2026-05-26", "--format", "json")).json()
    assert [(r["rule"], r["due"], r["act_by"], r["days_overdue"]) for r in rows] == [
        ("decision-to-assess", "2026-02-16", "2026-02-16", 99),
        ("issue-decision", "2026-04-27", "2026-04-27", 29),
        ("final-plan", "2026-05-25", "2026-05-22", 1),
    ]
    # On the due day itself nothing is overdue yet.
    assert ok(ehcp("overdue", "--as-of", "2026-02-16", "--format", "json")).json() == []


# --- 2. advice ---------------------------------------------------------------------------------
def test_example_2_advice_due_six_weeks_after_request():
    facts = CaseFacts(
        dob=DOB,
        events=(
            ev.Requested(on=D("2026-01-05")),
            ev.AdviceRequested(on=D("2026-02-16"), advice="health"),
        ),
    )
    advice = one(facts, "advice")
    assert advice.due == D("2026-03-30")
    assert advice.key == "health"


def test_example_2_through_the_cli(ehcp, opened):
    ok(ehcp("move", opened, "assessing", "--on", "2026-02-16"))
    ok(ehcp("advice", "request", opened, "health", "educational", "--on", "16/02/2026"))
    doc = ok(ehcp("case", "show", opened, "--as-of", "2026-03-31", "--format", "json")).json()
    assert doc["advice"] == [
        {
            "kind": "health",
            "provider": None,
            "requested_on": "2026-02-16",
            "due": "2026-03-30",
            "received_on": None,
            "chased_on": [],
        },
        {
            "kind": "educational",
            "provider": None,
            "requested_on": "2026-02-16",
            "due": "2026-03-30",
            "received_on": None,
            "chased_on": [],
        },
    ]
    advice = [d for d in doc["deadlines"] if d["rule"] == "advice"]
    assert sorted((d["key"], d["due"], d["status"]) for d in advice) == [
        ("educational", "2026-03-30", "overdue"),
        ("health", "2026-03-30", "overdue"),
    ]


# --- 3. the family's window on a draft ---------------------------------------------------------
def test_example_3_draft_representations_window():
    facts = CaseFacts(
        dob=DOB,
        events=(
            ev.Requested(on=D("2025-09-01")),
            ev.StageReached(on=D("2025-10-06"), stage="assessing"),
            ev.StageReached(on=D("2026-01-05"), stage="drafted"),
        ),
    )
    window = one(facts, "draft-representations")
    assert (window.kind, window.due) == ("window", D("2026-01-19"))


def test_example_3_through_the_cli(ehcp):
    ok(
        ehcp(
            "case", "open", "Cat", "--dob", "2015-10-10", "--received", "2025-09-01", "--ref", "C3"
        )
    )
    ok(ehcp("move", "C3", "assessing", "--on", "2025-10-06"))
    ok(ehcp("move", "C3", "drafted", "--on", "2026-01-05"))
    assert shown(ehcp, "C3", "2026-01-19")["draft-representations"] == [
        ("2026-01-19", "2026-01-19", "open")
    ]
    # A window is never overdue: it just closes.
    assert shown(ehcp, "C3", "2026-01-20")["draft-representations"] == [
        ("2026-01-19", "2026-01-19", "met")
    ]


# --- 4 and 5. a plan in force: review, amendment, phase transfer -------------------------------
PLAN_2025 = (
    ev.PlanInForce(on=D("2025-03-10")),
    ev.ReviewHeld(on=D("2026-01-21")),
    ev.ReviewDecided(on=D("2026-02-18"), decision="amend"),
)


def test_example_4_review_and_amendment():
    facts = CaseFacts(dob=DOB, events=PLAN_2025)
    assert dues(facts, "annual-review") == [D("2026-03-09"), D("2027-02-17")]
    first = [d for d in evaluate(facts) if d.rule == "annual-review"][0]
    assert first.met_on == D("2026-02-18")
    assert one(facts, "review-report").due == D("2026-02-04")
    decision = one(facts, "review-decision")
    assert (decision.due, decision.met_on) == (D("2026-02-18"), D("2026-02-18"))
    assert one(facts, "amended-plan").due == D("2026-04-15")
    assert one(facts, "amendment-longstop").due == D("2026-04-15")
    assert one(facts, "amendment-representations").due == D("2026-03-04")


def test_example_4_through_the_cli(ehcp):
    ok(
        ehcp(
            "case",
            "open",
            "Dan",
            "--dob",
            "2015-10-10",
            "--plan-issued",
            "2025-03-10",
            "--ref",
            "P4",
        )
    )
    assert shown(ehcp, "P4", "2026-01-01")["annual-review"] == [
        ("2026-03-09", "2026-03-09", "open")
    ]
    ok(ehcp("review", "held", "P4", "--on", "2026-01-21"))
    ok(ehcp("review", "decided", "P4", "amend", "--on", "2026-02-18"))
    got = shown(ehcp, "P4", "2026-02-18")
    assert got["annual-review"] == [
        ("2026-03-09", "2026-03-09", "met"),
        ("2027-02-17", "2027-02-17", "open"),
    ]
    assert got["review-report"] == [("2026-02-04", "2026-02-04", "overdue")]
    assert got["review-decision"] == [("2026-02-18", "2026-02-18", "met")]
    assert got["amended-plan"] == [("2026-04-15", "2026-04-15", "open")]
    assert got["amendment-longstop"] == [("2026-04-15", "2026-04-15", "open")]
    assert got["amendment-representations"] == [("2026-03-04", "2026-03-04", "open")]
    rows = ok(ehcp("overdue", "--as-of", "2026-04-16", "--format", "json")).json()
    assert [(r["rule"], r["due"], r["kind"]) for r in rows] == [
        ("review-report", "2026-02-04", "statutory"),
        ("amended-plan", "2026-04-15", "statutory"),
        ("amendment-longstop", "2026-04-15", "case-law"),
    ]


def test_example_5_phase_transfers_from_the_date_of_birth():
    facts = CaseFacts(dob=D("2015-10-10"), events=(ev.PlanInForce(on=D("2025-03-10")),))
    transfers = [d for d in evaluate(facts) if d.rule == "phase-transfer"]
    assert [(d.key, d.due, d.act_by) for d in transfers] == [
        ("primary-to-secondary:2027", D("2027-02-14"), D("2027-02-12")),
        ("secondary-to-post16:2032", D("2032-03-30"), D("2032-03-30")),
    ]


def test_example_5_through_the_cli(ehcp):
    ok(
        ehcp(
            "case",
            "open",
            "Eve",
            "--dob",
            "10/10/2015",
            "--plan-issued",
            "2025-03-10",
            "--ref",
            "P5",
        )
    )
    assert shown(ehcp, "P5", "2026-11-01")["phase-transfer"] == [
        ("2027-02-14", "2027-02-12", "open"),
        ("2032-03-30", "2032-03-30", "open"),
    ]
    rows = ok(ehcp("overdue", "--as-of", "2027-02-15", "--format", "json")).json()
    assert [(r["rule"], r["due"], r["act_by"], r["days_overdue"]) for r in rows] == [
        ("annual-review", "2026-03-09", "2026-03-09", 343),
        ("phase-transfer", "2027-02-14", "2027-02-12", 1),
    ]


# --- 6. a plan transferred in from another council ---------------------------------------------
def test_example_6_transfer_in():
    facts = CaseFacts(
        dob=DOB,
        events=(
            ev.PlanInForce(on=D("2023-06-01"), last_review=D("2025-06-10")),
            ev.TransferredIn(on=D("2026-03-13"), last_review=D("2025-06-10")),
        ),
    )
    assert one(facts, "transfer-inform").due == D("2026-04-24")
    assert one(facts, "transfer-review").due == D("2026-06-12")  # later of 9 Jun and 12 Jun


def test_example_6_through_the_cli(ehcp):
    ok(
        ehcp(
            "case",
            "open",
            "Fay",
            "--dob",
            "2015-10-10",
            "--plan-issued",
            "2023-06-01",
            "--last-review",
            "2025-06-10",
            "--ref",
            "P6",
        )
    )
    ok(ehcp("transfer", "in", "P6", "--on", "2026-03-13", "--last-review", "2025-06-10"))
    got = shown(ehcp, "P6", "2026-06-10")
    assert got["transfer-inform"] == [("2026-04-24", "2026-04-24", "overdue")]
    assert got["transfer-review"] == [("2026-06-12", "2026-06-12", "open")]
    # The annual cycle gives way to the transfer review (reg 15(5)).
    assert got["annual-review"] == [("2026-06-09", "2026-06-09", "not-applicable")]
    rows = ok(ehcp("overdue", "--as-of", "2026-06-13", "--format", "json")).json()
    assert [(r["rule"], r["due"]) for r in rows] == [
        ("transfer-inform", "2026-04-24"),
        ("transfer-review", "2026-06-12"),
    ]


# --- 7. re-assessment --------------------------------------------------------------------------
def test_example_7_reassessment():
    facts = CaseFacts(
        dob=DOB,
        events=(
            ev.PlanInForce(on=D("2025-03-10")),
            ev.ReassessmentRequested(on=D("2026-03-02")),
            ev.ReassessmentDecided(on=D("2026-03-17"), decision="reassess"),
        ),
    )
    decision = one(facts, "reassessment-decision")
    assert (decision.due, decision.met_on) == (D("2026-03-17"), D("2026-03-17"))
    assert one(facts, "reassessment-plan").due == D("2026-06-23")


def test_example_7_through_the_cli(ehcp):
    ok(
        ehcp(
            "case",
            "open",
            "Gus",
            "--dob",
            "2015-10-10",
            "--plan-issued",
            "2025-03-10",
            "--ref",
            "P7",
        )
    )
    ok(ehcp("reassess", "request", "P7", "--on", "2026-03-02"))
    assert shown(ehcp, "P7", "2026-03-18")["reassessment-decision"] == [
        ("2026-03-17", "2026-03-17", "overdue")
    ]
    ok(ehcp("reassess", "decided", "P7", "reassess", "--on", "2026-03-17"))
    got = shown(ehcp, "P7", "2026-03-18")
    assert got["reassessment-decision"] == [("2026-03-17", "2026-03-17", "met")]
    assert got["reassessment-plan"] == [("2026-06-23", "2026-06-23", "open")]


# --- 8. a tribunal order to make and maintain a plan -------------------------------------------
def test_example_8_tribunal_make_plan():
    facts = CaseFacts(
        dob=DOB,
        events=(
            ev.Requested(on=D("2025-10-01")),
            ev.StageReached(on=D("2025-11-01"), stage="assessing"),
            ev.StageReached(on=D("2026-02-01"), stage="not-issuing"),
            ev.TribunalOrder(on=D("2026-06-05"), order="make-plan"),
        ),
    )
    assert one(facts, "tribunal-draft").due == D("2026-07-10")
    assert one(facts, "tribunal-final").due == D("2026-08-21")  # August is not skipped here


def test_example_8_through_the_cli(ehcp):
    ok(
        ehcp(
            "case", "open", "Hal", "--dob", "2015-10-10", "--received", "2025-10-01", "--ref", "T8"
        )
    )
    ok(ehcp("move", "T8", "assessing", "--on", "2025-11-01"))
    ok(ehcp("move", "T8", "not-issuing", "--on", "2026-02-01"))
    ok(ehcp("tribunal", "order", "T8", "make-plan", "--on", "2026-06-05"))
    got = shown(ehcp, "T8", "2026-07-11")
    assert got["tribunal-draft"] == [("2026-07-10", "2026-07-10", "overdue")]
    assert got["tribunal-final"] == [("2026-08-21", "2026-08-21", "open")]
    rows = ok(ehcp("overdue", "--as-of", "2026-08-22", "--format", "json")).json()
    assert [(r["rule"], r["due"], r["days_overdue"]) for r in rows] == [
        ("tribunal-draft", "2026-07-10", 43),
        ("tribunal-final", "2026-08-21", 1),
    ]
