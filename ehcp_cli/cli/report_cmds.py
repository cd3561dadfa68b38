"""Planning and summary reports: `ehcp due`, `ehcp phase cohort`, `ehcp report summary`."""

from __future__ import annotations

from itertools import groupby
from typing import Annotated

import typer

from ehcp_cli.cli.options import AsOfOpt, Format, FormatOpt, day, env
from ehcp_cli.cli.views import deadline_label, exception_text, status_style
from ehcp_cli.render import Column

report = typer.Typer(help="Summary reports across the caseload.", no_args_is_help=True,
                     rich_markup_mode=None)

DUE_FIELDS = ["week_beginning", "ref", "name", "coordinator", "stage", "rule", "key", "kind",
              "description", "due", "act_by", "days_left", "regulation", "status", "exception"]
COHORT_FIELDS = ["ref", "name", "dob", "coordinator", "setting", "stage", "transfer", "year",
                 "due", "act_by", "met_on", "status", "exception", "rule", "key", "regulation"]
SUMMARY_FIELDS = ["coordinator", "open_cases", "overdue_statutory", "overdue_case_law",
                  "overdue_with_exception", "due_within_14_days"]
NO_COORDINATOR = "(no coordinator)"


def due(
    ctx: typer.Context,
    weeks: Annotated[int, typer.Option("--weeks", min=1, max=104,
                                       help="How many weeks ahead to look.")] = 4,
    as_of: AsOfOpt = "today",
    coordinator: Annotated[str | None, typer.Option(
        "--coordinator", help="Only this coordinator's cases.")] = None,
    include_guidance: Annotated[bool, typer.Option(
        "--include-guidance",
        help="Also guidance dates (draft by week 14, under-5 reviews).")] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Open deadlines due from the as-of date to N weeks ahead, week by week (from Mondays)."""
    from ehcp_cli.actions.planning import due_by_week
    from ehcp_cli.render import listing, table

    when = day(ctx, as_of, "--as-of")
    rows = due_by_week(env(ctx), when, weeks, coordinator, include_guidance)
    columns = [
        Column("due", "Due", no_wrap=True), Column("act_by", "Act by", no_wrap=True),
        Column("ref", "Ref", no_wrap=True), Column("name", "Name"),
        Column("rule", "Rule", show=deadline_label), Column("coordinator", "Coordinator"),
        Column("regulation", "Law"),
        Column("exception", "Exception", show=lambda r: exception_text(r["exception"])),
    ]
    if fmt != Format.table:
        listing(rows, fmt.value, fields=DUE_FIELDS, columns=columns)
        return
    if not rows:
        table([], columns, empty=f"nothing due in the {weeks} weeks from {when:%d %b %Y}")
    for monday, group in groupby(rows, key=lambda r: r["week_beginning"]):
        items = list(group)
        table(items, columns, title=f"Week beginning {monday:%a %d %b %Y}: {len(items)} due")


def cohort(
    ctx: typer.Context,
    year: Annotated[int, typer.Argument(min=2000, max=2100, show_default=False,
                                        help="Year of the September transfer, e.g. 2027.")],
    as_of: AsOfOpt = "today",
    fmt: FormatOpt = Format.table,
) -> None:
    """Every child with a phase transfer in the year (Year 6 to 7, Year 11 to 12 and any added)."""
    from ehcp_cli.actions.planning import phase_cohort
    from ehcp_cli.render import listing

    when = day(ctx, as_of, "--as-of")
    rows = phase_cohort(env(ctx), year, when)
    columns = [
        Column("transfer", "Transfer"), Column("ref", "Ref", no_wrap=True), Column("name", "Name"),
        Column("coordinator", "Coordinator"), Column("due", "Due", no_wrap=True),
        Column("act_by", "Act by", no_wrap=True), Column("rule", "Rule", show=deadline_label),
        Column("regulation", "Law"), Column("met_on", "Met", no_wrap=True),
        Column("status", "Status"),
        Column("exception", "Exception", show=lambda r: exception_text(r["exception"])),
    ]
    listing(rows, fmt.value, fields=COHORT_FIELDS, columns=columns,
            title=f"Phase transfers in {year}: {len(rows)} children (as of {when:%d %b %Y})",
            styles=status_style, empty=f"no phase transfers in {year}")


@report.command("summary")
def report_summary(
    ctx: typer.Context, as_of: AsOfOpt = "today", fmt: FormatOpt = Format.table
) -> None:
    """Per coordinator: open cases, overdue statutory and case-law deadlines, due in 14 days."""
    from ehcp_cli.actions.planning import summary
    from ehcp_cli.render import listing

    when = day(ctx, as_of, "--as-of")
    rows = summary(env(ctx), when)
    columns = [
        Column("coordinator", "Coordinator", show=lambda r: r["coordinator"] or NO_COORDINATOR),
        Column("open_cases", "Open cases", justify="right"),
        Column("overdue_statutory", "Overdue statutory", justify="right"),
        Column("overdue_case_law", "Overdue case-law", justify="right"),
        Column("overdue_with_exception", "of which with exception", justify="right"),
        Column("due_within_14_days", "Due in 14 days", justify="right"),
    ]
    if fmt == Format.table and rows:
        total = {f: sum(r[f] for r in rows) for f in SUMMARY_FIELDS[1:]}
        rows = [*rows, {"coordinator": "All coordinators", **total}]
    listing(rows, fmt.value, fields=SUMMARY_FIELDS, columns=columns,
            title=f"Caseload summary as of {when:%d %b %Y}", empty="no cases")
