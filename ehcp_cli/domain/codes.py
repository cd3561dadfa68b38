"""Closed vocabularies of the domain: DfE SEN2 codes, advice kinds, decisions and reasons.

Each is a tuple (stable order for help text) plus, where useful, a human label. Validation anywhere
in the program checks against these, so an accepted value is named in exactly one place.
"""

from __future__ import annotations

# The stages of a case (the transitions between them are in `stages.py`).
STAGES: tuple[str, ...] = (
    "requested", "assessing", "not-assessing", "drafted", "not-issuing", "issued", "ceased",
    "withdrawn",
)

# DfE SEN2 primary-need codes (DS from 2025). NSA is a school-census code, never a plan need.
NEEDS: tuple[str, ...] = (
    "SPLD", "MLD", "SLD", "PMLD", "SEMH", "SLCN", "HI", "VI", "MSI", "PD", "ASD", "DS", "OTH",
)

# SEND Regulations 2014 reg 6(1): the advice and information an assessment must seek.
ADVICE_KINDS: dict[str, str] = {
    "parent": "parent's or young person's views and advice (reg 6(1)(a))",
    "educational": "educational advice (reg 6(1)(b))",
    "health": "medical advice (reg 6(1)(c))",
    "psychological": "psychological advice (reg 6(1)(d))",
    "social-care": "social care advice (reg 6(1)(e))",
    "adulthood": "preparing for adulthood advice (reg 6(1)(g))",
    "other": "other advice (reg 6(1)(f), (h))",
}

# SEN2 ceasing reason codes.
CEASE_REASONS: dict[str, str] = {
    "1": "reached maximum age",
    "2": "needs met without a plan",
    "3": "moved on to higher education",
    "4": "moved on to paid employment",
    "5": "transferred to another English council",
    "6": "no longer engaging",
    "7": "moved outside England",
    "8": "deceased",
    "9": "other",
}

REVIEW_DECISIONS: tuple[str, ...] = ("maintain", "amend", "cease")

# Grounds on which regs 5(4), 8(2), 10(4), 13(3), 27(3) and 44(3) excuse a missed time limit.
EXCEPTION_REASONS: dict[str, str] = {
    "closure": "the school or institution was closed for at least four weeks",
    "personal": "exceptional personal circumstances of the child, parent or young person",
    "absence": "the child, parent or young person was away from the area",
    "appointment": "the parent or young person missed an appointment",
}

# reg 44(2): what a First-tier Tribunal (SEND) order tells the council to do.
TRIBUNAL_ORDERS: dict[str, str] = {
    "assess": "assess or re-assess",
    "make-plan": "make and maintain a plan",
    "amend-contents": "amend the plan's contents",
    "amend-institution": "amend only the named school or institution",
}

# reg 2(1) relevant phase transfers, plus post-16 moves at other times of year (reg 18(2)).
TRANSFER_KINDS: dict[str, str] = {
    "early-years-to-school": "early years to school",
    "infant-to-junior": "infant to junior school",
    "primary-to-middle": "primary to middle school",
    "primary-to-secondary": "primary to secondary school",
    "middle-to-secondary": "middle to secondary school",
    "secondary-to-post16": "secondary school to post-16",
    "post16-to-post16": "post-16 to post-16 at another time of year",
}
