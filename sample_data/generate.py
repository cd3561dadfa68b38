"""Write the synthetic sample caseload (`caseload.csv`) and the README's `import-example.csv`.

Deterministic: the same seed and reference date always give byte-identical files, so `ehcp demo`
and the README show the same report on every machine. Every person in it is invented (the names
are whimsical on purpose) and every UPN is well-formed for a local-authority number that does not
exist (999), with a correct check letter.

    python sample_data/generate.py                      # rewrite both committed files
    python sample_data/generate.py --rows 100000 --out big.csv --prefix B   # bench input
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
REFERENCE = date(2026, 10, 1)  # the demo's "today": every date in the caseload is on or before it
SEED = 20261001
COLUMNS = (
    "ref", "name", "dob", "upn", "coordinator", "setting", "need", "received", "assessing",
    "not_assessing", "drafted", "not_issuing", "issued", "last_review", "ceased", "cease_reason",
)

FIRST = (
    "Pip", "Juniper", "Bramble", "Sprocket", "Tansy", "Nimbus", "Clover", "Pickle", "Marigold",
    "Widget", "Sorrel", "Quill", "Pebble", "Fennel", "Ziggy", "Rumble", "Thistle", "Cobble",
    "Zoë", "Button", "Noodle", "Biscuit", "Conker", "Acorn",
)
LAST = (
    "Teapot", "Puddleduck", "Lanternfield", "Buttonwhistle", "Quillfeather", "Marmalade",
    "Crumpet", "Wobblebottom", "Fiddlesticks", "Periwinkle", "Snorkelwick", "Gingersnap",
    "Mumblecrust", "Tumbleweed", "Biscuitbarrel", "Jellybean", "Moonbeam", "Pumpernickel",
    "Sugarplum", "Whirligig", "O'Dumpling", "Crumble-Custard",
)
COORDINATORS = (
    "Ada Clocktower", "Bea Timetable", "Cal Ledger", "Dee Inkwell", "Eli Paperclip", "Fay Stapler",
)
SETTINGS = (
    "Puddleby Primary School", "Hilltop Academy", "Riverside Special School", "Oakwood Nursery",
    "Northgate College", "Meadowbank Infant School", "St Elsewhere's C of E Primary",
    "Lighthouse Pupil Referral Unit", "Brookside Secondary School", "Home educated",
)
# Roughly the national SEN2 mix of primary needs (ASD, SLCN and SEMH most common).
NEEDS = (("ASD", 30), ("SLCN", 20), ("SEMH", 15), ("MLD", 9), ("SLD", 6), ("SPLD", 4),
         ("PD", 4), ("PMLD", 3), ("HI", 2), ("VI", 1), ("MSI", 1), ("DS", 3), ("OTH", 2))
# Share of the caseload in each situation: (scenario, weight).
SCENARIOS = (("request", 30), ("not-assessing", 5), ("not-issuing", 3), ("plan", 42),
             ("phase-transfer", 6), ("pathway-then-reviewed", 6), ("ceased", 8))
CEASE_AGES = {"1": (25, 25), "2": (6, 17), "3": (18, 24), "4": (17, 24), "5": (4, 20),
              "6": (19, 24), "7": (4, 20), "8": (8, 20), "9": (5, 20)}

_CHECK = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn(serial: int) -> str:
    """A valid UPN for the invented council 999: check letter, 999, establishment, year, serial."""
    body = f"999{(serial // 1000) % 10000:04d}26{serial % 1000:03d}"
    total = sum(weight * int(char) for weight, char in enumerate(body, start=2))
    return _CHECK[total % 23] + body


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _born_in_year_group(rng: random.Random, year_group: int, reference: date) -> date:
    """A date of birth putting the child in `year_group` (Reception = 0) on `reference`."""
    school_year = reference.year if reference.month >= 9 else reference.year - 1
    start = date(school_year - year_group - 5, 9, 1)
    return start + timedelta(days=rng.randrange(365))


def _born_aged(rng: random.Random, low: int, high: int, reference: date) -> date:
    age_days = rng.randint(low * 365 + 30, high * 365 + 330)
    return reference - timedelta(days=age_days)


def _after(day: date, rng: random.Random, low_days: int, high_days: int) -> date:
    return day + timedelta(days=rng.randint(low_days, high_days))


def _request(rng: random.Random, reference: date, weeks_ago: int, row: dict[str, str],
             path: str = "request", can_stall: bool = True) -> None:
    """Stage dates of a request received `weeks_ago` weeks ago; some steps late, as in life."""
    received = reference - timedelta(days=7 * weeks_ago + rng.randrange(7))
    row["received"] = _iso(received)

    stalled = can_stall and rng.random() < 0.25  # some cases stick, long overdue

    def reached(day: date) -> date | None:
        if stalled and rng.random() < 0.5:
            return None
        return day if day <= reference else None

    decided = reached(_after(received, rng, 25, 52))  # due at 42 days; about a third late
    if decided is None:
        return
    if path == "not-assessing":
        row["not_assessing"] = _iso(decided)
        return
    row["assessing"] = _iso(decided)
    if path == "not-issuing":
        refused = reached(_after(received, rng, 95, 118))
        row["not_issuing"] = _iso(refused)
        return
    drafted = reached(_after(max(decided, received + timedelta(weeks=10)), rng, 5, 45))
    if drafted is None:
        return
    row["drafted"] = _iso(drafted)
    issued = reached(_after(max(drafted, received + timedelta(weeks=16)), rng, 14, 50))
    row["issued"] = _iso(issued)


def _plan(rng: random.Random, reference: date, row: dict[str, str], dob: date,
          overdue_share: float = 0.2) -> tuple[date, date | None]:
    """A plan in force: first issued some years ago, last reviewed up to 16 months ago."""
    earliest = max(dob + timedelta(days=365), reference - timedelta(days=365 * 10))
    span = (reference - timedelta(days=60) - earliest).days
    issued = earliest + timedelta(days=rng.randrange(max(span, 1)))
    last_review = None
    if (reference - issued).days > 330:
        months_ago = rng.uniform(12.1, 16) if rng.random() < overdue_share else rng.uniform(0.5, 12)
        ago = timedelta(days=int(months_ago * 30.4))
        last_review = max(issued + timedelta(days=200), reference - ago)
        last_review = min(last_review, reference)
    row["issued"], row["last_review"] = _iso(issued), _iso(last_review)
    return issued, last_review


def rows(count: int, *, seed: int = SEED, reference: date = REFERENCE,
         prefix: str = "SAMPLE-") -> Iterator[dict[str, str]]:
    """`count` rows in a realistic mix of situations, all dated on or before `reference`."""
    rng = random.Random(seed)
    scenarios = [name for name, weight in SCENARIOS for _ in range(weight)]
    needs = [code for code, weight in NEEDS for _ in range(weight)]
    width = max(4, len(str(count)))
    # A small caseload gets the exact mix, shuffled; a large one draws each row at random.
    dealt = (scenarios * (count // len(scenarios) + 1))[:count] if count <= 1000 else []
    rng.shuffle(dealt)
    requests = 0
    for index in range(count):
        kind = dealt[index] if dealt else rng.choice(scenarios)
        row = dict.fromkeys(COLUMNS, "")
        row["ref"] = f"{prefix}{index + 1:0{width}d}"
        row["name"] = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        row["upn"] = upn(index) if rng.random() < 0.9 else ""  # the youngest often have none yet
        row["coordinator"] = rng.choice(COORDINATORS)
        row["setting"] = rng.choice(SETTINGS) if rng.random() < 0.95 else ""
        row["need"] = rng.choice(needs) if rng.random() < 0.97 else ""
        if kind in ("request", "not-assessing", "not-issuing"):
            dob = _born_aged(rng, 1, 17, reference)
            requests += 1
            _request(rng, reference, requests % 31, row, kind)  # every week of the pathway
        elif kind == "plan":
            dob = _born_aged(rng, 0, 24, reference)
            if (reference - dob).days < 500:
                dob -= timedelta(days=500)
            _plan(rng, reference, row, dob)
        elif kind == "phase-transfer":
            # Year 6 and Year 11 now (transfer next September), or Year 7 and 12 just moved.
            dob = _born_in_year_group(rng, rng.choice((6, 11, 7, 12)), reference)
            _plan(rng, reference, row, dob, overdue_share=0.5)
        elif kind == "pathway-then-reviewed":
            dob = _born_aged(rng, 5, 17, reference)
            _request(rng, reference, rng.randint(60, 200), row, can_stall=False)
            issued = date.fromisoformat(row["issued"])
            if (reference - issued).days > 330:
                row["last_review"] = _iso(min(reference, _after(issued, rng, 300, 380)))
        else:  # ceased
            reason = rng.choice("112233445566789")
            low, high = CEASE_AGES[reason]
            dob = _born_aged(rng, low, high, reference)
            issued, last_review = _plan(rng, reference, row, dob, overdue_share=0)
            ceased = _after(last_review or issued, rng, 20, 200)
            row["ceased"], row["cease_reason"] = _iso(min(ceased, reference)), reason
        row["dob"] = _iso(dob)
        yield row


# The README's example: one of each kind of row, UK and ISO dates, blanks for "not yet". It has
# every column of an export, `withdrawn` (last) included; the sample caseload has no withdrawn
# request, so it leaves that column out, as an import file may.
EXAMPLE_COLUMNS = (*COLUMNS, "withdrawn")
EXAMPLE = (
    ("EHC-0101", "Pip Teapot", "14/03/2017", "", "Ada Clocktower", "Puddleby Primary School",
     "SLCN", "2026-08-03", "", "", "", "", "", "", "", "", ""),
    ("EHC-0102", "Juniper Marmalade", "2012-11-30", "", "Bea Timetable", "Hilltop Academy",
     "ASD", "2026-05-11", "2026-06-19", "", "2026-09-04", "", "", "", "", "", ""),
    ("EHC-0103", "Bramble Crumpet", "2019-06-02", "", "Ada Clocktower", "Oakwood Nursery", "PD",
     "", "", "", "", "", "2024-02-20", "2025-02-03", "", "", ""),
    ("EHC-0104", "Tansy O'Dumpling", "2010-01-09", "", "Cal Ledger", "Northgate College",
     "SEMH", "2025-01-13", "2025-02-21", "", "2025-04-25", "", "2025-05-30", "2026-05-12", "",
     "", ""),
    ("EHC-0105", "Nimbus Periwinkle", "2001-08-17", "", "Cal Ledger", "Northgate College", "MLD",
     "", "", "", "", "", "2016-09-12", "2025-07-07", "19/08/2026", "1", ""),
    ("EHC-0106", "Sorrel Gingersnap", "2014-04-22", "", "Bea Timetable",
     "Brookside Secondary School", "SEMH", "2026-03-09", "2026-04-17", "", "", "", "", "", "",
     "", "22/06/2026"),
)


def example_rows() -> Iterator[dict[str, str]]:
    for number, values in enumerate(EXAMPLE):
        row = dict(zip(EXAMPLE_COLUMNS, values, strict=True))
        row["upn"] = upn(900 + number)
        yield row


def write(path: Path, data: Iterator[dict[str, str]],
          columns: tuple[str, ...] = COLUMNS) -> int:
    """Write rows as CSV (UTF-8, LF line ends); returns the number of data rows."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in data:
            writer.writerow(row)
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, help="write this many rows to --out instead")
    parser.add_argument("--out", type=Path, help="where to write --rows rows")
    parser.add_argument("--prefix", default="SAMPLE-", help="case reference prefix")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    if args.rows is not None:
        if args.out is None:
            parser.error("--rows needs --out")
        write(args.out, rows(args.rows, seed=args.seed, prefix=args.prefix))
        return 0
    count = write(HERE / "caseload.csv", rows(200, seed=args.seed, prefix=args.prefix))
    examples = write(HERE / "import-example.csv", example_rows(), EXAMPLE_COLUMNS)
    sys.stdout.write(f"wrote {count} cases to caseload.csv and {examples} to "
                     "import-example.csv\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
