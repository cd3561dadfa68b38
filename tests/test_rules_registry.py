"""Every rule in the registry, judged at its boundaries.

For each rule there is one small timeline that runs it exactly once, and the event that meets it.
The due day itself is `open`, the day after is `overdue` (a window is never overdue: it closes);
met on the due day is `met`, met the day after is `met-late`. A rule added to the registry without
a scenario here fails `test_every_rule_has_a_scenario`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from ehcp_cli.domain import events as ev
from ehcp_cli.domain.facts import CaseFacts
from ehcp_cli.domain.rules import KINDS, RULES, STATUSES, Deadline, evaluate, exception_rules

D = date.fromisoformat
ONE = timedelta(days=1)
DOB = D("2015-10-10")

PLAN = ev.PlanInForce(on=D("2025-03-10"))
REQUEST = ev.Requested(on=D("2026-01-05"))
ASSESSING = ev.StageReached(on=D("2026-02-01"), stage="assessing")
DRAFTED = ev.StageReached(on=D("2026-03-01"), stage="drafted")
OLD_REQUEST = ev.Requested(on=D("2025-10-01"))
NOT_ASSESSING = ev.StageReached(on=D("2025-11-01"), stage="not-assessing")
NOT_ISSUING = (
    ev.StageReached(on=D("2025-11-01"), stage="assessing"),
    ev.StageReached(on=D("2026-02-01"), stage="not-issuing"),
)
ORDER_DAY = D("2026-06-05")


def stage(name: str) -> Callable[[date], ev.Event]:
    return lambda on: ev.StageReached(on=on, stage=name)


@dataclass(frozen=True)
class Scenario:
    rule: str
    events: tuple[ev.Event, ...]
    due: date
    meet: Callable[[date], ev.Event] | None  # None for windows
    dob: date = DOB
    key: str = ""


SCENARIOS = [
    Scenario("decision-to-assess", (REQUEST,), D("2026-02-16"), stage("assessing")),
    Scenario("draft-target", (REQUEST, ASSESSING), D("2026-04-13"), stage("drafted")),
    Scenario("issue-decision", (REQUEST, ASSESSING), D("2026-04-27"), stage("drafted")),
    Scenario("final-plan", (REQUEST, ASSESSING, DRAFTED), D("2026-05-25"), stage("issued")),
    Scenario("draft-representations", (REQUEST, ASSESSING, DRAFTED), D("2026-03-15"), None),
    Scenario(
        "advice",
        (REQUEST, ev.AdviceRequested(on=D("2026-02-16"), advice="health")),
        D("2026-03-30"),
        lambda on: ev.AdviceReceived(on=on, advice="health"),
        key="health",
    ),
    Scenario(
        "annual-review",
        (PLAN,),
        D("2026-03-09"),
        lambda on: ev.ReviewDecided(on=on, decision="maintain"),
    ),
    Scenario(
        "under-5-review",
        (PLAN,),
        D("2025-09-09"),
        lambda on: ev.ReviewDecided(on=on, decision="maintain"),
        dob=D("2022-01-01"),
    ),
    Scenario(
        "review-report",
        (PLAN, ev.ReviewHeld(on=D("2026-01-21"))),
        D("2026-02-04"),
        lambda on: ev.ReviewReportSent(on=on),
    ),
    Scenario(
        "review-decision",
        (PLAN, ev.ReviewHeld(on=D("2026-01-21"))),
        D("2026-02-18"),
        lambda on: ev.ReviewDecided(on=on, decision="maintain"),
    ),
    Scenario(
        "amendment-representations",
        (PLAN, ev.AmendNotice(on=D("2026-01-21"))),
        D("2026-02-04"),
        None,
    ),
    Scenario(
        "amended-plan",
        (PLAN, ev.AmendNotice(on=D("2026-01-21"))),
        D("2026-03-18"),
        lambda on: ev.AmendIssued(on=on),
    ),
    Scenario(
        "amendment-longstop",
        (
            PLAN,
            ev.ReviewHeld(on=D("2026-01-21")),
            ev.ReviewDecided(on=D("2026-02-18"), decision="amend"),
        ),
        D("2026-04-15"),
        lambda on: ev.AmendIssued(on=on),
    ),
    Scenario(
        "phase-transfer",
        (PLAN,),
        D("2027-02-14"),
        lambda on: ev.ReviewDecided(on=on, decision="maintain"),
        key="primary-to-secondary:2027",
    ),
    Scenario(
        "phase-transfer-post16",
        (
            PLAN,
            ev.PhaseTransferAdded(
                on=D("2025-04-01"), transfer="post16-to-post16", transfer_on=D("2026-01-05")
            ),
        ),
        D("2025-08-05"),
        lambda on: ev.ReviewDecided(on=on, decision="maintain"),
        dob=D("2008-10-10"),
        key="post16-to-post16:2026",
    ),
    Scenario(
        "reassessment-decision",
        (PLAN, ev.ReassessmentRequested(on=D("2026-03-02"))),
        D("2026-03-17"),
        lambda on: ev.ReassessmentDecided(on=on, decision="refuse"),
    ),
    Scenario(
        "reassessment-plan",
        (PLAN, ev.ReassessmentDecided(on=D("2026-03-17"), decision="reassess")),
        D("2026-06-23"),
        lambda on: ev.AmendIssued(on=on),
    ),
    Scenario(
        "transfer-send",
        (PLAN, ev.MovingOut(on=D("2026-02-23"), move_on=D("2026-03-02"))),
        D("2026-03-13"),
        lambda on: ev.PlanSent(on=on),
    ),
    Scenario(
        "transfer-inform",
        (
            ev.PlanInForce(on=D("2023-06-01"), last_review=D("2025-06-10")),
            ev.TransferredIn(on=D("2026-03-13")),
        ),
        D("2026-04-24"),
        lambda on: ev.TransferInformed(on=on),
    ),
    Scenario(
        "transfer-review",
        (
            ev.PlanInForce(on=D("2023-06-01"), last_review=D("2025-06-10")),
            ev.TransferredIn(on=D("2026-03-13")),
        ),
        D("2026-06-12"),
        lambda on: ev.ReviewDecided(on=on, decision="maintain"),
    ),
    Scenario("appeal-window", (OLD_REQUEST, NOT_ASSESSING), D("2026-01-02"), None),
    Scenario(
        "mediation-held",
        (OLD_REQUEST, NOT_ASSESSING, ev.MediationRequested(on=D("2025-11-20"))),
        D("2025-12-20"),
        lambda on: ev.MediationHeld(on=on),
    ),
    Scenario(
        "tribunal-assess-notify",
        (OLD_REQUEST, NOT_ASSESSING, ev.TribunalOrder(on=ORDER_DAY, order="assess")),
        D("2026-06-19"),
        stage("assessing"),
    ),
    Scenario(
        "tribunal-assess-no-plan",
        (
            OLD_REQUEST,
            NOT_ASSESSING,
            ev.TribunalOrder(on=ORDER_DAY, order="assess"),
            ev.StageReached(on=D("2026-06-10"), stage="assessing"),
        ),
        D("2026-08-14"),
        stage("not-issuing"),
    ),
    Scenario(
        "tribunal-assess-plan",
        (
            OLD_REQUEST,
            NOT_ASSESSING,
            ev.TribunalOrder(on=ORDER_DAY, order="assess"),
            ev.StageReached(on=D("2026-06-10"), stage="assessing"),
            ev.StageReached(on=D("2026-08-01"), stage="drafted"),
        ),
        D("2026-09-11"),
        stage("issued"),
    ),
    Scenario(
        "tribunal-draft",
        (OLD_REQUEST, *NOT_ISSUING, ev.TribunalOrder(on=ORDER_DAY, order="make-plan")),
        D("2026-07-10"),
        stage("drafted"),
    ),
    Scenario(
        "tribunal-final",
        (
            OLD_REQUEST,
            *NOT_ISSUING,
            ev.TribunalOrder(on=ORDER_DAY, order="make-plan"),
            ev.StageReached(on=D("2026-07-01"), stage="drafted"),
        ),
        D("2026-08-21"),
        stage("issued"),
    ),
    Scenario(
        "tribunal-amend-contents",
        (PLAN, ev.TribunalOrder(on=ORDER_DAY, order="amend-contents")),
        D("2026-07-10"),
        lambda on: ev.AmendIssued(on=on),
    ),
    Scenario(
        "tribunal-amend-institution",
        (PLAN, ev.TribunalOrder(on=ORDER_DAY, order="amend-institution")),
        D("2026-06-19"),
        lambda on: ev.AmendIssued(on=on),
    ),
]
BY_RULE = {s.rule: s for s in SCENARIOS}
IDS = [s.rule for s in SCENARIOS]


def the_deadline(scenario: Scenario, extra: tuple[ev.Event, ...] = ()) -> Deadline:
    """The scenario's deadline: the earliest-triggered one of its rule (and key, if given)."""
    facts = CaseFacts(dob=scenario.dob, events=(*scenario.events, *extra))
    found = [
        d
        for d in evaluate(facts)
        if d.rule == scenario.rule and (not scenario.key or d.key == scenario.key)
    ]
    assert found, f"{scenario.rule} produced no deadline"
    return min(found, key=lambda d: d.trigger)


