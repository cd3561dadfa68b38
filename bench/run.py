#!/usr/bin/env python3
"""Benchmark ehcp at council scale (25,000 cases) and national scale (650,000), beside its peers.

    python bench/run.py                 # everything; builds and caches databases in bench/out/
    python bench/run.py --skip-national # the council-scale figures only (a minute or so)

Each figure is the median of several fresh processes (after one untimed warm-up run), with
stdout sent to a file as a cron job would. Prints a markdown table for the README.

Peers: the floor for startup is `python -c "import typer"` (ehcp cannot start faster than its CLI
library loads); the peer for `overdue` is Taskwarrior's `task overdue` over the same number of
pending tasks with due dates (Debian package `taskwarrior`; skipped with a note if missing).

Bytecode: the children run without PYTHONDONTWRITEBYTECODE, as an installed package (compiled
at install time) runs; the warm-up run compiles ehcp's own modules in a source checkout.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import measure  # noqa: E402
import taskwarrior  # noqa: E402
from build_db import build  # noqa: E402
from caseload import REFERENCE, write_csv  # noqa: E402

COUNCIL = 25_000
NATIONAL = 650_000
GENERATOR_VERSION = 2  # bump when caseload.py changes, so cached databases are rebuilt


@dataclass
class Figure:
    figure: str
    ehcp: str
    peer: str
    target: str
    met: str


def log(message: str) -> None:
    sys.stderr.write(f"[bench] {message}\n")
    sys.stderr.flush()


def ehcp_command() -> list[str]:
    """The `ehcp` console script of this environment (what users run), else `python -m`."""
    script = Path(sys.executable).parent / "ehcp"
    return [str(script)] if script.exists() else [sys.executable, "-m", "ehcp_cli"]


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONDONTWRITEBYTECODE", "EHCP_DB", "EHCP_DEBUG", "EHCP_USER")}
    env["EHCP_USER"] = "bench"
    return env


def head_revision() -> str:
    from ehcp_cli.store.schema import HEAD_REVISION

    return HEAD_REVISION


def db_revision(db: Path) -> str | None:
    try:
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.Error:
        return None


def ensure_db(count: int, out: Path, how: str, rebuild: bool) -> tuple[Path, dict]:
    """The cached database of `count` cases, rebuilt when the generator or schema changed."""
    csv_path, db = out / f"caseload-{count}.csv", out / f"caseload-{count}.db"
    manifest = out / f"caseload-{count}.json"
    want = {"cases": count, "generator": GENERATOR_VERSION, "reference": REFERENCE.isoformat(),
            "schema": head_revision()}
    if not rebuild and manifest.exists() and db.exists() and db_revision(db) == want["schema"]:
        have = json.loads(manifest.read_text())
        if {k: have.get(k) for k in want} == want:
            return db, have
    log(f"generating {count:,} cases into {db} (cached afterwards)")
    start = time.perf_counter()
    write_csv(csv_path, count)
    used = build(csv_path, db, child_env(), how)
    info = {**want, "built_with": used, "build_seconds": round(time.perf_counter() - start, 1)}
    manifest.write_text(json.dumps(info, indent=2) + "\n")
    log(f"built with {'`ehcp import`' if used == 'import' else 'the store layer'} "
        f"in {info['build_seconds']} s")
    return db, info


def overdue_count(db: Path) -> tuple[int, int]:
    """(cases with something overdue, overdue items) as of the reference date, straight from SQL."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        cases, items = connection.execute(
            "SELECT COUNT(DISTINCT case_id), COUNT(*) FROM deadlines WHERE kind IN "
            "('statutory', 'case-law') AND due < ? AND trigger <= ? AND "
            "(met_on IS NULL OR met_on > ?) AND (lapsed_on IS NULL OR lapsed_on > ?)",
            (REFERENCE.isoformat(),) * 4,
        ).fetchone()
        return cases, items
    finally:
        connection.close()


def secs(value: float) -> str:
    return f"{value:.3f} s" if value < 1 else f"{value:.2f} s"


def timed(sample: measure.Sample) -> str:
    """Wall median, with CPU time beside it (CPU time barely moves when the machine is busy)."""
    return f"{secs(sample.median)} (CPU {secs(sample.cpu_median)})"


def yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


