"""The README stays true: every command has help text and appears in the command reference,
and the tour's commands, run in order on a fresh database, print exactly what the README shows."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands():  # type: ignore[no-untyped-def]
    import typer.main

    from ehcp_cli.cli.app import app

    root = typer.main.get_command(app)

    def walk(command, path):  # type: ignore[no-untyped-def]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                yield from walk(sub, [*path, name])
        else:
            yield " ".join(path), command

    return list(walk(root, ["ehcp"]))


@pytest.mark.parametrize(("path", "command"), _commands(),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_every_command_has_help_and_is_in_the_readme(path, command):
    assert (command.help or "").strip(), f"{path} has no help text"
    assert f"`{path}" in README, f"{path} is missing from the README command reference"


def _tour() -> list[tuple[str, str]]:
    """(command, expected output) pairs from the README's tour block."""
    block = README.split("<!-- tour:start -->", 1)[1].split("<!-- tour:end -->", 1)[0]
    body = block.split("```console\n", 1)[1].rsplit("```", 1)[0]
    steps: list[tuple[str, str]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], ""))
        elif steps:
            command, out = steps[-1]
            steps[-1] = (command, out + line + "\n")
    return steps


def test_the_tour_prints_what_the_readme_shows(ehcp):
    steps = _tour()
    assert len(steps) >= 5
    for command, expected in steps:
        args = shlex.split(command)
        assert args[0] == "ehcp"
        result = ehcp(*args[1:])
        assert result.code in (0, 3), f"{command}: {result.err}"
        got = re.sub(r"[ \t]+\n", "\n", result.out)
        assert got.strip("\n") == expected.strip("\n"), f"output of `{command}` differs from README"


def test_the_command_reference_examples_run(ehcp, tmp_path, monkeypatch):
    """Every `ehcp …` line of the reference's sh examples parses and runs (against the cases the
    examples themselves open), so an example can never show an option that does not exist. They
    run in a scratch folder because some write files (`--output cases.csv`)."""
    monkeypatch.chdir(tmp_path)
    reference = README.split("## Command reference", 1)[1].split("## Dates, formats", 1)[0]
    blocks = [b.split("```", 1)[0] for b in reference.split("```sh\n")[1:]]
    lines = [line for block in blocks for line in block.splitlines() if line.startswith("ehcp ")]
    assert len(lines) >= 10
    for line in lines:
        args = shlex.split(line.split("  #", 1)[0])[1:]
        result = ehcp(*args)
        assert result.code != 2, f"`{line}` is a usage error: {result.err}"


def test_the_import_columns_table_is_the_importers_column_set():
    """The README's import table lists exactly the columns import reads and export writes, in
    their order, and the example file it names has every one of them."""
    from ehcp_cli.importing.columns import NAMES

    section = README.split("#### The import file", 1)[1].split("```console", 1)[0]
    listed = re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.MULTILINE)
    assert tuple(listed) == NAMES
    example = Path(__file__).resolve().parents[1] / "sample_data" / "import-example.csv"
    lines = example.read_text(encoding="utf-8").splitlines()
    assert tuple(lines[0].split(",")) == NAMES
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
    assert f"is a {words[len(lines) - 1]}-row example" in section
