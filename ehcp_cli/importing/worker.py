"""Reading and preparing an import file in a second process, so a large import uses both cores:
this process checks rows and derives deadlines while the importer's process writes.

The worker is this module run with the same Python (`python -m ehcp_cli.importing.worker FILE
TODAY keep-cells|no-cells`). It is started before the importer opens (and perhaps creates and
migrates) the database, so its start-up and first batches overlap that work. It pickles each
`Batch` to its standard output as soon as it is ready; the pipe's small buffer is the
back-pressure that keeps memory flat. Nothing it does touches the database, so whatever happens to
it, the importer alone decides the transaction.

Small files are read in-process: starting a Python costs more than it saves there.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO

from ehcp_cli.importing.batches import Batch, read_batches

PARALLEL_FROM_BYTES = 1 << 20  # about 9,000 rows: below this one process is quicker


def parallel_worthwhile(size: int) -> bool:
    """A second process pays off for a large file on a machine with a second core for it."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return cores > 1 and size >= PARALLEL_FROM_BYTES


class Reader:
    """The file's batches, read in this process or by a worker started at once.

    A context manager: leaving it (normally, or because opening the database failed before a
    single batch was asked for) stops a worker that is still running.
    """

    def __init__(self, path: Path, today: date, *, parallel: bool, keep_cells: bool) -> None:
        """`keep_cells`: whether `Batch.row` may be asked for (only when the database may
        already hold some of the file's references)."""
        self.path, self.today, self.keep_cells = path, today, keep_cells
        self._errors: IO[bytes] | None = None
        self._worker: subprocess.Popen[bytes] | None = None
        if parallel:
            package_root = str(Path(__file__).resolve().parents[2])
            env = dict(os.environ)
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root,
                                                              env.get("PYTHONPATH")]))
            self._errors = tempfile.TemporaryFile()
            self._worker = subprocess.Popen(
                [sys.executable, "-m", "ehcp_cli.importing.worker", str(path),
                 today.isoformat(), "keep-cells" if keep_cells else "no-cells"],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._errors, env=env)

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            if worker.poll() is None:
                worker.kill()
            if worker.stdout is not None:
                worker.stdout.close()
            worker.wait()
        if self._errors is not None:
            self._errors.close()
            self._errors = None

    def batches(self) -> Iterator[Batch]:
        """Every batch, in file order."""
        worker = self._worker
        if worker is None:
            yield from read_batches(self.path, self.today, keep_cells=self.keep_cells)
            return
        assert worker.stdout is not None
        finished = False
        while True:
            try:
                batch = pickle.load(worker.stdout)
            except EOFError:
                break
            if batch is None:
                finished = True
                break
            yield batch
        code = worker.wait()
        if not finished or code != 0:
            assert self._errors is not None
            self._errors.seek(0)
            said = self._errors.read().decode(errors="replace").strip().splitlines()
            raise RuntimeError(f"the import's reading process failed (exit {code}): "
                               f"{(said or ['no output'])[-1]}")


@contextmanager
def rare_collections() -> Iterator[None]:
    """The cyclic garbage collector runs a hundred times less often while rows are prepared.

    Preparing rows makes millions of short-lived tuples and no reference cycles, yet every 700
    allocations the collector woke to scan the young objects: 0.6 s of the worker's 8 s at
    100,000 rows. Objects are still freed the moment they are unused (reference counting), so
    memory does not change. (Not in the writing process: SQLAlchemy's execution contexts are
    cycles that hold each statement's parameters, which would then pile up.)
    """
    import gc

    before = gc.get_threshold()
    gc.set_threshold(100 * before[0], *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _serve(path: Path, today: date, keep_cells: bool) -> None:
    """Write every batch, then None (so a worker that dies early is never taken for done)."""
    out = sys.stdout.buffer
    with rare_collections():
        for batch in read_batches(path, today, keep_cells=keep_cells):
            pickle.dump(batch, out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()  # all now: a batch's tail left in the buffer would wait for the next
    pickle.dump(None, out)
    out.flush()


if __name__ == "__main__":
    _serve(Path(sys.argv[1]), date.fromisoformat(sys.argv[2]), sys.argv[3] == "keep-cells")
