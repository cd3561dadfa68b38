"""`ehcp case open|list|show|update|history`, the global options, and output escaping."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import ok, refused

UPN_A = "H801200001001"
UPN_B = "X801200001002"


def count_cases(ehcp) -> int:  # type: ignore[no-untyped-def]
    return len(ok(ehcp("case", "list", "--format", "json")).json())


@pytest.fixture
def fixed_today(monkeypatch):  # type: ignore[no-untyped-def]
    """Pin the session's today to 22 Nov 2026 (year groups are judged against today)."""
    import ehcp_cli.cli.app as app_module

    class Today(date):
        @classmethod
        def today(cls):  # type: ignore[override]
            return date(2026, 11, 22)

    monkeypatch.setattr(app_module, "date", Today)


# --- open --------------------------------------------------------------------------------------
def test_open_prints_the_reference_and_generates_one_when_not_given(ehcp):
    assert (
        ok(ehcp("case", "open", "Ann", "--dob", "2015-10-10", "--received", "2026-01-05")).out
        == "EHC-000001\n"
    )
    assert (
        ok(ehcp("case", "open", "Bob", "--dob", "2015-10-10", "--received", "2026-01-05")).out
        == "EHC-000002\n"
    )
    assert (
        ok(
            ehcp(
                "case",
                "open",
                "Cy",
                "--dob",
                "2015-10-10",
                "--received",
                "2026-01-05",
                "--ref",
                "LA/2026/17",
            )
        ).out
        == "LA/2026/17\n"
    )


def test_open_a_plan_in_force(ehcp):
    doc = ok(
        ehcp(
            "case",
            "open",
            "Di",
            "--dob",
            "2015-10-10",
            "--plan-issued",
            "2021-03-10",
            "--last-review",
            "2026-02-01",
            "--ref",
            "P1",
            "--upn",
            UPN_A.lower(),
            "--coordinator",
            "Sam",
            "--setting",
            "Oak School",
            "--need",
            "asd",
            "--format",
            "json",
        )
    ).json()
    assert {
        k: doc[k] for k in ("ref", "name", "dob", "upn", "coordinator", "setting", "need", "stage")
    } == {
        "ref": "P1",
        "name": "Di",
        "dob": "2015-10-10",
        "upn": UPN_A,
        "coordinator": "Sam",
        "setting": "Oak School",
        "need": "ASD",
        "stage": "issued",
    }
    assert [(e["on"], e["kind"], e["last_review"]) for e in doc["events"]] == [
        ("2021-03-10", "plan-in-force", "2026-02-01")
    ]
    annual = [d for d in doc["deadlines"] if d["rule"] == "annual-review"]
    assert [d["due"] for d in annual] == ["2027-01-31"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--dob", "2015-10-10"], 2, "give exactly one of --received"),
        (
            ["--dob", "2015-10-10", "--received", "2026-01-05", "--plan-issued", "2026-01-05"],
            2,
            "give exactly one of --received",
        ),
        (
            ["--dob", "2015-10-10", "--received", "2026-01-05", "--last-review", "2026-01-05"],
            2,
            "--last-review goes with --plan-issued",
        ),
        (
            ["--dob", "2015-10-10", "--plan-issued", "2024-01-05", "--last-review", "2023-01-05"],
            1,
            "--last-review must fall between",
        ),
        (["--dob", "2099-10-10", "--received", "2026-01-05"], 1, "date of birth is in the future"),
        (["--dob", "2015-10-10", "--received", "2014-01-05"], 1, "before the date of birth"),
        (["--dob", "2015-10-10", "--received", "2099-01-05"], 1, "in the future"),
        (
            ["--dob", "2015-10-10", "--received", "2026-01-05", "--need", "NSA"],
            2,
            "not a DfE primary-need code",
        ),
        (["--dob", "2015-10-10", "--received", "2026-01-05", "--upn", "A123"], 2, "not valid"),
        (
            ["--dob", "2015-10-10", "--received", "2026-01-05", "--upn", "A801200001001"],
            2,
            "check letter does not match",
        ),
        (
            ["--dob", "2015-10-10", "--received", "2026-01-05", "--ref", "bad ref"],
            2,
            "case reference 'bad ref' is not valid",
        ),
        (
            ["--dob", "10-10-2015", "--received", "2026-01-05"],
            2,
            "--dob '10-10-2015' is not a date",
        ),
        (["--received", "2026-01-05"], 2, "Missing option '--dob'"),
    ],
)
def test_open_refusals_write_nothing(ehcp, opened, args, code, message):
    err = refused(ehcp("case", "open", "Eve", *args), code)
    assert message in err
    assert count_cases(ehcp) == 1


