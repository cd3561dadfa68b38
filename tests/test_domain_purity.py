"""The domain is pure and the CLI entry point is light: checked in fresh interpreters.

`domain` must never pull in Typer, rich or the database layer (it is unit-testable and reusable);
`cli.app` must not load the database, rich or the holiday tables, so `ehcp --help` stays fast.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

DOMAIN_MODULES = [
    "ehcp_cli.domain",
    "ehcp_cli.domain.calendar",
    "ehcp_cli.domain.codes",
    "ehcp_cli.domain.events",
    "ehcp_cli.domain.facts",
    "ehcp_cli.domain.identity",
    "ehcp_cli.domain.lifecycle",
    "ehcp_cli.domain.stages",
    "ehcp_cli.domain.rules",
    "ehcp_cli.domain.rules.registry",
    "ehcp_cli.domain.rules.assessment",
    "ehcp_cli.domain.rules.plans",
    "ehcp_cli.domain.rules.transfers",
    "ehcp_cli.domain.rules.disputes",
]


def loaded_after(statements: str) -> set[str]:
    """Top-level module names present in sys.modules after running `statements` afresh."""
    code = f"{statements}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in json.loads(done.stdout)}


def test_the_whole_domain_imports_nothing_from_the_outer_layers():
    imports = "\n".join(f"import {m}" for m in DOMAIN_MODULES)
    # Evaluating rules exercises every lazy import a rule may make (holidays is allowed).
    run = imports + (
        "\nfrom datetime import date\nfrom ehcp_cli.domain.facts import CaseFacts"
        "\nfrom ehcp_cli.domain.events import Requested"
        "\nfrom ehcp_cli.domain.rules import evaluate"
        "\n[d.act_by for d in evaluate(CaseFacts(date(2015,1,1), (Requested(date(2026,1,5)),)))]"
    )
    loaded = loaded_after(run)
    assert "ehcp_cli" in loaded
    assert not loaded & {"typer", "click", "rich", "sqlmodel", "sqlalchemy", "alembic"}


@pytest.mark.parametrize("module", DOMAIN_MODULES)
def test_each_domain_module_alone(module):
    assert not loaded_after(f"import {module}") & {"typer", "rich", "sqlmodel", "sqlalchemy"}


def test_the_cli_entry_point_defers_heavy_imports():
    loaded = loaded_after("import ehcp_cli.cli.app")
    assert "typer" in loaded
    assert not loaded & {
        "sqlalchemy",
        "sqlmodel",
        "alembic",
        "rich",
        "holidays",
        "psycopg",
        "icalendar",
    }


def test_help_stays_light():
    """Rendering top-level help must not touch the database layer either."""
    run = (
        "import sys\nfrom ehcp_cli.cli.app import main\nimport contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n    main(['--help'])"
    )
    assert not loaded_after(run) & {"sqlalchemy", "sqlmodel", "alembic", "holidays"}


def test_python_dash_m_runs_the_cli():
    done = subprocess.run(
        [sys.executable, "-m", "ehcp_cli", "--help"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "Usage: ehcp" in done.stdout
    for command in ("case", "advice", "move", "review", "amend", "exception", "overdue"):
        assert command in done.stdout
    version = subprocess.run(
        [sys.executable, "-m", "ehcp_cli", "--version"], capture_output=True, text=True
    )
    from ehcp_cli import __version__

    assert (version.returncode, version.stdout) == (0, f"ehcp {__version__}\n")
