"""The import file's columns: names, what each holds, and how header cells are matched.

One table serves the parser, the error messages and the README, so a column is described in
exactly one place.
"""

from __future__ import annotations

DATES = "YYYY-MM-DD or DD/MM/YYYY"

# (column, required, what it holds). Order is the pathway order of the stage columns, except
# `withdrawn`, which came later than the rest and goes last so that scripts reading an export by
# column position keep working.
COLUMNS: tuple[tuple[str, bool, str], ...] = (
    ("ref", True, "case reference: 1-64 letters, digits, '.', '_', '/' or '-'; unique in the file"),
    ("name", True, "the child's or young person's name"),
    ("dob", True, f"date of birth ({DATES})"),
    ("upn", False, "Unique Pupil Number (13 characters, check letter first)"),
    ("coordinator", False, "EHCP coordinator responsible"),
    ("setting", False, "school or setting attended"),
    ("need", False, "DfE primary need code (SPLD, MLD, SLD, PMLD, SEMH, SLCN, HI, VI, MSI, PD, "
                    "ASD, DS, OTH)"),
    ("received", False, "date the EHC needs assessment request was received"),
    ("assessing", False, "date the council decided to assess"),
    ("not_assessing", False, "date the council decided not to assess"),
    ("drafted", False, "date the draft plan was issued"),
    ("not_issuing", False, "date the council decided, after assessing, not to issue a plan"),
    ("issued", False, "date the final plan was issued (alone, without received: a plan in force)"),
    ("last_review", False, "date the last annual review decision was notified (needs issued)"),
    ("ceased", False, "date the plan ceased (needs issued and cease_reason)"),
    ("cease_reason", False, "SEN2 ceasing reason code 1-9 (with ceased)"),
    ("withdrawn", False, "date the family withdrew the request (needs received; after received, "
                         "assessing or drafted)"),
)
NAMES: tuple[str, ...] = tuple(name for name, _, _ in COLUMNS)
REQUIRED: tuple[str, ...] = tuple(name for name, required, _ in COLUMNS if required)
# Stage columns in pathway order, with the stage each records.
STAGE_COLUMNS: dict[str, str] = {
    "assessing": "assessing", "not_assessing": "not-assessing", "drafted": "drafted",
    "not_issuing": "not-issuing", "issued": "issued", "ceased": "ceased",
    "withdrawn": "withdrawn",
}
COLUMN_OF_STAGE: dict[str, str] = {stage: column for column, stage in STAGE_COLUMNS.items()}
DATE_COLUMNS: tuple[str, ...] = ("dob", "received", *STAGE_COLUMNS, "last_review")


def normalise(header: str) -> str:
    """`Not Assessing`, ` not-assessing ` and `NOT_ASSESSING` all name `not_assessing`."""
    return "_".join(header.strip().lower().replace("-", " ").split())
