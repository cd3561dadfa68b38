"""Shared fixtures: every test gets its own throwaway database and user data directory.

`db` is the database URL a test runs against; the autouse fixture points EHCP_DB at it and the
user data directory at a temporary folder, so no test can touch a real caseload.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):  # type: ignore[no-untyped-def]
        return json.loads(self.out)


@pytest.fixture
def db(tmp_path: Path) -> str:
    """The database URL under test (an SQLite file in the test's own folder)."""
    return f"sqlite:///{tmp_path / 'caseload.db'}"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("EHCP_USER", "tester")
    monkeypatch.delenv("EHCP_DEBUG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    if "db" in request.fixturenames:
        monkeypatch.setenv("EHCP_DB", request.getfixturevalue("db"))
    else:
        monkeypatch.setenv("EHCP_DB", str(tmp_path / "caseload.db"))


@pytest.fixture
def ehcp(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run `ehcp ARGS…` in-process through `main()` (the real error boundary), capturing output."""
    from ehcp_cli.cli.app import main

    def run(*args: str, stdin: str | None = None) -> Result:
        capsys.readouterr()
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def opened(ehcp) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A case opened for an assessment request received Mon 5 Jan 2026 (worked example 1)."""
    result = ehcp("case", "open", "Test Child", "--dob", "2015-10-10", "--received", "2026-01-05",
                  "--ref", "T1", "--coordinator", "Sam")
    assert result.code == 0, result.err
    yield "T1"
