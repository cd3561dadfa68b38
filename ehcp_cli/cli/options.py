"""Options shared by many commands, defined once so every command spells them the same way."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

import typer

from ehcp_cli.actions.env import Env
from ehcp_cli.dates import ACCEPTED, parse_date


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class DocFormat(StrEnum):
    table = "table"
    json = "json"


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table, csv or json.")]
DocFormatOpt = Annotated[DocFormat, typer.Option("--format", "-f", help="table or json.")]
AsOfOpt = Annotated[
    str, typer.Option("--as-of", help=f"Judge deadlines as on this date ({ACCEPTED}).")
]
OnOpt = Annotated[str, typer.Option("--on", help=f"When it happened ({ACCEPTED}).")]
RefArg = Annotated[str, typer.Argument(help="The case reference.", show_default=False)]
NoteOpt = Annotated[str | None, typer.Option("--note", help="A short note for the timeline.")]


def env(ctx: typer.Context) -> Env:
    return ctx.find_root().obj  # type: ignore[no-any-return]


def day(ctx: typer.Context, text: str, what: str = "date") -> date:
    """Parse a date option against the session's idea of today."""
    return parse_date(text, env(ctx).today, what=what)


def optional_day(ctx: typer.Context, text: str | None, what: str) -> date | None:
    return None if text is None else day(ctx, text, what)
