"""Needs assessment: the 20-week pathway (SEND Regulations 2014 regs 5, 6, 8, 10, 13)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ehcp_cli.domain import calendar
from ehcp_cli.domain.advice import advice_requests
from ehcp_cli.domain.codes import ADVICE_KINDS
from ehcp_cli.domain.events import (
    AdviceRequested,
    Event,
    Requested,
    StageReached,
)
from ehcp_cli.domain.facts import CaseFacts
from ehcp_cli.domain.rules.registry import Clock, rule
from ehcp_cli.domain.stages import LEFT_PATHWAY

# A request opens a run of the pathway (a `requested` stage event reopens one).
_REQUESTS = (Requested, StageReached)


def _first_stage(events: tuple[Event, ...], stages: frozenset[str]) -> date | None:
    for event in events:
        if isinstance(event, StageReached) and event.stage in stages:
            return event.on
    return None


# One request's run of the pathway: when it was received, the stages it reached in order, and
# the day it left the pathway for good (None if it did not, or came back to it).
_Run = tuple[date, tuple[tuple[str, date], ...], date | None]


def _pathway_runs(facts: CaseFacts) -> tuple[_Run, ...]:
    """Every request's run, read once per case (`CaseFacts.once`) for the four pathway rules.

    A run that leaves the pathway (not assessing, not issuing, withdrawn) stops its clocks from
    that day, unless the decision is reconsidered (mediation, tribunal) and the run goes on.
    """
    runs = []
    for received, episode in facts.request_episodes():
        stages = tuple((e.stage, e.on) for e in episode if isinstance(e, StageReached))
        left = _first_stage(episode, LEFT_PATHWAY)
        if left and _first_stage(_after(episode, left), _BACK_ON_PATHWAY):
            left = None  # a decision reconsidered: the clock runs again
        runs.append((received, stages, left))
    return tuple(runs)


def _pathway_clocks(facts: CaseFacts, weeks: int, meets: frozenset[str]) -> Iterator[Clock]:
    """One clock per request, `weeks` after it, met by reaching one of `meets` in that run.

    A run that left the pathway before meeting the duty makes it not applicable from that day.
    """
    for received, stages, left in facts.once(_pathway_runs):
        met = None
        for stage, on in stages:
            if stage in meets:
                met = on
                break
        yield Clock(received, calendar.weeks_of(received, weeks), met, None if met else left)


_BACK_ON_PATHWAY = frozenset({"assessing", "drafted"})
# The stages that meet each pathway duty.
_DECIDED_TO_ASSESS = frozenset({"assessing", "not-assessing"})
_DRAFTED = frozenset({"drafted"})
_DECIDED_TO_ISSUE = frozenset({"drafted", "not-issuing"})
_ISSUED = frozenset({"issued"})


def _after(events: tuple[Event, ...], day: date) -> tuple[Event, ...]:
    return tuple(
        e
        for e in events
        if e.on >= day
        and not (isinstance(e, StageReached) and e.stage in LEFT_PATHWAY and e.on == day)
    )


@rule(
    "decision-to-assess",
    "statutory",
    "decide and notify whether to assess",
    "reg 5(1)",
    exceptions="reg 5(4)",
    needs=_REQUESTS,
)
def decision_to_assess(facts: CaseFacts) -> Iterator[Clock]:
    return _pathway_clocks(facts, 6, _DECIDED_TO_ASSESS)


@rule(
    "draft-target",
    "guidance",
    "issue the draft plan (leaves time for the 15 days and consultation)",
    "IPSEA practice",
    needs=_REQUESTS,
)
def draft_target(facts: CaseFacts) -> Iterator[Clock]:
    return _pathway_clocks(facts, 14, _DRAFTED)


@rule(
    "issue-decision",
    "statutory",
    "decide whether to issue a plan (notify a refusal)",
    "reg 10(1)",
    exceptions="reg 10(4)",
    needs=_REQUESTS,
)
def issue_decision(facts: CaseFacts) -> Iterator[Clock]:
    return _pathway_clocks(facts, 16, _DECIDED_TO_ISSUE)


@rule(
    "final-plan",
    "statutory",
    "issue the final EHC plan",
    "reg 13(2)",
    exceptions="reg 13(3)",
    needs=_REQUESTS,
)
def final_plan(facts: CaseFacts) -> Iterator[Clock]:
    return _pathway_clocks(facts, 20, _ISSUED)


@rule(
    "draft-representations",
    "window",
    "family's representations on the draft plan close",
    "reg 13(1)",
    needs=(StageReached,),
)
def draft_representations(facts: CaseFacts) -> Iterator[Clock]:
    for event in facts.of_type(StageReached):
        if event.stage == "drafted":
            yield Clock(event.on, calendar.days_beginning_with(event.on, 15))


@rule(
    "advice",
    "statutory",
    "adviser returns advice",
    "reg 8(1)",
    exceptions="reg 8(2)",
    needs=(AdviceRequested,),
)
def advice(facts: CaseFacts) -> Iterator[Clock]:
    """One clock per advice request, met by the receipt `advice_requests` matches to it; lapsed
    if the case leaves the pathway first."""
    left = [e.on for e in facts.events if isinstance(e, StageReached) and e.stage in LEFT_PATHWAY]
    for request in advice_requests(facts.events):
        met = request.received_on
        lapsed = None if met else next((d for d in left if d >= request.requested_on), None)
        label = ADVICE_KINDS.get(request.kind, request.kind).split(" (")[0]
        who = f" from {request.provider}" if request.provider else ""
        yield Clock(
            request.requested_on,
            calendar.weeks_of(request.requested_on, 6),
            met,
            lapsed,
            key=request.kind,
            description=f"{label}{who}",
        )
