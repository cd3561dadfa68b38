"""The `ehcp` command: global options, the table of sub-commands, and the one error boundary
(`main`)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Annotated

import typer

from ehcp_cli import __version__
from ehcp_cli.cli.lazy import Lazy, LazyGroup
from ehcp_cli.errors import EhcpError


def _cmd(module: str, attr: str, summary: str) -> Lazy:
    return Lazy(f"ehcp_cli.cli.{module}", attr, summary)


# Every sub-command, in the order `ehcp --help` lists them: where it is defined (a command
# function, or a typer.Typer for a group) and the first paragraph of its help, which `ehcp --help`
# shows without importing the module.
# tests/test_cli_structure.py checks each summary against the command's own help.
COMMANDS: dict[str, Lazy] = {
    "move": _cmd("move_cmd", "move", "Record that the case reached STAGE on a date."),
    "overdue": _cmd("overdue_cmd", "overdue", "Unmet statutory and case-law deadlines due "
                    "before the as-of date, oldest first."),
    "due": _cmd("report_cmds", "due", "Open deadlines due from the as-of date to N weeks "
                "ahead, week by week (from Mondays)."),
    "import": _cmd("import_cmd", "import_", "Import cases from CSV: every row is checked "
                   "first; any problem rejects the whole file."),
    "rules": _cmd("rules_cmd", "rules", "Every deadline rule: id, kind, what it asks, the law, "
                  "and the regulation for exceptions."),
    "demo": _cmd("demo_cmd", "demo", "Show the overdue report of a synthetic 200-case caseload "
                 "(nothing is saved)."),
    "case": _cmd("case_cmds", "app", "Open, list, show and change cases."),
    "advice": _cmd("advice_cmds", "app",
                   "Advice requested and received (SEND Regulations 2014 reg 6)."),
    "review": _cmd("plan_cmds", "review",
                   "Annual and phase-transfer reviews (CFA s44; regs 18-21)."),
    "amend": _cmd("plan_cmds", "amend", "Amending a plan (reg 22)."),
    "exception": _cmd("plan_cmds", "exception",
                      "Statutory exceptions that excuse a missed time limit."),
    "phase": _cmd("plan_cmds", "phase",
                  "Phase transfers the date of birth does not imply (reg 18)."),
    "reassess": _cmd("plan_cmds", "reassess", "Re-assessment of a plan in force (regs 24-27)."),
    "transfer": _cmd("plan_cmds", "transfer", "Plans moving between councils (reg 15)."),
    "mediation": _cmd("plan_cmds", "mediation", "Mediation (regs 32-42)."),
    "appeal": _cmd("plan_cmds", "appeal", "Appealable decisions and appeals (HESC Rules r20)."),
    "tribunal": _cmd("plan_cmds", "tribunal", "First-tier Tribunal (SEND) orders (reg 44)."),
    "report": _cmd("report_cmds", "report", "Summary reports across the caseload."),
    "chase": _cmd("chase_cmd", "app", "Chase overdue advice (reg 8(1): advice is due 6 weeks "
                  "after the request)."),
    "export": _cmd("export_cmd", "app", "Export cases (for re-import) and deadlines (CSV, JSON, "
                   "iCalendar)."),
    "db": _cmd("db_cmds", "app", "Create, migrate, back up and verify the database."),
}


class EhcpGroup(LazyGroup):
    """The `ehcp` command: a sub-command's module is imported only when it is used."""

    table = COMMANDS


app = typer.Typer(
    name="ehcp",
    cls=EhcpGroup,
    help="Track EHC needs assessments and plans against their statutory deadlines.",
    rich_markup_mode=None,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"ehcp {__version__}\n")
        raise typer.Exit()


def _login() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers and cron environments
        return "unknown"


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option("--db", envvar="EHCP_DB", show_default=False,
                     help="SQLite file path or SQLAlchemy URL (default: caseload.db in the "
                     "user data directory)."),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option("--user", envvar="EHCP_USER", show_default=False,
                     help="Who is recorded against each change (default: your login)."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True,
                           help="Show the version and exit.")
    ] = False,
    redact: Annotated[
        bool, typer.Option("--redact", help="Show people's names as initials in every listing, "
                           "export and document.")
    ] = False,
) -> None:
    """Track EHC needs assessments and plans against their statutory deadlines."""
    from ehcp_cli import render
    from ehcp_cli.actions.env import Env

    render.set_redaction(redact)
    ctx.obj = Env(db=db, user=user or _login(), today=date.today(), now=datetime.now(UTC),
                  redact=redact)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ehcp; every failure becomes one `error:` line on stderr and the contract's exit code."""
    _die_quietly_on_closed_pipe()
    try:
        from ehcp_cli.store.engine import retrying  # a command that met a busy database runs again

        result = retrying(lambda: app(args=list(argv) if argv is not None else None,
                                      prog_name="ehcp", standalone_mode=False))
        return result if isinstance(result, int) else 0
    except EhcpError as exc:
        _error(str(exc))
        for problem in getattr(exc, "problems", ()):
            _error(str(problem))
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        _error("aborted")
        return 1
    except typer.TyperException as exc:  # click's usage errors: bad option, missing argument
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        _error(message.replace("\n", " ").strip())
        return getattr(exc, "exit_code", 2) or 2
    except KeyboardInterrupt:
        _error("interrupted; nothing was changed")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: say so in one line, no personal data, trace only on request
        if os.environ.get("EHCP_DEBUG") == "1":
            raise
        _error(f"internal error ({type(exc).__name__}); rerun with EHCP_DEBUG=1 for details")
        return 70


def _die_quietly_on_closed_pipe() -> None:
    """`ehcp overdue | head` ends like any Unix filter (killed by SIGPIPE), not with exit 1,
    which the contract reserves for a refused request. Reads only: writes commit before output."""
    import signal

    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)


def _error(message: str) -> None:
    # Whatever the user typed is echoed escaped, so an error is always exactly one line and a
    # name cannot smuggle terminal escapes or right-to-left overrides into it.
    shown = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                    for c in message)
    sys.stderr.write(f"error: {shown}\n")
