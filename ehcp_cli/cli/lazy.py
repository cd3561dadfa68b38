"""A command group whose sub-commands are imported and built only when they are used.

Building a Typer command reads its function's signature and evaluates its type hints, which
for the whole of `ehcp` costs more than importing Typer itself. The root group therefore knows
its sub-commands from a small table (`Lazy` entries: where each is defined, and the one-line
summary `ehcp --help` lists) and turns an entry into a real command the first time it is asked
for: `ehcp case open …` and `ehcp case --help` build `case` and nothing else, `ehcp --help`
builds nothing. Each entry is built exactly as `Typer.add_typer` / `Typer.command` would have
built it, so help, options, errors and exit codes are those of an eagerly built tree.

`group.commands` stays a complete mapping: its keys (names, in table order) need no imports;
looking up or iterating its values builds what is needed, so walking the tree sees every command.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from gettext import gettext as _
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:
    from typer._click import Command, Context, HelpFormatter


class Lazy(NamedTuple):
    """One sub-command of a `LazyGroup`."""

    module: str  # the module that defines it, e.g. "ehcp_cli.cli.case_cmds"
    attr: str  # in that module: a typer.Typer (a command group) or a command function
    summary: str  # the first paragraph of its help: what the group's --help lists


class LazyCommands(MutableMapping[str, "Command"]):
    """name -> command; a table entry is built on first access to its value."""

    def __init__(self, table: Mapping[str, Lazy], build: Callable[[str, Lazy], Command],
                 built: Mapping[str, Command]) -> None:
        self._table = table
        self._build = build
        self._built: dict[str, Command] = dict(built)

    def __getitem__(self, name: str) -> Command:
        if name not in self._built:
            self._built[name] = self._build(name, self._table[name])
        return self._built[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        raise TypeError(f"{name!r}: commands cannot be removed from a lazy group")

    def __contains__(self, name: object) -> bool:
        return name in self._table or name in self._built

    def __iter__(self) -> Iterator[str]:
        yield from self._table
        yield from (name for name in self._built if name not in self._table)

    def __len__(self) -> int:
        return len(self._table) + sum(name not in self._table for name in self._built)

    def built(self, name: str) -> Command | None:
        """The command if it has been built already; never builds it."""
        return self._built.get(name)


class LazyGroup(TyperGroup):
    """A Typer group whose sub-commands come from `table`: set it in a subclass and pass that
    subclass as `typer.Typer(cls=…)`. Sub-commands get this group's markup mode and suggestion
    setting, as `add_typer` and `command` on its Typer would have given them."""

    table: ClassVar[Mapping[str, Lazy]] = {}

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self._lazy = LazyCommands(self.table, self._build, built=self.commands)
        self.commands = self._lazy

    def _build(self, name: str, entry: Lazy) -> Command:
        target = getattr(importlib.import_module(entry.module), entry.attr)
        holder = typer.Typer(add_completion=False, rich_markup_mode=self.rich_markup_mode,
                             suggest_commands=self.suggest_commands)
        if isinstance(target, typer.Typer):
            holder.add_typer(target, name=name)
        else:
            holder.command(name)(target)
        return typer.main.get_group(holder).commands[name]

    def list_commands(self, ctx: Context) -> list[str]:
        """The names in table order (TyperGroup's own version would build every command)."""
        return list(self.commands)

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        """As TyperGroup.format_commands, but a command not built yet is listed from its
        table summary instead of being built."""
        commands: list[tuple[str, Command]] = []
        for name in self.list_commands(ctx):
            built = self._lazy.built(name)
            if built is None:
                built = TyperCommand(name=name, help=self.table[name].summary)
            if built.hidden:
                continue
            commands.append((name, built))
        if commands:
            limit = formatter.width - 6 - max(len(row[0]) for row in commands)
            rows = [(name, command.get_short_help_str(limit)) for name, command in commands]
            with formatter.section(_("Commands")):
                formatter.write_dl(rows)
