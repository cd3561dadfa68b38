"""Reading dates people type: ISO, UK day-first, today and yesterday; nothing guessed."""

from __future__ import annotations

from datetime import date

import pytest

from ehcp_cli.dates import ACCEPTED, parse_date, parse_iso
from ehcp_cli.errors import UsageError

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-05", date(2026, 1, 5)),
        ("05/01/2026", date(2026, 1, 5)),
        ("5/1/2026", date(2026, 1, 5)),
        ("01/02/2026", date(2026, 2, 1)),  # day first, always: 1 February, never 2 January
        ("12/11/2026", date(2026, 11, 12)),
        ("29/02/2024", date(2024, 2, 29)),
        ("  2026-01-05 ", date(2026, 1, 5)),
        ("today", TODAY),
        ("Today", TODAY),
        ("yesterday", date(2026, 11, 21)),
        ("YESTERDAY", date(2026, 11, 21)),
    ],
)
def test_accepted_forms(text, expected):
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "tomorrow",
        "2026/01/05",
        "05-01-2026",
        "05.01.2026",
        "01/13/2026",  # a US date: month 13 does not exist, so it is refused, never swapped
        "2026-1-5",
        "05/01/26",
        "5 Jan 2026",
        "Jan 5 2026",
        "20260105",
        "2026-01-05T00:00",
        "29/02/2025",
        "2025-02-29",
        "31/04/2026",
        "00/01/2026",
        "2026-00-10",
    ],
)
def test_everything_else_is_a_usage_error_naming_the_accepted_forms(text):
    with pytest.raises(UsageError) as caught:
        parse_date(text, TODAY, what="--on")
    assert caught.value.exit_code == 2
    assert ACCEPTED in str(caught.value)
    assert str(caught.value).startswith("--on ")


def test_parse_iso_is_a_fast_path_for_machine_dates_only():
    assert parse_iso("2026-01-05") == date(2026, 1, 5)
    assert parse_iso("05/01/2026") is None
    assert parse_iso("2026-02-30") is None
    assert parse_iso("") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("today", "2026-11-22"), ("yesterday", "2026-11-21"), ("01/02/2026", "2026-02-01")],
)
def test_cli_reads_dates_the_same_way(ehcp, monkeypatch, text, expected):
    """Through the CLI, `today` is the session's today (the fixture's clock is the real one)."""
    import ehcp_cli.cli.app as app_module

    class FixedDate(date):
        @classmethod
        def today(cls):  # type: ignore[override]
            return TODAY

    monkeypatch.setattr(app_module, "date", FixedDate)
    r = ehcp(
        "case",
        "open",
        "Dee",
        "--dob",
        "2015-10-10",
        "--received",
        text,
        "--ref",
        "D1",
        "--format",
        "json",
    )
    assert r.code == 0, r.err
    assert r.json()["events"][0]["on"] == expected


@pytest.mark.parametrize("text", ["01/13/2026", "tomorrow", "2026-02-30", "5 Jan 2026"])
def test_cli_refuses_bad_dates_with_exit_2(ehcp, text):
    r = ehcp("case", "open", "Dee", "--dob", "2015-10-10", "--received", text)
    assert r.code == 2
    assert r.out == ""
    assert r.err.count("\n") == 1 and r.err.startswith("error: --received ")
    assert ACCEPTED in r.err