def test_every_rule_has_a_scenario():
    assert sorted(BY_RULE) == sorted(RULES)


def test_every_rule_has_a_known_kind_and_a_citation():
    for spec, _ in RULES.values():
        assert spec.kind in KINDS
        assert spec.regulation and spec.description


def test_rule_ids_and_kinds_are_those_of_the_law_doc():
    kinds = {rule: spec.kind for rule, (spec, _) in RULES.items()}
    assert kinds == {
        "decision-to-assess": "statutory",
        "advice": "statutory",
        "draft-target": "guidance",
        "issue-decision": "statutory",
        "draft-representations": "window",
        "final-plan": "statutory",
        "annual-review": "statutory",
        "review-report": "statutory",
        "review-decision": "statutory",
        "amendment-representations": "window",
        "amended-plan": "statutory",
        "amendment-longstop": "case-law",
        "phase-transfer": "statutory",
        "phase-transfer-post16": "statutory",
        "under-5-review": "guidance",
        "reassessment-decision": "statutory",
        "reassessment-plan": "statutory",
        "transfer-send": "statutory",
        "transfer-inform": "statutory",
        "transfer-review": "statutory",
        "appeal-window": "window",
        "mediation-held": "statutory",
        "tribunal-assess-notify": "statutory",
        "tribunal-assess-no-plan": "statutory",
        "tribunal-assess-plan": "statutory",
        "tribunal-draft": "statutory",
        "tribunal-final": "statutory",
        "tribunal-amend-contents": "statutory",
        "tribunal-amend-institution": "statutory",
    }


