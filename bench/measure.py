"""Timing a command the way a user or cron job runs it: a fresh process, output to a file.

Wall time is measured around the child process; peak RSS is the child's own `ru_maxrss` from
`os.wait4` (the figure `/usr/bin/time -v` prints as "Maximum resident set size").
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Sample:
    seconds: list[float]
    cpu: list[float]  # user + system CPU seconds of each run
    rss_kib: int  # the largest peak RSS over the runs
    lines: int  # lines the command wrote (last run)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    @property
    def rss_mib(self) -> float:
        return self.rss_kib / 1024


def run_once(cmd: list[str], env: dict[str, str], out: Path) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, peak RSS in KiB, exit code) of one run with stdout to `out`."""
    with out.open("wb") as stdout:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=stdout, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, proc.returncode


def sample(cmd: list[str], env: dict[str, str], out: Path, runs: int,
           ok_codes: tuple[int, ...] = (0,)) -> Sample:
    """One untimed warm-up run (page cache, bytecode), then `runs` timed runs."""
    *_, code = run_once(cmd, env, out)
    if code not in ok_codes:
        raise RuntimeError(f"{' '.join(cmd)} exited {code}")
    seconds, cpu, peak = [], [], 0
    for _ in range(runs):
        elapsed, used, rss, code = run_once(cmd, env, out)
        if code not in ok_codes:
            raise RuntimeError(f"{' '.join(cmd)} exited {code}")
        seconds.append(elapsed)
        cpu.append(used)
        peak = max(peak, rss)
    with out.open("rb") as handle:
        lines = sum(1 for _ in handle)
    return Sample(seconds, cpu, peak, lines)
