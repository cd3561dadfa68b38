"""Plans in force through the CLI: reviews, amendments, exceptions, phase transfers,
re-assessment, transfers between councils, mediation, appeals and tribunal orders."""

from __future__ import annotations

import pytest
from helpers import ok, refused


def snapshot(ehcp, ref: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    return (
        ok(ehcp("case", "show", ref, "--as-of", "2026-06-01", "--format", "json")).out,
        ok(ehcp("case", "history", ref, "--format", "json")).out,
    )


def deadlines(ehcp, ref: str, as_of: str, rule: str) -> list[tuple]:  # type: ignore[no-untyped-def,type-arg]
    doc = ok(ehcp("case", "show", ref, "--as-of", as_of, "--format", "json")).json()
    return [(d["due"], d["status"], d["met_on"]) for d in doc["deadlines"] if d["rule"] == rule]


@pytest.fixture
def plan(ehcp):  # type: ignore[no-untyped-def]
    ok(
        ehcp(
            "case",
            "open",
            "Pat",
            "--dob",
            "2015-10-10",
            "--plan-issued",
            "2025-03-10",
            "--ref",
            "P1",
            "--coordinator",
            "Sam",
        )
    )
    return "P1"


def test_review_cycle(ehcp, plan):
    assert (
        ok(ehcp("review", "held", plan, "--on", "2026-01-21")).out
        == "P1: review meeting held on 2026-01-21\n"
    )
    assert deadlines(ehcp, plan, "2026-02-04", "review-report") == [("2026-02-04", "open", None)]
    assert deadlines(ehcp, plan, "2026-02-05", "review-report") == [("2026-02-04", "overdue", None)]
    ok(ehcp("review", "report", plan, "--on", "2026-02-05"))
    assert deadlines(ehcp, plan, "2026-02-05", "review-report") == [
        ("2026-02-04", "met-late", "2026-02-05")
    ]
    ok(ehcp("review", "decided", plan, "maintain", "--on", "2026-02-18"))
    assert deadlines(ehcp, plan, "2026-02-18", "review-decision") == [
        ("2026-02-18", "met", "2026-02-18")
    ]
    assert deadlines(ehcp, plan, "2026-02-18", "annual-review") == [
        ("2026-03-09", "met", "2026-02-18"),
        ("2027-02-17", "open", None),
    ]
    # Judged as of a date before the decision, it had not happened yet.
    assert deadlines(ehcp, plan, "2026-02-17", "annual-review")[0] == ("2026-03-09", "open", None)


def test_review_refusals(ehcp, plan, opened):
    before = snapshot(ehcp, plan)
    assert (
        refused(ehcp("review", "report", plan, "--on", "2026-01-21"))
        == "error: no review meeting is recorded on or before that date\n"
    )
    refused(ehcp("review", "decided", plan, "postpone", "--on", "2026-01-21"), 2)
    refused(ehcp("review", "held", plan, "--on", "2099-01-21"))
    refused(ehcp("review", "held", plan, "--on", "2025-03-09"))  # before the plan
    assert snapshot(ehcp, plan) == before
    # A review needs a plan in force.
    assert (
        refused(ehcp("review", "held", opened, "--on", "2026-01-21"))
        == "error: that needs a plan in force; on 2026-01-21 the case was at stage requested\n"
    )


def test_amendment_outside_a_review(ehcp, plan):
    ok(ehcp("amend", "notice", plan, "--on", "2026-01-21"))
    assert deadlines(ehcp, plan, "2026-03-18", "amended-plan") == [("2026-03-18", "open", None)]
    assert deadlines(ehcp, plan, "2026-02-05", "amendment-representations") == [
        ("2026-02-04", "met", None)
    ]
    ok(ehcp("amend", "issued", plan, "--on", "2026-03-19"))
    assert deadlines(ehcp, plan, "2026-03-19", "amended-plan") == [
        ("2026-03-18", "met-late", "2026-03-19")
    ]


def test_amendment_declined(ehcp, plan):
    ok(ehcp("amend", "notice", plan, "--on", "2026-01-21"))
    ok(ehcp("amend", "declined", plan, "--on", "2026-02-20"))
    assert deadlines(ehcp, plan, "2026-06-01", "amended-plan") == [
        ("2026-03-18", "met", "2026-02-20")
    ]


def test_review_decided_amend_sets_both_clocks(ehcp, plan):
    ok(ehcp("review", "held", plan, "--on", "2026-01-21"))
    ok(ehcp("review", "decided", plan, "amend", "--on", "2026-02-18"))
    rows = ok(ehcp("overdue", "--as-of", "2026-04-16", "--format", "json")).json()
    assert [(r["rule"], r["due"], r["days_overdue"]) for r in rows] == [
        ("review-report", "2026-02-04", 71),
        ("amended-plan", "2026-04-15", 1),
        ("amendment-longstop", "2026-04-15", 1),
    ]


def test_exception_is_shown_marked_and_the_deadline_still_overdue(ehcp, opened):
    r = ok(
        ehcp(
            "exception",
            "add",
            opened,
            "final-plan",
            "--reason",
            "closure",
            "--from",
            "2026-04-01",
            "--to",
            "2026-04-30",
            "--note",
            "school closed",
        )
    )
    assert r.out == f"{opened}: exception to final-plan: closure (until 2026-04-30) on 2026-04-01\n"
    exc = {"reason": "closure", "from": "2026-04-01", "to": "2026-04-30", "note": "school closed"}
    doc = ok(ehcp("case", "show", opened, "--as-of", "2026-05-26", "--format", "json")).json()
    final = next(d for d in doc["deadlines"] if d["rule"] == "final-plan")
    assert (final["status"], final["exception"]) == ("overdue", exc)
    rows = ok(ehcp("overdue", "--as-of", "2026-05-26", "--format", "json")).json()
    assert [(r["rule"], r["exception"]) for r in rows] == [
        ("decision-to-assess", None),
        ("issue-decision", None),
        ("final-plan", exc),
    ]
    table = ok(ehcp("overdue", "--as-of", "2026-05-26")).out
    final_line = next(line for line in table.splitlines() if "final-plan" in line)
    assert "closure" in final_line
    assert "closure" in ok(ehcp("case", "show", opened, "--as-of", "2026-05-26")).out
    csv = ok(ehcp("overdue", "--as-of", "2026-05-26", "--format", "csv")).out.splitlines()
    assert csv[-1].endswith(
        ',"{""from"": ""2026-04-01"", ""note"": ""school closed"", ""reason"": ""closure"", '
        '""to"": ""2026-04-30""}",'  # then the (empty) key column
    )


def test_exception_refusals(ehcp, opened):
    before = snapshot(ehcp, opened)
    err = refused(
        ehcp(
            "exception",
            "add",
            opened,
            "draft-target",
            "--reason",
            "closure",
            "--from",
            "2026-04-01",
        )
    )
    assert err.startswith(
        "error: the law allows no exception to draft-target; exceptions apply "
        "to: advice, decision-to-assess, final-plan, issue-decision, "
    )
    refused(
        ehcp(
            "exception",
            "add",
            opened,
            "annual-review",
            "--reason",
            "personal",
            "--from",
            "2026-04-01",
        )
    )
    refused(
        ehcp(
            "exception", "add", opened, "final-plan", "--reason", "holiday", "--from", "2026-04-01"
        ),
        2,
    )
    refused(
        ehcp(
            "exception",
            "add",
            opened,
            "no-such-rule",
            "--reason",
            "closure",
            "--from",
            "2026-04-01",
        ),
        2,
    )
    assert (
        refused(
            ehcp(
                "exception",
                "add",
                opened,
                "final-plan",
                "--reason",
                "closure",
                "--from",
                "2026-04-01",
                "--to",
                "2026-03-01",
            )
        )
        == "error: the exception ends before it starts (--to is before --from)\n"
    )
    assert snapshot(ehcp, opened) == before


def test_phase_add(ehcp, plan):
    ok(
        ehcp(
            "phase",
            "add",
            plan,
            "infant-to-junior",
            "--transfer-on",
            "2026-09-01",
            "--on",
            "2025-04-01",
        )
    )
    doc = ok(ehcp("case", "show", plan, "--as-of", "2026-02-15", "--format", "json")).json()
    transfers = [
        (d["key"], d["due"], d["act_by"], d["status"])
        for d in doc["deadlines"]
        if d["rule"] == "phase-transfer"
    ]
    assert transfers == [
        ("infant-to-junior:2026", "2026-02-14", "2026-02-13", "overdue"),
        ("primary-to-secondary:2027", "2027-02-14", "2027-02-12", "open"),
        ("secondary-to-post16:2032", "2032-03-30", "2032-03-30", "open"),
    ]
    refused(ehcp("phase", "add", plan, "nursery-to-moon", "--transfer-on", "2026-09-01"), 2)


def test_reassessment(ehcp, plan):
    ok(ehcp("reassess", "request", plan, "--on", "2026-03-02"))
    ok(ehcp("reassess", "decided", plan, "reassess", "--on", "2026-03-18"))
    assert deadlines(ehcp, plan, "2026-03-18", "reassessment-decision") == [
        ("2026-03-17", "met-late", "2026-03-18")
    ]
    assert deadlines(ehcp, plan, "2026-03-18", "reassessment-plan") == [
        ("2026-06-24", "open", None)
    ]
    refused(ehcp("reassess", "decided", plan, "maybe", "--on", "2026-03-18"), 2)


def test_transfers_between_councils(ehcp, plan):
    ok(
        ehcp(
            "transfer",
            "out",
            plan,
            "--on",
            "2026-02-23",
            "--move-on",
            "2026-03-02",
            "--to-council",
            "Kent",
        )
    )
    assert deadlines(ehcp, plan, "2026-03-13", "transfer-send") == [("2026-03-13", "open", None)]
    ok(ehcp("transfer", "sent", plan, "--on", "2026-03-13"))
    assert deadlines(ehcp, plan, "2026-03-14", "transfer-send") == [
        ("2026-03-13", "met", "2026-03-13")
    ]
    assert (
        refused(ehcp("transfer", "out", plan, "--on", "2026-03-20", "--move-on", "2026-03-19"))
        == "error: the move date is before the day the council learned of it\n"
    )


def test_transfer_in(ehcp, plan):
    ok(
        ehcp(
            "transfer",
            "in",
            plan,
            "--on",
            "2026-03-13",
            "--last-review",
            "2025-06-10",
            "--from-council",
            "Essex",
        )
    )
    ok(ehcp("transfer", "informed", plan, "--on", "2026-04-24"))
    assert deadlines(ehcp, plan, "2026-06-13", "transfer-inform") == [
        ("2026-04-24", "met", "2026-04-24")
    ]
    assert deadlines(ehcp, plan, "2026-06-13", "transfer-review") == [
        ("2026-06-12", "overdue", None)
    ]


def test_mediation_and_appeal(ehcp, opened):
    ok(ehcp("move", opened, "not-assessing", "--on", "2026-02-16"))
    assert deadlines(ehcp, opened, "2026-04-16", "appeal-window") == [("2026-04-16", "open", None)]
    assert (
        refused(ehcp("mediation", "held", opened, "--on", "2026-03-01"))
        == "error: no request for mediation is recorded on or before that date\n"
    )
    ok(ehcp("mediation", "requested", opened, "--on", "2026-02-20"))
    assert deadlines(ehcp, opened, "2026-03-23", "mediation-held") == [
        ("2026-03-22", "overdue", None)
    ]
    ok(ehcp("mediation", "held", opened, "--on", "2026-03-20"))
    ok(ehcp("mediation", "certificate", opened, "--on", "2026-04-10"))
    assert deadlines(ehcp, opened, "2026-04-17", "appeal-window") == [("2026-05-11", "open", None)]
    ok(ehcp("appeal", "lodged", opened, "--on", "2026-05-01"))
    # Windows are never listed by overdue, even with guidance.
    rows = ok(
        ehcp("overdue", "--as-of", "2026-06-01", "--include-guidance", "--format", "json")
    ).json()
    assert all(r["kind"] != "window" for r in rows)


@pytest.mark.parametrize(
    ("order", "rules"),
    [
        ("make-plan", {"tribunal-draft": "2026-07-10", "tribunal-final": "2026-08-21"}),
        ("amend-contents", {"tribunal-amend-contents": "2026-07-10"}),
        ("amend-institution", {"tribunal-amend-institution": "2026-06-19"}),
        (
            "assess",
            {
                "tribunal-assess-notify": "2026-06-19",
                "tribunal-assess-no-plan": "2026-08-14",
                "tribunal-assess-plan": "2026-09-11",
            },
        ),
    ],
)
def test_tribunal_orders(ehcp, plan, order, rules):
    ok(ehcp("tribunal", "order", plan, order, "--on", "05/06/2026"))
    doc = ok(ehcp("case", "show", plan, "--as-of", "2026-06-05", "--format", "json")).json()
    assert {
        d["rule"]: d["due"] for d in doc["deadlines"] if d["rule"].startswith("tribunal-")
    } == rules
    refused(ehcp("tribunal", "order", plan, "apologise", "--on", "2026-06-05"), 2)


def test_ceasing_closes_every_clock_but_show_still_works(ehcp, plan):
    ok(ehcp("review", "held", plan, "--on", "2026-01-21"))
    ok(ehcp("reassess", "request", plan, "--on", "2026-01-22"))
    before = ok(ehcp("overdue", "--as-of", "2026-06-01", "--format", "json")).json()
    assert {r["rule"] for r in before} == {
        "review-report",
        "review-decision",
        "reassessment-decision",
        "annual-review",
    }
    ok(ehcp("move", plan, "ceased", "--on", "2026-03-01", "--reason", "7"))
    assert ok(ehcp("overdue", "--as-of", "2026-06-01", "--format", "json")).json() == []
    assert (
        ok(
            ehcp("overdue", "--as-of", "2027-06-01", "--include-guidance", "--format", "json")
        ).json()
        == []
    )
    # As of a day before ceasing, the report is unchanged (reproducible reports).
    assert len(ok(ehcp("overdue", "--as-of", "2026-02-28", "--format", "json")).json()) == 3
    doc = ok(ehcp("case", "show", plan, "--as-of", "2026-06-01", "--format", "json")).json()
    assert doc["stage"] == "ceased"
    statuses = {d["status"] for d in doc["deadlines"] if d["kind"] != "window"}
    assert statuses <= {"met", "met-late", "not-applicable"}
    assert "overdue" not in {d["status"] for d in doc["deadlines"]}
    # Nothing more can be recorded on a ceased case.
    assert (
        refused(ehcp("review", "held", plan, "--on", "2026-03-02"))
        == "error: the case was ceased by 2026-03-02; nothing can be recorded from then on\n"
    )


def test_advice_request_and_receive(ehcp, opened):
    assert (
        ok(
            ehcp(
                "advice",
                "request",
                opened,
                "health",
                "educational",
                "--on",
                "2026-02-16",
                "--from",
                "Dr Ng",
            )
        ).out
        == f"{opened}: health, educational advice requested on 2026-02-16\n"
    )
    before = snapshot(ehcp, opened)
    assert (
        refused(ehcp("advice", "request", opened, "health", "--on", "2026-02-17"))
        == "error: health advice was already requested on 2026-02-16 and has not been received\n"
    )
    refused(ehcp("advice", "request", opened, "health", "health", "--on", "2026-02-17"), 2)
    refused(ehcp("advice", "request", opened, "astrology", "--on", "2026-02-17"), 2)
    assert (
        refused(ehcp("advice", "receive", opened, "parent", "--on", "2026-02-17"))
        == "error: no parent advice is waiting to be received on this case\n"
    )
    assert (
        refused(ehcp("advice", "receive", opened, "health", "--on", "2026-02-15"))
        == "error: 2026-02-15 is before the health advice was requested (2026-02-16)\n"
    )
    assert snapshot(ehcp, opened) == before
    ok(ehcp("advice", "receive", opened, "health", "--on", "2026-03-31"))
    doc = ok(ehcp("case", "show", opened, "--as-of", "2026-04-01", "--format", "json")).json()
    assert [(a["kind"], a["provider"], a["due"], a["received_on"]) for a in doc["advice"]] == [
        ("health", "Dr Ng", "2026-03-30", "2026-03-31"),
        ("educational", "Dr Ng", "2026-03-30", None),
    ]
    assert sorted((d["key"], d["status"]) for d in doc["deadlines"] if d["rule"] == "advice") == [
        ("educational", "overdue"),
        ("health", "met-late"),
    ]


def test_appeal_notice_opens_a_window(ehcp, plan):
    ok(ehcp("appeal", "notice", plan, "--on", "2026-06-20", "--decision", "refusal to name Oak"))
    doc = ok(ehcp("case", "show", plan, "--as-of", "2026-08-25", "--format", "json")).json()
    windows = [
        (d["description"], d["due"], d["status"])
        for d in doc["deadlines"]
        if d["rule"] == "appeal-window"
    ]
    # 20 Aug falls in August, which the tribunal skips: the last day is Tue 1 Sep 2026.
    assert windows == [
        ("last day the family may appeal: refusal to name Oak", "2026-09-01", "open")
    ]


def test_a_backdated_review_before_the_plan_existed_is_refused(ehcp):
    ok(ehcp("case", "open", "Late Plan", "--dob", "2015-10-10", "--received", "2025-01-06",
            "--ref", "L1"))
    for stage, on in (("assessing", "2025-02-10"), ("drafted", "2025-04-07"),
                      ("issued", "2025-06-01")):
        ok(ehcp("move", "L1", stage, "--on", on))
    assert (
        refused(ehcp("review", "held", "L1", "--on", "2025-03-01"))
        == "error: that needs a plan in force; on 2025-03-01 the case was at stage assessing\n"
    )


def test_a_transferred_in_plan_owes_nothing_from_before_the_transfer(ehcp):
    """reg 15: the old council's missed dates are not this council's; its first review is
    `transfer-review`, and the interrupted annual cycle is not-applicable, not met-late."""
    ok(ehcp("case", "open", "Moved In", "--dob", "2010-01-15", "--plan-issued", "2020-01-01",
            "--ref", "M1"))
    ok(ehcp("transfer", "in", "M1", "--on", "2026-03-13", "--last-review", "2025-06-10"))
    ok(ehcp("transfer", "informed", "M1", "--on", "2026-04-01"))
    ok(ehcp("review", "decided", "M1", "maintain", "--on", "2026-06-11"))
    doc = ok(ehcp("case", "show", "M1", "--as-of", "2026-07-01", "--format", "json")).json()
    by_rule = {(d["rule"], d["due"]): d["status"] for d in doc["deadlines"]}
    assert by_rule[("transfer-review", "2026-06-12")] == "met"
    assert all(s == "not-applicable" for (rule, due), s in by_rule.items()
               if rule == "annual-review" and due < "2026-03-13")
    assert not [d for d in doc["deadlines"]
                if d["rule"] == "phase-transfer" and d["due"] < "2026-03-13"]
    assert ok(ehcp("overdue", "--as-of", "2026-07-01", "--format", "json")).json() == []
