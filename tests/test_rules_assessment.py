"""The 20-week pathway: leaving it, coming back to it, and advice (regs 5, 6, 8, 10, 13)."""

from __future__ import annotations

from datetime import date

from ehcp_cli.domain import events as ev
from ehcp_cli.domain.facts import CaseFacts
from ehcp_cli.domain.rules import evaluate

D = date.fromisoformat
DOB = D("2015-10-10")
REQUEST = ev.Requested(on=D("2026-01-05"))


def at(facts: CaseFacts, as_of: str) -> dict[str, str]:
    """rule (with the advice kind) -> status, for a case with one of each."""
    out = {}
    for d in evaluate(facts):
        name = f"{d.rule}:{d.key}" if d.key else d.rule
        assert name not in out, f"{name} appears twice"
        out[name] = d.status(D(as_of))
    return out


def stage(on: str, name: str, **kw: str) -> ev.StageReached:
    return ev.StageReached(on=D(on), stage=name, **kw)


def test_a_new_request_has_four_pathway_clocks_open():
    assert at(CaseFacts(DOB, (REQUEST,)), "2026-01-05") == {
        "decision-to-assess": "open",
        "draft-target": "open",
        "issue-decision": "open",
        "final-plan": "open",
    }


def test_deciding_not_to_assess_meets_the_decision_and_closes_the_rest():
    facts = CaseFacts(
        DOB,
        (
            REQUEST,
            ev.AdviceRequested(on=D("2026-01-12"), advice="parent"),
            stage("2026-02-10", "not-assessing"),
        ),
    )
    assert at(facts, "2026-02-09") == {
        "decision-to-assess": "open",
        "draft-target": "open",
        "issue-decision": "open",
        "final-plan": "open",
        "advice:parent": "open",
        "appeal-window": "open",
    }
    after = at(facts, "2026-06-01")
    assert after.pop("appeal-window") == "met"  # the family's window on the refusal has closed
    assert after == {
        "decision-to-assess": "met",
        "draft-target": "not-applicable",
        "issue-decision": "not-applicable",
        "final-plan": "not-applicable",
        "advice:parent": "not-applicable",
    }


def test_a_late_decision_not_to_assess_is_met_late():
    facts = CaseFacts(DOB, (REQUEST, stage("2026-02-17", "not-assessing")))
    assert at(facts, "2026-02-17")["decision-to-assess"] == "met-late"


def test_deciding_not_to_issue_meets_issue_decision_and_closes_the_final_plan():
    facts = CaseFacts(
        DOB,
        (
            REQUEST,
            stage("2026-02-10", "assessing"),
            stage("2026-04-20", "not-issuing"),
        ),
    )
    got = at(facts, "2026-06-01")
    assert got["decision-to-assess"] == "met"
    assert got["issue-decision"] == "met"
    assert got["draft-target"] == "not-applicable"  # draft-target was overdue until then ...
    assert at(facts, "2026-04-19")["draft-target"] == "overdue"
    assert got["final-plan"] == "not-applicable"


def test_withdrawal_closes_open_clocks_but_keeps_met_ones():
    facts = CaseFacts(
        DOB,
        (
            REQUEST,
            stage("2026-02-10", "assessing"),
            ev.AdviceRequested(on=D("2026-02-11"), advice="educational"),
            stage("2026-03-01", "withdrawn"),
        ),
    )
    assert at(facts, "2026-12-01") == {
        "decision-to-assess": "met",
        "draft-target": "not-applicable",
        "issue-decision": "not-applicable",
        "final-plan": "not-applicable",
        "advice:educational": "not-applicable",
    }


def test_a_new_request_after_withdrawal_starts_a_new_twenty_weeks():
    facts = CaseFacts(
        DOB,
        (
            REQUEST,
            stage("2026-01-20", "withdrawn"),
            stage("2026-03-02", "requested"),
        ),
    )
    finals = [(d.due, d.status(D("2026-07-21"))) for d in evaluate(facts) if d.rule == "final-plan"]
    assert finals == [(D("2026-05-25"), "not-applicable"), (D("2026-07-20"), "overdue")]


def test_the_full_pathway_on_time():
    facts = CaseFacts(
        DOB,
        (
            REQUEST,
            stage("2026-02-16", "assessing"),
            stage("2026-04-13", "drafted"),
            stage("2026-05-25", "issued"),
        ),
    )
    got = at(facts, "2026-05-25")
    assert got.pop("annual-review") == "open"  # a plan is now in force
    assert {
        k: v
        for k, v in got.items()
        if k != "phase-transfer:primary-to-secondary:2027" and not k.startswith("phase-transfer")
    } == {
        "decision-to-assess": "met",
        "draft-target": "met",
        "issue-decision": "met",
        "final-plan": "met",
        "draft-representations": "met",
        "appeal-window": "open",
    }
    annual = next(d for d in evaluate(facts) if d.rule == "annual-review")
    assert annual.due == D("2027-05-24")  # 12 months starting with the day the plan was issued


def test_each_advice_request_is_met_by_the_next_receipt_of_its_kind():
    facts = CaseFacts(
        DOB,
        (
            REQUEST,
            ev.AdviceRequested(on=D("2026-01-12"), advice="health", provider="Dr Ng"),
            ev.AdviceRequested(on=D("2026-01-12"), advice="psychological"),
            ev.AdviceReceived(on=D("2026-02-20"), advice="psychological"),
            ev.AdviceReceived(on=D("2026-02-24"), advice="health"),
            ev.AdviceRequested(on=D("2026-03-02"), advice="health"),
        ),
    )
    advice = [
        (d.key, d.description, d.due, d.met_on, d.status(D("2026-05-01")))
        for d in evaluate(facts)
        if d.rule == "advice"
    ]
    assert advice == [
        ("health", "medical advice from Dr Ng", D("2026-02-23"), D("2026-02-24"), "met-late"),
        ("psychological", "psychological advice", D("2026-02-23"), D("2026-02-20"), "met"),
        ("health", "medical advice", D("2026-04-13"), None, "overdue"),
    ]


def test_a_reconsidered_refusal_puts_the_twenty_week_clock_back():
    """Refused, then (after mediation) decided to assess: the original request's clocks run
    again."""
    from ehcp_cli.domain.events import Requested, StageReached

    facts = CaseFacts(
        date(2015, 10, 10),
        (
            Requested(on=date(2026, 1, 5)),
            StageReached(on=date(2026, 2, 10), stage="not-assessing"),
            StageReached(on=date(2026, 4, 1), stage="assessing"),
        ),
    )
    final = next(d for d in evaluate(facts) if d.rule == "final-plan")
    assert final.due == date(2026, 5, 25)
    assert final.status(date(2026, 5, 26)) == "overdue"
