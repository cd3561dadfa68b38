"""Chasing overdue advice: `advice chase`, `chase list`, `chase letters`, `chase templates`."""

from __future__ import annotations

import stat

import pytest
from helpers import ok


@pytest.fixture
def advice_caseload(ehcp, opened):  # type: ignore[no-untyped-def]
    """T1 (Sam): health and educational advice from Dr Who, parent's with no provider; health
    chased twice. C2 (Kim): health from "dr who" (same provider, other spelling) and
    psychological from the EP Service, received late on 8 April."""
    ok(ehcp("advice", "request", opened, "health", "educational", "--on", "2026-02-16",
            "--from", "Dr Who"))
    ok(ehcp("advice", "request", opened, "parent", "--on", "2026-02-16"))
    ok(ehcp("case", "open", "Cat Cole", "--dob", "2016-05-05", "--received", "2026-01-10",
            "--ref", "C2", "--coordinator", "Kim"))
    ok(ehcp("advice", "request", "C2", "health", "--on", "2026-02-01", "--from", "dr who"))
    ok(ehcp("advice", "request", "C2", "psychological", "--on", "2026-02-01",
            "--from", "EP Service"))
    ok(ehcp("advice", "receive", "C2", "psychological", "--on", "2026-04-08"))
    ok(ehcp("advice", "chase", opened, "health", "--on", "2026-04-02", "--note", "emailed"))
    ok(ehcp("advice", "chase", opened, "health", "--on", "2026-04-09"))
    return opened


# --- advice chase ------------------------------------------------------------------------------
def test_advice_chase_is_recorded_on_the_case(ehcp, advice_caseload):
    doc = ok(ehcp("case", "show", "T1", "--as-of", "2026-04-10", "--format", "json")).json()
    health = next(a for a in doc["advice"] if a["kind"] == "health")
    assert health == {"kind": "health", "provider": "Dr Who", "requested_on": "2026-02-16",
                      "due": "2026-03-30", "received_on": None,
                      "chased_on": ["2026-04-02", "2026-04-09"]}
    chases = [e for e in doc["events"] if e["kind"] == "advice-chased"]
    assert chases[0] == {"on": "2026-04-02", "kind": "advice-chased", "advice": "health",
                         "note": "emailed", "description": "health advice chased: emailed",
                         "recorded_by": "tester"}
    history = ok(ehcp("case", "history", "T1", "--format", "json")).json()
    assert history[-2]["action"] == "advice-chased"
    assert history[-2]["details"] == {"ref": "T1", "on": "2026-04-02", "kind": "health",
                                      "note": "emailed"}


def test_advice_chase_message(ehcp, opened):
    ok(ehcp("advice", "request", opened, "health", "--on", "2026-02-16"))
    result = ok(ehcp("advice", "chase", opened, "health", "--on", "01/04/2026"))
    assert result.out == "T1: health advice chased on 2026-04-01\n"


@pytest.mark.parametrize("args, message", [
    (["T1", "social-care", "--on", "2026-04-01"],
     "no social-care advice is waiting to be received on this case"),
    (["T1", "health", "--on", "2026-02-01"],
     "2026-02-01 is before the health advice was requested (2026-02-16)"),
    (["T1", "health", "--on", "2027-01-01"],
     "2027-01-01 is in the future; record events on or after they happen"),
    (["NOPE", "health", "--on", "2026-04-01"], "no case with reference NOPE"),
])
def test_advice_chase_refusals(ehcp, opened, args, message):
    ok(ehcp("advice", "request", opened, "health", "--on", "2026-02-16"))
    before = ok(ehcp("case", "history", opened, "--format", "json")).json()
    result = ehcp("advice", "chase", *args)
    assert (result.code, result.out, result.err) == (1, "", f"error: {message}\n")
    assert ok(ehcp("case", "history", opened, "--format", "json")).json() == before


