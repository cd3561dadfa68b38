"""Shared fixtures: every test gets its own throwaway database and user data directory.

`db` is the database URL a test runs against; the autouse fixture points EHCP_DB at it and the
user data directory at a temporary folder, so no test can touch a real caseload.

Every test that touches the database (through `ehcp`, `opened`, `db` or `backend`) runs twice:
on SQLite and on PostgreSQL. Each PostgreSQL test gets a database of its own, cloned from a
template that already holds the schema (cloning takes a few tens of milliseconds; migrating would
take longer) and dropped afterwards. The server is `EHCP_TEST_PG_URL`; when it cannot be reached
the PostgreSQL half is skipped with the reason, except in CI (`CI=true`), where it fails.
`EHCP_TEST_BACKENDS=sqlite` (or `postgresql`) runs one half only.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

BACKENDS = ("sqlite", "postgresql")
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):  # type: ignore[no-untyped-def]
        return json.loads(self.out)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        chosen = os.environ.get("EHCP_TEST_BACKENDS", ",".join(BACKENDS)).split(",")
        params = [
            pytest.param(name, marks=[pytest.mark.postgres] if name == "postgresql" else [])
            for name in BACKENDS if name in chosen
        ]
        metafunc.parametrize("backend", params, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """`sqlite` or `postgresql`: which database server this run of the test uses."""
    return getattr(request, "param", "sqlite")


class PostgresServer:
    """The test server: one template database with the schema, and a fresh clone per test."""

    def __init__(self, url: str) -> None:
        from sqlalchemy.engine import make_url

        self.url = make_url(url)
        self.template = f"ehcp_tpl_{os.getpid()}"
        self.counter = itertools.count(1)
        self.problem: str | None = None
        self.ready = False

    def _admin(self):  # type: ignore[no-untyped-def]
        import psycopg

        return psycopg.connect(
            self.url.set(drivername="postgresql").render_as_string(hide_password=False),
            autocommit=True, connect_timeout=5,
        )

    def url_for(self, database: str) -> str:
        return self.url.set(database=database).render_as_string(hide_password=False)

    def start(self) -> str | None:
        """Build the template once; returns why PostgreSQL cannot be used, or None."""
        if self.ready or self.problem:
            return self.problem
        try:
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{self.template}"')
        except Exception as exc:  # unreachable server, bad credentials, no driver
            self.problem = (f"PostgreSQL at {self.url.render_as_string()} is not usable "
                            f"({type(exc).__name__}: {str(exc).strip().splitlines()[0]})")
            return self.problem
        from ehcp_cli.store import schema
        from ehcp_cli.store.engine import dispose_engines, engine_for

        schema.upgrade(engine_for(self.url_for(self.template)))
        dispose_engines()
        self.ready = True
        return None

    def create(self, *, empty: bool = False) -> str:
        name = f"ehcp_t_{os.getpid()}_{next(self.counter)}"
        source = "template0" if empty else self.template
        with self._admin() as admin:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        return name

    def drop(self, name: str) -> None:
        with self._admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        if self.ready:
            self.drop(self.template)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    server = PostgresServer(os.environ.get("EHCP_TEST_PG_URL", DEFAULT_PG_URL))
    yield server
    server.close()


def _postgres_database(request: pytest.FixtureRequest, empty: bool) -> Iterator[str]:
    server: PostgresServer = request.getfixturevalue("pg_server")
    problem = server.start()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{problem}; CI must run every test on PostgreSQL too", pytrace=False)
        pytest.skip(problem)
    name = server.create(empty=empty)
    try:
        yield server.url_for(name)
    finally:
        from ehcp_cli.store.engine import dispose_engines

        dispose_engines()
        server.drop(name)


@pytest.fixture
def db(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """The database URL under test: an SQLite file in the test's own folder, or a fresh
    PostgreSQL database that already has the schema."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'caseload.db'}"
        from ehcp_cli.store.engine import dispose_engines

        dispose_engines()
    else:
        yield from _postgres_database(request, empty=False)


@pytest.fixture
def empty_db(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A database with no tables at all (for migration tests), on the backend under test."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        from ehcp_cli.store.engine import dispose_engines

        dispose_engines()
    else:
        yield from _postgres_database(request, empty=True)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
              request: pytest.FixtureRequest) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("EHCP_USER", "tester")
    monkeypatch.delenv("EHCP_DEBUG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    if "db" in request.fixturenames:
        monkeypatch.setenv("EHCP_DB", request.getfixturevalue("db"))
    else:
        monkeypatch.setenv("EHCP_DB", str(tmp_path / "caseload.db"))


@pytest.fixture
def ehcp(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db: str):  # type: ignore[no-untyped-def]
    """Run `ehcp ARGS…` in-process through `main()` (the real error boundary), capturing output."""
    from ehcp_cli.cli.app import main

    def run(*args: str, stdin: str | None = None) -> Result:
        capsys.readouterr()
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def opened(ehcp) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A case opened for an assessment request received Mon 5 Jan 2026 (worked example 1)."""
    result = ehcp("case", "open", "Test Child", "--dob", "2015-10-10", "--received", "2026-01-05",
                  "--ref", "T1", "--coordinator", "Sam")
    assert result.code == 0, result.err
    yield "T1"
