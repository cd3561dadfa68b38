"""Disagreements: appeal windows, mediation and compliance with tribunal orders (regs 32–44)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ehcp_cli.domain import calendar
from ehcp_cli.domain.events import (
    AmendDeclined,
    AmendIssued,
    DecisionNotice,
    Event,
    MediationCertificate,
    MediationHeld,
    MediationRequested,
    ReassessmentDecided,
    ReviewDecided,
    StageReached,
    TribunalOrder,
)
from ehcp_cli.domain.facts import CaseFacts
from ehcp_cli.domain.rules.registry import Clock, rule

# The stages whose notice is an appealable decision, and what the family would appeal against.
_APPEALABLE_STAGES = {
    "not-assessing": "refusal to assess", "not-issuing": "refusal to issue a plan",
    "issued": "contents of the plan", "ceased": "ceasing the plan",
}


def _appealable(event: Event) -> str | None:
    """What the family could appeal against, if this event notified an appealable decision."""
    if isinstance(event, StageReached):
        return _APPEALABLE_STAGES.get(event.stage)
    if isinstance(event, AmendIssued):
        return "contents of the amended plan"
    if isinstance(event, AmendDeclined):
        return "refusal to amend"
    if isinstance(event, ReassessmentDecided) and event.decision == "refuse":
        return "refusal to re-assess"
    if isinstance(event, ReviewDecided) and event.decision == "cease":
        return "decision to cease"
    if isinstance(event, DecisionNotice):
        return event.decision or "decision"
    return None


# The only kinds of event `_appealable` can name.
_APPEALABLE = (StageReached, AmendIssued, AmendDeclined, ReassessmentDecided, ReviewDecided,
               DecisionNotice)


@rule("appeal-window", "window", "last day the family may appeal to the tribunal",
      "HESC Rules r20(1)(c)",
      needs=_APPEALABLE)
def appeal_window(facts: CaseFacts) -> Iterator[Clock]:
    """Later of notice + 2 months and certificate + 1 month, on the tribunal's calendar."""
    notices = [(e.on, what) for e in facts.events if (what := _appealable(e))]
    certificates = [e.on for e in facts.of_type(MediationCertificate)]
    for index, (notified, what) in enumerate(notices):
        next_notice = notices[index + 1][0] if index + 1 < len(notices) else date.max
        end = calendar.add_months(notified, 2)
        for certified in certificates:
            if notified <= certified < next_notice:
                end = max(end, calendar.add_months(certified, 1))
        yield Clock(
            notified,
            calendar.tribunal_deadline(end),
            description=f"last day the family may appeal: {what}",
        )


@rule("mediation-held", "statutory", "hold the mediation", "regs 36-37",
      needs=(MediationRequested,))
def mediation_held(facts: CaseFacts) -> Iterator[Clock]:
    for request in facts.of_type(MediationRequested):
        met = facts.first_on_of(MediationHeld, request.on)
        yield Clock(request.on, calendar.days_of(request.on, 30), met)


def _stage_on(facts: CaseFacts, stages: set[str], since: date) -> date | None:
    return facts.stage_date(stages, since)


def _orders(facts: CaseFacts, order: str) -> Iterator[TribunalOrder]:
    return (o for o in facts.of_type(TribunalOrder) if o.order == order)


@rule("tribunal-assess-notify", "statutory", "notify that the council will assess (tribunal order)",
      "reg 44(2)(b)", exceptions="reg 44(3)",
      needs=(TribunalOrder,))
def tribunal_assess_notify(facts: CaseFacts) -> Iterator[Clock]:
    for order in _orders(facts, "assess"):
        met = facts.first_on(
            lambda e: (isinstance(e, StageReached) and e.stage == "assessing")
            or (isinstance(e, ReassessmentDecided) and e.decision == "reassess"),
            order.on,
        )
        yield Clock(order.on, calendar.weeks_of(order.on, 2), met)


@rule("tribunal-assess-no-plan", "statutory",
      "notify a decision not to issue a plan after a tribunal-ordered assessment",
      "reg 44(2)(b)(i)", exceptions="reg 44(3)",
      needs=(TribunalOrder,))
def tribunal_assess_no_plan(facts: CaseFacts) -> Iterator[Clock]:
    for order in _orders(facts, "assess"):
        met = _stage_on(facts, {"not-issuing"}, order.on)
        other_path = _stage_on(facts, {"drafted", "issued"}, order.on) or facts.first_on_of(
            AmendIssued, order.on
        )
        yield Clock(order.on, calendar.weeks_of(order.on, 10), met, None if met else other_path)


@rule("tribunal-assess-plan", "statutory",
      "issue the final plan after a tribunal-ordered assessment", "reg 44(2)(b)(ii)",
      exceptions="reg 44(3)",
      needs=(TribunalOrder,))
def tribunal_assess_plan(facts: CaseFacts) -> Iterator[Clock]:
    for order in _orders(facts, "assess"):
        met = _stage_on(facts, {"issued"}, order.on) or facts.first_on_of(AmendIssued, order.on)
        other_path = _stage_on(facts, {"not-issuing"}, order.on)
        yield Clock(order.on, calendar.weeks_of(order.on, 14), met, None if met else other_path)


@rule("tribunal-draft", "statutory", "issue a draft plan (tribunal order to make a plan)",
      "reg 44(2)(c)(i)", exceptions="reg 44(3)",
      needs=(TribunalOrder,))
def tribunal_draft(facts: CaseFacts) -> Iterator[Clock]:
    for order in _orders(facts, "make-plan"):
        yield Clock(order.on, calendar.weeks_of(order.on, 5),
                    _stage_on(facts, {"drafted"}, order.on))


@rule("tribunal-final", "statutory", "issue the final plan (tribunal order to make a plan)",
      "reg 44(2)(c)(ii)", exceptions="reg 44(3)",
      needs=(TribunalOrder,))
def tribunal_final(facts: CaseFacts) -> Iterator[Clock]:
    for order in _orders(facts, "make-plan"):
        yield Clock(order.on, calendar.weeks_of(order.on, 11),
                    _stage_on(facts, {"issued"}, order.on))


@rule("tribunal-amend-contents", "statutory",
      "issue the amended plan (tribunal order on the plan's contents)", "reg 44(2)(e)",
      exceptions="reg 44(3)",
      needs=(TribunalOrder,))
def tribunal_amend_contents(facts: CaseFacts) -> Iterator[Clock]:
    for order in _orders(facts, "amend-contents"):
        yield Clock(order.on, calendar.weeks_of(order.on, 5),
                    facts.first_on_of(AmendIssued, order.on))


@rule("tribunal-amend-institution", "statutory",
      "issue the amended plan (tribunal order on the named institution only)", "reg 44(2)(f)",
      exceptions="reg 44(3)",
      needs=(TribunalOrder,))
def tribunal_amend_institution(facts: CaseFacts) -> Iterator[Clock]:
    for order in _orders(facts, "amend-institution"):
        yield Clock(order.on, calendar.weeks_of(order.on, 2),
                    facts.first_on_of(AmendIssued, order.on))
