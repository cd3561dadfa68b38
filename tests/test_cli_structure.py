"""The lazily built command tree is the tree: `ehcp --help` lists each sub-command from the table
in app.COMMANDS without building it, so the table must say exactly what the commands say, and
building a command on demand must give the same command wherever it is reached from."""

from __future__ import annotations

import pytest
import typer.main
from typer.core import TyperGroup

from ehcp_cli.cli.app import COMMANDS, app
from ehcp_cli.cli.lazy import LazyCommands


def _root() -> TyperGroup:
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    return root


def _help(root: TyperGroup, width: int) -> str:
    ctx = root.make_context("ehcp", [], resilient_parsing=True, terminal_width=width,
                            max_content_width=width)
    return root.get_help(ctx)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_summary_is_the_first_paragraph_of_the_commands_help(name: str) -> None:
    command = _root().commands[name]
    assert command.name == name
    first = (command.help or "").split("\n\n", 1)[0]
    assert " ".join(first.split()) == COMMANDS[name].summary


@pytest.mark.parametrize("width", [40, 60, 80, 100, 250])
def test_top_level_help_is_the_same_before_and_after_building_every_command(width: int) -> None:
    lazy = _root()
    unbuilt = _help(lazy, width)
    assert isinstance(lazy.commands, LazyCommands)
    assert all(lazy.commands.built(name) is None for name in COMMANDS), "help built a command"
    eager = _root()
    dict(eager.commands)  # builds them all
    assert all(eager.commands.built(name) is not None for name in COMMANDS)
    assert _help(eager, width) == unbuilt
    for name in COMMANDS:
        assert name in unbuilt


def test_names_lookups_and_suggestions_build_nothing() -> None:
    root = _root()
    assert list(root.commands) == list(COMMANDS)
    assert len(root.commands) == len(COMMANDS)
    assert "case" in root.commands and "nosuch" not in root.commands
    assert root.commands.get("nosuch") is None
    assert all(root.commands.built(name) is None for name in COMMANDS)


def test_a_command_is_built_once_per_tree_and_is_what_the_lookup_returns() -> None:
    root = _root()
    case = root.commands["case"]
    assert root.commands["case"] is case
    assert isinstance(case, TyperGroup)
    assert list(case.commands) == ["open", "list", "show", "update", "history"]
    assert all(root.commands.built(name) is None for name in COMMANDS if name != "case")


def test_phase_includes_the_cohort_report() -> None:
    phase = _root().commands["phase"]
    assert isinstance(phase, TyperGroup)
    assert list(phase.commands) == ["add", "cohort"]
