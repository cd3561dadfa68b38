"""Re-assessment (regs 24–27) and plans moving between councils (reg 15)."""

from __future__ import annotations

from collections.abc import Iterator

from ehcp_cli.domain import calendar
from ehcp_cli.domain.events import (
    AmendDeclined,
    AmendIssued,
    MovingOut,
    PlanSent,
    ReassessmentDecided,
    ReassessmentRequested,
    ReviewDecided,
    TransferInformed,
    TransferredIn,
)
from ehcp_cli.domain.facts import CaseFacts
from ehcp_cli.domain.rules.registry import Clock, rule


@rule(
    "reassessment-decision",
    "statutory",
    "decide on a request to re-assess",
    "reg 25(1)",
    needs=(ReassessmentRequested,),
)
def reassessment_decision(facts: CaseFacts) -> Iterator[Clock]:
    for request in facts.of_type(ReassessmentRequested):
        met = facts.first_on_of(ReassessmentDecided, request.on)
        yield Clock(request.on, calendar.days_of(request.on, 15), met)


@rule(
    "reassessment-plan",
    "statutory",
    "issue the final amended or replaced plan after re-assessment",
    "reg 27(2)",
    exceptions="reg 27(3)",
    needs=(ReassessmentDecided,),
)
def reassessment_plan(facts: CaseFacts) -> Iterator[Clock]:
    for decision in facts.of_type(ReassessmentDecided):
        if decision.decision == "reassess":
            met = facts.first_on_of((AmendIssued, AmendDeclined), decision.on)
            yield Clock(decision.on, calendar.weeks_of(decision.on, 14), met)


@rule(
    "transfer-send",
    "statutory",
    "send the plan to the new council",
    "reg 15(2)",
    needs=(MovingOut,),
)
def transfer_send(facts: CaseFacts) -> Iterator[Clock]:
    """Due on the move day; with under 15 working days' notice, the 15th working day from notice."""
    for moving in facts.of_type(MovingOut):
        if calendar.working_days_between(moving.on, moving.move_on) < 15:
            due = calendar.working_days_beginning_with(moving.on, 15)
        else:
            due = moving.move_on
        yield Clock(moving.on, due, facts.first_on_of(PlanSent, moving.on))


@rule(
    "transfer-inform",
    "statutory",
    "tell the family of the transfer, any re-assessment and when the plan will be reviewed",
    "reg 15(4)",
    needs=(TransferredIn,),
)
def transfer_inform(facts: CaseFacts) -> Iterator[Clock]:
    for transfer in facts.of_type(TransferredIn):
        met = facts.first_on_of(TransferInformed, transfer.on)
        yield Clock(transfer.on, calendar.weeks_of(transfer.on, 6), met)


@rule(
    "transfer-review",
    "statutory",
    "review the transferred plan",
    "reg 15(5)",
    needs=(TransferredIn,),
)
def transfer_review(facts: CaseFacts) -> Iterator[Clock]:
    """The later of 12 months from the plan or its last review, and 3 months from the transfer."""
    start = facts.plan_start()
    for transfer in facts.of_type(TransferredIn):
        last = transfer.last_review
        if last is None:
            earlier = [e.on for e in facts.of_type(ReviewDecided) if e.on <= transfer.on]
            last = max(earlier) if earlier else (start[1] if start else transfer.on)
        due = max(
            calendar.months_starting_with(last, 12),
            calendar.months_starting_with(transfer.on, 3),
        )
        met = next((e.on for e in facts.of_type(ReviewDecided) if e.on > transfer.on), None)
        yield Clock(transfer.on, due, met)
