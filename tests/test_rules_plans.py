"""Plans in force: annual reviews, amendments and phase transfers (CFA s44; regs 18, 20-22)."""

from __future__ import annotations

from datetime import date

import pytest

from ehcp_cli.domain import events as ev
from ehcp_cli.domain.facts import CaseFacts, reception_year_from_dob, school_year_start
from ehcp_cli.domain.rules import evaluate

D = date.fromisoformat
DOB = D("2015-10-10")


def deadlines(facts: CaseFacts, rule: str) -> list:  # type: ignore[type-arg]
    return [d for d in evaluate(facts) if d.rule == rule]


def dues(facts: CaseFacts, rule: str) -> list[date]:
    return [d.due for d in deadlines(facts, rule)]


# --- annual reviews ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("issued", "due"),
    [
        ("2025-03-10", "2026-03-09"),
        ("2024-02-29", "2025-02-27"),  # 29 Feb + 12 months clamps to 28 Feb, then less one day
        ("2025-01-31", "2026-01-30"),
        ("2025-12-31", "2026-12-30"),
        ("2025-03-01", "2026-02-28"),
        ("2023-03-01", "2024-02-29"),  # ending in a leap year
    ],
)
def test_annual_review_is_twelve_months_starting_with_the_plan(issued, due):
    facts = CaseFacts(DOB, (ev.PlanInForce(on=D(issued)),))
    assert dues(facts, "annual-review")[0] == D(due)


def test_each_review_decision_starts_the_next_cycle_not_the_meeting():
    facts = CaseFacts(
        DOB,
        (
            ev.PlanInForce(on=D("2024-02-29")),
            ev.ReviewHeld(on=D("2025-01-31")),
            ev.ReviewDecided(on=D("2025-02-27"), decision="maintain"),
            ev.ReviewHeld(on=D("2026-01-05")),
            ev.ReviewDecided(on=D("2026-01-31"), decision="maintain"),
        ),
    )
    cycles = [(d.trigger, d.due, d.met_on) for d in deadlines(facts, "annual-review")]
    assert cycles == [
        (D("2024-02-29"), D("2025-02-27"), D("2025-02-27")),
        (D("2025-02-27"), D("2026-02-26"), D("2026-01-31")),
        (D("2026-01-31"), D("2027-01-30"), None),
    ]


def test_a_plan_in_force_with_a_last_review_counts_from_that_decision():
    facts = CaseFacts(DOB, (ev.PlanInForce(on=D("2021-05-04"), last_review=D("2026-01-31")),))
    assert dues(facts, "annual-review") == [D("2027-01-30")]


def test_a_maintain_cease_or_bare_decision_all_meet_the_annual_review():
    for decision in ("maintain", "amend", "cease", None):
        facts = CaseFacts(
            DOB,
            (
                ev.PlanInForce(on=D("2025-03-10")),
                ev.ReviewDecided(on=D("2026-03-09"), decision=decision),
            ),
        )
        assert deadlines(facts, "annual-review")[0].status(D("2026-06-01")) == "met"


def test_under_5_reviews_are_guidance_every_six_months_until_the_fifth_birthday():
    facts = CaseFacts(
        D("2022-01-15"),
        (
            ev.PlanInForce(on=D("2025-03-10")),
            ev.ReviewDecided(on=D("2025-09-01"), decision="maintain"),
            ev.ReviewDecided(on=D("2026-02-20"), decision="maintain"),
        ),
    )
    under5 = deadlines(facts, "under-5-review")
    assert [(d.kind, d.trigger, d.due) for d in under5] == [
        ("guidance", D("2025-03-10"), D("2025-09-09")),
        ("guidance", D("2025-09-01"), D("2026-02-28")),
        # still before the fifth birthday (15 Jan 2027), so the reminder continues
        ("guidance", D("2026-02-20"), D("2026-08-19")),
    ]
    older = CaseFacts(D("2020-01-15"), (ev.PlanInForce(on=D("2025-03-10")),))
    assert deadlines(older, "under-5-review") == []  # already five when the plan was made


# --- amendments --------------------------------------------------------------------------------
def test_amendment_outside_a_review_has_no_longstop():
    facts = CaseFacts(DOB, (ev.PlanInForce(on=D("2025-03-10")), ev.AmendNotice(on=D("2026-01-21"))))
    assert dues(facts, "amended-plan") == [D("2026-03-18")]
    assert dues(facts, "amendment-representations") == [D("2026-02-04")]
    assert deadlines(facts, "amendment-longstop") == []


