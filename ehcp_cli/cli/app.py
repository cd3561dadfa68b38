"""The `ehcp` command: global options, sub-command wiring, and the one error boundary (`main`)."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Annotated

import typer

from ehcp_cli import __version__
from ehcp_cli.actions.env import Env
from ehcp_cli.errors import EhcpError

app = typer.Typer(
    name="ehcp",
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

    render.set_redaction(redact)
    ctx.obj = Env(db=db, user=user or _login(), today=date.today(), now=datetime.now(UTC),
                  redact=redact)


def _register() -> None:
    from ehcp_cli.cli import (
        advice_cmds,
        case_cmds,
        chase_cmd,
        db_cmds,
        demo_cmd,
        export_cmd,
        import_cmd,
        move_cmd,
        overdue_cmd,
        plan_cmds,
        report_cmds,
        rules_cmd,
    )

    app.add_typer(case_cmds.app, name="case")
    app.add_typer(advice_cmds.app, name="advice")
    move_cmd.register(app)
    for sub, name in plan_cmds.SUBAPPS:
        app.add_typer(sub, name=name)
    overdue_cmd.register(app)
    report_cmds.register(app)
    chase_cmd.register(app)
    import_cmd.register(app)
    export_cmd.register(app)
    rules_cmd.register(app)
    app.add_typer(db_cmds.app, name="db")
    demo_cmd.register(app)


_register()


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
