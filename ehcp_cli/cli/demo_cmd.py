"""`ehcp demo`: load the bundled sample caseload into a throwaway database and report on it."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    pass