@pytest.mark.parametrize("args", [
    ["T1", "dentistry", "--on", "2026-04-01"],
    ["T1", "health", "--on", "1 April"],
    ["T1", "health"],
    ["T1", "health", "--on", "2026-04-01", "--note", "   "],
])
def test_advice_chase_usage_errors(ehcp, opened, args):
    ok(ehcp("advice", "request", opened, "health", "--on", "2026-02-16"))
    result = ehcp("advice", "chase", *args)
    assert result.code == 2
    assert result.err.startswith("error: ") and result.err.count("\n") == 1


def test_received_advice_can_no_longer_be_chased(ehcp, opened):
    ok(ehcp("advice", "request", opened, "health", "--on", "2026-02-16"))
    ok(ehcp("advice", "receive", opened, "health", "--on", "2026-04-01"))
    assert ehcp("advice", "chase", opened, "health", "--on", "2026-04-02").code == 1


# --- chase list --------------------------------------------------------------------------------
# Every overdue request names its rule and citation (reg 8(1): advice within 6 weeks).
LAW = {"rule": "advice", "regulation": "reg 8(1)"}
EXPECTED_LIST = [
    {"provider": "dr who", "ref": "C2", "name": "Cat Cole", "coordinator": "Kim", "kind": "health",
     "requested_on": "2026-02-01", "due": "2026-03-15", "days_late": 26, "times_chased": 0,
     "last_chased": None, **LAW},
    {"provider": "Dr Who", "ref": "T1", "name": "Test Child", "coordinator": "Sam",
     "kind": "educational", "requested_on": "2026-02-16", "due": "2026-03-30", "days_late": 11,
     "times_chased": 0, "last_chased": None, **LAW},
    {"provider": "Dr Who", "ref": "T1", "name": "Test Child", "coordinator": "Sam",
     "kind": "health", "requested_on": "2026-02-16", "due": "2026-03-30", "days_late": 11,
     "times_chased": 2, "last_chased": "2026-04-09", **LAW},
    {"provider": "(no provider recorded)", "ref": "T1", "name": "Test Child",
     "coordinator": "Sam", "kind": "parent", "requested_on": "2026-02-16", "due": "2026-03-30",
     "days_late": 11, "times_chased": 0, "last_chased": None, **LAW},
]


def test_chase_list_json(ehcp, advice_caseload):
    rows = ok(ehcp("chase", "list", "--as-of", "2026-04-10", "--format", "json")).json()
    assert rows == EXPECTED_LIST


def test_chase_list_as_of_an_earlier_date(ehcp, advice_caseload):
    rows = ok(ehcp("chase", "list", "--as-of", "2026-04-05", "-f", "json")).json()
    health = next(r for r in rows if r["ref"] == "T1" and r["kind"] == "health")
    assert (health["times_chased"], health["last_chased"]) == (1, "2026-04-02")
    # Received on 8 April: still overdue on the 5th, gone on the 10th.
    assert [r["provider"] for r in rows if r["kind"] == "psychological"] == ["EP Service"]
    earlier = ok(ehcp("chase", "list", "--as-of", "2026-03-30", "-f", "json")).json()
    assert [(r["ref"], r["kind"], r["days_late"]) for r in earlier] == [
        ("C2", "health", 15), ("C2", "psychological", 15)]


def test_chase_list_csv_and_table(ehcp, advice_caseload):
    csv = ok(ehcp("chase", "list", "--as-of", "2026-04-10", "-f", "csv")).out.splitlines()
    assert csv[0] == ("provider,ref,name,coordinator,kind,requested_on,due,days_late,"
                      "times_chased,last_chased,rule,regulation")
    assert csv[3] == ("Dr Who,T1,Test Child,Sam,health,2026-02-16,2026-03-30,11,2,2026-04-09,"
                      "advice,reg 8(1)")
    table = ok(ehcp("chase", "list", "--as-of", "2026-04-10")).out
    assert "dr who: 3 overdue as of 10 Apr 2026" in table
    assert "(no provider recorded): 1 overdue as of 10 Apr 2026" in table
    assert "advice (health)" in table and "reg 8(1)" in table  # rule id and citation shown
    assert table.index("dr who: 3") < table.index("(no provider recorded)")