def test_a_blank_or_control_character_name_is_refused_without_echoing_it(ehcp):
    assert (
        refused(ehcp("case", "open", "  ", "--dob", "2015-10-10", "--received", "2026-01-05"), 2)
        == "error: the name must not be blank\n"
    )
    err = refused(
        ehcp("case", "open", "Secret\x07Name", "--dob", "2015-10-10", "--received", "2026-01-05"), 2
    )
    assert "Secret" not in err
    assert count_cases(ehcp) == 0


def test_a_second_open_case_with_the_same_upn_is_refused_naming_the_first(ehcp):
    ok(
        ehcp(
            "case",
            "open",
            "Fay",
            "--dob",
            "2015-10-10",
            "--received",
            "2026-01-05",
            "--upn",
            UPN_A,
            "--ref",
            "F1",
        )
    )
    err = refused(
        ehcp(
            "case", "open", "Fay", "--dob", "2015-10-10", "--received", "2026-02-05", "--upn", UPN_A
        )
    )
    assert err == "error: an open case already holds that UPN: F1\n"
    assert count_cases(ehcp) == 1
    # Once the first is closed (withdrawn), a new case may hold it.
    ok(ehcp("move", "F1", "withdrawn", "--on", "2026-01-20"))
    ok(
        ehcp(
            "case",
            "open",
            "Fay",
            "--dob",
            "2015-10-10",
            "--received",
            "2026-02-05",
            "--upn",
            UPN_A,
            "--ref",
            "F2",
        )
    )


def test_a_duplicate_reference_is_refused(ehcp, opened):
    err = refused(
        ehcp(
            "case",
            "open",
            "Gil",
            "--dob",
            "2015-10-10",
            "--received",
            "2026-01-05",
            "--ref",
            opened,
        )
    )
    assert err == f"error: a case with reference {opened} already exists\n"


# --- list --------------------------------------------------------------------------------------
@pytest.fixture
def caseload(ehcp):  # type: ignore[no-untyped-def]
    ok(
        ehcp(
            "case",
            "open",
            "Ann [bold]Lee[/bold]",
            "--dob",
            "2015-10-10",
            "--received",
            "2026-01-05",
            "--ref",
            "A1",
            "--coordinator",
            "Sam",
            "--need",
            "SEMH",
        )
    )
    ok(
        ehcp(
            "case",
            "open",
            'Ben, "Junior"',
            "--dob",
            "2016-03-01",
            "--plan-issued",
            "2025-03-10",
            "--ref",
            "B2",
            "--coordinator",
            "Kim",
            "--upn",
            UPN_B,
        )
    )
    ok(
        ehcp(
            "case",
            "open",
            "Zoë",
            "--dob",
            "2014-09-01",
            "--received",
            "2026-02-02",
            "--ref",
            "C3",
            "--coordinator",
            "sam",
        )
    )


def test_list_json(ehcp, caseload):
    assert ok(ehcp("case", "list", "--format", "json")).json() == [
        {
            "ref": "A1",
            "name": "Ann [bold]Lee[/bold]",
            "dob": "2015-10-10",
            "upn": None,
            "coordinator": "Sam",
            "setting": None,
            "need": "SEMH",
            "stage": "requested",
        },
        {
            "ref": "B2",
            "name": 'Ben, "Junior"',
            "dob": "2016-03-01",
            "upn": UPN_B,
            "coordinator": "Kim",
            "setting": None,
            "need": None,
            "stage": "issued",
        },
        {
            "ref": "C3",
            "name": "Zoë",
            "dob": "2014-09-01",
            "upn": None,
            "coordinator": "sam",
            "setting": None,
            "need": None,
            "stage": "requested",
        },
    ]


def test_list_csv_has_a_header_row_and_quotes_properly(ehcp, caseload):
    out = ok(ehcp("case", "list", "--format", "csv", "--stage", "issued")).out
    assert out == (
        "ref,name,dob,upn,coordinator,setting,need,stage\n"
        f'B2,"Ben, ""Junior""",2016-03-01,{UPN_B},Kim,,,issued\n'
    )
    assert (
        ok(ehcp("case", "list", "--format", "csv", "--stage", "ceased")).out
        == "ref,name,dob,upn,coordinator,setting,need,stage\n"
    )


def test_list_filters_by_coordinator_ignoring_case(ehcp, caseload):
    rows = ok(ehcp("case", "list", "--coordinator", "SAM", "--format", "json")).json()
    assert [r["ref"] for r in rows] == ["A1", "C3"]
    assert refused(ehcp("case", "list", "--stage", "pending"), 2).startswith(
        "error: stage 'pending' is not one of"
    )


