"""What the rules read: one case's date of birth, cohort and ordered events."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from ehcp_cli.domain.events import Event, PlanInForce, Requested, StageReached

E = TypeVar("E", bound=Event)


def school_year_start(day: date) -> int:
    """The calendar year in which the English school year containing `day` began (1 September)."""
    return day.year if day.month >= 9 else day.year - 1


def reception_year_from_dob(dob: date) -> int:
    """September in which a child enters Reception: born 1 Sep B to 31 Aug B+1 → September B+5."""
    return school_year_start(dob) + 5


@dataclass(frozen=True)
class CaseFacts:
    """Everything a rule may look at. `events` are in the order they happened (date, then entry)."""

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

    def of_type(self, cls: type[E]) -> Iterator[E]:
        return (e for e in self.events if isinstance(e, cls))

    def first(self, pred: Callable[[Event], bool], on_or_after: date) -> Event | None:
        """The first event on or after a date that satisfies `pred`."""
        for event in self.events:
            if event.on >= on_or_after and pred(event):
                return event
        return None

    def first_on(self, pred: Callable[[Event], bool], on_or_after: date) -> date | None:
        event = self.first(pred, on_or_after)
        return event.on if event else None

    def stage_date(self, stages: frozenset[str] | set[str], on_or_after: date) -> date | None:
        """The first date on or after `on_or_after` the case reached one of `stages`."""
        return self.first_on(
            lambda e: isinstance(e, StageReached) and e.stage in stages, on_or_after
        )

    def ceased_on(self) -> date | None:
        return self.stage_date({"ceased"}, date.min)

    def plan_start(self) -> tuple[date, date] | None:
        """(date the plan was first issued, date ehcp's knowledge of it begins), if there is one."""
        for event in self.events:
            if isinstance(event, PlanInForce):
                return event.on, event.known_from
            if isinstance(event, StageReached) and event.stage == "issued":
                return event.on, event.on
        return None

    def request_episodes(self) -> Iterator[tuple[date, tuple[Event, ...]]]:
        """Each assessment request with the events up to the next request (one 20-week run each)."""
        start: date | None = None
        bucket: list[Event] = []
        for event in self.events:
            is_request = isinstance(event, Requested) or (
                isinstance(event, StageReached) and event.stage == "requested"
            )
            if is_request:
                if start is not None:
                    yield start, tuple(bucket)
                start, bucket = event.on, []
            elif start is not None:
                bucket.append(event)
        if start is not None:
            yield start, tuple(bucket)