def test_chase_list_with_nothing_overdue(ehcp, opened):
    assert ok(ehcp("chase", "list", "-f", "json")).json() == []
    assert ok(ehcp("chase", "list", "--as-of", "2026-04-10")).out == (
        "no advice overdue as of 10 Apr 2026\n")


def test_chase_list_usage_errors(ehcp):
    for args in (["--as-of", "tomorrowish"], ["--format", "pdf"], ["--provider", "x"]):
        result = ehcp("chase", "list", *args)
        assert result.code == 2 and result.err.startswith("error: "), args


# --- chase letters -----------------------------------------------------------------------------
EXPECTED_DR_WHO_LETTER = """\
10 April 2026

To: dr who

Overdue advice for education, health and care needs assessments

We asked you for advice for the education, health and care (EHC) needs assessments listed
below. Regulation 8(1) of the Special Educational Needs and Disability Regulations 2014 requires
advice to be provided within six weeks of the request. We have not yet received the advice for
these 3 request(s):

- Cat Cole, born 5 May 2016 (our reference C2)
  medical advice: requested 1 February 2026, due 15 March 2026, now 26 days overdue.
  Reminders already sent: none.

- Test Child, born 10 October 2015 (our reference T1)
  educational advice: requested 16 February 2026, due 30 March 2026, now 11 days overdue.
  Reminders already sent: none.

- Test Child, born 10 October 2015 (our reference T1)
  medical advice: requested 16 February 2026, due 30 March 2026, now 11 days overdue.
  Reminders already sent: 2 April 2026, 9 April 2026.

Please send the advice as soon as possible, or tell us the date by which you will. If one of
the exceptions in regulation 8(2) applies, please tell us which, so that we can record it.

Thank you.

Special Educational Needs and Disabilities (SEND) team
"""


def test_chase_letter_text(ehcp, advice_caseload):
    result = ok(ehcp("chase", "letters", "--as-of", "2026-04-10", "--provider", "DR  WHO"))
    assert result.out == EXPECTED_DR_WHO_LETTER
    assert result.err == ""


def test_each_letter_carries_only_its_providers_children(ehcp, advice_caseload, tmp_path):
    out = tmp_path / "letters"
    result = ok(ehcp("chase", "letters", "--as-of", "2026-04-01", "--output", out))
    files = sorted(p.name for p in out.iterdir())
    assert files == ["chase-dr-who.txt", "chase-ep-service.txt"]
    assert result.out == ""
    assert result.err.splitlines() == [f"wrote {out / name}" for name in files]
    ep = (out / "chase-ep-service.txt").read_text(encoding="utf-8")
    assert "Cat Cole" in ep and "psychological advice" in ep
    assert "Test Child" not in ep and "T1" not in ep and "medical" not in ep
    who = (out / "chase-dr-who.txt").read_text(encoding="utf-8")
    assert "psychological" not in who
    # The parent's own advice has no provider: nobody gets a letter about it.
    assert "parent" not in who and "parent" not in ep
    for name in files:
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o600


def test_letters_to_stdout_are_separated_by_form_feeds(ehcp, advice_caseload):
    out = ok(ehcp("chase", "letters", "--as-of", "2026-04-01")).out
    letters = out.split("\f\n")
    assert [letter.splitlines()[2] for letter in letters] == ["To: dr who", "To: EP Service"]


