"""`ehcp db …`: create, migrate, back up and verify the database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ehcp_cli.cli.options import env
from ehcp_cli.errors import Refused

app = typer.Typer(help="Create, migrate, back up and verify the database.", no_args_is_help=True,
                  rich_markup_mode=None)


@app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Create the database, or migrate it to the latest schema.

    An SQLite database is first copied beside itself (NAME.REVISION-TIMESTAMP, owner-only) when
    there is something to migrate.
    """
    from ehcp_cli.actions.database import upgrade as run

    done = run(env(ctx))
    if done.backup is not None:
        typer.echo(f"backed up to {done.backup}", err=True)
    if done.before == done.after:
        typer.echo(f"database already at the latest schema ({done.after})")
    else:
        typer.echo(f"database upgraded from {done.before or 'empty'} to {done.after}")


@app.command("backup")
def backup(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(
        help="The new file, or a folder to put a time-stamped copy in.", show_default=False)],
) -> None:
    """Copy the database consistently while it may be in use (SQLite; PostgreSQL: pg_dump)."""
    from ehcp_cli.actions.database import backup as run

    typer.echo(str(run(env(ctx), path)))


@app.command("verify")
def verify(ctx: typer.Context) -> None:
    """Check storage integrity, foreign keys, the schema version and the history hash chain.

    Exit 0 when clean. Otherwise each problem is one line on stdout and the exit code is 1.
    """
    from ehcp_cli.actions.database import verify as run

    report = run(env(ctx))
    for problem in report.problems:
        typer.echo(problem)
    if report.problems:
        count = len(report.problems)
        raise Refused(f"verify found {count} problem{'s' if count != 1 else ''}")
    typer.echo(f"ok: schema {report.revision}, {report.entries} history entries, "
               f"chain head {report.head}")


@app.command("refresh")
def refresh(ctx: typer.Context) -> None:
    """Re-derive every case's stage and deadlines with this version's rules (after upgrading)."""
    from ehcp_cli.actions.database import refresh as run

    checked, stale = run(env(ctx))
    typer.echo(f"refreshed {len(stale)} of {checked} cases" if stale
               else f"all {checked} cases already match this version's rules")
