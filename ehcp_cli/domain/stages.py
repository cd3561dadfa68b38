"""The stages of a case and the one table of transitions between them.

A case's stage is never stored as independent truth: it is the result of replaying its events
through `TRANSITIONS` (the database keeps a copy only so listings can filter on it).
"""

from __future__ import annotations

from collections.abc import Iterable

from ehcp_cli.domain.codes import STAGES  # noqa: F401  (re-exported: one list of stages)
from ehcp_cli.domain.events import Event, PlanInForce, Requested, StageReached

# Where each stage may go next. `not-assessing` and `not-issuing` can be reconsidered (after
# mediation, a tribunal order, or a fresh request); `withdrawn` is a request the family withdrew.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "requested": ("assessing", "not-assessing", "withdrawn"),
    "assessing": ("drafted", "not-issuing", "withdrawn"),
    "drafted": ("issued", "not-issuing", "withdrawn"),
    "not-assessing": ("requested", "assessing"),
    "not-issuing": ("requested", "drafted"),
    "issued": ("ceased",),
    "ceased": (),
    "withdrawn": ("requested",),
}

# Stages in which the assessment pathway's clocks no longer run.
LEFT_PATHWAY: frozenset[str] = frozenset({"not-assessing", "not-issuing", "withdrawn", "ceased"})
# Stages in which a case no longer counts against a UPN (a new case may be opened).
CLOSED: frozenset[str] = frozenset({"ceased", "withdrawn"})


def stage_of(event: Event) -> str | None:
    """The stage an event moves a case to, if it moves it at all."""
    if isinstance(event, StageReached):
        return event.stage
    if isinstance(event, Requested):
        return "requested"
    if isinstance(event, PlanInForce):
        return "issued"
    return None


def current_stage(events: Iterable[Event]) -> str:
    """Replay events (in date order) to the stage the case is in now."""
    stage = "requested"
    for event in events:
        stage = stage_of(event) or stage
    return stage


def allowed_next(stage: str) -> tuple[str, ...]:
    return TRANSITIONS.get(stage, ())
