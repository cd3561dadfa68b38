"""A synthetic caseload shaped like a real council's, as rows of the `ehcp import` CSV.

Deterministic (seeded), invented people, and the mix the national statistics describe: most cases
are plans in force whose annual reviews are mostly on time, with a backlog of late reviews, and a
stream of assessment requests of which roughly half finish within 20 weeks. About 10-20% of
cases end up with something overdue on the reference date.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

# Every event is on or before this date, and reports are run as of it, so a cached database
# gives the same figures on any later day.
REFERENCE = date(2026, 11, 2)

COLUMNS = ["ref", "name", "dob", "upn", "coordinator", "setting", "need", "received",
           "assessing", "not_assessing", "drafted", "not_issuing", "issued", "last_review",
           "ceased", "cease_reason"]

FIRST = ["Ada", "Bram", "Cleo", "Dara", "Esme", "Finn", "Greta", "Hal", "Isla", "Jago", "Kit",
         "Lark", "Milo", "Nell", "Otto", "Pip", "Quin", "Rosa", "Sol", "Tove", "Ula", "Vic",
         "Wren", "Xan", "Yara", "Zed"]
LAST = ["Applewood", "Bramblefield", "Cobblestone", "Dandelion", "Elderflower", "Fernsby",
        "Gooseberry", "Hollyhock", "Inkwell", "Juniper", "Kettleby", "Larkspur", "Marigold",
        "Nettlebed", "Oakapple", "Periwinkle", "Quillfeather", "Rosehip", "Sorrel",
        "Thistledown", "Umberfield", "Verbena", "Willowherb", "Yarrow"]
SETTINGS = ["Brookside Primary", "Hilltop Academy", "Riverside Special School", "St Anne's CE",
            "Meadow Lane Infants", "Northgate College", "Oakfield High", "Elm Tree Nursery",
            "Harbour Free School", "Westfield Junior"]
NEEDS_WEIGHTED = ["ASD"] * 33 + ["SEMH"] * 15 + ["SLCN"] * 21 + ["MLD"] * 8 + ["SLD"] * 7 + \
    ["SPLD"] * 4 + ["PD"] * 4 + ["PMLD"] * 2 + ["HI"] * 2 + ["VI"] * 1 + ["MSI"] * 1 + \
    ["OTH"] * 1 + ["DS"] * 1
CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn(index: int) -> str:
    """A well-formed UPN (DfE check letter) unique to `index`; not a real pupil's number."""
    body = f"886{index:08d}{index % 10}"
    total = sum(weight * int(char) for weight, char in enumerate(body, start=2))
    return CHECK_LETTERS[total % 23] + body


def _days(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(days=rng.randint(low, high))


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _plan_in_force(rng: random.Random, row: dict[str, str]) -> None:
    """A plan issued 1-12 years ago; reviews mostly within the year, a minority late."""
    age_years = rng.choices([rng.uniform(4, 11), rng.uniform(11, 16), rng.uniform(16, 24)],
                            weights=[45, 38, 17])[0]
    dob = REFERENCE - timedelta(days=int(age_years * 365.25))
    issued = REFERENCE - _days(rng, 200, 365 * 10)
    earliest = dob + timedelta(days=365 * 2)
    if issued < earliest:
        issued = earliest + _days(rng, 0, max(0, (REFERENCE - earliest).days - 30))
    row["dob"], row["issued"] = dob.isoformat(), issued.isoformat()
    if (REFERENCE - issued).days < 365:
        return  # first review not yet due
    # 80% reviewed within the last year; the rest fall behind by up to 9 months.
    back = _days(rng, 20, 350) if rng.random() < 0.80 else _days(rng, 370, 640)
    last_review = max(REFERENCE - back, issued + timedelta(days=300))
    row["last_review"] = last_review.isoformat()


def _request(rng: random.Random, row: dict[str, str]) -> None:
    """An assessment request from the last 18 months, at whatever stage its timing reached."""
    dob = REFERENCE - timedelta(days=int(rng.uniform(2, 15) * 365.25))
    received = REFERENCE - _days(rng, 5, 540)
    row["dob"], row["received"] = dob.isoformat(), received.isoformat()
    decided = received + timedelta(weeks=rng.choice([4, 5, 5, 6, 6, 6, 6, 7, 8]))
    if decided > REFERENCE:
        return
    if rng.random() < 0.25:
        row["not_assessing"] = decided.isoformat()
        return
    row["assessing"] = decided.isoformat()
    drafted = received + timedelta(weeks=rng.choice([13, 14, 15, 16, 16, 17, 19, 22, 26]))
    if drafted > REFERENCE:
        return
    if rng.random() < 0.06:
        row["not_issuing"] = drafted.isoformat()
        return
    row["drafted"] = drafted.isoformat()
    issued = received + timedelta(weeks=rng.choice([18, 19, 20, 20, 20, 21, 23, 26, 30, 36]))
    issued = max(issued, drafted + timedelta(days=rng.randint(16, 35)))  # after representations
    if issued <= REFERENCE:
        row["issued"] = issued.isoformat()


def rows(count: int, seed: int = 2026) -> Iterator[dict[str, str]]:
    """`count` case rows, the same for the same seed."""
    rng = random.Random(seed)
    coordinators = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(max(1, count // 220))]
    for index in range(count):
        row = dict.fromkeys(COLUMNS, "")
        row["ref"] = f"EHC-{index + 1:07d}"
        row["name"] = f"{rng.choice(FIRST)} {rng.choice(LAST)}-{rng.choice(LAST)}"
        row["upn"] = upn(index)
        row["coordinator"] = rng.choice(coordinators)
        row["setting"] = rng.choice(SETTINGS)
        row["need"] = rng.choice(NEEDS_WEIGHTED)
        if rng.random() < 0.84:
            _plan_in_force(rng, row)
        else:
            _request(rng, row)
        yield row


def write_csv(path: Path, count: int, seed: int = 2026) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows(count, seed))
