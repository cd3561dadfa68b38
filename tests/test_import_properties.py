"""Property tests of the import row parser: total on junk, and consistent with the commands."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from ehcp_cli.domain.lifecycle import check_new_event
from ehcp_cli.domain.stages import TRANSITIONS
from ehcp_cli.importing.columns import COLUMN_OF_STAGE, NAMES
from ehcp_cli.importing.prepare import deadline_rows, derive
from ehcp_cli.importing.rows import ImportRow, Problem, parse_row

TODAY = date(2026, 11, 22)
DATES = st.dates(date(1995, 1, 1), date(2027, 1, 1))
CELL = st.one_of(
    st.text(max_size=30),
    DATES.map(date.isoformat),
    DATES.map(lambda d: d.strftime("%d/%m/%Y")),
    st.sampled_from(["", " ", "1", "9", "10", "ASD", "asd", "Y999000026000", "13/13/2020",
                     "2026-02-30", "today", "\x00", "\ufeff", "\udcff"]),
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from(NAMES), CELL), st.integers(2, 10**6))
def test_parse_row_never_raises_on_junk(cells, number):
    result = parse_row(cells, number, TODAY)
    if isinstance(result, list):
        assert result and all(isinstance(p, Problem) and p.row == number for p in result)
        assert all(str(p).startswith(f"row {number}, column ") for p in result)
    else:
        assert isinstance(result, ImportRow)


STAGE_DATES = st.fixed_dictionaries({
    "ref": st.just("T1"), "name": st.just("A B"), "dob": st.just("2010-01-01"),
}, optional={c: DATES.map(date.isoformat) for c in (
    "received", "assessing", "not_assessing", "drafted", "not_issuing", "issued", "last_review",
    "ceased", "withdrawn")} | {"cease_reason": st.sampled_from(["1", "5", "9"])})


@settings(max_examples=400, deadline=None)
@given(STAGE_DATES)
def test_every_accepted_row_is_a_history_the_commands_would_accept(cells):
    """Whatever the parser accepts, `ehcp move` and friends would accept in the same order."""
    result = parse_row(cells, 2, TODAY)
    if isinstance(result, list):
        return
    events = [event for _, event in result.events]
    assert [e.on for e in events] == sorted(e.on for e in events)
    for index in range(1, len(events)):
        check_new_event(events[:index], events[index], TODAY)
    stage, deadlines = derive(result.details["dob"], events)
    assert stage
    from ehcp_cli.store.repo import deadline_values

    stored = [tuple(v.isoformat() if isinstance(v, date) else v for v in values.values())
              for values in deadline_values(7, deadlines)]
    assert stored == [(7, *values) for values in deadline_rows(deadlines)]


# Steps of one request's way through the pathway (a fresh request is another row's business).
_STEPS = {stage: tuple(s for s in allowed if s != "requested")
          for stage, allowed in TRANSITIONS.items()}


@st.composite
def one_request(draw):  # type: ignore[no-untyped-def]
    """Events of a case opened by one request and moved by `ehcp move` through stages it has not
    reached before, on days in order; a step may fall on the same day when the import's same-day
    order puts it after the one before (a withdrawal always does)."""
    from ehcp_cli.domain import events as ev
    from ehcp_cli.importing.rows import _ORDER

    day = draw(st.dates(date(2012, 1, 1), date(2026, 6, 1)))
    events: list[ev.Event] = [ev.Requested(on=day)]
    stage, order, seen = "requested", _ORDER["received"], {"requested"}
    while True:
        steps = [s for s in _STEPS[stage] if s not in seen]
        if not steps or not draw(st.booleans()):
            return events
        stage = draw(st.sampled_from(steps))
        seen.add(stage)
        column = COLUMN_OF_STAGE[stage]
        day += timedelta(days=draw(st.integers(0 if _ORDER[column] > order else 1, 90)))
        if day > TODAY:
            return events
        order = _ORDER[column]
        reason = draw(st.sampled_from(["1", "5", "9"])) if stage == "ceased" else None
        events.append(ev.StageReached(on=day, stage=stage, reason=reason))


@settings(max_examples=300, deadline=None)
@given(one_request())
def test_a_one_request_case_round_trips_through_its_exported_row(events):
    """The row `ehcp export cases` writes for a case with one request imports as exactly the
    events the commands recorded: so the same stage and deadlines, withdrawn or not."""
    from ehcp_cli.actions.exports import stage_columns

    cells = {"ref": "T1", "name": "A B", "dob": "2010-01-01"}
    cells |= {column: "" if value is None else str(value)
              for column, value in stage_columns(events).items()}
    result = parse_row(cells, 2, TODAY)
    assert isinstance(result, ImportRow), [str(p) for p in result]
    assert [event for _, event in result.events] == events
    withdrawn = [e.on for e in events if getattr(e, "stage", None) == "withdrawn"]
    assert cells["withdrawn"] == (withdrawn[0].isoformat() if withdrawn else "")
    assert result.is_open == (derive(date(2010, 1, 1), events)[0] not in ("ceased", "withdrawn"))


def _event_strategy():  # type: ignore[no-untyped-def]
    from ehcp_cli.domain import events as ev

    on = DATES
    advice = st.sampled_from(["parent", "health", "educational"])
    return st.one_of(
        on.map(lambda d: ev.Requested(on=d)),
        st.builds(ev.StageReached, on=on, stage=st.sampled_from(
            ["requested", "assessing", "not-assessing", "drafted", "not-issuing", "issued",
             "ceased", "withdrawn"])),
        st.builds(ev.PlanInForce, on=on, last_review=st.none() | on),
        st.builds(ev.AdviceRequested, on=on, advice=advice),
        st.builds(ev.AdviceReceived, on=on, advice=advice),
        on.map(lambda d: ev.ReviewHeld(on=d)), on.map(lambda d: ev.ReviewReportSent(on=d)),
        st.builds(ev.ReviewDecided, on=on, decision=st.sampled_from([None, "maintain", "amend",
                                                                     "cease"])),
        on.map(lambda d: ev.AmendNotice(on=d)), on.map(lambda d: ev.AmendIssued(on=d)),
        on.map(lambda d: ev.AmendDeclined(on=d)),
        st.builds(ev.ExceptionRecorded, on=on, rule=st.sampled_from(["final-plan", "advice"]),
                  reason=st.just("closure"), until=st.none() | on),
        st.builds(ev.PhaseTransferAdded, on=on, transfer=st.just("primary-to-middle"),
                  transfer_on=on),
        on.map(lambda d: ev.ReassessmentRequested(on=d)),
        st.builds(ev.ReassessmentDecided, on=on, decision=st.sampled_from(["reassess", "refuse"])),
        st.builds(ev.TransferredIn, on=on, last_review=st.none() | on),
        on.map(lambda d: ev.TransferInformed(on=d)),
        st.builds(ev.MovingOut, on=on, move_on=on), on.map(lambda d: ev.PlanSent(on=d)),
        st.builds(ev.DecisionNotice, on=on, decision=st.none() | st.just("refusal")),
        on.map(lambda d: ev.MediationRequested(on=d)), on.map(lambda d: ev.MediationHeld(on=d)),
        on.map(lambda d: ev.MediationCertificate(on=d)), on.map(lambda d: ev.AppealLodged(on=d)),
        st.builds(ev.TribunalOrder, on=on, order=st.sampled_from(
            ["assess", "make-plan", "amend-contents", "amend-institution"])),
    )


@settings(max_examples=500, deadline=None)
@given(st.lists(_event_strategy(), max_size=8), st.dates(date(2000, 1, 1), date(2024, 1, 1)))
def test_skipping_rules_by_needed_events_never_changes_a_result(events, dob):
    """`RuleSpec.needs` is only a shortcut: with every rule run, the deadlines are the same."""
    import dataclasses

    from ehcp_cli.domain.facts import CaseFacts
    from ehcp_cli.domain.rules import RULES, evaluate

    facts = CaseFacts(dob=dob, events=tuple(sorted(events, key=lambda e: e.on)))
    fast = evaluate(facts)
    saved = dict(RULES)
    try:
        for rule_id, (spec, fn) in saved.items():
            RULES[rule_id] = (dataclasses.replace(spec, needs=()), fn)
        assert evaluate(facts) == fast
    finally:
        RULES.update(saved)


OPTIONAL = st.none() | st.text()


@given(st.text(), st.text(), st.text(), OPTIONAL, OPTIONAL, OPTIONAL, OPTIONAL)
def test_imported_details_are_the_json_case_open_records(ref, name, dob, upn, coordinator,
                                                         setting, need):
    import json

    from ehcp_cli.importing.prepare import imported_details

    details = {"ref": ref, "name": name, "dob": dob, "upn": upn, "coordinator": coordinator,
               "setting": setting, "need": need}
    assert imported_details(ref, name, dob, upn, coordinator, setting, need) == json.dumps(
        details, sort_keys=True, default=str)
