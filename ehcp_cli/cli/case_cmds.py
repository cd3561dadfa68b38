"""`ehcp case …`: open, list, show, update and history."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ehcp_cli.cli import views
from ehcp_cli.cli.options import (
    AsOfOpt,
    DocFormat,
    DocFormatOpt,
    Format,
    FormatOpt,
    RefArg,
    day,
    env,
    optional_day,
)
from ehcp_cli.domain.codes import NEEDS
from ehcp_cli.domain.identity import check_ref, check_text, check_upn
from ehcp_cli.errors import UsageError

app = typer.Typer(help="Open, list, show and change cases.", no_args_is_help=True,
                  rich_markup_mode=None)

NEED_HELP = "DfE primary need: " + ", ".join(NEEDS) + "."


def check_need(need: str | None) -> str | None:
    if need is None:
        return None
    code = need.strip().upper()
    if code not in NEEDS:
        raise UsageError(f"need {need!r} is not a DfE primary-need code: "
                         f"use one of {', '.join(NEEDS)}")
    return code


def _optional_text(value: str | None, what: str) -> str | None:
    return None if value is None else check_text(value, what)


@app.command("open")
def open_(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The child's or young person's name.",
                                        show_default=False)],
    dob: Annotated[str, typer.Option("--dob", help="Date of birth.", show_default=False)],
    received: Annotated[str | None, typer.Option(
        "--received", help="Date the EHC needs assessment request was received.")] = None,
    plan_issued: Annotated[str | None, typer.Option(
        "--plan-issued", help="Date a plan already in force was first issued.")] = None,
    last_review: Annotated[str | None, typer.Option(
        "--last-review",
        help="Date the last review decision was notified (with --plan-issued).")] = None,
    ref: Annotated[str | None, typer.Option(
        "--ref", help="Case reference (default: generated).")] = None,
    upn: Annotated[str | None, typer.Option("--upn", help="Unique Pupil Number.")] = None,
    coordinator: Annotated[str | None, typer.Option("--coordinator")] = None,
    setting: Annotated[str | None, typer.Option(
        "--setting", help="School or setting attended.")] = None,
    need: Annotated[str | None, typer.Option("--need", help=NEED_HELP)] = None,
    fmt: Annotated[DocFormat, typer.Option(
        "--format", "-f", help="table or json.")] = DocFormat.table,
) -> None:
    """Open a case: a new assessment request (--received) or a plan in force (--plan-issued)."""
    from ehcp_cli.actions.cases import NewCase, open_case

    new = NewCase(
        name=check_text(name, "the name"),
        dob=day(ctx, dob, "--dob"),
        received=optional_day(ctx, received, "--received"),
        plan_issued=optional_day(ctx, plan_issued, "--plan-issued"),
        last_review=optional_day(ctx, last_review, "--last-review"),
        ref=None if ref is None else check_ref(ref),
        upn=None if upn is None else check_upn(upn),
        coordinator=_optional_text(coordinator, "the coordinator"),
        setting=_optional_text(setting, "the setting"),
        need=check_need(need),
    )
    document = open_case(env(ctx), new)
    if fmt == DocFormat.json:
        from ehcp_cli.render import document as emit

        emit(views.case_json(document))
    else:
        typer.echo(document["ref"])


@app.command("list")
def list_(
    ctx: typer.Context,
    stage: Annotated[str | None, typer.Option("--stage", help="Only cases at this stage.")] = None,
    coordinator: Annotated[str | None, typer.Option("--coordinator")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """List cases, by reference."""
    from ehcp_cli.actions.cases import list_cases
    from ehcp_cli.domain.stages import STAGES

    if stage is not None and stage not in STAGES:
        raise UsageError(f"stage {stage!r} is not one of: {', '.join(STAGES)}")
    rows = list_cases(env(ctx), stage, coordinator)
    views.case_listing(rows, fmt.value)


@app.command("show")
def show(ctx: typer.Context, ref: RefArg, as_of: AsOfOpt = "today",
         fmt: DocFormatOpt = DocFormat.table) -> None:
    """Show a case: details, timeline, advice and every deadline (met and open)."""
    from ehcp_cli.actions.cases import show_case

    document = show_case(env(ctx), ref, day(ctx, as_of, "--as-of"))
    if fmt == DocFormat.json:
        from ehcp_cli.render import document as emit

        emit(views.case_json(document))
    else:
        views.case_timeline(document)


@app.command("update")
def update(
    ctx: typer.Context,
    ref: RefArg,
    name: Annotated[str | None, typer.Option("--name")] = None,
    dob: Annotated[str | None, typer.Option("--dob")] = None,
    upn: Annotated[str | None, typer.Option("--upn")] = None,
    coordinator: Annotated[str | None, typer.Option("--coordinator")] = None,
    setting: Annotated[str | None, typer.Option("--setting")] = None,
    need: Annotated[str | None, typer.Option("--need", help=NEED_HELP)] = None,
    year_group: Annotated[int | None, typer.Option(
        "--year-group", min=-3, max=14,
        help="The year group the child is in now (0 = Reception), "
             "when taught out of cohort.")] = None,
) -> None:
    """Correct or change case details."""
    from ehcp_cli.actions.cases import update_case

    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = check_text(name, "the name")
    if dob is not None:
        changes["dob"] = day(ctx, dob, "--dob")
    if upn is not None:
        changes["upn"] = check_upn(upn)
    if coordinator is not None:
        changes["coordinator"] = check_text(coordinator, "the coordinator")
    if setting is not None:
        changes["setting"] = check_text(setting, "the setting")
    if need is not None:
        changes["need"] = check_need(need)
    document = update_case(env(ctx), ref, changes, year_group)
    typer.echo(f"{document['ref']} updated")


@app.command("history")
def history(ctx: typer.Context, ref: RefArg, fmt: DocFormatOpt = DocFormat.table) -> None:
    """Every change ever made to the case, oldest first."""
    from ehcp_cli.actions.cases import case_history

    views.history(case_history(env(ctx), ref), fmt.value)