def test_a_decision_not_to_amend_meets_the_amended_plan_duty():
    facts = CaseFacts(
        DOB,
        (
            ev.PlanInForce(on=D("2025-03-10")),
            ev.AmendNotice(on=D("2026-01-21")),
            ev.AmendDeclined(on=D("2026-02-20")),
        ),
    )
    assert deadlines(facts, "amended-plan")[0].status(D("2026-06-01")) == "met"


def test_maintain_after_a_review_sets_no_amendment_clocks():
    facts = CaseFacts(
        DOB,
        (
            ev.PlanInForce(on=D("2025-03-10")),
            ev.ReviewHeld(on=D("2026-01-21")),
            ev.ReviewDecided(on=D("2026-02-18"), decision="maintain"),
        ),
    )
    for rule in ("amended-plan", "amendment-longstop", "amendment-representations"):
        assert deadlines(facts, rule) == []


def test_a_late_amended_plan_is_late_against_both_the_regulation_and_the_longstop():
    facts = CaseFacts(
        DOB,
        (
            ev.PlanInForce(on=D("2025-03-10")),
            ev.ReviewHeld(on=D("2026-01-21")),
            ev.ReviewDecided(on=D("2026-02-25"), decision="amend"),  # a week late
            ev.AmendIssued(on=D("2026-04-20")),
        ),
    )
    judged = {
        d.rule: (d.due, d.status(D("2026-05-01")))
        for d in evaluate(facts)
        if d.rule in ("review-decision", "amended-plan", "amendment-longstop")
    }
    assert judged == {
        "review-decision": (D("2026-02-18"), "met-late"),
        "amended-plan": (D("2026-04-22"), "met"),  # 8 weeks from the notice
        "amendment-longstop": (D("2026-04-15"), "met-late"),  # 12 weeks from the meeting
    }


# --- phase transfers ---------------------------------------------------------------------------
def transfer_dues(dob: date, *events: ev.Event, reception: int | None = None) -> dict[str, date]:
    facts = CaseFacts(dob, (ev.PlanInForce(on=D("2012-01-01")), *events), reception_year=reception)
    return {d.key: d.due for d in evaluate(facts) if d.rule.startswith("phase-transfer")}


@pytest.mark.parametrize(
    ("dob", "year7", "year12"),
    [
        # born 1 Sep B to 31 Aug B+1 -> Year 7 in September B+12, Year 12 in September B+17
        ("2010-08-31", 2021, 2026),
        ("2011-08-31", 2022, 2027),
        ("2011-09-01", 2023, 2028),
        ("2012-08-31", 2023, 2028),
        ("2012-02-29", 2023, 2028),  # leap-year birthday, B = 2011
        ("2011-12-25", 2023, 2028),
    ],
)
def test_phase_transfer_years_from_the_date_of_birth(dob, year7, year12):
    assert transfer_dues(D(dob)) == {
        f"primary-to-secondary:{year7}": date(year7, 2, 14),
        f"secondary-to-post16:{year12}": date(year12, 3, 30),
    }


def test_school_year_helpers_at_the_31_august_boundary():
    assert school_year_start(D("2026-08-31")) == 2025
    assert school_year_start(D("2026-09-01")) == 2026
    assert reception_year_from_dob(D("2015-08-31")) == 2019
    assert reception_year_from_dob(D("2015-09-01")) == 2020
    facts = CaseFacts(D("2015-10-10"), ())
    assert facts.year_group(D("2026-08-31")) == 5
    assert facts.year_group(D("2026-09-01")) == 6


def test_year_group_override_moves_the_transfers():
    # Born Oct 2015 (Year 7 in 2027); taught a year behind -> Reception in 2021, Year 7 in 2028.
    assert transfer_dues(D("2015-10-10"), reception=2021) == {
        "primary-to-secondary:2028": D("2028-02-14"),
        "secondary-to-post16:2033": D("2033-03-30"),
    }


