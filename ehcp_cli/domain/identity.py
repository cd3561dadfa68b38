"""Checks on the identifiers and free text a case carries (pure; no storage)."""

from __future__ import annotations

import re

from ehcp_cli.errors import UsageError

_UPN = re.compile(r"[A-Z][0-9]{11}[0-9A-Z]")
_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,63}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


# What each character of a UPN adds to its check sum at each of the 12 places after the check
# letter: its value (a digit's own, a letter's place in `_CHECK_LETTERS`) times the place's weight
# (2..13). Looked up rather than worked out per character: every import row with a UPN has one.
_VALUES = {**{str(digit): digit for digit in range(10)},
           **{letter: value for value, letter in enumerate(_CHECK_LETTERS)}}
_WEIGHTED = tuple({char: weight * value for char, value in _VALUES.items()}
                  for weight in range(2, 14))


def upn_check_letter(body: str) -> str:
    """The DfE check letter for the 12 characters after it (weights 2..13, modulo 23)."""
    if len(body) == 12:
        try:
            return _CHECK_LETTERS[sum(map(dict.__getitem__, _WEIGHTED, body)) % 23]
        except KeyError:
            pass  # not an ASCII digit or check letter: the rule character by character
    total = 0
    for weight, char in enumerate(body, start=2):
        total += weight * (int(char) if char.isdigit() else _CHECK_LETTERS.index(char))
    return _CHECK_LETTERS[total % 23]


def upn_problem(upn: str) -> str | None:
    """Why `upn` is not a valid Unique Pupil Number, or None when it is."""
    if not _UPN.fullmatch(upn):
        return "a UPN is 13 characters: a check letter, 11 digits, then a digit or letter"
    if upn[-1].isalpha() and upn[-1] not in _CHECK_LETTERS:
        return "a temporary UPN ends with one of " + _CHECK_LETTERS
    if upn_check_letter(upn[1:]) != upn[0]:
        return "its check letter does not match (mistyped?)"
    return None


def check_upn(upn: str) -> str:
    value = upn.strip().upper()
    problem = upn_problem(value)
    if problem:
        raise UsageError(f"UPN {upn!r} is not valid: {problem}")
    return value


def ref_problem(ref: str) -> str | None:
    if not _REF.fullmatch(ref):
        return "1-64 letters, digits, '.', '_', '/' or '-', starting with a letter or digit"
    return None


def check_ref(ref: str) -> str:
    problem = ref_problem(ref)
    if problem:
        raise UsageError(f"case reference {ref!r} is not valid: use {problem}")
    return ref


def text_problem(value: str, limit: int) -> str | None:
    if not value.strip():
        return "must not be blank"
    if len(value) > limit:
        return f"at most {limit} characters"
    if _CONTROL.search(value):
        return "must not contain control characters"
    return None


def check_text(value: str, what: str, limit: int = 200) -> str:
    problem = text_problem(value, limit)
    if problem:
        # The value itself may be personal data: name the field, not the content.
        raise UsageError(f"{what} {problem}")
    return value.strip()