def test_exceptions_exist_exactly_where_the_law_gives_them():
    # regs 5(4), 8(2), 10(4), 13(3), 27(3), 44(3)
    assert exception_rules() == {
        "decision-to-assess": "reg 5(4)",
        "advice": "reg 8(2)",
        "issue-decision": "reg 10(4)",
        "final-plan": "reg 13(3)",
        "reassessment-plan": "reg 27(3)",
        "tribunal-assess-notify": "reg 44(3)",
        "tribunal-assess-no-plan": "reg 44(3)",
        "tribunal-assess-plan": "reg 44(3)",
        "tribunal-draft": "reg 44(3)",
        "tribunal-final": "reg 44(3)",
        "tribunal-amend-contents": "reg 44(3)",
        "tribunal-amend-institution": "reg 44(3)",
    }


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_due_date(scenario):
    deadline = the_deadline(scenario)
    assert deadline.due == scenario.due
    assert deadline.trigger <= deadline.due


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_due_day_is_open_and_the_day_after_is_overdue(scenario):
    deadline = the_deadline(scenario)
    assert deadline.status(scenario.due) == "open"
    after = deadline.status(scenario.due + ONE)
    if deadline.kind == "window":
        assert after == "met"  # a window closes; it is never overdue
        assert all(
            deadline.status(scenario.due + timedelta(days=n)) != "overdue" for n in range(0, 400, 7)
        )
    else:
        assert after == "overdue"


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if s.meet], ids=lambda s: s.rule)
def test_met_on_the_due_day_is_met(scenario):
    deadline = the_deadline(scenario, (scenario.meet(scenario.due),))
    assert deadline.met_on == scenario.due
    assert deadline.status(scenario.due) == "met"
    assert deadline.status(scenario.due + timedelta(days=90)) == "met"
    # Judged before the meeting event happened, it was still open.
    assert deadline.status(scenario.due - ONE) == "open"


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if s.meet], ids=lambda s: s.rule)
def test_met_the_day_after_is_met_late(scenario):
    late = scenario.due + ONE
    deadline = the_deadline(scenario, (scenario.meet(late),))
    assert deadline.met_on == late
    assert deadline.status(scenario.due) == "open"
    assert deadline.status(late) == "met-late"
    assert deadline.status(late + timedelta(days=365)) == "met-late"


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if s.meet], ids=lambda s: s.rule)
def test_ceasing_closes_every_clock(scenario):
    ceased_on = scenario.due - ONE
    deadline = the_deadline(scenario, (ev.StageReached(on=ceased_on, stage="ceased", reason="9"),))
    assert deadline.lapsed_on == ceased_on
    assert deadline.status(ceased_on - ONE) == "open"
    assert deadline.status(ceased_on) == "not-applicable"
    assert deadline.status(scenario.due + timedelta(days=30)) == "not-applicable"


def test_statuses_are_the_contracts():
    assert STATUSES == ("open", "met", "met-late", "overdue", "not-applicable")


def test_evaluate_sorts_by_due_date():
    facts = CaseFacts(
        dob=DOB, events=(REQUEST, ev.AdviceRequested(on=D("2026-01-06"), advice="parent"))
    )
    dues = [d.due for d in evaluate(facts)]
    assert dues == sorted(dues)


def test_exception_is_attached_only_while_it_overlaps_the_clock():
    base = (REQUEST,)
    inside = ev.ExceptionRecorded(
        on=D("2026-02-01"), rule="final-plan", reason="closure", until=D("2026-03-01")
    )
    before = ev.ExceptionRecorded(
        on=D("2025-06-01"), rule="final-plan", reason="closure", until=D("2025-07-01")
    )
    after = ev.ExceptionRecorded(on=D("2026-06-01"), rule="final-plan", reason="closure")
    other_rule = ev.ExceptionRecorded(on=D("2026-02-01"), rule="advice", reason="absence")
    for exc, expected in ((inside, inside), (before, None), (after, None), (other_rule, None)):
        facts = CaseFacts(dob=DOB, events=(*base, exc))
        final = next(d for d in evaluate(facts) if d.rule == "final-plan")
        assert final.exception == expected
        # An exception never stops the clock: the deadline is still overdue, only marked.
        assert final.status(D("2026-06-02")) == "overdue"