def test_letters_from_a_councils_own_templates(ehcp, advice_caseload, tmp_path):
    folder = tmp_path / "ours"
    folder.mkdir()
    (folder / "chase_letter.txt").write_text("Dear $provider ($count, $date_iso):\n$items--\n")
    (folder / "chase_item.txt").write_text("$ref $name $dob $kind/$advice $requested_on $due "
                                           "$days_late $times_chased [$chased_on] $$5\n")
    result = ok(ehcp("chase", "letters", "--as-of", "2026-04-10", "--templates", folder,
                     "--provider", "dr who"))
    assert result.out == (
        "Dear dr who (3, 2026-04-10):\n"
        "C2 Cat Cole 5 May 2016 health/medical advice 1 February 2026 15 March 2026 "
        "26 0 [none] $5\n"
        "T1 Test Child 10 October 2015 educational/educational advice 16 February 2026 "
        "30 March 2026 11 0 [none] $5\n"
        "T1 Test Child 10 October 2015 health/medical advice 16 February 2026 30 March 2026 "
        "11 2 [2 April 2026, 9 April 2026] $5\n"
        "--\n")


def test_letters_respect_redact(ehcp, advice_caseload):
    out = ok(ehcp("--redact", "chase", "letters", "--as-of", "2026-04-10")).out
    assert "Cat Cole" not in out and "- C.C., born 5 May 2016" in out


@pytest.mark.parametrize("letter, item, message", [
    ("Dear $provider from $council\n$items", "$ref\n",
     "template chase_letter.txt uses $council, which ehcp does not provide; placeholders "
     "there: $date, $date_iso, $provider, $count, $items"),
    ("$items", "${ref} $nhs_number\n",
     "template chase_item.txt uses $nhs_number, which ehcp does not provide; placeholders "
     "there: $ref, $name, $dob, $kind, $advice, $requested_on, $due, $days_late, "
     "$times_chased, $chased_on"),
    ("Cost: $5 $items", "$ref\n",
     "template chase_letter.txt has a $ that does not start a placeholder (write $$ for a "
     "dollar sign)"),
    ("$items", None, "--templates {folder} has no chase_item.txt (`ehcp chase templates DIR` "
     "writes ehcp's own to start from)"),
])
def test_template_problems_are_named(ehcp, advice_caseload, tmp_path, letter, item, message):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "chase_letter.txt").write_text(letter)
    if item is not None:
        (folder / "chase_item.txt").write_text(item)
    out = tmp_path / "letters"
    result = ehcp("chase", "letters", "--as-of", "2026-04-10", "--templates", folder,
                  "--output", out)
    assert (result.code, result.out) == (2, "")
    assert result.err == "error: " + message.format(folder=folder) + "\n"
    assert not out.exists()  # checked before anything is written


def test_letters_refusals_and_usage_errors(ehcp, advice_caseload, tmp_path):
    result = ehcp("chase", "letters", "--as-of", "2026-04-10", "--provider", "Nobody")
    assert (result.code, result.err) == (
        1, "error: no overdue advice from 'Nobody' as of 2026-04-10\n")
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    assert ehcp("chase", "letters", "--output", a_file).code == 2
    assert ehcp("chase", "letters", "--templates", tmp_path / "missing").code == 2
    assert ehcp("chase", "letters", "--as-of", "31/02/2026").code == 2


def test_no_letters_when_nothing_is_overdue(ehcp, opened):
    result = ok(ehcp("chase", "letters", "--as-of", "2026-04-10"))
    assert result.out == ""
    assert result.err == "no advice with a recorded provider is overdue as of 2026-04-10\n"


def test_chase_templates_writes_the_shipped_ones_once(ehcp, advice_caseload, tmp_path):
    folder = tmp_path / "tpl"
    ok(ehcp("chase", "templates", folder))
    assert sorted(p.name for p in folder.iterdir()) == ["chase_item.txt", "chase_letter.txt"]
    result = ok(ehcp("chase", "letters", "--as-of", "2026-04-10", "--provider", "Dr Who",
                     "--templates", folder))
    assert result.out == EXPECTED_DR_WHO_LETTER
    again = ehcp("chase", "templates", folder)
    assert (again.code, again.err) == (
        1, f"error: {folder / 'chase_letter.txt'} exists already; not overwriting it\n")