def bench_help(ehcp: list[str], env: dict[str, str], out: Path, runs: int) -> Figure:
    log("ehcp --help vs python -c 'import typer'")
    mine = measure.sample([*ehcp, "--help"], env, out / "help.txt", runs)
    floor = measure.sample([sys.executable, "-c", "import typer"], env, out / "typer.txt", runs)
    return Figure("`ehcp --help` (startup)", timed(mine),
                  f"{timed(floor)}: `python -c \"import typer\"`, the floor", "<= 0.15 s",
                  yes(mine.median <= 0.15))


def bench_council(ehcp: list[str], env: dict[str, str], out: Path, runs: int, how: str,
                  rebuild: bool, skip_task: bool) -> list[Figure]:
    db, info = ensure_db(COUNCIL, out, how, rebuild)
    cases, items = overdue_count(db)
    log(f"council scale: {COUNCIL:,} cases, {cases:,} with something overdue "
        f"({cases / COUNCIL:.0%}), {items:,} overdue items")
    base = [*ehcp, "--db", str(db), "overdue", "--as-of", REFERENCE.isoformat()]
    table = measure.sample(base, env, out / "overdue-25k.txt", runs)
    csv = measure.sample([*base, "--format", "csv"], env, out / "overdue-25k.csv", runs)
    show = measure.sample([*ehcp, "--db", str(db), "case", "show", f"EHC-{COUNCIL // 2:07d}",
                           "--as-of", REFERENCE.isoformat()], env, out / "show-25k.txt", runs)

    peer_note, peer_time = _taskwarrior(db, out, runs, skip_task)
    figures = []
    for label, got in (("table to a file", table), ("`--format csv`", csv)):
        if peer_time is None:
            peer, met = peer_note, "n/a (no peer)"
        else:
            ratio = got.median / peer_time
            peer, met = peer_note, f"{yes(ratio <= 0.65)} ({ratio:.2f} x)"
        figures.append(Figure(
            f"`ehcp overdue`, {COUNCIL:,} cases, {label} ({got.lines:,} lines)",
            timed(got), peer, "<= 0.65 x Taskwarrior", met))
    figures.append(Figure(f"`ehcp case show`, {COUNCIL:,} cases", timed(show), "",
                          "<= 0.5 s", yes(show.median <= 0.5)))
    return figures


def _taskwarrior(db: Path, out: Path, runs: int, skip: bool) -> tuple[str, float | None]:
    if skip:
        return "skipped (--skip-taskwarrior)", None
    if taskwarrior.find() is None:
        log("Taskwarrior not found: install it with `apt-get install -y taskwarrior`; "
            "skipping that peer")
        return "Taskwarrior not installed (apt-get install -y taskwarrior)", None
    folder = out / "taskwarrior-25k"
    pending = taskwarrior.prepare(folder, db, REFERENCE, date.today(), COUNCIL)
    cmd, env = taskwarrior.overdue_command(folder)
    got = measure.sample(cmd, env, out / "task-overdue.txt", runs, ok_codes=(0, 1))
    version = subprocess.run([cmd[0], "--version"], capture_output=True, text=True).stdout.strip()
    log(f"Taskwarrior {version}: {pending:,} pending tasks, "
        f"`task overdue` wrote {got.lines:,} lines")
    return (f"{timed(got)}: Taskwarrior {version} `task overdue`, {pending:,} pending tasks, "
            f"to a file ({got.lines:,} lines)"), got.median


def bench_national(ehcp: list[str], env: dict[str, str], out: Path, runs: int, how: str,
                   rebuild: bool) -> list[Figure]:
    db, info = ensure_db(NATIONAL, out, how, rebuild)
    cases, items = overdue_count(db)
    log(f"national scale: {NATIONAL:,} cases, {cases:,} with something overdue "
        f"({cases / NATIONAL:.0%}), {items:,} overdue items")
    base = [*ehcp, "--db", str(db), "overdue", "--as-of", REFERENCE.isoformat()]
    figures = []
    for label, extra, name in (("table to a file", [], "overdue-650k.txt"),
                               ("`--format csv`", ["--format", "csv"], "overdue-650k.csv")):
        got = measure.sample([*base, *extra], env, out / name, runs)
        ok = got.median <= 3 and got.rss_mib <= 300
        figures.append(Figure(
            f"`ehcp overdue`, {NATIONAL:,} cases, {label} ({got.lines:,} lines)",
            f"{timed(got)}, {got.rss_mib:.0f} MiB peak RSS", "",
            "<= 3 s and <= 300 MiB", yes(ok)))
    show = measure.sample([*ehcp, "--db", str(db), "case", "show", f"EHC-{NATIONAL // 2:07d}",
                           "--as-of", REFERENCE.isoformat()], env, out / "show-650k.txt", runs)
    figures.append(Figure(f"`ehcp case show`, {NATIONAL:,} cases",
                          f"{timed(show)}, {show.rss_mib:.0f} MiB peak RSS", "",
                          "<= 0.5 s", yes(show.median <= 0.5)))
    return figures


