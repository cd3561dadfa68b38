"""`ehcp db …`: create, migrate, back up and verify the database."""

from __future__ import annotations

import typer

from ehcp_cli.cli.options import env

app = typer.Typer(help="Create, migrate, back up and verify the database.", no_args_is_help=True,
                  rich_markup_mode=None)


@app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Create the database, or migrate it to the latest schema."""
    from ehcp_cli.actions.database import upgrade as run

    before, after = run(env(ctx))
    if before == after:
        typer.echo(f"database already at the latest schema ({after})")
    else:
        typer.echo(f"database upgraded from {before or 'empty'} to {after}")
