"""Personal data: owner-only files, no names in errors, and `--redact` for shareable output."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from ehcp_cli.render import initials

NAME = "Zara Quux-Smith"


@pytest.fixture
def zara(ehcp):  # type: ignore[no-untyped-def]
    r = ehcp("case", "open", NAME, "--dob", "2015-10-10", "--received", "2026-01-05",
             "--ref", "Z1", "--upn", "A123456789012", "--coordinator", "Sam")
    assert r.code == 0, r.err
    return "Z1"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_and_its_side_files_are_owner_only(ehcp, tmp_path, backend):
    if backend != "sqlite":
        pytest.skip("files are SQLite's")
    path = tmp_path / "private" / "caseload.db"
    assert ehcp("--db", str(path), "case", "open", NAME, "--dob", "2015-10-10",
                "--received", "2026-01-05").code == 0
    assert _mode(path) == 0o600
    for side in ("-wal", "-shm"):
        side_file = path.with_name(path.name + side)
        assert side_file.exists()
        assert _mode(side_file) == 0o600
    assert _mode(path.parent) == 0o700
    r = ehcp("--db", str(path), "db", "backup", str(tmp_path / "copy.db"))
    assert r.code == 0
    assert _mode(tmp_path / "copy.db") == 0o600


def test_every_folder_created_for_the_database_is_owner_only(tmp_path):
    """`mkdir(parents=True, mode=...)` would leave the outer folders at the umask's default."""
    import os

    from ehcp_cli.store.engine import create_private_file

    before = _mode(tmp_path)
    old = os.umask(0o022)
    try:
        path = tmp_path / "a" / "b" / "c" / "caseload.db"
        assert create_private_file(path) is True
        assert create_private_file(path) is False  # already there: left alone
    finally:
        os.umask(old)
    assert _mode(path) == 0o600
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"):
        assert _mode(folder) == 0o700, folder
    assert _mode(tmp_path) == before  # a folder that existed is not changed


def test_owner_only_even_with_a_permissive_umask(ehcp, tmp_path, backend):
    if backend != "sqlite":
        pytest.skip("files are SQLite's")
    import os

    old = os.umask(0)
    try:
        path = tmp_path / "open.db"
        assert ehcp("--db", str(path), "case", "list").code == 0
        assert ehcp("--db", str(path), "db", "backup", str(tmp_path / "b.db")).code == 0
    finally:
        os.umask(old)
    assert _mode(path) == 0o600 and _mode(tmp_path / "b.db") == 0o600


REFUSALS = [
    ("case", "open", "Other Child", "--dob", "2016-01-01", "--received", "2026-01-06",
     "--upn", "A123456789012"),
    ("case", "open", "Other Child", "--dob", "2016-01-01", "--received", "2026-01-06",
     "--ref", "Z1"),
    ("move", "Z1", "issued", "--on", "2026-01-06"),
    ("move", "Z1", "assessing", "--on", "2025-12-01"),
    ("move", "Z1", "nonsense", "--on", "2026-01-06"),
    ("advice", "receive", "Z1", "health", "--on", "2026-01-06"),
    ("case", "update", "Z1"),
    ("case", "update", "Z1", "--need", "BOGUS"),
    ("review", "held", "Z1", "--on", "2026-01-06"),
]


@pytest.mark.parametrize("args", REFUSALS, ids=lambda a: " ".join(a[:3]))
def test_refusals_never_name_the_person(ehcp, zara, args):
    r = ehcp(*args)
    assert r.code in (1, 2), r
    assert r.err.startswith("error: ")
    for part in ("Zara", "Quux", "Smith"):
        assert part not in r.err and part not in r.out


def test_initials():
    assert initials("Zara Quux-Smith") == "Z.Q.S."
    assert initials("amy o'neil") == "A.O.N."
    assert initials("  ") == ""
    assert initials("Łukasz Żółw") == "Ł.Ż."


def test_redact_in_every_format(ehcp, zara):
    for fmt in ("table", "csv", "json"):
        r = ehcp("--redact", "case", "list", "--format", fmt)
        assert r.code == 0
        assert "Zara" not in r.out and "Quux" not in r.out
        assert "Z.Q.S." in r.out
    assert ehcp("--redact", "case", "list", "--format", "json").json()[0]["name"] == "Z.Q.S."
    # Without --redact the name is shown: the option does not stick between commands.
    assert ehcp("case", "list", "--format", "json").json()[0]["name"] == NAME


def test_redact_case_documents_history_and_overdue(ehcp, zara):
    shown = ehcp("--redact", "case", "show", zara, "--format", "json").json()
    assert shown["name"] == "Z.Q.S."
    table = ehcp("--redact", "case", "show", zara)
    assert "Zara" not in table.out and "Z.Q.S." in table.out
    history = ehcp("--redact", "case", "history", zara, "--format", "json")
    assert "Zara" not in history.out and history.json()[0]["details"]["name"] == "Z.Q.S."
    assert "Zara" not in ehcp("--redact", "case", "history", zara).out
    assert ehcp("case", "update", zara, "--name", "Zoe Quux").code == 0
    changes = ehcp("--redact", "case", "history", zara, "--format", "json").json()[-1]
    assert changes["details"]["changes"]["name"] == {"from": "Z.Q.S.", "to": "Z.Q."}
    for fmt in ("table", "csv", "json"):
        late = ehcp("--redact", "overdue", "--as-of", "2026-06-01", "--format", fmt)
        assert late.code == 0 and "Zoe" not in late.out and "Z.Q." in late.out
