"""The rule registry and the `Deadline` value every rule produces.

A rule is a function `(CaseFacts) -> Iterable[Clock]` registered with its stable id, kind,
description and citation. `evaluate` turns clocks into `Deadline`s, attaches recorded exceptions
and closes what a ceased plan no longer owes. Adding a rule is adding one decorated function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from ehcp_cli.domain import calendar
from ehcp_cli.domain.events import Event, ExceptionRecorded
from ehcp_cli.domain.facts import CaseFacts

KINDS: tuple[str, ...] = ("statutory", "case-law", "guidance", "window")
STATUSES: tuple[str, ...] = ("open", "met", "met-late", "overdue", "not-applicable")


@dataclass(frozen=True)
class RuleSpec:
    id: str
    kind: str
    description: str
    regulation: str
    exceptions: str | None = None  # the regulation that allows exceptions, if any
    # Event types of which the case must hold at least one for the rule to yield anything; empty
    # means always run. Only a shortcut: a test checks that skipping never changes a result.
    needs: tuple[type[Event], ...] = ()


@dataclass(frozen=True)
class Clock:
    """One running of a rule for a case: what a rule function yields.

    `lapsed_on` is the date the deadline stopped applying (the case left the path it belongs to).
    """

    trigger: date
    due: date
    met_on: date | None = None
    lapsed_on: date | None = None
    key: str = ""
    description: str | None = None
    regulation: str | None = None


@dataclass(frozen=True)
class Deadline:
    """A dated duty with its rule id and citation, judged against an `as_of` date by `status`."""

    rule: str
    kind: str
    description: str
    regulation: str
    trigger: date
    due: date
    met_on: date | None = None
    lapsed_on: date | None = None
    key: str = ""
    exception: ExceptionRecorded | None = field(default=None)

    @property
    def act_by(self) -> date:
        return calendar.act_by(self.due)

    def met_by(self, as_of: date) -> date | None:
        """The date it was met, if on or before `as_of` (later events are not yet known then)."""
        return self.met_on if self.met_on is not None and self.met_on <= as_of else None

    def status(self, as_of: date) -> str:
        if self.kind == "window":
            return "open" if as_of <= self.due else "met"
        met = self.met_by(as_of)
        if met is not None:
            return "met" if met <= self.due else "met-late"
        if self.lapsed_on is not None and self.lapsed_on <= as_of:
            return "not-applicable"
        return "overdue" if self.due < as_of else "open"


RuleFunction = Callable[[CaseFacts], Iterable[Clock]]
RULES: dict[str, tuple[RuleSpec, RuleFunction]] = {}


def rule(
    id: str,
    kind: str,
    description: str,
    regulation: str,
    exceptions: str | None = None,
    needs: tuple[type[Event], ...] = (),
) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule function under its stable id."""
    assert kind in KINDS, kind

    def register(fn: RuleFunction) -> RuleFunction:
        assert id not in RULES, f"rule {id} registered twice"
        RULES[id] = (RuleSpec(id, kind, description, regulation, exceptions, needs), fn)
        return fn

    return register


def exception_rules() -> dict[str, str]:
    """Rule id -> the regulation whose exceptions can excuse it."""
    return {spec.id: spec.exceptions for spec, _ in RULES.values() if spec.exceptions}


def _exception_for(
    spec: RuleSpec, clock: Clock, exceptions: list[ExceptionRecorded]
) -> ExceptionRecorded | None:
    """The latest exception recorded for this rule whose period overlaps the clock's run."""
    found = None
    for exc in exceptions:
        if exc.rule != spec.id or exc.on > clock.due:
            continue
        if exc.until is not None and exc.until < clock.trigger:
            continue
        found = exc
    return found


def evaluate(facts: CaseFacts) -> list[Deadline]:
    """Every deadline the law sets for this case, met or not, in due-date order."""
    exceptions = list(facts.of_type(ExceptionRecorded))
    ceased = facts.ceased_on()
    present = {type(event) for event in facts.events}
    out: list[Deadline] = []
    for spec, fn in RULES.values():
        if spec.needs and present.isdisjoint(spec.needs):
            continue
        for clock in fn(facts):
            lapsed = clock.lapsed_on
            if ceased is not None and spec.kind != "window" and clock.met_on is None:
                lapsed = min(lapsed, ceased) if lapsed else ceased
            out.append(
                Deadline(
                    rule=spec.id,
                    kind=spec.kind,
                    description=clock.description or spec.description,
                    regulation=clock.regulation or spec.regulation,
                    trigger=clock.trigger,
                    due=clock.due,
                    met_on=clock.met_on,
                    lapsed_on=lapsed,
                    key=clock.key,
                    exception=_exception_for(spec, clock, exceptions)
                    if exceptions and spec.exceptions
                    else None,
                )
            )
    out.sort(key=lambda d: (d.due, d.rule, d.key))
    return out
