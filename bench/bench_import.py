"""Benchmark `ehcp import` against `sqlite-utils insert --csv` on the same 100,000-row file.

    python bench/bench_import.py [--rows 100000] [--runs 3] [--keep DIR]

Generates a realistic caseload CSV with `sample_data/generate.py`, then runs each tool `--runs`
times, each run into a fresh database in a temporary folder, and prints the median wall time,
median CPU time (user + system) and peak resident memory of each, and the ratios. The target
(issue 6): ehcp takes at most half the wall time of sqlite-utils, in under 150 MiB.

sqlite-utils is a public PyPI package; when it is not installed the script installs it into the
running environment with pip first (and says so). sqlite-utils stores the rows as they are, in
one table; ehcp checks every row, derives each case's stage and statutory deadlines, and writes
cases, events, deadlines and a hash-chained audit entry per case in one transaction.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 0.5
TARGET_RSS_MIB = 150


def sqlite_utils() -> list[str]:
    """The sqlite-utils command, installing the package from PyPI if it is missing."""
    found = shutil.which("sqlite-utils", path=str(Path(sys.executable).parent)) or shutil.which(
        "sqlite-utils")
    if found is None:
        print("sqlite-utils is not installed: installing it from PyPI with pip", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "sqlite-utils"],
                       check=True)
        found = shutil.which("sqlite-utils", path=str(Path(sys.executable).parent))
    assert found, "sqlite-utils could not be installed"
    return [found]


def ehcp() -> list[str]:
    return [sys.executable, "-m", "ehcp_cli"]


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float, float, float]:
    """(wall seconds, CPU seconds, peak RSS MiB of the largest process, peak RSS MiB of all its
    processes together) of one run in a child process.

    A large `ehcp import` runs a second process that reads the file while the first writes.
    `ru_maxrss` (what `/usr/bin/time -v` prints) is the largest single process's peak, so the
    probe also samples the RSS of the whole process tree from /proc every 50 ms (reading only
    the tree's own entries, so the sampling costs next to nothing) and keeps the largest sum:
    the memory the import really holds at once.
    """
    # Each run is its own child of a fresh Python, so RUSAGE_CHILDREN covers that run alone.
    probe = (
        "import os, resource, subprocess, sys, threading, time\n"
        "def tree_kib(pid):\n"  # this process's and its descendants' resident KiB
        "    try:\n"
        "        with open(f'/proc/{pid}/status') as f:\n"
        "            kib = sum(int(l.split()[1]) for l in f if l.startswith('VmRSS'))\n"
        "        with open(f'/proc/{pid}/task/{pid}/children') as f:\n"
        "            kids = [int(k) for k in f.read().split()]\n"
        "    except OSError:\n"
        "        return 0\n"
        "    return kib + sum(tree_kib(k) for k in kids)\n"
        "t = time.perf_counter()\n"
        "child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
        "peak = [0]\n"
        "def watch():\n"
        "    while child.poll() is None:\n"
        "        peak[0] = max(peak[0], tree_kib(child.pid)); time.sleep(0.05)\n"
        "watcher = threading.Thread(target=watch); watcher.start()\n"
        "code = child.wait(); wall = time.perf_counter() - t; watcher.join()\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(code, wall, u.ru_utime + u.ru_stime, u.ru_maxrss, peak[0])\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, *command], env=env, check=True,
                         capture_output=True, text=True)
    code, wall, cpu, rss_kib, tree_kib = out.stdout.split()
    if code != "0":
        raise SystemExit(f"{command[0]} failed ({code}): {out.stderr}")
    return float(wall), float(cpu), int(rss_kib) / 1024, max(int(tree_kib), int(rss_kib)) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the CSV and databases in this folder")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT / "sample_data"))
    import generate  # the sample caseload generator: same mix of situations, more rows

    folder = Path(args.keep or tempfile.mkdtemp(prefix="ehcp-bench-import-"))
    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / f"caseload-{args.rows}.csv"
    started = time.perf_counter()
    generate.write(csv_path, generate.rows(args.rows, prefix="B"))
    print(f"generated {args.rows} rows ({csv_path.stat().st_size / 2**20:.1f} MiB) in "
          f"{time.perf_counter() - started:.1f} s")

    env = {k: v for k, v in os.environ.items() if not k.startswith("EHCP_")}
    env.update(EHCP_USER="bench", NO_COLOR="1")
    tools = {"sqlite-utils": sqlite_utils(), "ehcp": ehcp()}
    results: dict[str, list[tuple[float, float, float, float]]] = {name: [] for name in tools}
    try:
        for run in range(args.runs):
            for name, command in tools.items():  # interleaved, so load changes hit both alike
                db = folder / f"{name}-{run}.db"
                for stale in folder.glob(f"{db.name}*"):
                    stale.unlink()
                if name == "ehcp":
                    full = [*command, "--db", str(db), "import", str(csv_path)]
                else:
                    full = [*command, "insert", str(db), "cases", str(csv_path), "--csv"]
                results[name].append(measure(full, env))
                wall, cpu, rss, together = results[name][-1]
                print(f"  run {run + 1} {name:12s} {wall:6.2f} s wall {cpu:6.2f} s CPU "
                      f"{rss:6.1f} MiB largest process, {together:6.1f} MiB all processes")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)

    medians = {name: [statistics.median(r[i] for r in runs) for i in range(2)]
               for name, runs in results.items()}
    peaks = {name: [max(r[i] for r in runs) for i in (2, 3)] for name, runs in results.items()}
    print(f"\nmedians of {args.runs} runs, {args.rows} rows, {os.cpu_count()} CPUs, load "
          f"{os.getloadavg()[0]:.1f}:")
    for name, (wall, cpu) in medians.items():
        largest, together = peaks[name]
        print(f"  {name:12s} {wall:6.2f} s wall  {cpu:6.2f} s CPU  peak {largest:6.1f} MiB "
              f"largest process, {together:6.1f} MiB all processes")
    ratio = medians["ehcp"][0] / medians["sqlite-utils"][0]
    cpu_ratio = medians["ehcp"][1] / medians["sqlite-utils"][1]
    peak = peaks["ehcp"][1]  # the stricter reading of the target: every process together
    print(f"  ratio ehcp / sqlite-utils: {ratio:.2f} wall, {cpu_ratio:.2f} CPU "
          f"(target <= {TARGET_RATIO} wall); ehcp peak RSS {peak:.1f} MiB, all processes "
          f"together (target < {TARGET_RSS_MIB})")
    met = ratio <= TARGET_RATIO and peak < TARGET_RSS_MIB
    ehcp_wall, _ = medians["ehcp"]
    peer_wall, _ = medians["sqlite-utils"]
    print("\n| figure | ehcp | peer | target | met |\n| --- | --- | --- | --- | --- |")
    print(f"| `ehcp import`, {args.rows:,} rows | {ehcp_wall:.1f} s, {peak:.0f} MiB peak (all "
          f"processes; largest {peaks['ehcp'][0]:.0f} MiB) | `sqlite-utils insert --csv`: "
          f"{peer_wall:.1f} s, {peaks['sqlite-utils'][0]:.0f} MiB | <= {TARGET_RATIO} x "
          f"sqlite-utils, < {TARGET_RSS_MIB} MiB | {'yes' if met else 'no'} ({ratio:.2f} x) |")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
