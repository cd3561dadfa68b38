"""How fast could an import of 100,000 rows be, if checking rows and the rules cost nothing?

    python bench/write_floor.py [--rows 100000] [--runs 3]

The import target (at most half the time of `sqlite-utils insert --csv` for the same file) is
measured against a tool that writes one untyped row a line. ehcp writes, for each case, the case,
its events, every deadline the law sets and a hash-chained history entry: about nine indexed
rows. This script measures the floor of that work alone. It imports the file once with `ehcp
import`, takes the rows ehcp wrote, and times writing exactly those rows into a fresh database of
the same schema with nothing but the standard library's sqlite3: one executemany per table in one
transaction, the secondary indexes built afterwards (as a first import does), then the commit. No
CSV reading, no checks, no rules, no SQLAlchemy, no start-up of ehcp. It prints the floor beside
sqlite-utils (same file, same machine, interleaved runs) and beside `ehcp import` itself.

Half of sqlite-utils, less this floor, is what ehcp's start-up, reading, checks and rules may
cost in all for the target to be met while ehcp stores what it stores.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("cases", "events", "deadlines", "audit")


def fresh_schema(db: Path, env: dict[str, str]) -> None:
    """An empty database at ehcp's current schema, made by ehcp itself (its migrations)."""
    subprocess.run([sys.executable, "-m", "ehcp_cli", "--db", str(db), "case", "list"], env=env,
                   check=True, capture_output=True)


def write_rows(db: Path, rows: dict[str, list[tuple]]) -> float:
    """Seconds to write `rows` into `db` (empty, current schema) as ehcp's first import does."""
    connection = sqlite3.connect(db, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("PRAGMA foreign_keys = ON")
        indexes = [sql for (sql,) in connection.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")]
        started = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        for name in [n for (n,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")]:
            connection.execute(f'DROP INDEX "{name}"')
        for table in TABLES:
            width = len(rows[table][0])
            connection.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * width)})",
                                   rows[table])
        for sql in indexes:
            connection.execute(sql)
        connection.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        connection.close()


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT / "bench"))
    from bench_import import sqlite_utils

    sys.path.insert(0, str(ROOT / "sample_data"))
    import generate

    env = {k: v for k, v in os.environ.items() if not k.startswith("EHCP_")}
    env.update(EHCP_USER="bench", NO_COLOR="1")
    folder = Path(tempfile.mkdtemp(prefix="ehcp-bench-floor-"))
    try:
        csv_path = folder / "caseload.csv"
        generate.write(csv_path, generate.rows(args.rows, prefix="B"))
        source = folder / "imported.db"
        subprocess.run([sys.executable, "-m", "ehcp_cli", "--db", str(source), "import",
                        str(csv_path)], env=env, check=True, stdout=subprocess.DEVNULL)
        with sqlite3.connect(source) as connection:
            rows = {t: connection.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
                    for t in TABLES}
        counts = ", ".join(f"{len(rows[t]):,} {t}" for t in TABLES)
        print(f"{args.rows:,} rows: ehcp stores {counts} "
              f"({sum(map(len, rows.values())) / args.rows:.1f} rows a case)")

        floors, peers, imports = [], [], []
        for run in range(args.runs):  # interleaved, so load changes hit all three alike
            target = folder / f"floor-{run}.db"
            fresh_schema(target, env)
            floors.append(write_rows(target, rows))
            peers.append(timed([*sqlite_utils(), "insert", str(folder / f"su-{run}.db"), "cases",
                                str(csv_path), "--csv"], env))
            imports.append(timed([sys.executable, "-m", "ehcp_cli", "--db",
                                  str(folder / f"ehcp-{run}.db"), "import", str(csv_path)], env))
            print(f"  run {run + 1}: rows alone {floors[-1]:.2f} s, sqlite-utils {peers[-1]:.2f} s,"
                  f" ehcp import {imports[-1]:.2f} s")
        floor, peer, full = map(statistics.median, (floors, peers, imports))
        print(f"\nmedians of {args.runs} runs, load {os.getloadavg()[0]:.1f}:")
        print(f"  writing ehcp's rows alone (sqlite3, no checks, no rules): {floor:.2f} s = "
              f"{floor / peer:.2f} x sqlite-utils")
        print(f"  sqlite-utils insert --csv: {peer:.2f} s")
        print(f"  ehcp import: {full:.2f} s = {full / peer:.2f} x sqlite-utils")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
