"""`ehcp move`: every transition the process allows succeeds, every other is refused and writes
nothing; dates out of order, in the future or malformed are refused the same way."""

from __future__ import annotations

import pytest
from helpers import ok, refused

from ehcp_cli.domain.stages import STAGES, TRANSITIONS

# How to bring a fresh case (request received 5 Jan 2026) to each stage, a month per step.
PATHS = {
    "requested": [],
    "assessing": ["assessing"],
    "not-assessing": ["not-assessing"],
    "drafted": ["assessing", "drafted"],
    "not-issuing": ["assessing", "not-issuing"],
    "issued": ["assessing", "drafted", "issued"],
    "ceased": ["assessing", "drafted", "issued", "ceased"],
    "withdrawn": ["withdrawn"],
}
STEP_DATES = ["2026-02-02", "2026-03-02", "2026-04-01", "2026-05-01"]


def snapshot(ehcp, ref: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """Everything a command could change about a case: its document and its history."""
    shown = ok(ehcp("case", "show", ref, "--as-of", "2026-06-01", "--format", "json")).out
    history = ok(ehcp("case", "history", ref, "--format", "json")).out
    return shown, history


def bring_to(ehcp, stage: str) -> None:  # type: ignore[no-untyped-def]
    ok(
        ehcp(
            "case", "open", "Moe", "--dob", "2015-10-10", "--received", "2026-01-05", "--ref", "M1"
        )
    )
    for step, on in zip(PATHS[stage], STEP_DATES, strict=False):
        extra = ["--reason", "2"] if step == "ceased" else []
        ok(ehcp("move", "M1", step, "--on", on, *extra))
    assert ok(ehcp("case", "show", "M1", "--format", "json")).json()["stage"] == stage


@pytest.mark.parametrize("target", STAGES)
@pytest.mark.parametrize("source", STAGES)
def test_transition(ehcp, source, target):
    bring_to(ehcp, source)
    extra = ["--reason", "9"] if target == "ceased" else []
    before = snapshot(ehcp, "M1")
    r = ehcp("move", "M1", target, "--on", "2026-05-15", *extra)
    if target in TRANSITIONS[source]:
        assert (r.code, r.err) == (0, "")
        assert r.out == f"M1: now {target} (from 2026-05-15)\n"
        assert ok(ehcp("case", "show", "M1", "--format", "json")).json()["stage"] == target
        history = ok(ehcp("case", "history", "M1", "--format", "json")).json()
        assert history[-1]["action"] == "moved"
        assert history[-1]["details"]["stage"] == target
    else:
        err = refused(r)
        allowed = ", ".join(TRANSITIONS[source]) or "none"
        assert err == f"error: cannot move from {source} to {target}; allowed next: {allowed}\n"
        assert snapshot(ehcp, "M1") == before


def test_the_full_pathway_and_the_stage_filter(ehcp, opened):
    for stage, on in [
        ("assessing", "2026-02-16"),
        ("drafted", "2026-04-13"),
        ("issued", "25/05/2026"),
    ]:
        ok(ehcp("move", opened, stage, "--on", on, "--note", "on time"))
    rows = ok(ehcp("case", "list", "--stage", "issued", "--format", "json")).json()
    assert [r["ref"] for r in rows] == [opened]
    assert ok(ehcp("case", "list", "--stage", "requested", "--format", "json")).json() == []
    statuses = {
        d["rule"]: d["status"]
        for d in ok(
            ehcp("case", "show", opened, "--as-of", "2026-05-26", "--format", "json")
        ).json()["deadlines"]
        if d["rule"] in ("decision-to-assess", "draft-target", "issue-decision", "final-plan")
    }
    assert statuses == {
        "decision-to-assess": "met",
        "draft-target": "met",
        "issue-decision": "met",
        "final-plan": "met",
    }


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["assessing", "--on", "2026-01-04"],
            1,
            "error: 2026-01-04 is before the case's first event (2026-01-05)\n",
        ),
        (
            ["assessing", "--on", "2099-01-01"],
            1,
            "error: 2099-01-01 is in the future; record events on or after they happen\n",
        ),
        (["assessing", "--on", "2026-13-01"], 2, None),
        (["assessing", "--on", "01/13/2026"], 2, None),
        (["assessing"], 2, None),
        (["sideways", "--on", "2026-02-01"], 2, None),
        (
            ["assessing", "--on", "2026-02-01", "--reason", "2"],
            1,
            "error: --reason applies only when moving to ceased\n",
        ),
        (
            ["assessing", "--on", "2026-02-01", "--note", "   "],
            2,
            "error: --note must not be blank\n",
        ),
    ],
)
def test_refused_moves_change_nothing(ehcp, opened, args, code, message):
    before = snapshot(ehcp, opened)
    err = refused(ehcp("move", opened, *args), code)
    if message:
        assert err == message
    assert snapshot(ehcp, opened) == before


def test_a_move_earlier_than_the_previous_event_is_refused(ehcp, opened):
    ok(ehcp("move", opened, "assessing", "--on", "2026-02-16"))
    before = snapshot(ehcp, opened)
    err = refused(ehcp("move", opened, "drafted", "--on", "2026-02-15"))
    assert err == "error: 2026-02-15 is earlier than the case's previous event (2026-02-16)\n"
    assert snapshot(ehcp, opened) == before
    ok(ehcp("move", opened, "drafted", "--on", "2026-02-16"))  # the same day is fine


def test_ceasing_needs_an_sen2_reason(ehcp):
    bring_to(ehcp, "issued")
    before = snapshot(ehcp, "M1")
    assert "needs --reason" in refused(ehcp("move", "M1", "ceased", "--on", "2026-05-02"), 2)
    assert "not an SEN2 ceasing code" in refused(
        ehcp("move", "M1", "ceased", "--on", "2026-05-02", "--reason", "10"), 2
    )
    assert snapshot(ehcp, "M1") == before
    ok(ehcp("move", "M1", "ceased", "--on", "2026-05-02", "--reason", "5"))
    events = ok(ehcp("case", "show", "M1", "--format", "json")).json()["events"]
    assert events[-1]["kind"] == "stage" and events[-1]["reason"] == "5"
    assert "transferred to another English council" in events[-1]["description"]


def test_unknown_case(ehcp):
    err = refused(ehcp("move", "NOPE", "assessing", "--on", "2026-02-01"))
    assert err == "error: no case with reference NOPE\n"