def bench_import(skip: bool) -> tuple[list[Figure], str]:
    """Rows from bench/bench_import.py (its markdown table rows are merged into ours)."""
    script = HERE / "bench_import.py"
    if skip or not script.exists():
        return [], "import benchmark: " + ("skipped (--skip-import)" if skip else
                                           "bench/bench_import.py not present")
    log("running bench/bench_import.py")
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    figures, other = [], []
    for line in run.stdout.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 5 and not set("".join(cells)) <= set("-: ") \
                and cells[0].lower() != "figure":
            figures.append(Figure(*cells))
        else:
            other.append(line)
    note = "\n".join(other).strip()
    if run.returncode != 0:
        note += f"\n(bench_import.py exited {run.returncode}: {run.stderr.strip()[-300:]})"
    return figures, note


def environment_line(ehcp: list[str], env: dict[str, str]) -> str:
    version = subprocess.run([*ehcp, "--version"], env=env, capture_output=True,
                             text=True).stdout.strip()
    return (f"{version}; Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}; "
            f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores; "
            f"run {date.today().isoformat()}, reports as of {REFERENCE.isoformat()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7,
                        help="timed runs per fast figure (median reported; default 7)")
    parser.add_argument("--national-runs", type=int, default=5,
                        help="timed runs per national-scale figure (default 5)")
    parser.add_argument("--skip-national", action="store_true", help="council scale only")
    parser.add_argument("--skip-import", action="store_true",
                        help="do not run bench/bench_import.py")
    parser.add_argument("--skip-taskwarrior", action="store_true")
    parser.add_argument("--build", choices=("auto", "import", "store"), default="auto",
                        help="how to build databases: `ehcp import` of the generated CSV, the "
                        "store layer, or import when available (default)")
    parser.add_argument("--rebuild", action="store_true", help="ignore cached databases")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args(argv)

    args.out.mkdir(parents=True, exist_ok=True)
    ehcp, env = ehcp_command(), child_env()
    load_before = os.getloadavg()[0]
    figures = [bench_help(ehcp, env, args.out, max(args.runs, 10))]
    figures += bench_council(ehcp, env, args.out, args.runs, args.build, args.rebuild,
                             args.skip_taskwarrior)
    if not args.skip_national:
        figures += bench_national(ehcp, env, args.out, args.national_runs, args.build,
                                  args.rebuild)
    imported, import_note = bench_import(args.skip_import)
    figures += imported

    load = max(load_before, os.getloadavg()[0])
    print(f"Measured with `python bench/run.py` ({environment_line(ehcp, env)}).")
    if load > (os.cpu_count() or 1) * 0.5:
        print(f"**Warning: the machine was busy (1-minute load average up to {load:.1f} on "
              f"{os.cpu_count()} cores): wall times are inflated; CPU times are more reliable.**")
    print(f"Medians of {args.runs} runs ({max(args.runs, 10)} for startup, {args.national_runs} "
          "at national scale) after a warm-up run; stdout to a file. Table output to a file is "
          "ehcp's plain aligned text (no terminal).\n")
    print("| Figure | ehcp | Peer | Target | Met? |")
    print("| --- | --- | --- | --- | --- |")
    for f in figures:
        print(f"| {f.figure} | {f.ehcp} | {f.peer} | {f.target} | {f.met} |")
    if import_note:
        print(f"\n{import_note}")
    print("\nReproduce: `python bench/run.py` (add `--skip-national` for the quick half; "
          "`--rebuild` to regenerate the cached databases in bench/out/).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
