"""Reading and preparing an import file in a second process, so a large import uses both cores:
this process checks rows and derives deadlines while the importer's process writes.

The worker is this module run with the same Python (`python -m ehcp_cli.importing.worker FILE
TODAY keep-cells|no-cells`). It pickles each `Batch` to its standard output as soon as it is
ready; the pipe's small buffer is the back-pressure that keeps memory flat. Nothing it does
touches the database, so whatever happens to it, the importer alone decides the transaction.

Small files are read in-process: starting a Python costs more than it saves there.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from ehcp_cli.importing.batches import Batch, read_batches

PARALLEL_FROM_BYTES = 1 << 20  # about 9,000 rows: below this one process is quicker


def parallel_worthwhile(size: int) -> bool:
    """A second process pays off for a large file on a machine with a second core for it."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return cores > 1 and size >= PARALLEL_FROM_BYTES


def batches(path: Path, today: date, *, parallel: bool, keep_cells: bool) -> Iterator[Batch]:
    """The file's batches, read here or, when `parallel`, by a worker process."""
    if not parallel:
        yield from read_batches(path, today, keep_cells=keep_cells)
        return
    package_root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    with tempfile.TemporaryFile() as errors:
        worker = subprocess.Popen(
            [sys.executable, "-m", "ehcp_cli.importing.worker", str(path), today.isoformat(),
             "keep-cells" if keep_cells else "no-cells"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors, env=env)
        assert worker.stdout is not None
        finished = False
        try:
            while True:
                try:
                    batch = pickle.load(worker.stdout)
                except EOFError:
                    break
                if batch is None:
                    finished = True
                    break
                yield batch
        finally:
            if not finished:
                worker.kill()
            worker.stdout.close()
            code = worker.wait()
        if not finished or code != 0:
            errors.seek(0)
            last = (errors.read().decode(errors="replace").strip().splitlines() or ["no output"])
            raise RuntimeError(f"the import's reading process failed (exit {code}): {last[-1]}")


def _serve(path: Path, today: date, keep_cells: bool) -> None:
    """Write every batch, then None (so a worker that dies early is never taken for done)."""
    out = sys.stdout.buffer
    for batch in read_batches(path, today, keep_cells=keep_cells):
        pickle.dump(batch, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()  # all of it now: a batch's tail left in the buffer would wait for the next
    pickle.dump(None, out)
    out.flush()


if __name__ == "__main__":
    _serve(Path(sys.argv[1]), date.fromisoformat(sys.argv[2]), sys.argv[3] == "keep-cells")
