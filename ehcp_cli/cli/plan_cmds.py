"""Plans in force: reviews, amendments, exceptions, phase transfers, re-assessment, transfers
between councils, mediation, appeals and tribunal orders. Each command records one event."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from ehcp_cli.domain.events import Event

from ehcp_cli.cli.options import NoteOpt, OnOpt, RefArg, day, env, optional_day
from ehcp_cli.cli.report_cmds import cohort
from ehcp_cli.domain.codes import (
    EXCEPTION_REASONS,
    REVIEW_DECISIONS,
    TRANSFER_KINDS,
    TRIBUNAL_ORDERS,
)
from ehcp_cli.domain.identity import check_text
from ehcp_cli.errors import UsageError


def _sub(help: str) -> typer.Typer:
    return typer.Typer(help=help, no_args_is_help=True, rich_markup_mode=None)


review = _sub("Annual and phase-transfer reviews (CFA s44; regs 18-21).")
amend = _sub("Amending a plan (reg 22).")
exception = _sub("Statutory exceptions that excuse a missed time limit.")
phase = _sub("Phase transfers the date of birth does not imply (reg 18).")
reassess = _sub("Re-assessment of a plan in force (regs 24-27).")
transfer = _sub("Plans moving between councils (reg 15).")
mediation = _sub("Mediation (regs 32-42).")
appeal = _sub("Appealable decisions and appeals (HESC Rules r20).")
tribunal = _sub("First-tier Tribunal (SEND) orders (reg 44).")


def _choice(value: str, allowed: Any, what: str) -> str:
    if value not in allowed:
        raise UsageError(f"{what} {value!r} is not one of: {', '.join(allowed)}")
    return value


def _record(ctx: typer.Context, ref: str, event: Event, action: str, **details: Any) -> None:
    from ehcp_cli.actions.cases import record

    record(env(ctx), ref, event, action=action,
           details={"on": event.on.isoformat(), **event.to_data(), **details})
    typer.echo(f"{ref}: {event.describe()} on {event.on.isoformat()}")


def _simple(app: typer.Typer, name: str, event_class: str, action: str, doc: str) -> None:
    """A command that records an event with nothing but a date."""

    def command(ctx: typer.Context, ref: RefArg, on: OnOpt) -> None:
        _record(ctx, ref, getattr(ev, event_class)(on=day(ctx, on, "--on")), action)

    command.__doc__ = doc
    app.command(name)(command)


# --- reviews -----------------------------------------------------------------------------------
class _LazyEvents:
    """The event classes, loaded when a command runs: `ehcp --help` need not build them."""

    def __getattr__(self, name: str) -> Any:
        from ehcp_cli.domain import events

        return getattr(events, name)


ev = _LazyEvents()

_simple(review, "held", "ReviewHeld", "review-held",
        "A review meeting was held (the report is due in 2 weeks, the decision in 4).")
_simple(review, "report", "ReviewReportSent", "review-report-sent",
        "The report of the review meeting was sent out.")


@review.command("decided")
def review_decided(
    ctx: typer.Context, ref: RefArg,
    decision: Annotated[str, typer.Argument(help="maintain, amend or cease.", show_default=False)],
    on: OnOpt,
) -> None:
    """The review decision was notified; `amend` means the amendment notice went the same day."""
    _record(ctx, ref, ev.ReviewDecided(on=day(ctx, on, "--on"),
                                       decision=_choice(decision, REVIEW_DECISIONS, "decision")),
            "review-decided")


# --- amendments --------------------------------------------------------------------------------
_simple(amend, "notice", "AmendNotice", "amend-notice",
        "An amendment notice was sent outside a review (final plan due in 8 weeks).")
_simple(amend, "issued", "AmendIssued", "amend-issued", "The final amended plan was issued.")
_simple(amend, "declined", "AmendDeclined", "amend-declined",
        "After representations the council decided not to amend (reg 22(4)).")


# --- exceptions --------------------------------------------------------------------------------
@exception.command("add")
def exception_add(
    ctx: typer.Context, ref: RefArg,
    rule: Annotated[str, typer.Argument(help="The rule id the exception excuses.",
                                        show_default=False)],
    reason: Annotated[str, typer.Option(
        "--reason", help="One of: " + ", ".join(EXCEPTION_REASONS) + ".", show_default=False)],
    from_: Annotated[str, typer.Option("--from", help="First day the exception applies.",
                                       show_default=False)],
    to: Annotated[str | None, typer.Option(
        "--to", help="Last day (open-ended if not given).")] = None,
    note: NoteOpt = None,
) -> None:
    """Record that a statutory exception applies to a deadline (the clock keeps running)."""
    from ehcp_cli.domain.rules import RULES

    if rule not in RULES:
        raise UsageError(f"rule {rule!r} is unknown: see the rule ids in `ehcp rules`")
    event = ev.ExceptionRecorded(
        on=day(ctx, from_, "--from"), rule=rule,
        reason=_choice(reason, EXCEPTION_REASONS, "--reason"),
        until=optional_day(ctx, to, "--to"),
        note=None if note is None else check_text(note, "--note", 500),
    )
    _record(ctx, ref, event, "exception-added")


# --- phase transfers ---------------------------------------------------------------------------
@phase.command("add")
def phase_add(
    ctx: typer.Context, ref: RefArg,
    kind: Annotated[str, typer.Argument(help="One of: " + ", ".join(TRANSFER_KINDS) + ".",
                                        show_default=False)],
    transfer_on: Annotated[str, typer.Option(
        "--transfer-on", help="Date of the move (usually 1 September).", show_default=False)],
    on: Annotated[str, typer.Option(
        "--on", help="When it was recorded (default today).")] = "today",
) -> None:
    """Record a phase transfer: early years to school, infant to junior, middle schools, post-16."""
    event = ev.PhaseTransferAdded(on=day(ctx, on, "--on"),
                                  transfer=_choice(kind, TRANSFER_KINDS, "transfer kind"),
                                  transfer_on=day(ctx, transfer_on, "--transfer-on"))
    _record(ctx, ref, event, "phase-transfer-added")


# `phase cohort` is a planning report, defined with the other reports.
phase.command("cohort")(cohort)


# --- re-assessment -----------------------------------------------------------------------------
_simple(reassess, "request", "ReassessmentRequested", "reassessment-requested",
        "A request to re-assess was received (decision due in 15 days).")


@reassess.command("decided")
def reassess_decided(
    ctx: typer.Context, ref: RefArg,
    decision: Annotated[str, typer.Argument(help="reassess or refuse.", show_default=False)],
    on: OnOpt,
) -> None:
    """Notice of the decision on re-assessing (a plan is due 14 weeks after `reassess`)."""
    when = day(ctx, on, "--on")
    chosen = _choice(decision, ("reassess", "refuse"), "decision")
    _record(ctx, ref, ev.ReassessmentDecided(on=when, decision=chosen), "reassessment-decided")


# --- transfers between councils ----------------------------------------------------------------
@transfer.command("in")
def transfer_in(
    ctx: typer.Context, ref: RefArg, on: OnOpt,
    last_review: Annotated[str | None, typer.Option(
        "--last-review", help="Date of the last review decision.")] = None,
    council: Annotated[str | None, typer.Option(
        "--from-council", help="The council it came from.")] = None,
) -> None:
    """The plan transferred in from another council on a date (reg 15(4)-(5))."""
    event = ev.TransferredIn(
        on=day(ctx, on, "--on"), last_review=optional_day(ctx, last_review, "--last-review"),
        council=None if council is None else check_text(council, "--from-council"))
    _record(ctx, ref, event, "transferred-in")


_simple(transfer, "informed", "TransferInformed", "transfer-informed",
        "The family was told of the transfer, any re-assessment and the review date.")


@transfer.command("out")
def transfer_out(
    ctx: typer.Context, ref: RefArg,
    move_on: Annotated[str, typer.Option(
        "--move-on", help="The day the family moves.", show_default=False)],
    on: Annotated[str, typer.Option(
        "--on", help="The day the council learned of the move.")] = "today",
    council: Annotated[str | None, typer.Option(
        "--to-council", help="The council they move to.")] = None,
) -> None:
    """The family is moving to another council (the plan must be sent, reg 15(2))."""
    event = ev.MovingOut(on=day(ctx, on, "--on"), move_on=day(ctx, move_on, "--move-on"),
                         council=None if council is None else check_text(council, "--to-council"))
    _record(ctx, ref, event, "moving-out")


_simple(transfer, "sent", "PlanSent", "plan-sent", "The plan was sent to the new council.")

# --- mediation, appeals, tribunal --------------------------------------------------------------
_simple(mediation, "requested", "MediationRequested", "mediation-requested",
        "The council was told the family wants mediation (to be held within 30 days).")
_simple(mediation, "held", "MediationHeld", "mediation-held", "Mediation took place.")
_simple(mediation, "certificate", "MediationCertificate", "mediation-certificate",
        "A mediation certificate was issued (the appeal window may extend).")


@appeal.command("notice")
def appeal_notice(
    ctx: typer.Context, ref: RefArg, on: OnOpt,
    decision: Annotated[str | None, typer.Option("--decision", help="What was decided.")] = None,
) -> None:
    """Written notice of another appealable decision was sent (stage moves record their own)."""
    when = day(ctx, on, "--on")
    checked = None if decision is None else check_text(decision, "--decision")
    _record(ctx, ref, ev.DecisionNotice(on=when, decision=checked), "decision-notice")


_simple(appeal, "lodged", "AppealLodged", "appeal-lodged", "The family lodged an appeal.")


@tribunal.command("order")
def tribunal_order(
    ctx: typer.Context, ref: RefArg,
    order: Annotated[str, typer.Argument(help="One of: " + ", ".join(TRIBUNAL_ORDERS) + ".",
                                         show_default=False)],
    on: OnOpt,
) -> None:
    """The tribunal ordered the council to act (reg 44 time runs from the order date)."""
    _record(ctx, ref, ev.TribunalOrder(on=day(ctx, on, "--on"),
                                       order=_choice(order, TRIBUNAL_ORDERS, "order")),
            "tribunal-order")
