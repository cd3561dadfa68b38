"""Immutable dated events: the only facts a case is made of.

A case's history is an append-only list of these. Its stage and every deadline are derived from
them, never stored as independent truth, so correcting the past means adding an event, and the
audit trail and the clocks can never disagree.

Each event class names its `kind` (the stable string stored in the database and shown in JSON)
and carries typed fields; `to_data`/`from_data` convert the fields to and from a JSON-safe mapping
for storage, with dates as ISO strings only at that boundary.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar


@dataclass(frozen=True)
class Event:
    """Something that happened to a case on a date (`on`), as the coordinator recorded it."""

    on: date
    kind: ClassVar[str] = ""
    summary: ClassVar[str] = ""

    def to_data(self) -> dict[str, Any]:
        """The event's fields other than `on`, JSON-safe (dates as ISO strings, Nones dropped)."""
        out: dict[str, Any] = {}
        for field in dataclasses.fields(self):
            if field.name == "on":
                continue
            value = getattr(self, field.name)
            if value is None:
                continue
            out[field.name] = value.isoformat() if isinstance(value, date) else value
        return out

    def describe(self) -> str:
        """One line for a timeline."""
        return self.summary


@dataclass(frozen=True)
class Requested(Event):
    """A request for an EHC needs assessment was received (the 20-week clock starts)."""

    kind: ClassVar[str] = "requested"
    summary: ClassVar[str] = "EHC needs assessment requested"


@dataclass(frozen=True)
class StageReached(Event):
    """The case reached a stage of the assessment pathway, or ceased."""

    stage: str
    reason: str | None = None
    note: str | None = None
    kind: ClassVar[str] = "stage"

    def describe(self) -> str:
        from ehcp_cli.domain.codes import CEASE_REASONS

        text = f"moved to {self.stage}"
        if self.reason:
            text += f" (reason {self.reason}: {CEASE_REASONS.get(self.reason, '?')})"
        return text


@dataclass(frozen=True)
class PlanInForce(Event):
    """A plan already in force when the case was opened (`on` is the date it was first issued).

    `last_review` is the date the last review decision was notified. History before the later of
    the two is unknown to ehcp, so no deadline falling before it is judged.
    """

    last_review: date | None = None
    kind: ClassVar[str] = "plan-in-force"

    @property
    def known_from(self) -> date:
        return max(self.on, self.last_review) if self.last_review else self.on

    def describe(self) -> str:
        text = "plan in force (first issued this day)"
        if self.last_review:
            text += f"; last review decision {self.last_review.isoformat()}"
        return text


@dataclass(frozen=True)
class AdviceRequested(Event):
    """Advice of one reg 6(1) kind was requested from a provider."""

    advice: str
    provider: str | None = None
    kind: ClassVar[str] = "advice-requested"

    def describe(self) -> str:
        source = f" from {self.provider}" if self.provider else ""
        return f"{self.advice} advice requested{source}"


@dataclass(frozen=True)
class AdviceReceived(Event):
    advice: str
    kind: ClassVar[str] = "advice-received"

    def describe(self) -> str:
        return f"{self.advice} advice received"


@dataclass(frozen=True)
class AdviceChased(Event):
    """A reminder was sent to the provider of overdue advice."""

    advice: str
    note: str | None = None
    kind: ClassVar[str] = "advice-chased"

    def describe(self) -> str:
        return f"{self.advice} advice chased" + (f": {self.note}" if self.note else "")


@dataclass(frozen=True)
class ReviewHeld(Event):
    kind: ClassVar[str] = "review-held"
    summary: ClassVar[str] = "review meeting held"


@dataclass(frozen=True)
class ReviewReportSent(Event):
    kind: ClassVar[str] = "review-report-sent"
    summary: ClassVar[str] = "review meeting report sent"


@dataclass(frozen=True)
class ReviewDecided(Event):
    """The review decision was notified. `decision` is None when recorded without its outcome."""

    decision: str | None = None
    kind: ClassVar[str] = "review-decided"

    def describe(self) -> str:
        if self.decision == "amend":
            return "review decision: amend (amendment notice sent)"
        return f"review decision: {self.decision or 'recorded'}"


@dataclass(frozen=True)
class AmendNotice(Event):
    """An amendment notice (proposed amendments) was sent outside a review."""

    kind: ClassVar[str] = "amend-notice"
    summary: ClassVar[str] = "amendment notice sent"


@dataclass(frozen=True)
class AmendIssued(Event):
    kind: ClassVar[str] = "amend-issued"
    summary: ClassVar[str] = "final amended plan issued"


@dataclass(frozen=True)
class AmendDeclined(Event):
    """After representations the council decided not to amend (reg 22(4))."""

    kind: ClassVar[str] = "amend-declined"
    summary: ClassVar[str] = "decided not to amend"


