"""The sample caseload in a throwaway database, for `ehcp demo`."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from ehcp_cli.actions.env import Env
from ehcp_cli.actions.importer import ImportSummary
from ehcp_cli.errors import Refused


def sample_file() -> Path:
    """`caseload.csv`: shipped in the wheel as `ehcp_cli.sample_data`, or the checkout's copy."""
    try:
        import ehcp_cli.sample_data as package  # type: ignore[import-not-found]

        found = Path(package.__file__).parent / "caseload.csv"
        if found.is_file():
            return found
    except ImportError:
        pass
    found = Path(__file__).resolve().parents[2] / "sample_data" / "caseload.csv"
    if not found.is_file():
        raise Refused("the sample caseload is missing from this installation")
    return found


@contextmanager
def sample_caseload(env: Env) -> Iterator[tuple[Env, ImportSummary]]:
    """A fresh database holding the sample caseload, removed when the block ends.

    Whatever database the user configured is ignored: the demo must never write to it.
    """
    from ehcp_cli.actions.importer import import_file
    from ehcp_cli.store.engine import engine_for, resolve_url

    with tempfile.TemporaryDirectory(prefix="ehcp-demo-") as folder:
        path = Path(folder) / "demo.db"
        demo_env = replace(env, db=str(path), user="demo", _engine=None)
        try:
            summary = import_file(demo_env, sample_file())
            yield demo_env, summary
        finally:
            engine_for(resolve_url(str(path))).dispose()
