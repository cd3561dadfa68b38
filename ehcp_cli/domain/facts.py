"""What the rules read: one case's date of birth, cohort and ordered events.

A `CaseFacts` is immutable, so what the rules ask of it again and again (the events of one type,
when the plan started, the request episodes) is worked out once per case and remembered on it:
twenty-odd rules each rescanning the events was most of the cost of evaluating a case.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, NamedTuple, TypeVar, overload

from ehcp_cli.domain.events import Event, PlanInForce, Requested, StageReached

E = TypeVar("E", bound=Event)
T = TypeVar("T")


class remembered(Generic[T]):
    """A property worked out on first read and kept in the instance's `__dict__`.

    `functools.cached_property` without its lock: on Python 3.11 taking that lock on every first
    read cost more than the answers it guards (3.12 dropped it). Racing threads are harmless
    here: the value is a pure function of an immutable instance, so both store equal answers.
    """

    def __init__(self, compute: Callable[[Any], T]) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> remembered[T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> T | remembered[T]:
        if instance is None:
            return self
        # Stored where attribute lookup finds it before this (non-data) descriptor next time.
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


def school_year_start(day: date) -> int:
    """The calendar year in which the English school year containing `day` began (1 September)."""
    return day.year if day.month >= 9 else day.year - 1


def reception_year_from_dob(dob: date) -> int:
    """September in which a child enters Reception: born 1 Sep B to 31 Aug B+1 → September B+5."""
    return school_year_start(dob) + 5


class _Index(NamedTuple):
    """One reading of a case's events: what every evaluation asks of them."""

    by_class: dict[type, list[Any]]  # the events under every class in their MRO, in order
    types: frozenset[type[Event]]  # the events' own classes
    plan_start: tuple[date, date] | None
    ceased_on: date | None


@dataclass(frozen=True)
class CaseFacts:
    """Everything a rule may look at. `events` are in the order they happened (date, then entry).

    The `remembered` answers below live in the instance's `__dict__`, outside the dataclass
    fields, so equality, hashing and `repr` are unchanged.
    """

    dob: date
    events: tuple[Event, ...]
    reception_year: int | None = None  # an override for a child taught out of their cohort

    @property
    def cohort_reception_year(self) -> int:
        return self.reception_year if self.reception_year is not None else reception_year_from_dob(
            self.dob
        )

    def year_group(self, on: date) -> int:
        """National Curriculum year group on a date (0 = Reception, negative = not yet at
        school)."""
        return school_year_start(on) - self.cohort_reception_year

    @remembered
    def _index(self) -> _Index:
        by_class: dict[type, list[Any]] = {}
        plan_start: tuple[date, date] | None = None
        ceased_on: date | None = None
        for event in self.events:
            # Under each class it is an instance of, so `of_type` gives exactly `isinstance`'s
            # answer with one dictionary lookup.
            for cls in type(event).__mro__:
                bucket = by_class.get(cls)
                if bucket is None:
                    by_class[cls] = [event]
                else:
                    bucket.append(event)
            if isinstance(event, StageReached):
                if plan_start is None and event.stage == "issued":
                    plan_start = event.on, event.on
                elif ceased_on is None and event.stage == "ceased":
                    ceased_on = event.on
            elif plan_start is None and isinstance(event, PlanInForce):
                plan_start = event.on, event.known_from
        return _Index(by_class, frozenset(map(type, self.events)), plan_start, ceased_on)

    @property
    def event_types(self) -> frozenset[type[Event]]:
        """The classes of the events (each event's own class, not its bases)."""
        return self._index.types

    def of_type(self, cls: type[E]) -> Iterator[E]:
        """The events that are instances of `cls`, in order."""
        return iter(self._index.by_class.get(cls, ()))

    def has(self, cls: type[Event]) -> bool:
        """Whether any event is an instance of `cls`."""
        return cls in self._index.by_class

    def first(self, pred: Callable[[Event], bool], on_or_after: date) -> Event | None:
        """The first event on or after a date that satisfies `pred`."""
        for event in self.events:
            if event.on >= on_or_after and pred(event):
                return event
        return None

    def first_on(self, pred: Callable[[Event], bool], on_or_after: date) -> date | None:
        event = self.first(pred, on_or_after)
        return event.on if event else None

    def first_of(self, types: type[Event] | tuple[type[Event], ...], on_or_after: date
                 ) -> Event | None:
        """The first event of `types` (a class or a tuple, as `isinstance` takes) on or after a
        date: `first` without a predicate call per event, and for one class reading only its
        events."""
        if isinstance(types, type):
            candidates: Sequence[Event] = self._index.by_class.get(types, ())
        else:
            candidates = self.events
        for event in candidates:
            if event.on >= on_or_after and isinstance(event, types):
                return event
        return None

    def first_on_of(self, types: type[Event] | tuple[type[Event], ...], on_or_after: date
                    ) -> date | None:
        """The date of `first_of`, or None."""
        event = self.first_of(types, on_or_after)
        return event.on if event else None

    @remembered
    def _once(self) -> dict[Callable[[CaseFacts], Any], Any]:
        return {}

    def once(self, compute: Callable[[CaseFacts], T]) -> T:
        """`compute(self)`, worked out on the first call and remembered with the case.

        For a rule helper whose answer several rules read (the four assessment-pathway rules
        share one reading of each request's run); `compute` must depend on the facts alone.
        """
        memo = self._once
        if compute in memo:
            return memo[compute]  # type: ignore[no-any-return]
        value = memo[compute] = compute(self)
        return value

    def stage_date(self, stages: frozenset[str] | set[str], on_or_after: date) -> date | None:
        """The first date on or after `on_or_after` the case reached one of `stages`."""
        for event in self._index.by_class.get(StageReached, ()):
            if event.on >= on_or_after and event.stage in stages:
                return event.on
        return None

    def ceased_on(self) -> date | None:
        return self._index.ceased_on

    def plan_start(self) -> tuple[date, date] | None:
        """(date the plan was first issued, date ehcp's knowledge of it begins), if there is one."""
        return self._index.plan_start

    @remembered
    def _request_episodes(self) -> tuple[tuple[date, tuple[Event, ...]], ...]:
        episodes: list[tuple[date, tuple[Event, ...]]] = []
        start: date | None = None
        bucket: list[Event] = []
        for event in self.events:
            is_request = isinstance(event, Requested) or (
                isinstance(event, StageReached) and event.stage == "requested"
            )
            if is_request:
                if start is not None:
                    episodes.append((start, tuple(bucket)))
                start, bucket = event.on, []
            elif start is not None:
                bucket.append(event)
        if start is not None:
            episodes.append((start, tuple(bucket)))
        return tuple(episodes)

    def request_episodes(self) -> Iterator[tuple[date, tuple[Event, ...]]]:
        """Each assessment request with the events up to the next request (one 20-week run each)."""
        return iter(self._request_episodes)
