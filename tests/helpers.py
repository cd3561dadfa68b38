"""Assertions shared by the CLI tests: a command succeeded, or was refused the contract's way."""

from __future__ import annotations


def ok(result):  # type: ignore[no-untyped-def]
    assert result.code == 0, result.err
    return result


def refused(result, code: int = 1) -> str:  # type: ignore[no-untyped-def]
    """Refused with exit `code`, nothing on stdout, exactly one `error:` line on stderr."""
    assert result.code == code, (result.code, result.out, result.err)
    assert result.out == ""
    assert result.err.startswith("error: ") and result.err.count("\n") == 1, result.err
    return result.err
