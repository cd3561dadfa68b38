"""`ehcp advice …`: advice requested from and received by professionals (reg 6, reg 8)."""

from __future__ import annotations

from typing import Annotated

import typer

from ehcp_cli.cli.options import OnOpt, RefArg, day, env
from ehcp_cli.domain.codes import ADVICE_KINDS
from ehcp_cli.domain.identity import check_text
from ehcp_cli.errors import UsageError

app = typer.Typer(help="Advice requested and received (SEND Regulations 2014 reg 6).",
                  no_args_is_help=True, rich_markup_mode=None)
KINDS_HELP = "One of: " + ", ".join(ADVICE_KINDS) + "."


def check_kind(kind: str) -> str:
    if kind not in ADVICE_KINDS:
        raise UsageError(f"advice kind {kind!r} is not one of: {', '.join(ADVICE_KINDS)}")
    return kind


@app.command("request")
def request(
    ctx: typer.Context,
    ref: RefArg,
    kinds: Annotated[list[str], typer.Argument(help=KINDS_HELP, show_default=False)],
    on: OnOpt,
    provider: Annotated[str | None, typer.Option(
        "--from", help="Who the advice is asked of.")] = None,
) -> None:
    """Record that advice of one or more kinds was requested (due 6 weeks later, reg 8(1))."""
    from ehcp_cli.actions.cases import record
    from ehcp_cli.domain.events import AdviceRequested

    checked = [check_kind(k) for k in kinds]
    if len(set(checked)) != len(checked):
        raise UsageError("an advice kind is named twice")
    when = day(ctx, on, "--on")
    who = None if provider is None else check_text(provider, "--from")
    events = [AdviceRequested(on=when, advice=k, provider=who) for k in checked]
    record(env(ctx), ref, *events, action="advice-requested",
           details={"on": when.isoformat(), "kinds": checked, "from": who})
    typer.echo(f"{ref}: {', '.join(checked)} advice requested on {when.isoformat()}")


@app.command("receive")
def receive(ctx: typer.Context, ref: RefArg,
            kind: Annotated[str, typer.Argument(help=KINDS_HELP, show_default=False)],
            on: OnOpt) -> None:
    """Record that requested advice was received."""
    from ehcp_cli.actions.cases import record
    from ehcp_cli.domain.events import AdviceReceived

    when = day(ctx, on, "--on")
    record(env(ctx), ref, AdviceReceived(on=when, advice=check_kind(kind)),
           action="advice-received", details={"on": when.isoformat(), "kind": kind})
    typer.echo(f"{ref}: {kind} advice received on {when.isoformat()}")


@app.command("chase")
def chase(ctx: typer.Context, ref: RefArg,
          kind: Annotated[str, typer.Argument(help=KINDS_HELP, show_default=False)],
          on: OnOpt,
          note: Annotated[str | None, typer.Option(
              "--note", help="How it was chased, or the reply.")] = None,
          ) -> None:
    """Record that overdue advice was chased (shown in `case show`; counted by `chase list`)."""
    from ehcp_cli.actions.cases import record
    from ehcp_cli.domain.events import AdviceChased

    when = day(ctx, on, "--on")
    text = None if note is None else check_text(note, "--note", 500)
    record(env(ctx), ref, AdviceChased(on=when, advice=check_kind(kind), note=text),
           action="advice-chased", details={"on": when.isoformat(), "kind": kind, "note": text})
    typer.echo(f"{ref}: {kind} advice chased on {when.isoformat()}")
