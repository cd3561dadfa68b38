"""`ehcp overdue`: what is late (and, with --due-within, due soon) across the caseload."""

from __future__ import annotations

from typing import Annotated

import typer

from ehcp_cli.cli import views
from ehcp_cli.cli.options import AsOfOpt, Format, FormatOpt, day, env

EXIT_FOUND = 3


def overdue(
    ctx: typer.Context,
    as_of: AsOfOpt = "today",
    coordinator: Annotated[str | None, typer.Option(
        "--coordinator", help="Only this coordinator's cases.")] = None,
    due_within: Annotated[int | None, typer.Option(
        "--due-within", min=0, max=3660,
        help="Also list deadlines due in the next DAYS days.")] = None,
    include_guidance: Annotated[bool, typer.Option(
        "--include-guidance",
        help="Also list guidance dates (draft by week 14, under-5 reviews).")] = False,
    fmt: FormatOpt = Format.table,
    fail_if_any: Annotated[bool, typer.Option(
        "--fail-if-any", help="Exit 3 when anything is listed (for cron).")] = False,
) -> int:
    """Unmet statutory and case-law deadlines due before the as-of date, oldest first."""
    from ehcp_cli.actions.reports import overdue as query

    when = day(ctx, as_of, "--as-of")
    rows = query(env(ctx), when, coordinator, due_within, include_guidance)
    title = f"Overdue as of {when:%d %b %Y}" + (
        f" and due within {due_within} days" if due_within is not None else "")
    count = views.overdue_listing(rows, fmt.value, title=title)
    if fail_if_any and count:
        raise typer.Exit(EXIT_FOUND)
    return 0