def test_explicit_transfers_add_to_or_replace_the_derived_ones():
    junior = ev.PhaseTransferAdded(
        on=D("2020-01-01"), transfer="infant-to-junior", transfer_on=D("2023-09-01")
    )
    assert transfer_dues(D("2015-10-10"), junior) == {
        "infant-to-junior:2023": D("2023-02-14"),
        "primary-to-secondary:2027": D("2027-02-14"),
        "secondary-to-post16:2032": D("2032-03-30"),
    }
    middle = (
        ev.PhaseTransferAdded(
            on=D("2020-01-01"), transfer="primary-to-middle", transfer_on=D("2024-09-01")
        ),
        ev.PhaseTransferAdded(
            on=D("2020-01-01"), transfer="middle-to-secondary", transfer_on=D("2028-09-01")
        ),
    )
    assert transfer_dues(D("2015-10-10"), *middle) == {
        "primary-to-middle:2024": D("2024-02-14"),
        "middle-to-secondary:2028": D("2028-02-14"),
        "secondary-to-post16:2032": D("2032-03-30"),
    }
    post16 = ev.PhaseTransferAdded(
        on=D("2020-01-01"), transfer="post16-to-post16", transfer_on=D("2033-01-06")
    )
    assert transfer_dues(D("2015-10-10"), post16)["post16-to-post16:2033"] == D("2032-08-06")


def test_transfers_before_the_plan_or_before_what_ehcp_knows_are_not_judged():
    # Plan made in Year 8: the Year 6 -> 7 transfer predates it.
    facts = CaseFacts(D("2012-10-10"), (ev.PlanInForce(on=D("2025-01-10")),))
    assert [d.key for d in deadlines(facts, "phase-transfer")] == ["secondary-to-post16:2029"]
    # Plan since 2020 but only known from its last review in June 2025: the Feb 2025 deadline
    # falls in a time ehcp has no record of.
    facts = CaseFacts(
        D("2013-10-10"), (ev.PlanInForce(on=D("2020-01-10"), last_review=D("2025-06-01")),)
    )
    assert [d.key for d in deadlines(facts, "phase-transfer")] == ["secondary-to-post16:2030"]


@pytest.mark.parametrize(
    ("event", "status"),
    [
        (ev.ReviewDecided(on=D("2026-10-01"), decision="maintain"), "met"),
        (ev.AmendIssued(on=D("2027-02-01")), "met"),
        (ev.AmendIssued(on=D("2027-03-01")), "met-late"),
        (ev.ReviewDecided(on=D("2026-10-01"), decision="cease"), "overdue"),
        # An amend decision alone is not the amended plan.
        (ev.ReviewDecided(on=D("2026-10-01"), decision="amend"), "overdue"),
        # Before the 12 months preceding the transfer: does not count.
        (ev.ReviewDecided(on=D("2026-08-31"), decision="maintain"), "overdue"),
    ],
)
def test_what_meets_a_phase_transfer(event, status):
    facts = CaseFacts(D("2015-10-10"), (ev.PlanInForce(on=D("2025-03-10")), event))
    year7 = next(
        d for d in deadlines(facts, "phase-transfer") if d.key == "primary-to-secondary:2027"
    )
    assert year7.status(D("2027-04-01")) == status


def test_a_last_review_in_the_transfer_year_meets_the_transfer():
    facts = CaseFacts(
        D("2015-10-10"), (ev.PlanInForce(on=D("2021-03-10"), last_review=D("2026-10-05")),)
    )
    year7 = deadlines(facts, "phase-transfer")[0]
    assert (year7.key, year7.met_on) == ("primary-to-secondary:2027", D("2026-10-05"))


def test_the_due_date_never_precedes_the_trigger_for_any_phase_transfer():
    facts = CaseFacts(D("2015-10-10"), (ev.PlanInForce(on=D("2016-03-10")),))
    for d in deadlines(facts, "phase-transfer"):
        # The clock is known from the plan's start; the deadline falls in the transfer year,
        # before the September move.
        year = int(d.key.rsplit(":", 1)[1])
        assert d.trigger == D("2016-03-10") <= d.due < date(year, 9, 1)
        assert d.due.year == year


def test_a_decision_not_to_amend_ends_the_longstop():
    """reg 22(4): no amended plan is owed after deciding not to amend, so Devon's long stop
    lapses."""
    facts = CaseFacts(
        dob=D("2015-10-10"),
        events=(
            ev.PlanInForce(on=D("2025-03-10")),
            ev.ReviewHeld(on=D("2026-01-21")),
            ev.ReviewDecided(on=D("2026-02-18"), decision="amend"),
            ev.AmendDeclined(on=D("2026-03-20")),
        ),
    )
    (longstop,) = deadlines(facts, "amendment-longstop")
    assert longstop.status(D("2026-05-01")) == "not-applicable"
    (amended,) = deadlines(facts, "amended-plan")
    assert amended.status(D("2026-05-01")) == "met"
