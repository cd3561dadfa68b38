"""Which advice request each receipt and chase belongs to: one matching rule for everything.

A receipt of a kind answers the oldest request of that kind still waiting; a chase is recorded
against the request waiting at the time. The deadline rule, the process checks, `case show` and
the chase reports all read requests through `advice_requests`, so they can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from ehcp_cli.domain.events import AdviceChased, AdviceReceived, AdviceRequested, Event


@dataclass
class AdviceRequest:
    kind: str
    requested_on: date
    provider: str | None = None
    received_on: date | None = None
    chased_on: list[date] = field(default_factory=list)


def advice_requests(events: Iterable[Event]) -> list[AdviceRequest]:
    """Every advice request in order, with its receipt and chases (events in date order)."""
    requests: list[AdviceRequest] = []
    for event in events:
        if isinstance(event, AdviceRequested):
            requests.append(AdviceRequest(event.advice, event.on, event.provider))
        elif isinstance(event, AdviceReceived | AdviceChased):
            waiting = next(
                (r for r in requests if r.kind == event.advice and r.received_on is None), None
            )
            if waiting is None:
                continue
            if isinstance(event, AdviceReceived):
                waiting.received_on = event.on
            else:
                waiting.chased_on.append(event.on)
    return requests


def waiting_request(events: Iterable[Event], kind: str) -> AdviceRequest | None:
    """The oldest request of this kind still waiting for its advice, if any."""
    return next(
        (r for r in advice_requests(events) if r.kind == kind and r.received_on is None), None
    )
