"""`ehcp import FILE [--dry-run]`: load a caseload from CSV, all rows or none."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from ehcp_cli.cli.options import env


def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(
        help="CSV file (UTF-8, with or without a byte-order mark; the README lists the columns).",
        show_default=False, dir_okay=False)],
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Check every row and report what would change; write nothing.")] = False,
) -> None:
    """Import cases from CSV: every row is checked first; any problem rejects the whole file."""
    from ehcp_cli.actions.importer import import_file

    with _progress(file.name) as report:
        summary = import_file(env(ctx), file, dry_run=dry_run, progress=report)
    sys.stdout.write(summary.line() + "\n")


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr when it is a terminal; nothing otherwise (cron, pipes, tests)."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                  TimeRemainingColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(f"importing {label}", total=None)

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield report
