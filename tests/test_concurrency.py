"""Many coordinators at once: parallel writer processes lose nothing and never see "locked"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from ehcp_cli.store.engine import resolve_url

WRITERS = 8
CASES_PER_WRITER = 6  # each case: open, request two kinds of advice, receive one, move

# One writer: a separate Python process running ehcp's own entry point command after command,
# as a coordinator's scripts would. Half the cases get a generated reference, so writers also
# race for the next free number.
WRITER = textwrap.dedent("""
    import json, sys
    from ehcp_cli.cli.app import main

    writer, cases = int(sys.argv[1]), int(sys.argv[2])
    codes = []
    for n in range(cases):
        args = ["case", "open", f"Child {writer}-{n}", "--dob", "2015-01-01",
                "--received", "2026-01-05", "--coordinator", f"C{writer}", "--format", "json"]
        if n % 2:
            args += ["--ref", f"W{writer}-{n}"]
        import io, contextlib
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main(args)
        codes.append(code)
        if code:
            continue
        ref = json.loads(out.getvalue())["ref"]
        for step in (["advice", "request", ref, "health", "educational", "--on", "2026-01-12"],
                     ["advice", "receive", ref, "health", "--on", "2026-02-02"],
                     ["move", ref, "assessing", "--on", "2026-02-20"]):
            with contextlib.redirect_stdout(io.StringIO()):
                codes.append(main(step))
    print(json.dumps(codes))
""")


def _count(url: str, sql: str) -> int:
    engine = create_engine(resolve_url(url))
    with engine.connect() as conn:
        value = conn.execute(text(sql)).scalar_one()
    engine.dispose()
    return value


@pytest.mark.slow
def test_parallel_writers_lose_nothing(ehcp, empty_db, tmp_path):
    env = {**os.environ, "EHCP_DB": empty_db}  # a brand-new database: first use races too
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(w), str(CASES_PER_WRITER)],
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env)
        for w in range(WRITERS)
    ]
    results = [p.communicate(timeout=600) for p in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err and "busy" not in err, err
        assert err == "", err
        assert json.loads(out) == [0] * (CASES_PER_WRITER * 4)

    cases = WRITERS * CASES_PER_WRITER
    assert _count(empty_db, "SELECT count(*) FROM cases") == cases
    assert _count(empty_db, "SELECT count(DISTINCT ref) FROM cases") == cases
    # requested + 2 advice requests + 1 received + assessing per case
    assert _count(empty_db, "SELECT count(*) FROM events") == cases * 5
    assert _count(empty_db, "SELECT count(*) FROM audit") == cases * 4
    assert _count(empty_db, "SELECT count(*) FROM cases WHERE stage = 'assessing'") == cases
    r = ehcp("--db", empty_db, "db", "verify")
    assert r.code == 0, r.out
    assert f"{cases * 4} history entries" in r.out


def test_console_script_writers_in_parallel(ehcp, db):
    """The installed `ehcp` command itself, several at once, on the same case."""
    assert ehcp("case", "open", "Shared Case", "--dob", "2015-01-01", "--received", "2026-01-05",
                "--ref", "S1").code == 0
    kinds = ["parent", "educational", "health", "psychological", "social-care", "other"]
    env = {**os.environ, "EHCP_DB": db}
    script = Path(sys.executable).with_name("ehcp")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "ehcp_cli"]
    procs = [subprocess.Popen([*command, "advice", "request", "S1", kind, "--on", "2026-01-12"],
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env)
             for kind in kinds]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert (proc.returncode, err) == (0, "")
    doc = ehcp("case", "show", "S1", "--format", "json").json()
    assert sorted(a["kind"] for a in doc["advice"]) == sorted(kinds)
    assert ehcp("db", "verify").code == 0