def test_the_table_prints_names_literally(ehcp, caseload):
    out = ok(ehcp("case", "list")).out
    assert "Ann [bold]Lee[/bold]" in out
    assert "Zoë" in out
    assert "\x1b[" not in out  # no colour codes when not a terminal / NO_COLOR
    shown = ok(ehcp("case", "show", "A1", "--as-of", "2026-03-01")).out
    assert "Ann [bold]Lee[/bold]" in shown
    overdue = ok(ehcp("overdue", "--as-of", "2026-03-01")).out
    assert "Ann [bold]Lee[/bold]" in overdue


# --- show --------------------------------------------------------------------------------------
def test_show_unknown_case_and_bad_format(ehcp, opened):
    assert refused(ehcp("case", "show", "NOPE")) == "error: no case with reference NOPE\n"
    refused(ehcp("case", "show", opened, "--format", "csv"), 2)
    refused(ehcp("case", "show", opened, "--as-of", "someday"), 2)


def test_show_table_has_the_timeline_and_the_deadlines(ehcp, opened):
    out = ok(ehcp("case", "show", opened, "--as-of", "2026-03-01")).out
    for text in (
        "T1",
        "Test Child",
        "requested",
        "05 Jan 2026",
        "decision-to-assess",
        "final-plan",
        "reg 13(2)",
        "22 May 2026",
    ):
        assert text in out, text


# --- update ------------------------------------------------------------------------------------
def test_update_changes_details_and_records_what_changed(ehcp, opened):
    assert (
        ok(
            ehcp(
                "case",
                "update",
                opened,
                "--coordinator",
                "Kim",
                "--need",
                "slcn",
                "--setting",
                "Elm Primary",
            )
        ).out
        == f"{opened} updated\n"
    )
    doc = ok(ehcp("case", "show", opened, "--format", "json")).json()
    assert (doc["coordinator"], doc["need"], doc["setting"]) == ("Kim", "SLCN", "Elm Primary")
    last = ok(ehcp("case", "history", opened, "--format", "json")).json()[-1]
    assert last["action"] == "case-updated"
    assert last["details"] == {
        "ref": opened,
        "changes": {
            "coordinator": {"from": "Sam", "to": "Kim"},
            "need": {"from": None, "to": "SLCN"},
            "setting": {"from": None, "to": "Elm Primary"},
        },
    }


def test_update_refusals_write_nothing(ehcp, opened):
    before = ok(ehcp("case", "history", opened, "--format", "json")).out
    assert (
        refused(ehcp("case", "update", opened))
        == "error: nothing to change: give at least one new value\n"
    )
    assert (
        refused(ehcp("case", "update", opened, "--coordinator", "Sam"))
        == "error: nothing to change: give at least one new value\n"
    )
    refused(ehcp("case", "update", opened, "--need", "XYZ"), 2)
    refused(ehcp("case", "update", opened, "--year-group", "15"), 2)
    refused(ehcp("case", "update", "NOPE", "--need", "ASD"))
    assert ok(ehcp("case", "history", opened, "--format", "json")).out == before


def test_update_refuses_a_upn_another_open_case_holds(ehcp, opened):
    ok(
        ehcp(
            "case",
            "open",
            "Other",
            "--dob",
            "2015-10-10",
            "--received",
            "2026-01-05",
            "--ref",
            "O1",
            "--upn",
            UPN_A,
        )
    )
    assert (
        refused(ehcp("case", "update", opened, "--upn", UPN_A))
        == "error: an open case already holds that UPN: O1\n"
    )


def test_year_group_override_moves_the_phase_transfer(ehcp, fixed_today):
    ok(
        ehcp(
            "case",
            "open",
            "Hal",
            "--dob",
            "2015-10-10",
            "--plan-issued",
            "2025-03-10",
            "--ref",
            "Y1",
        )
    )

    def transfers() -> list[tuple[str, str]]:
        doc = ok(ehcp("case", "show", "Y1", "--as-of", "2026-11-22", "--format", "json")).json()
        return [(d["key"], d["due"]) for d in doc["deadlines"] if d["rule"] == "phase-transfer"]

    assert transfers() == [
        ("primary-to-secondary:2027", "2027-02-14"),
        ("secondary-to-post16:2032", "2032-03-30"),
    ]
    # In Year 5 in 2026/27 (one year behind): Year 7 in September 2028.
    ok(ehcp("case", "update", "Y1", "--year-group", "5"))
    assert transfers() == [
        ("primary-to-secondary:2028", "2028-02-14"),
        ("secondary-to-post16:2033", "2033-03-30"),
    ]
    doc = ok(ehcp("case", "show", "Y1", "--as-of", "2026-11-22", "--format", "json")).json()
    assert doc["year_group"] == 5
    history = ok(ehcp("case", "history", "Y1", "--format", "json")).json()
    assert history[-1]["details"]["changes"] == {"reception_year": {"from": None, "to": 2021}}


