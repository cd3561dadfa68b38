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


def _pathway_clocks(facts: CaseFacts, weeks: int, meets: frozenset[str]) -> Iterator[Clock]:
    """One clock per request, `weeks` after it, met by reaching one of `meets` in that run.

    A run that leaves the pathway (not assessing, not issuing, withdrawn) before meeting the
    duty makes it not applicable from that day.
    """
    for received, episode in facts.request_episodes():
        met = _first_stage(episode, meets)
        lapsed = None if met else _first_stage(episode, LEFT_PATHWAY)
        if lapsed and _first_stage(_after(episode, lapsed), _BACK_ON_PATHWAY):
            lapsed = None  # a decision reconsidered (mediation, tribunal): the clock runs again
        yield Clock(received, calendar.weeks_of(received, weeks), met, lapsed)


_BACK_ON_PATHWAY = frozenset({"assessing", "drafted"})


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
    return _pathway_clocks(facts, 6, frozenset({"assessing", "not-assessing"}))


@rule(
    "draft-target",
    "guidance",
    "issue the draft plan (leaves time for the 15 days and consultation)",
    "IPSEA practice",
    needs=_REQUESTS,
)
def draft_target(facts: CaseFacts) -> Iterator[Clock]:
    return _pathway_clocks(facts, 14, frozenset({"drafted"}))


@rule(
    "issue-decision",
    "statutory",
    "decide whether to issue a plan (notify a refusal)",
    "reg 10(1)",
    exceptions="reg 10(4)",
    needs=_REQUESTS,
)
def issue_decision(facts: CaseFacts) -> Iterator[Clock]:
    return _pathway_clocks(facts, 16, frozenset({"drafted", "not-issuing"}))


@rule(
    "final-plan",
    "statutory",
    "issue the final EHC plan",
    "reg 13(2)",
    exceptions="reg 13(3)",
    needs=_REQUESTS,
)
def final_plan(facts: CaseFacts) -> Iterator[Clock]:
    return _pathway_clocks(facts, 20, frozenset({"issued"}))


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
