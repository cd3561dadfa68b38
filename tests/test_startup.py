"""Startup stays light: importing the CLI and every `--help` load none of the database, rendering,
calendar or driver libraries, and the read-only commands on SQLite never load the ORM.

Each check runs in a fresh interpreter, because this test process has long since imported
everything. Speed itself is measured in bench/, not asserted here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "rich", "holidays", "psycopg", "icalendar")
ORM = ("sqlalchemy", "sqlmodel", "alembic")

REPORT = f"""
import json, sys
print(json.dumps(sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r}))))
"""


def loaded(code: str, tmp_path: Path) -> list[str]:
    """Which heavy top-level packages are in sys.modules after running `code`."""
    run = subprocess.run([sys.executable, "-c", code + REPORT], capture_output=True, text=True,
                         cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_importing_the_cli_loads_nothing_heavy(tmp_path: Path) -> None:
    assert loaded("import ehcp_cli.cli.app", tmp_path) == []


def test_help_loads_nothing_heavy(tmp_path: Path) -> None:
    assert loaded(
        "import contextlib, io\n"
        "from ehcp_cli.cli.app import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    code = main(['--help'])\n"
        "assert code == 0 and 'Usage' in out.getvalue(), (code, out.getvalue())\n",
        tmp_path,
    ) == []


def test_every_commands_help_loads_nothing_heavy(tmp_path: Path) -> None:
    """`ehcp X --help` for every command and group, all in one interpreter."""
    assert loaded(
        "import contextlib, io\n"
        "import typer.main\n"
        "from ehcp_cli.cli.app import app, main\n"
        "def paths(command, prefix):\n"
        "    yield prefix\n"
        "    for name, sub in getattr(command, 'commands', {}).items():\n"
        "        yield from paths(sub, [*prefix, name])\n"
        "seen = 0\n"
        "for path in paths(typer.main.get_command(app), []):\n"
        "    with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "        code = main([*path, '--help'])\n"
        "    assert code == 0 and 'Usage' in out.getvalue(), (path, code)\n"
        "    seen += 1\n"
        "assert seen > 10, seen\n",
        tmp_path,
    ) == []


def test_read_only_commands_on_sqlite_do_not_load_the_orm(tmp_path: Path, monkeypatch) -> None:
    """`overdue` and `case show` read a current SQLite file with the stdlib driver."""
    database = tmp_path / "reads.db"
    monkeypatch.setenv("EHCP_DB", str(database))
    opened = subprocess.run(
        [sys.executable, "-m", "ehcp_cli", "case", "open", "Test Child", "--dob", "2015-10-10",
         "--received", "2026-01-05", "--ref", "T1"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )
    assert opened.returncode == 0, opened.stderr

    assert loaded(
        "import contextlib, io, json\n"
        "from ehcp_cli.cli.app import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    assert main(['overdue', '--as-of', '2026-03-02', '--format', 'csv']) == 0\n"
        "lines = out.getvalue().splitlines()\n"
        "assert lines[0].startswith('ref,name,'), lines\n"
        "assert [line.split(',')[4] for line in lines[1:]] == ['decision-to-assess'], lines\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    code = main(['case', 'show', 'T1', '--as-of', '2026-03-02', '--format', 'json'])\n"
        "assert code == 0\n"
        "shown = json.loads(out.getvalue())\n"
        "assert shown['ref'] == 'T1' and shown['stage'] == 'requested', shown\n"
        "assert any(d['rule'] == 'decision-to-assess' and d['status'] == 'overdue'\n"
        "           for d in shown['deadlines']), shown['deadlines']\n",
        tmp_path,
    ) == []


CLI_MODULES = """
import json, sys
print(json.dumps(sorted(m for m in sys.modules if m.startswith("ehcp_cli.cli."))))
"""


def cli_modules(args_list: list[list[str]], tmp_path: Path) -> list[str]:
    """Which ehcp_cli.cli modules a fresh interpreter has loaded after `main(args)` for each."""
    code = (
        "import contextlib, io\n"
        "from ehcp_cli.cli.app import main\n"
        f"for args in {args_list!r}:\n"
        "    with contextlib.redirect_stdout(io.StringIO()), "
        "contextlib.redirect_stderr(io.StringIO()):\n"
        "        main(args)\n"
    )
    run = subprocess.run([sys.executable, "-c", code + CLI_MODULES], capture_output=True,
                         text=True, cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_top_level_help_imports_no_sub_command_module(tmp_path: Path) -> None:
    """`ehcp --help` (and `ehcp`, `ehcp --version`, a mistyped command with its suggestions)
    list the sub-commands from app.COMMANDS without importing or building any of them."""
    assert cli_modules([["--help"], ["-h"], [], ["--version"], ["phas"]], tmp_path) == [
        "ehcp_cli.cli.app", "ehcp_cli.cli.lazy"]


def test_a_sub_commands_help_imports_only_its_own_module(tmp_path: Path) -> None:
    commands = {m for m in cli_modules([["overdue", "--help"]], tmp_path)
                if m.endswith(("_cmd", "_cmds"))}
    assert commands == {"ehcp_cli.cli.overdue_cmd"}
    commands = {m for m in cli_modules([["case", "--help"], ["case", "open", "--help"]], tmp_path)
                if m.endswith(("_cmd", "_cmds"))}
    assert commands == {"ehcp_cli.cli.case_cmds"}
