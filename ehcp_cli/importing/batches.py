"""The import file as batches of checked, prepared rows: the part of an import that needs no
database, so it can run in a second process while the first one writes.

Each row is read, checked (`parse_row`) and, when valid, prepared for storage: its case row,
stage, event rows and deadline rows (`derive`, the same domain functions the commands use), as
plain strings and tuples that pickle cheaply and bind straight into INSERTs.
Dates are ISO text, the form SQLite stores; PostgreSQL casts it to `date` on insert.

What still needs the database (is the reference already recorded? does an open case already
hold the UPN?) stays with the importer. For a row whose reference is recorded the importer needs
the parsed row itself; rather than pickling every `ImportRow` on the chance, a batch carries its
rows' cells as CSV text and parses a row again on request (`Batch.row`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from ehcp_cli.importing.columns import NAMES
from ehcp_cli.importing.csvfile import ImportFile
from ehcp_cli.importing.prepare import deadline_rows, derive, event_rows, iso
from ehcp_cli.importing.rows import ImportRow, Problem, parse_row

ROWS_PER_BATCH = 2000  # bounded memory, and few enough messages that pickling stays cheap


class Prepared(NamedTuple):
    """A valid row ready to store, given a case id (all values in the form the driver binds)."""

    number: int
    ref: str
    upn: str | None
    is_open: bool
    case: tuple[Any, ...]  # name, dob, upn, coordinator, setting, need, stage
    events: tuple[tuple[str, str, str], ...]  # (on, kind, data) in the order they happened
    deadlines: tuple[tuple[Any, ...], ...]  # prepare.DEADLINE_COLUMNS without case_id


class Batch:
    """Consecutive rows of the file: each a `Prepared` row or the problems that reject it."""

    def __init__(self, items: list[Prepared | list[Problem]], cells_csv: str, bytes_read: int,
                 today: date) -> None:
        self.items = items
        self.bytes_read = bytes_read
        self._cells_csv = cells_csv
        self._today = today
        self._cells: dict[int, dict[str, str]] | None = None

    def __getstate__(self) -> dict[str, Any]:
        """Rows as plain tuples: pickle handles those in C, a NamedTuple through Python code."""
        state = dict(self.__dict__)
        state["items"] = [item if isinstance(item, list) else tuple(item) for item in self.items]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        make = Prepared._make
        state["items"] = [item if isinstance(item, list) else make(item)
                          for item in state["items"]]
        self.__dict__.update(state)

    def row(self, number: int) -> ImportRow:
        """The checked row `number` as `parse_row` gives it (only valid rows are asked for)."""
        if self._cells is None:
            self._cells = {int(values[0]): dict(zip(NAMES, values[1:], strict=True))
                           for values in csv.reader(io.StringIO(self._cells_csv))}
        parsed = parse_row(self._cells[number], number, self._today)
        assert isinstance(parsed, ImportRow), "a prepared row parses again the same way"
        return parsed


def prepare(row: ImportRow) -> Prepared:
    """A checked row as stored: the same stage, events and deadlines `case open` would give."""
    details = row.details
    happened = [event for _, event in row.events]
    stage, deadlines = derive(details["dob"], happened)
    case = (details["name"], iso(details["dob"]), details["upn"], details["coordinator"],
            details["setting"], details["need"], stage)
    return Prepared(row.number, row.ref, details["upn"], row.is_open, case,
                    event_rows(happened), deadline_rows(deadlines))


def read_batches(path: Path, today: date, *, keep_cells: bool = True) -> Iterator[Batch]:
    """Every data row of `path` checked and prepared, in batches (its header is known good).

    Without `keep_cells` (nothing is recorded yet, so no row will be compared) `Batch.row` is
    never called and the cells are not kept.
    """
    with ImportFile(path) as source:
        if source.header_problems():
            raise ValueError(f"{path}: the header changed while the file was being imported")
        items: list[Prepared | list[Problem]] = []
        out = io.StringIO()
        cells_out = csv.writer(out, lineterminator="\n")
        for item in source.rows():
            if isinstance(item, Problem):
                items.append([item])
            else:
                number, cells = item
                parsed = parse_row(cells, number, today)
                if isinstance(parsed, list):
                    items.append(parsed)
                else:
                    items.append(prepare(parsed))
                    if keep_cells:
                        cells_out.writerow((number, *(cells.get(name, "") for name in NAMES)))
            if len(items) >= ROWS_PER_BATCH:
                yield Batch(items, out.getvalue(), source.bytes_read, today)
                items, out = [], io.StringIO()
                cells_out = csv.writer(out, lineterminator="\n")
        if items:
            yield Batch(items, out.getvalue(), source.bytes_read, today)
