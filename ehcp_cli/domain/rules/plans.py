"""Plans in force: reviews, amendments and phase transfers (CFA s44; regs 18, 20–22)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from functools import lru_cache

from ehcp_cli.domain import calendar
from ehcp_cli.domain.codes import TRANSFER_KINDS
from ehcp_cli.domain.events import (
    AmendDeclined,
    AmendIssued,
    AmendNotice,
    Event,
    PhaseTransferAdded,
    PlanInForce,
    ReviewDecided,
    ReviewHeld,
    ReviewReportSent,
    StageReached,
    TransferredIn,
)
from ehcp_cli.domain.facts import CaseFacts
from ehcp_cli.domain.rules.registry import Clock, rule

# A plan starts with a plan in force or an `issued` stage (see CaseFacts.plan_start).
_PLANS = (PlanInForce, StageReached)


def _first_after(days: list[date], day: date) -> date | None:
    """The first of `days` (in their order) later than `day`."""
    for other in days:
        if other > day:
            return other
    return None


def _dates(facts: CaseFacts, cls: type[Event]) -> list[date]:
    """The dates of the events of one type, in order (most cases have none of most types)."""
    return [e.on for e in facts.of_type(cls)] if facts.has(cls) else []


def _review_cycles(facts: CaseFacts, months: int) -> Iterator[Clock]:
    """Review cycles: each runs from the plan or the last review decision, met by the next one.

    A cycle that a plan transfer interrupts gives way to `transfer-review` (reg 15(5)).
    """
    start = facts.plan_start()
    if start is None:
        return
    trigger = start[1]
    decisions = _dates(facts, ReviewDecided)
    transfers = _dates(facts, TransferredIn)
    while True:
        met = _first_after(decisions, trigger)
        lapsed = None  # the first transfer in the cycle
        for moved in transfers:
            if moved > trigger and (met is None or moved < met):
                lapsed = moved
                break
        # A cycle cut short by a transfer is not met by the new council's review: that review
        # meets `transfer-review`, and the next cycle still runs from it.
        yield Clock(trigger, calendar.months_starting_with(trigger, months),
                    None if lapsed else met, lapsed)
        if met is None:
            return
        trigger = met


@rule("annual-review", "statutory", "review the plan", "CFA s44(1)",
      needs=_PLANS)
def annual_review(facts: CaseFacts) -> Iterator[Clock]:
    return _review_cycles(facts, 12)


@rule("under-5-review", "guidance", "consider reviewing the plan of a child under 5", "CoP 9.178",
      needs=_PLANS)
def under_5_review(facts: CaseFacts) -> Iterator[Clock]:
    start = facts.plan_start()
    if start is None:
        return
    fifth_birthday = calendar.add_months(facts.dob, 60)
    if start[1] >= fifth_birthday:
        return  # every cycle starts on or after the first one: none can start before 5
    for clock in _review_cycles(facts, 6):
        if clock.trigger < fifth_birthday:
            yield clock


@rule("review-report", "statutory", "send out the report of the review meeting",
      "reg 20(7)/21(7)",
      needs=(ReviewHeld,))
def review_report(facts: CaseFacts) -> Iterator[Clock]:
    for meeting in facts.of_type(ReviewHeld):
        met = facts.first_on_of(ReviewReportSent, meeting.on)
        yield Clock(meeting.on, calendar.weeks_of(meeting.on, 2), met)


@rule("review-decision", "statutory", "decide to maintain, amend or cease, and notify",
      "reg 20(10)",
      needs=(ReviewHeld,))
def review_decision(facts: CaseFacts) -> Iterator[Clock]:
    for meeting in facts.of_type(ReviewHeld):
        met = facts.first_on_of(ReviewDecided, meeting.on)
        yield Clock(meeting.on, calendar.weeks_of(meeting.on, 4), met)


def _amendment_notices(facts: CaseFacts) -> Iterator[Event]:
    for event in facts.events:
        if isinstance(event, AmendNotice) or (
            isinstance(event, ReviewDecided) and event.decision == "amend"
        ):
            yield event


@rule("amended-plan", "statutory", "issue the final amended plan (or notify not amending)",
      "reg 22(3)-(4)",
      needs=(AmendNotice, ReviewDecided))
def amended_plan(facts: CaseFacts) -> Iterator[Clock]:
    for notice in _amendment_notices(facts):
        met = facts.first_on_of((AmendIssued, AmendDeclined), notice.on)
        yield Clock(notice.on, calendar.weeks_of(notice.on, 8), met)


@rule("amendment-representations", "window",
      "family's representations on proposed amendments close", "reg 22(2)(c)",
      needs=(AmendNotice, ReviewDecided))
def amendment_representations(facts: CaseFacts) -> Iterator[Clock]:
    for notice in _amendment_notices(facts):
        yield Clock(notice.on, calendar.days_beginning_with(notice.on, 15))


@rule("amendment-longstop", "case-law", "final amended plan after a review",
      "R (L, M, P) v Devon CC [2022] EWHC 493 (Admin)",
      needs=(ReviewHeld,))
def amendment_longstop(facts: CaseFacts) -> Iterator[Clock]:
    for meeting in facts.of_type(ReviewHeld):
        decision = facts.first_of(ReviewDecided, meeting.on)
        if isinstance(decision, ReviewDecided) and decision.decision == "amend":
            met = facts.first_on_of(AmendIssued, meeting.on)
            # After representations the council may decide not to amend (reg 22(4)): then there
            # is no amended plan to issue and the long stop no longer applies.
            declined = None if met else facts.first_on_of(AmendDeclined, meeting.on)
            yield Clock(meeting.on, calendar.weeks_of(meeting.on, 12), met, declined)


# Which derived transfer an explicitly recorded one replaces (e.g. a middle-school system).
_REPLACES_PRIMARY_SECONDARY = {"primary-to-secondary", "primary-to-middle", "middle-to-secondary"}


def _phase_transfers(facts: CaseFacts) -> Sequence[tuple[str, date]]:
    """(transfer kind, transfer date): explicit ones, and those implied by the cohort."""
    if not facts.has(PhaseTransferAdded):
        return _cohort_transfers(facts.cohort_reception_year)
    explicit = [(e.transfer, e.transfer_on) for e in facts.of_type(PhaseTransferAdded)]
    kinds = {kind for kind, _ in explicit}
    reception = facts.cohort_reception_year
    derived = []
    if not kinds & _REPLACES_PRIMARY_SECONDARY:
        derived.append(("primary-to-secondary", date(reception + 7, 9, 1)))  # Year 6 -> 7
    if "secondary-to-post16" not in kinds:
        derived.append(("secondary-to-post16", date(reception + 12, 9, 1)))  # Year 11 -> 12
    return sorted(explicit + derived, key=lambda t: t[1])


@lru_cache(maxsize=256)  # one answer per cohort, which thousands of children share
def _cohort_transfers(reception: int) -> tuple[tuple[str, date], ...]:
    """The transfers the cohort implies when none is recorded (Year 6 -> 7, Year 11 -> 12)."""
    return (("primary-to-secondary", date(reception + 7, 9, 1)),
            ("secondary-to-post16", date(reception + 12, 9, 1)))


@lru_cache(maxsize=1024)  # transfers fall on few dates (1 September), shared by many cases
def _transfer_due(kind: str, transfer_on: date) -> date:
    """When the review and amendment before a transfer must be done (reg 18)."""
    if kind == "post16-to-post16":
        return calendar.add_months(transfer_on, -5)
    long_stop = date(transfer_on.year, 3, 31) if kind == "secondary-to-post16" else date(
        transfer_on.year, 2, 15
    )
    return calendar.before(long_stop)


@lru_cache(maxsize=1024)
def _transfer_label(kind: str, transfer_on: date) -> tuple[str, str]:
    """(deadline key, description) of the review before one phase transfer."""
    return (f"{kind}:{transfer_on.year}",
            f"phase transfer review and amendment: {TRANSFER_KINDS[kind]}, {transfer_on:%B %Y}")


def _transfer_met(facts: CaseFacts, transfer_on: date) -> date | None:
    """An amended plan, a review decision to maintain, or a new plan, in the 12 months before the
    transfer (a plan first issued then already names the next setting); for a plan in force when
    the case was opened, its last review decision."""
    window_start = calendar.add_months(transfer_on, -12)
    earliest = None
    for event in facts.events:
        if isinstance(event, PlanInForce):
            day = event.last_review
        elif (
            isinstance(event, AmendIssued)
            or (isinstance(event, ReviewDecided) and event.decision in ("maintain", None))
            or (isinstance(event, StageReached) and event.stage == "issued")
        ):
            day = event.on
        else:
            continue
        if day and window_start <= day < transfer_on and (earliest is None or day < earliest):
            earliest = day
    return earliest


def _transfer_clocks(facts: CaseFacts, post16_moves: bool) -> Iterator[Clock]:
    start = facts.plan_start()
    if start is None:
        return
    issued, known_from = start
    # Duties that fell due before a plan transferred in belonged to the council that held it.
    if facts.has(TransferredIn):
        known_from = max(known_from, *(e.on for e in facts.of_type(TransferredIn)))
    for kind, transfer_on in _phase_transfers(facts):
        if (kind == "post16-to-post16") != post16_moves:
            continue
        due = _transfer_due(kind, transfer_on)
        if due < known_from or transfer_on <= issued:
            continue  # the plan did not exist, or was not this council's, or ehcp has no record
        key, description = _transfer_label(kind, transfer_on)
        # Known from the day the plan is (ours and) on record; never lapses.
        yield Clock(known_from, due, _transfer_met(facts, transfer_on), None, key, description)


@rule("phase-transfer", "statutory", "review and amend the plan for a phase transfer",
      "reg 18(1)",
      needs=_PLANS)
def phase_transfer(facts: CaseFacts) -> Iterator[Clock]:
    return _transfer_clocks(facts, post16_moves=False)


@rule("phase-transfer-post16", "statutory",
      "review and amend the plan for a post-16 move at another time of year", "reg 18(2)",
      needs=(PhaseTransferAdded,))  # only a recorded transfer can be a post-16 move
def phase_transfer_post16(facts: CaseFacts) -> Iterator[Clock]:
    return _transfer_clocks(facts, post16_moves=True)
