"""`ehcp demo`: load the bundled sample caseload into a throwaway database and report on it.

The first command a new user runs: it shows what `ehcp overdue` looks like on a realistic
caseload without touching their own database (EHCP_DB and --db are ignored on purpose).
"""

from __future__ import annotations

from typing import Annotated

import typer

from ehcp_cli.cli import views
from ehcp_cli.cli.options import Format, FormatOpt, day, env

REFERENCE = "2026-10-01"  # the sample caseload's "today" (sample_data/generate.py REFERENCE)
DUE_WITHIN = 14


def demo(
    ctx: typer.Context,
    as_of: Annotated[str, typer.Option(
        "--as-of", help="Judge deadlines as on this date (default: the sample's reference date, "
        f"{REFERENCE}).")] = REFERENCE,
    fmt: FormatOpt = Format.table,
) -> None:
    """Show the overdue report of a synthetic 200-case caseload (nothing is saved)."""
    import sys

    from ehcp_cli.actions.demo import sample_caseload

    when = day(ctx, as_of, "--as-of")
    with sample_caseload(env(ctx)) as (demo_env, summary):
        from ehcp_cli.actions.reports import overdue

        if fmt == Format.table:
            sys.stderr.write(f"demo: {summary.created} invented cases loaded into a temporary "
                             "database (your own caseload is not touched)\n")
        rows = overdue(demo_env, when, due_within=DUE_WITHIN)
        views.overdue_listing(
            rows, fmt.value,
            title=f"Overdue as of {when:%d %b %Y} and due within {DUE_WITHIN} days (sample data)")
