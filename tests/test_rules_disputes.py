"""Appeal windows on the tribunal's calendar, mediation and tribunal orders (regs 32-44, r20)."""

from __future__ import annotations

from datetime import date

import pytest

from ehcp_cli.domain import events as ev
from ehcp_cli.domain.facts import CaseFacts
from ehcp_cli.domain.rules import evaluate

D = date.fromisoformat
DOB = D("2015-10-10")
PLAN = ev.PlanInForce(on=D("2025-03-10"))


def refused_on(day: str, *more: ev.Event) -> CaseFacts:
    return CaseFacts(
        DOB,
        (
            ev.Requested(on=D("2025-06-01")),
            ev.StageReached(on=D(day), stage="not-assessing"),
            *more,
        ),
    )


def windows(facts: CaseFacts) -> list[tuple[date, str]]:
    return [(d.due, d.description) for d in evaluate(facts) if d.rule == "appeal-window"]


@pytest.mark.parametrize(
    ("notice", "last_day"),
    [
        ("2026-02-16", "2026-04-16"),  # research example 8: two months, a Thursday
        ("2025-06-20", "2025-09-01"),  # ends 20 Aug: August is skipped
        ("2025-06-30", "2025-09-01"),
        ("2025-07-01", "2025-09-01"),  # ends 1 Sep, a Monday: unchanged
        ("2025-10-28", "2026-01-02"),  # ends 28 Dec: Christmas is skipped, Fri 2 Jan 2026
        ("2025-10-31", "2026-01-02"),  # 31 Oct + 2 months = 31 Dec
        ("2025-08-31", "2025-10-31"),
        ("2025-12-31", "2026-03-02"),  # 28 Feb 2026 is a Saturday
        ("2025-07-15", "2025-09-15"),
    ],
)
def test_appeal_window_two_months_on_the_tribunal_calendar(notice, last_day):
    assert windows(refused_on(notice)) == [
        (D(last_day), "last day the family may appeal: refusal to assess")
    ]


def test_a_mediation_certificate_can_extend_the_window():
    # research example 8: certificate Fri 10 Apr 2026 -> Sun 10 May -> Mon 11 May 2026
    facts = refused_on(
        "2026-02-16",
        ev.MediationRequested(on=D("2026-03-01")),
        ev.MediationHeld(on=D("2026-03-25")),
        ev.MediationCertificate(on=D("2026-04-10")),
    )
    assert [due for due, _ in windows(facts)] == [D("2026-05-11")]


def test_an_early_certificate_does_not_shorten_the_window():
    facts = refused_on(
        "2026-02-16",
        ev.MediationRequested(on=D("2026-02-17")),
        ev.MediationCertificate(on=D("2026-02-20")),
    )
    assert [due for due, _ in windows(facts)] == [D("2026-04-16")]


def test_a_certificate_ending_over_christmas_moves_into_january():
    # IPSEA's example: letter 1 October, certificate 29 November -> 29 Dec -> 2 Jan (a Saturday
    # in 2027) -> Mon 4 Jan 2027.
    facts = refused_on(
        "2026-10-01",
        ev.MediationRequested(on=D("2026-10-10")),
        ev.MediationCertificate(on=D("2026-11-29")),
    )
    assert [due for due, _ in windows(facts)] == [D("2027-01-04")]


def test_a_certificate_belongs_to_the_latest_decision_before_it():
    facts = CaseFacts(
        DOB,
        (
            ev.Requested(on=D("2025-06-01")),
            ev.StageReached(on=D("2025-07-01"), stage="assessing"),
            ev.StageReached(on=D("2025-10-01"), stage="drafted"),
            ev.StageReached(on=D("2025-11-03"), stage="issued"),
            ev.MediationRequested(on=D("2025-11-10")),
            ev.MediationCertificate(on=D("2025-12-15")),
            ev.AmendIssued(on=D("2026-03-02")),
        ),
    )
    assert windows(facts) == [
        (D("2026-01-15"), "last day the family may appeal: contents of the plan"),
        (D("2026-05-05"), "last day the family may appeal: contents of the amended plan"),
    ]


