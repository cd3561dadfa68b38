"""Whether a new event may be added to a case: the process's rules about order and state.

Pure checks that raise `Refused` (exit 1) with what is allowed instead, so every command refuses
the same things the same way before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ehcp_cli.domain.advice import waiting_request
from ehcp_cli.domain.codes import CEASE_REASONS
from ehcp_cli.domain.events import (
    AdviceChased,
    AdviceReceived,
    AdviceRequested,
    AmendDeclined,
    AmendIssued,
    AmendNotice,
    Event,
    ExceptionRecorded,
    MediationCertificate,
    MediationHeld,
    MediationRequested,
    MovingOut,
    PhaseTransferAdded,
    PlanSent,
    ReassessmentDecided,
    ReassessmentRequested,
    ReviewDecided,
    ReviewHeld,
    ReviewReportSent,
    StageReached,
    TransferInformed,
    TransferredIn,
)
from ehcp_cli.domain.rules import exception_rules
from ehcp_cli.domain.stages import CLOSED, allowed_next, current_stage
from ehcp_cli.errors import Refused

# Facts about a period rather than happenings in sequence: they may be dated in the past.
_UNSEQUENCED = (ExceptionRecorded, PhaseTransferAdded)
_NEEDS_PLAN = (
    ReviewHeld,
    ReviewReportSent,
    ReviewDecided,
    AmendNotice,
    AmendIssued,
    AmendDeclined,
    ReassessmentRequested,
    ReassessmentDecided,
    TransferredIn,
    TransferInformed,
    MovingOut,
    PlanSent,
    PhaseTransferAdded,
)


def check_new_event(events: Sequence[Event], event: Event, today: date) -> None:
    """Refuse an event the process does not allow at this point; return quietly otherwise."""
    on = event.on
    if on > today:
        raise Refused(f"{on.isoformat()} is in the future; record events on or after they happen")
    if events and on < events[0].on:
        raise Refused(
            f"{on.isoformat()} is before the case's first event ({events[0].on.isoformat()})"
        )
    stage = current_stage(events)
    # A fact recorded late is judged by the stage the case was at on its own date.
    stage_then = current_stage(e for e in events if e.on <= on)
    if stage_then in CLOSED and not isinstance(event, StageReached):
        raise Refused(
            f"the case was {stage_then} by {on.isoformat()}; nothing can be recorded from then on"
        )
    if isinstance(event, _NEEDS_PLAN) and stage_then != "issued":
        raise Refused(
            f"that needs a plan in force; on {on.isoformat()} the case was at stage {stage_then}"
        )

    if isinstance(event, StageReached):
        _check_move(events, stage, event)
    elif isinstance(event, AdviceRequested):
        waiting = waiting_request(events, event.advice)
        if waiting is not None:
            raise Refused(
                f"{event.advice} advice was already requested on "
                f"{waiting.requested_on.isoformat()} and has not been received"
            )
    elif isinstance(event, AdviceReceived | AdviceChased):
        waiting = waiting_request(events, event.advice)
        if waiting is None:
            raise Refused(f"no {event.advice} advice is waiting to be received on this case")
        if on < waiting.requested_on:
            raise Refused(
                f"{on.isoformat()} is before the {event.advice} advice was requested "
                f"({waiting.requested_on.isoformat()})"
            )
    elif isinstance(event, ReviewReportSent | ReviewDecided):
        if isinstance(event, ReviewReportSent) and not any(
            isinstance(e, ReviewHeld) and e.on <= on for e in events
        ):
            raise Refused("no review meeting is recorded on or before that date")
    elif isinstance(event, ExceptionRecorded):
        allowed = exception_rules()
        if event.rule not in allowed:
            raise Refused(
                f"the law allows no exception to {event.rule}; exceptions apply to: "
                + ", ".join(sorted(allowed))
            )
        if event.until is not None and event.until < event.on:
            raise Refused("the exception ends before it starts (--to is before --from)")
    elif isinstance(event, MediationHeld | MediationCertificate):
        if not any(isinstance(e, MediationRequested) and e.on <= on for e in events):
            raise Refused("no request for mediation is recorded on or before that date")
    elif isinstance(event, MovingOut) and event.move_on < on:
        raise Refused("the move date is before the day the council learned of it")


def _check_move(events: Sequence[Event], stage: str, event: StageReached) -> None:
    allowed = allowed_next(stage)
    if event.stage not in allowed:
        nexts = ", ".join(allowed) if allowed else "none"
        raise Refused(f"cannot move from {stage} to {event.stage}; allowed next: {nexts}")
    sequenced = [e.on for e in events if not isinstance(e, _UNSEQUENCED)]
    if sequenced and event.on < max(sequenced):
        raise Refused(
            f"{event.on.isoformat()} is earlier than the case's previous event "
            f"({max(sequenced).isoformat()})"
        )
    if event.stage == "ceased":
        if event.reason not in CEASE_REASONS:
            raise Refused("ceasing needs --reason with an SEN2 code 1-9")
    elif event.reason is not None:
        raise Refused("--reason applies only when moving to ceased")
