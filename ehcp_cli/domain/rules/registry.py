"""The rule registry and the `Deadline` value every rule produces.

A rule is a function `(CaseFacts) -> Iterable[Clock]` registered with its stable id, kind,
description and citation. `evaluate` turns clocks into `Deadline`s, attaches recorded exceptions
and closes what a ceased plan no longer owes. Adding a rule is adding one decorated function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import NamedTuple

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


class Clock(NamedTuple):
    """One running of a rule for a case: what a rule function yields.

    `lapsed_on` is the date the deadline stopped applying (the case left the path it belongs to).

    A named tuple rather than a frozen dataclass: as immutable and built the same way, but
    cheap to make, and `evaluate` reads each clock once, by unpacking it.
    """

    trigger: date
    due: date
    met_on: date | None = None
    lapsed_on: date | None = None
    key: str = ""
    description: str | None = None
    regulation: str | None = None


class Deadline(NamedTuple):
    """A dated duty with its rule id and citation, judged against an `as_of` date by `status`.

    An immutable named tuple, like `Clock`: an import makes one for every duty of every case,
    and as a frozen dataclass it cost more to build (one `object.__setattr__` per field) than
    the rules spent working it out. Built, compared, hashed and shown like the dataclass it was.
    """

    rule: str
    kind: str
    description: str
    regulation: str
    trigger: date
    due: date
    met_on: date | None = None
    lapsed_on: date | None = None
    key: str = ""
    exception: ExceptionRecorded | None = None

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
    rule: str, trigger: date, due: date, exceptions: list[ExceptionRecorded]
) -> ExceptionRecorded | None:
    """The latest exception recorded for this rule whose period overlaps the clock's run."""
    found = None
    for exc in exceptions:
        if exc.rule != rule or exc.on > due:
            continue
        if exc.until is not None and exc.until < trigger:
            continue
        found = exc
    return found


# The rules that can yield something for a case holding a given set of event types, remembered
# per set (imports see a handful of sets): testing all 29 rules' `needs` for every case cost more
# than running the few that apply. `_PLANNED_FROM` is the registry the plans were made from; a
# changed registry (a module registering late, a test swapping a rule) throws them away.
_PLANS: dict[frozenset[type[Event]], tuple[tuple[RuleSpec, RuleFunction], ...]] = {}
_PLANNED_FROM: tuple[tuple[RuleSpec, RuleFunction], ...] = ()


def _rules_for(present: frozenset[type[Event]]) -> tuple[tuple[RuleSpec, RuleFunction], ...]:
    """The registered rules, in registration order, whose `needs` these event types meet."""
    global _PLANNED_FROM
    registered = tuple(RULES.values())
    if registered != _PLANNED_FROM:  # item by item, identity first: cheap when unchanged
        _PLANS.clear()
        _PLANNED_FROM = registered
    plan = _PLANS.get(present)
    if plan is None:
        plan = _PLANS[present] = tuple(
            (spec, fn) for spec, fn in registered
            if not spec.needs or not present.isdisjoint(spec.needs)
        )
    return plan


_ORDER = attrgetter("due", "rule", "key")  # how `evaluate` lists deadlines


def evaluate(facts: CaseFacts) -> list[Deadline]:
    """Every deadline the law sets for this case, met or not, in due-date order."""
    exceptions = list(facts.of_type(ExceptionRecorded))
    ceased = facts.ceased_on()
    out: list[Deadline] = []
    for spec, fn in _rules_for(facts.event_types):
        # Whether a ceased plan closes the rule's clocks, and whether exceptions can excuse them,
        # is the same for every clock of the rule: decided once here.
        closes = ceased if spec.kind != "window" else None
        excusable = bool(exceptions and spec.exceptions)
        for trigger, due, met_on, lapsed_on, key, description, regulation in fn(facts):
            if closes is not None and met_on is None:
                lapsed_on = min(lapsed_on, closes) if lapsed_on else closes
            out.append(Deadline(  # positionally, in field order: once per deadline of an import
                spec.id,
                spec.kind,
                description or spec.description,
                regulation or spec.regulation,
                trigger,
                due,
                met_on,
                lapsed_on,
                key,
                _exception_for(spec.id, trigger, due, exceptions) if excusable else None,
            ))
    out.sort(key=_ORDER)
    return out