def test_changing_the_date_of_birth_rederives_the_transfers(ehcp):
    ok(
        ehcp(
            "case",
            "open",
            "Ivy",
            "--dob",
            "2015-08-31",
            "--plan-issued",
            "2025-03-10",
            "--ref",
            "Y2",
        )
    )
    doc = ok(ehcp("case", "show", "Y2", "--format", "json")).json()
    assert [d["key"] for d in doc["deadlines"] if d["rule"] == "phase-transfer"] == [
        "primary-to-secondary:2026",
        "secondary-to-post16:2031",
    ]
    ok(ehcp("case", "update", "Y2", "--dob", "01/09/2015"))
    doc = ok(ehcp("case", "show", "Y2", "--format", "json")).json()
    assert [d["key"] for d in doc["deadlines"] if d["rule"] == "phase-transfer"] == [
        "primary-to-secondary:2027",
        "secondary-to-post16:2032",
    ]


# --- history and global options ----------------------------------------------------------------
def test_history_lists_every_change_oldest_first(ehcp, opened):
    ok(
        ehcp(
            "advice", "request", opened, "health", "parent", "--on", "2026-01-12", "--from", "Dr Ng"
        )
    )
    ok(ehcp("--user", "alex", "advice", "receive", opened, "parent", "--on", "2026-02-01"))
    rows = ok(ehcp("case", "history", opened, "--format", "json")).json()
    assert [(r["user"], r["action"]) for r in rows] == [
        ("tester", "case-opened"),
        ("tester", "advice-requested"),
        ("alex", "advice-received"),
    ]
    assert rows[1]["details"] == {
        "ref": opened,
        "on": "2026-01-12",
        "kinds": ["health", "parent"],
        "from": "Dr Ng",
    }
    for row in rows:
        assert row["at"][10] == "T" and row["at"].endswith("+00:00")
    table = ok(ehcp("case", "history", opened)).out
    assert "advice-received" in table and "alex" in table
    refused(ehcp("case", "history", "NOPE"))


def test_version_and_help(ehcp):
    from ehcp_cli import __version__

    assert ehcp("--version").out == f"ehcp {__version__}\n"
    r = ehcp("--help")
    assert r.code == 0 and "Usage: ehcp" in r.out
    r = ehcp("case", "open", "--help")
    assert r.code == 0 and "--plan-issued" in r.out


def test_unknown_command_and_option_are_usage_errors(ehcp):
    assert refused(ehcp("frobnicate"), 2).startswith("error: ")
    assert refused(ehcp("case", "list", "--bogus"), 2).startswith("error: ")


def test_the_db_option_overrides_the_environment(ehcp, tmp_path):
    other = tmp_path / "other.db"
    ok(
        ehcp(
            "--db",
            str(other),
            "case",
            "open",
            "Jo",
            "--dob",
            "2015-10-10",
            "--received",
            "2026-01-05",
            "--ref",
            "J1",
        )
    )
    assert other.exists()
    assert ok(ehcp("--db", str(other), "case", "list", "--format", "json")).json()[0]["ref"] == "J1"
    assert count_cases(ehcp) == 0


def test_update_refuses_a_date_of_birth_after_the_request(ehcp, opened):
    before = ehcp("case", "history", opened, "--format", "json").json()
    r = ehcp("case", "update", opened, "--dob", "2026-02-01")
    assert r.code == 1
    assert r.err == "error: the date of birth would be after the case's first event (2026-01-05)\n"
    r = ehcp("case", "update", opened, "--dob", "2099-01-01")
    assert (r.code, r.err) == (1, "error: the date of birth is in the future\n")
    assert ehcp("case", "history", opened, "--format", "json").json() == before


def test_case_show_as_of_a_past_day_shows_the_case_as_it_stood(ehcp, opened):
    """Reproducible: events after the as-of day, and the clocks they started, are not shown."""
    assert ehcp("move", opened, "assessing", "--on", "2026-02-10").code == 0
    assert ehcp("advice", "request", opened, "health", "--on", "2026-02-16").code == 0
    then = ehcp("case", "show", opened, "--as-of", "2026-02-12", "--format", "json").json()
    assert then["stage"] == "assessing"
    assert [e["kind"] for e in then["events"]] == ["requested", "stage"]
    assert then["advice"] == []
    assert "advice" not in {d["rule"] for d in then["deadlines"]}
    now = ehcp("case", "show", opened, "--as-of", "2026-03-01", "--format", "json").json()
    assert now["advice"][0]["due"] == "2026-03-30"
    before_move = ehcp("case", "show", opened, "--as-of", "2026-02-01", "--format", "json").json()
    assert before_move["stage"] == "requested"
