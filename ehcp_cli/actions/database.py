"""Database administration: create or migrate the schema."""

from __future__ import annotations

from ehcp_cli.actions.env import Env


def upgrade(env: Env) -> tuple[str | None, str | None]:
    from ehcp_cli.store import schema
    from ehcp_cli.store.engine import create_private_file, engine_for, resolve_url, sqlite_path

    url = resolve_url(env.db)
    path = sqlite_path(url)
    if path is not None:
        create_private_file(path)
    return schema.upgrade(engine_for(url))
