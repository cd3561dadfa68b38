"""`ehcp move REF STAGE`: the case reached a stage of the pathway, or ceased."""

from __future__ import annotations

from typing import Annotated

import typer

from ehcp_cli.cli.options import NoteOpt, OnOpt, RefArg, day, env
from ehcp_cli.domain.codes import CEASE_REASONS, STAGES
from ehcp_cli.domain.identity import check_text
from ehcp_cli.errors import UsageError


def move(
    ctx: typer.Context,
    ref: RefArg,
    stage: Annotated[str, typer.Argument(help="One of: " + ", ".join(STAGES) + ".",
                                         show_default=False)],
    on: OnOpt,
    note: NoteOpt = None,
    reason: Annotated[str | None, typer.Option(
        "--reason", help="SEN2 ceasing reason 1-9 (with ceased): "
        + "; ".join(f"{k} {v}" for k, v in CEASE_REASONS.items()))] = None,
) -> None:
    """Record that the case reached STAGE on a date."""
    from ehcp_cli.actions.cases import record
    from ehcp_cli.domain.events import StageReached

    if stage not in STAGES:
        raise UsageError(f"stage {stage!r} is not one of: {', '.join(STAGES)}")
    if reason is not None and reason not in CEASE_REASONS:
        raise UsageError(f"--reason {reason!r} is not an SEN2 ceasing code: use 1-9")
    if stage == "ceased" and reason is None:
        raise UsageError("moving to ceased needs --reason CODE (SEN2 ceasing code 1-9)")
    when = day(ctx, on, "--on")
    event = StageReached(on=when, stage=stage, reason=reason,
                         note=None if note is None else check_text(note, "--note", 500))
    document = record(env(ctx), ref, event, action="moved",
                      details={"stage": stage, "on": when.isoformat(), "reason": reason,
                               "note": event.note})
    typer.echo(f"{ref}: now {document['stage']} (from {when.isoformat()})")