@pytest.mark.parametrize(
    ("event", "what"),
    [
        (ev.ReviewDecided(on=D("2026-01-05"), decision="cease"), "decision to cease"),
        (ev.AmendDeclined(on=D("2026-01-05")), "refusal to amend"),
        (
            ev.DecisionNotice(on=D("2026-01-05"), decision="refusal to name a school"),
            "refusal to name a school",
        ),
        (ev.DecisionNotice(on=D("2026-01-05")), "decision"),
    ],
)
def test_appealable_decisions_on_a_plan_in_force(event, what):
    assert windows(CaseFacts(DOB, (PLAN, event))) == [
        (D("2026-03-05"), f"last day the family may appeal: {what}")
    ]


def test_maintain_and_amend_decisions_are_not_appealable_until_the_plan_is():
    facts = CaseFacts(
        DOB,
        (
            PLAN,
            ev.ReviewDecided(on=D("2026-01-05"), decision="maintain"),
            ev.ReviewDecided(on=D("2026-02-05"), decision="amend"),
        ),
    )
    assert windows(facts) == []


def test_mediation_must_be_held_within_30_days():
    facts = refused_on(
        "2026-02-16",
        ev.MediationRequested(on=D("2026-02-20")),
        ev.MediationHeld(on=D("2026-03-23")),
    )
    mediation = [d for d in evaluate(facts) if d.rule == "mediation-held"]
    assert [(d.due, d.status(D("2026-04-01"))) for d in mediation] == [
        (D("2026-03-22"), "met-late")
    ]


ORDER = D("2026-06-05")


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("amend-institution", {"tribunal-amend-institution": "2026-06-19"}),
        ("amend-contents", {"tribunal-amend-contents": "2026-07-10"}),
        ("make-plan", {"tribunal-draft": "2026-07-10", "tribunal-final": "2026-08-21"}),
        (
            "assess",
            {
                "tribunal-assess-notify": "2026-06-19",
                "tribunal-assess-no-plan": "2026-08-14",
                "tribunal-assess-plan": "2026-09-11",
            },
        ),
    ],
)
def test_tribunal_orders(order, expected):
    # research example 9: an order dated Fri 5 Jun 2026; August is NOT skipped for the council
    facts = CaseFacts(DOB, (PLAN, ev.TribunalOrder(on=ORDER, order=order)))
    got = {d.rule: d.due.isoformat() for d in evaluate(facts) if d.rule.startswith("tribunal-")}
    assert got == expected


def test_an_assessment_order_ends_on_one_of_its_two_outcomes():
    base = (
        ev.Requested(on=D("2025-06-01")),
        ev.StageReached(on=D("2025-07-01"), stage="not-assessing"),
        ev.TribunalOrder(on=ORDER, order="assess"),
        ev.StageReached(on=D("2026-06-12"), stage="assessing"),
    )
    no_plan = CaseFacts(DOB, (*base, ev.StageReached(on=D("2026-08-01"), stage="not-issuing")))
    judged = {
        d.rule: d.status(D("2026-10-01"))
        for d in evaluate(no_plan)
        if d.rule.startswith("tribunal-")
    }
    assert judged == {
        "tribunal-assess-notify": "met",
        "tribunal-assess-no-plan": "met",
        "tribunal-assess-plan": "not-applicable",
    }
    plan = CaseFacts(
        DOB,
        (
            *base,
            ev.StageReached(on=D("2026-08-01"), stage="drafted"),
            ev.StageReached(on=D("2026-09-01"), stage="issued"),
        ),
    )
    judged = {
        d.rule: d.status(D("2026-10-01")) for d in evaluate(plan) if d.rule.startswith("tribunal-")
    }
    assert judged == {
        "tribunal-assess-notify": "met",
        "tribunal-assess-no-plan": "not-applicable",
        "tribunal-assess-plan": "met",
    }
