"""Properties that must hold for every date, not just the worked examples (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehcp_cli.dates import parse_date
from ehcp_cli.domain import calendar as cal
from ehcp_cli.domain import events as ev
from ehcp_cli.domain.facts import CaseFacts, reception_year_from_dob
from ehcp_cli.domain.rules import Deadline, evaluate
from ehcp_cli.errors import UsageError

TODAY = date(2026, 11, 22)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
recent = st.dates(min_value=date(2018, 1, 1), max_value=date(2030, 12, 31))
gaps = st.integers(min_value=0, max_value=200)


@st.composite
def timelines(draw):  # type: ignore[no-untyped-def]
    """A plausible case: an assessment or a plan in force, then some dated events."""
    start = draw(recent)
    dob = start - timedelta(days=draw(st.integers(min_value=365, max_value=365 * 18)))
    if draw(st.booleans()):
        events: list[ev.Event] = [ev.Requested(on=start)]
        day = start
        for stage in draw(
            st.sampled_from(
                [
                    [],
                    ["assessing"],
                    ["not-assessing"],
                    ["assessing", "drafted"],
                    ["assessing", "not-issuing"],
                    ["assessing", "drafted", "issued"],
                    ["withdrawn"],
                    ["assessing", "drafted", "issued", "ceased"],
                ]
            )
        ):
            day += timedelta(days=draw(gaps))
            events.append(
                ev.StageReached(on=day, stage=stage, reason="9" if stage == "ceased" else None)
            )
        if draw(st.booleans()):
            asked = start + timedelta(days=draw(gaps))
            events.append(ev.AdviceRequested(on=asked, advice="health"))
            if draw(st.booleans()):
                events.append(
                    ev.AdviceReceived(on=asked + timedelta(days=draw(gaps)), advice="health")
                )
    else:
        events = [ev.PlanInForce(on=start)]
        day = start
        for _ in range(draw(st.integers(min_value=0, max_value=4))):
            day += timedelta(days=draw(gaps))
            events.append(
                draw(
                    st.sampled_from(
                        [
                            ev.ReviewHeld(on=day),
                            ev.ReviewDecided(on=day, decision="maintain"),
                            ev.ReviewDecided(on=day, decision="amend"),
                            ev.AmendIssued(on=day),
                            ev.AmendNotice(on=day),
                            ev.ReassessmentRequested(on=day),
                            ev.ReassessmentDecided(on=day, decision="reassess"),
                            ev.TransferredIn(on=day),
                            ev.MovingOut(on=day, move_on=day + timedelta(days=9)),
                            ev.TribunalOrder(on=day, order="make-plan"),
                            ev.MediationRequested(on=day),
                        ]
                    )
                )
            )
    events.sort(key=lambda e: e.on)
    return CaseFacts(dob=dob, events=tuple(events))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines(), days)
def test_rule_invariants(facts, as_of):
    for d in evaluate(facts):
        assert d.trigger <= d.due, d
        assert d.act_by <= d.due and cal.is_working_day(d.act_by)
        assert (d.due - d.act_by).days < 7
        status = d.status(as_of)
        met = d.met_by(as_of)
        if d.kind == "window":
            assert status == ("open" if as_of <= d.due else "met")
            continue
        assert (status == "met-late") == (met is not None and met > d.due)
        applicable = d.lapsed_on is None or d.lapsed_on > as_of
        assert (status == "overdue") == (met is None and applicable and d.due < as_of)


@settings(max_examples=300, deadline=None)
@given(timelines())
def test_the_next_annual_review_falls_after_the_previous_decision(facts):
    cycles = sorted(
        (d for d in evaluate(facts) if d.rule == "annual-review"), key=lambda d: d.trigger
    )
    decisions = {e.on for e in facts.events if isinstance(e, ev.ReviewDecided)}
    for earlier, later in zip(cycles, cycles[1:], strict=False):
        # Each cycle runs from the review decision that ended the one before it: the decision
        # meets that cycle, unless a transfer in had already closed it (reg 15(5)).
        assert later.trigger in decisions and later.trigger > earlier.trigger
        if earlier.lapsed_on is None:
            assert earlier.met_on == later.trigger
        else:
            assert earlier.met_on is None and earlier.lapsed_on < later.trigger
        assert later.due > later.trigger
        assert later.due == cal.months_starting_with(later.trigger, 12)


@settings(deadline=None)
@given(st.integers(min_value=1990, max_value=2030), st.integers(min_value=0, max_value=365))
def test_phase_transfer_year_matches_the_school_year_rule(year, offset):
    dob = date(year, 1, 1) + timedelta(days=offset)
    if dob.year != year:
        return
    # Born 1 Sep B to 31 Aug B+1: Reception in September B+5, Year 7 B+12, Year 12 B+17.
    b = year if dob >= date(year, 9, 1) else year - 1
    assert reception_year_from_dob(dob) == b + 5
    facts = CaseFacts(dob=dob, events=(ev.PlanInForce(on=date(1985, 1, 1)),))
    keys = {d.key: d.due for d in evaluate(facts) if d.rule == "phase-transfer"}
    assert keys == {
        f"primary-to-secondary:{b + 12}": date(b + 12, 2, 14),
        f"secondary-to-post16:{b + 17}": date(b + 17, 3, 30),
    }


@given(days)
def test_dates_round_trip_in_both_forms(day):
    assert parse_date(day.isoformat(), TODAY) == day
    assert parse_date(day.strftime("%d/%m/%Y"), TODAY) == day
    assert parse_date(f"{day.day}/{day.month}/{day.year}", TODAY) == day


@given(st.integers(min_value=1, max_value=12), st.integers(min_value=13, max_value=31))
def test_day_first_is_never_read_as_month_first(month, day):
    # "MM/DD/YYYY" with a day above 12 is refused, never swapped.
    with pytest.raises(UsageError):
        parse_date(f"{month:02d}/{day:02d}/2026", TODAY)
    assert parse_date("01/02/2026", TODAY) == date(2026, 2, 1)


@given(st.text(max_size=20))
def test_anything_else_is_refused(text):
    try:
        parsed = parse_date(text, TODAY)
    except UsageError:
        return
    cleaned = text.strip()
    assert (
        cleaned.lower() in ("today", "yesterday")
        or parsed.isoformat() == cleaned
        or cleaned.count("/") == 2
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(min_size=1, max_size=12).filter(
        lambda t: t.strip().lower() not in ("today", "yesterday") and not t.startswith("-")
    )
)
def test_the_cli_refuses_non_dates_with_exit_2(ehcp, text):
    try:
        parse_date(text, TODAY)
        return  # a real date in an accepted form
    except UsageError:
        pass
    r = ehcp("overdue", "--as-of", text)
    assert (r.code, r.out) == (2, "")
    assert r.err.startswith("error: ") and r.err.count("\n") == 1


def test_status_boundaries_for_a_plain_deadline():
    d = Deadline(
        rule="r",
        kind="statutory",
        description="",
        regulation="",
        trigger=date(2026, 1, 1),
        due=date(2026, 2, 1),
    )
    assert d.status(date(2026, 2, 1)) == "open"
    assert d.status(date(2026, 2, 2)) == "overdue"


@pytest.mark.parametrize("year", [2015, 2016])  # an ordinary and a leap year
def test_phase_transfer_year_for_every_day_of_a_year(year):
    day = date(year, 1, 1)
    while day.year == year:
        b = year if day.month >= 9 else year - 1
        facts = CaseFacts(dob=day, events=(ev.PlanInForce(on=date(2000, 1, 1)),))
        keys = sorted(d.key for d in evaluate(facts) if d.rule == "phase-transfer")
        assert keys == [f"primary-to-secondary:{b + 12}", f"secondary-to-post16:{b + 17}"], day
        day += timedelta(days=1)