@dataclass(frozen=True)
class ExceptionRecorded(Event):
    """A statutory exception excuses a deadline of `rule` from `on` to `until` (open-ended if
    None)."""

    rule: str
    reason: str
    until: date | None = None
    note: str | None = None
    kind: ClassVar[str] = "exception"

    def describe(self) -> str:
        span = f"until {self.until.isoformat()}" if self.until else "open-ended"
        return f"exception to {self.rule}: {self.reason} ({span})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "reason": self.reason,
            "from": self.on.isoformat(),
            "to": self.until.isoformat() if self.until else None,
            "note": self.note,
        }


@dataclass(frozen=True)
class PhaseTransferAdded(Event):
    """A phase transfer the date of birth does not imply (early years, infant-junior, middle)."""

    transfer: str
    transfer_on: date
    kind: ClassVar[str] = "phase-transfer"

    def describe(self) -> str:
        return f"phase transfer recorded: {self.transfer} on {self.transfer_on.isoformat()}"


@dataclass(frozen=True)
class ReassessmentRequested(Event):
    kind: ClassVar[str] = "reassessment-requested"
    summary: ClassVar[str] = "re-assessment requested"


@dataclass(frozen=True)
class ReassessmentDecided(Event):
    """Notice of the decision on re-assessing (`reassess` or `refuse`), reg 25(1) / own
    initiative."""

    decision: str
    kind: ClassVar[str] = "reassessment-decided"

    def describe(self) -> str:
        return "decided to re-assess" if self.decision == "reassess" else "refused to re-assess"


@dataclass(frozen=True)
class TransferredIn(Event):
    """The plan transferred in from another council on `on` (reg 15)."""

    last_review: date | None = None
    council: str | None = None
    kind: ClassVar[str] = "transfer-in"

    def describe(self) -> str:
        return "plan transferred in" + (f" from {self.council}" if self.council else "")


@dataclass(frozen=True)
class TransferInformed(Event):
    """The new council told the family the plan has transferred and its plans (reg 15(4))."""

    kind: ClassVar[str] = "transfer-informed"
    summary: ClassVar[str] = "family told of the transfer, re-assessment and review plans"


@dataclass(frozen=True)
class MovingOut(Event):
    """The council learned on `on` that the family moves to another council on `move_on`."""

    move_on: date
    council: str | None = None
    kind: ClassVar[str] = "moving-out"

    def describe(self) -> str:
        return f"family moving out on {self.move_on.isoformat()}" + (
            f" to {self.council}" if self.council else ""
        )


@dataclass(frozen=True)
class PlanSent(Event):
    """The plan was sent to the new council (reg 15(2))."""

    kind: ClassVar[str] = "plan-sent"
    summary: ClassVar[str] = "plan sent to the new council"


@dataclass(frozen=True)
class DecisionNotice(Event):
    """Written notice of an appealable decision was sent (the appeal window opens)."""

    decision: str | None = None
    kind: ClassVar[str] = "decision-notice"

    def describe(self) -> str:
        return "appealable decision notified" + (f": {self.decision}" if self.decision else "")


@dataclass(frozen=True)
class MediationRequested(Event):
    """The council was told the family wants mediation."""

    kind: ClassVar[str] = "mediation-requested"
    summary: ClassVar[str] = "family asked for mediation"


@dataclass(frozen=True)
class MediationHeld(Event):
    kind: ClassVar[str] = "mediation-held"
    summary: ClassVar[str] = "mediation held"


@dataclass(frozen=True)
class MediationCertificate(Event):
    kind: ClassVar[str] = "mediation-certificate"
    summary: ClassVar[str] = "mediation certificate issued"


@dataclass(frozen=True)
class AppealLodged(Event):
    kind: ClassVar[str] = "appeal-lodged"
    summary: ClassVar[str] = "appeal lodged with the tribunal"


@dataclass(frozen=True)
class TribunalOrder(Event):
    """The First-tier Tribunal (SEND) made an order (reg 44 time runs from the order date)."""

    order: str
    kind: ClassVar[str] = "tribunal-order"

    def describe(self) -> str:
        from ehcp_cli.domain.codes import TRIBUNAL_ORDERS

        return f"tribunal order: {TRIBUNAL_ORDERS.get(self.order, self.order)}"


EVENT_TYPES: dict[str, type[Event]] = {
    cls.kind: cls
    for cls in (
        Requested, StageReached, PlanInForce, AdviceRequested, AdviceReceived, AdviceChased,
        ReviewHeld, ReviewReportSent, ReviewDecided, AmendNotice, AmendIssued, AmendDeclined,
        ExceptionRecorded, PhaseTransferAdded, ReassessmentRequested, ReassessmentDecided,
        TransferredIn, TransferInformed, MovingOut, PlanSent, DecisionNotice, MediationRequested,
        MediationHeld,
        MediationCertificate, AppealLodged, TribunalOrder,
    )
}


def event_from_data(kind: str, on: date, data: dict[str, Any]) -> Event:
    """Rebuild an event from its stored form (the inverse of `Event.to_data`)."""
    cls = EVENT_TYPES[kind]
    kwargs: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        if field.name == "on" or field.name not in data:
            continue
        value = data[field.name]
        if field.type in ("date | None", "date") and isinstance(value, str):
            value = date.fromisoformat(value)
        kwargs[field.name] = value
    return cls(on=on, **kwargs)
