"""Re-assessment (regs 25, 27) and plans moving between councils (reg 15)."""

from __future__ import annotations

from datetime import date

import pytest

from ehcp_cli.domain import events as ev
from ehcp_cli.domain.facts import CaseFacts
from ehcp_cli.domain.rules import evaluate

D = date.fromisoformat
DOB = D("2015-10-10")
PLAN = ev.PlanInForce(on=D("2023-06-01"), last_review=D("2025-06-10"))


def only(facts: CaseFacts, rule: str):  # type: ignore[no-untyped-def]
    found = [d for d in evaluate(facts) if d.rule == rule]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("last_review", "transfer", "due"),
    [
        ("2025-06-10", "2026-03-13", "2026-06-12"),  # the transfer's 3 months are later
        ("2025-12-01", "2026-03-13", "2026-11-30"),  # the 12 months from the last review are later
        ("2025-06-13", "2026-03-13", "2026-06-12"),  # both the same day
        ("2025-02-28", "2025-11-30", "2026-02-27"),  # 30 Nov + 3 months clamps to 28 Feb
    ],
)
def test_transfer_review_is_the_later_of_the_two_periods(last_review, transfer, due):
    facts = CaseFacts(
        DOB,
        (
            ev.PlanInForce(on=D("2023-06-01"), last_review=D(last_review)),
            ev.TransferredIn(on=D(transfer), last_review=D(last_review)),
        ),
    )
    assert only(facts, "transfer-review").due == D(due)


def test_transfer_review_without_a_stated_last_review_uses_what_ehcp_knows():
    facts = CaseFacts(
        DOB,
        (
            PLAN,
            ev.ReviewDecided(on=D("2025-12-01"), decision="maintain"),
            ev.TransferredIn(on=D("2026-03-13")),
        ),
    )
    assert only(facts, "transfer-review").due == D("2026-11-30")
    facts = CaseFacts(DOB, (PLAN, ev.TransferredIn(on=D("2026-03-13"))))
    assert only(facts, "transfer-review").due == D("2026-06-12")  # known from 10 Jun 2025


def test_transfer_review_is_met_by_a_review_decision_after_the_transfer():
    facts = CaseFacts(
        DOB,
        (
            PLAN,
            ev.TransferredIn(on=D("2026-03-13")),
            ev.ReviewDecided(on=D("2026-06-01"), decision="maintain"),
        ),
    )
    review = only(facts, "transfer-review")
    assert (review.met_on, review.status(D("2026-07-01"))) == (D("2026-06-01"), "met")
    # The interrupted annual cycle gives way to the transfer review: not applicable from the
    # transfer on; the decision meets `transfer-review`, never the old cycle late (no false breach).
    annual = [
        (d.due, d.status(D("2026-05-01")), d.status(D("2026-07-01")))
        for d in evaluate(facts)
        if d.rule == "annual-review"
    ]
    assert annual == [
        (D("2026-06-09"), "not-applicable", "not-applicable"),
        (D("2027-05-31"), "open", "open"),
    ]


@pytest.mark.parametrize(
    ("learned", "move", "due"),
    [
        # 5 working days' notice: 15 working days beginning with the day it learned.
        ("2026-02-23", "2026-03-02", "2026-03-13"),
        # exactly 15 working days' notice (2-20 Feb): the plan goes on the move day
        ("2026-02-02", "2026-02-23", "2026-02-23"),
        # 14 working days' notice: the 15th working day from 2 Feb is Fri 20 Feb
        ("2026-02-02", "2026-02-20", "2026-02-20"),
        # plenty of notice: the move day itself, even on a Saturday
        ("2026-01-05", "2026-04-04", "2026-04-04"),
        # over Christmas 2026: 25 and 28 Dec and 1 Jan are bank holidays
        ("2026-12-14", "2027-01-04", "2027-01-06"),
        # over Easter 2026: Good Friday 3 Apr and Easter Monday 6 Apr
        ("2026-03-30", "2026-04-10", "2026-04-21"),
        # learned on the move day itself
        ("2026-03-02", "2026-03-02", "2026-03-20"),
    ],
)
def test_transfer_send(learned, move, due):
    facts = CaseFacts(DOB, (PLAN, ev.MovingOut(on=D(learned), move_on=D(move))))
    assert only(facts, "transfer-send").due == D(due)


def test_transfer_inform_is_met_by_telling_the_family():
    facts = CaseFacts(
        DOB, (PLAN, ev.TransferredIn(on=D("2026-03-13")), ev.TransferInformed(on=D("2026-04-25")))
    )
    inform = only(facts, "transfer-inform")
    assert (inform.due, inform.status(D("2026-05-01"))) == (D("2026-04-24"), "met-late")


def test_a_refusal_to_reassess_sets_no_plan_clock_but_opens_an_appeal_window():
    facts = CaseFacts(
        DOB,
        (
            ev.PlanInForce(on=D("2025-03-10")),
            ev.ReassessmentRequested(on=D("2026-03-02")),
            ev.ReassessmentDecided(on=D("2026-03-10"), decision="refuse"),
        ),
    )
    rules = {d.rule for d in evaluate(facts)}
    assert "reassessment-plan" not in rules
    window = only(facts, "appeal-window")
    assert window.due == D("2026-05-11")  # 10 May 2026 is a Sunday: the tribunal moves it on
    assert window.description == "last day the family may appeal: refusal to re-assess"
