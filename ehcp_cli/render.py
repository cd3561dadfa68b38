"""The one renderer: every listing and document goes out as a rich table, CSV or JSON here.

JSON and CSV carry ISO dates and the contract's field names; tables are for people, with
friendlier dates, box-drawing and colour only on a terminal (NO_COLOR honoured), and user text
passed as `Text` so a name containing `[` is never read as markup.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache, partial
from itertools import zip_longest
from typing import IO, Any

FORMATS = ("table", "csv", "json")

# `--redact`: every `name` field (the child's or young person's name), at any depth, goes out as
# initials, so a listing can be shared or projected without naming anyone. Set once per command
# by the root callback; applied here because every listing and document passes through here.
_redacting = False
NAME_FIELDS = frozenset({"name"})


def set_redaction(on: bool) -> None:
    global _redacting
    _redacting = on


def initials(name: str) -> str:
    """`Amy-Jo O'Neil` -> `A.J.O.`: the first letter of each part of the name."""
    parts = [p for p in "".join(c if c.isalnum() else " " for c in name).split() if p]
    return "".join(f"{p[0].upper()}." for p in parts)


def person_name(name: str | None) -> str | None:
    """A person's name as this command may show it (initials under `--redact`)."""
    return initials(name) if _redacting and isinstance(name, str) else name


def redacted(value: Any, *, is_name: bool = False) -> Any:
    """`value` with every `name` field replaced by initials when `--redact` is on."""
    if not _redacting:
        return value
    if isinstance(value, dict):
        return {k: redacted(v, is_name=is_name or k in NAME_FIELDS) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redacted(v, is_name=is_name) for v in value]
    if is_name and isinstance(value, str):
        return initials(value)
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def to_json(value: Any) -> str:
    return json.dumps(value, default=_json_default, ensure_ascii=False, indent=2)


@lru_cache(maxsize=8192)  # listings repeat the same few thousand dates
def friendly_date(value: date | None) -> str:
    return value.strftime("%d %b %Y") if value else ""


def csv_cell(value: Any) -> str:
    if value.__class__ is str:  # most cells: no conversion (national-scale listings stream 1M+)
        return value  # type: ignore[no-any-return]
    if value is None:
        return ""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, default=_json_default, ensure_ascii=False, sort_keys=True)
    return str(value)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    show: Callable[[dict[str, Any]], str] | None = None  # table text; default str / date
    justify: str = "left"
    no_wrap: bool = False
    min_width: int | None = None


def _cells_function(columns: Sequence[Column]) -> Callable[[dict[str, Any]], list[str]]:
    """`[_cell(c, row) for c in columns]` with each column's way of showing its value chosen
    once rather than per cell (a national-scale listing has hundreds of thousands of rows)."""
    shows = [c.show or partial(_plain_cell, c.key) for c in columns]

    def cells(row: dict[str, Any]) -> list[str]:
        return [show(row) for show in shows]

    return cells


def _plain_cell(key: str, row: dict[str, Any]) -> str:
    value = row.get(key)
    if value.__class__ is str:  # most cells, as in `csv_cell`
        return value  # type: ignore[no-any-return]
    if isinstance(value, date):
        return friendly_date(value)
    return "" if value is None else str(value)


def _cell(column: Column, row: dict[str, Any]) -> str:
    return column.show(row) if column.show else _plain_cell(column.key, row)


def console(file: IO[str] | None = None):  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(file=file or sys.stdout, highlight=False, soft_wrap=False)


def table(rows: Iterable[dict[str, Any]], columns: Sequence[Column], *, title: str | None = None,
          styles: Callable[[dict[str, Any]], str | None] | None = None,
          out: IO[str] | None = None, empty: str = "nothing to show") -> int:
    """Print a table; returns the number of rows."""
    stream = out or sys.stdout
    if not is_terminal(stream):
        return plain_table(rows, columns, title=title, out=stream, empty=empty)
    from rich import box
    from rich.table import Table
    from rich.text import Text

    con = console(out)
    grid = Table(
        title=title, box=box.ROUNDED if con.is_terminal else None, show_edge=con.is_terminal,
        header_style="bold" if con.is_terminal else "", title_justify="left",
        pad_edge=False, expand=False,
    )
    for column in columns:
        # "fold" breaks a long rule id or reference over lines instead of cutting it with "…":
        # on a narrow terminal every character of a deadline must still be readable.
        grid.add_column(column.header, justify=column.justify,  # type: ignore[arg-type]
                        no_wrap=column.no_wrap, min_width=column.min_width, overflow="fold")
    count = 0
    for row in rows:
        count += 1
        row = redacted(row)
        style = styles(row) if styles and con.is_terminal else None
        grid.add_row(*(Text(_cell(c, row)) for c in columns), style=style)
    if count:
        con.print(grid)
    else:
        con.print(Text(empty))
    return count


def is_terminal(stream: IO[str]) -> bool:
    """Whether `stream` is a terminal as rich judges it (FORCE_COLOR, TTY_COMPATIBLE=1 force it)."""
    if os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") == "1":
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


PLAIN_SAMPLE = 1000  # rows read ahead to size the columns of a plain table


class _Batched:
    """Collects small writes into large ones: with PYTHONUNBUFFERED (common in containers)
    every row would otherwise be a system call."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)
        if len(self.parts) >= 256:
            self.flush()

    def flush(self) -> None:
        if self.parts:
            self.stream.write("".join(self.parts))
            self.parts.clear()


def _width(text: str) -> int:
    return max(map(len, text.split("\n"))) if "\n" in text else len(text)


def _line_function(columns: Sequence[Column],
                   widths: Sequence[int]) -> Callable[[Sequence[str]], str]:
    """The text of one row: each cell padded to its column's width, two spaces between columns,
    no trailing blanks; a row with a cell of several lines becomes that many lines.

    The padding of a whole line is one %-format template, built once per table: a
    national-scale listing writes hundreds of thousands of lines, and padding and joining cell
    by cell cost more than the rest of the table. `%-Ns` pads exactly as `str.ljust(N)` does
    and, like it, never cuts a longer cell. The last column, if left-aligned, is not padded.
    """
    specs = [f"%{'' if c.justify == 'right' else '-'}{w}s"
             for c, w in zip(columns, widths, strict=True)]
    if columns[-1].justify != "right":
        specs[-1] = "%s"
    template = "  ".join(specs)

    def line(cells: Sequence[str]) -> str:
        text = template % tuple(cells)
        if "\n" not in text:
            return text.rstrip() + "\n"
        split = [cell.split("\n") for cell in cells]  # a cell of several lines: one line each
        return "".join([(template % parts).rstrip() + "\n"
                        for parts in zip_longest(*split, fillvalue="")])

    return line


def plain_table(rows: Iterable[dict[str, Any]], columns: Sequence[Column], *,
                title: str | None = None, out: IO[str] | None = None,
                empty: str = "nothing to show") -> int:
    """A table as plain aligned text, streamed: for files, pipes and cron mail.

    rich lays out a whole table in memory and wraps it to 80 columns off a terminal; at tens of
    thousands of rows that takes seconds. Here the columns are sized from the header and the
    first PLAIN_SAMPLE rows, the rest are written as they come; a later, longer cell widens its
    line instead of being cut, so no text is ever lost.
    """
    stream = out or sys.stdout
    iterator = iter(rows)
    ahead = []
    for row in iterator:
        row = redacted(row)
        ahead.append([_cell(c, row) for c in columns])
        if len(ahead) >= PLAIN_SAMPLE:
            break
    if not ahead:
        stream.write(f"{empty}\n")
        return 0
    widths = [max(_width(c.header), c.min_width or 0, *(_width(cells[i]) for cells in ahead))
              for i, c in enumerate(columns)]
    line = _line_function(columns, widths)

    batch = _Batched(stream)
    write = batch.write
    try:
        if title:
            write(f"{title}\n")
        write(line([c.header for c in columns]))
        write(line(["-" * w for w in widths]))
        count = len(ahead)
        for cells in ahead:
            write(line(cells))
        del ahead
        cells_of = _cells_function(columns)
        for row in iterator:
            write(line(cells_of(redacted(row))))
            count += 1
    finally:
        batch.flush()
    return count


def write_csv(rows: Iterable[dict[str, Any]], fields: Sequence[str],
              out: IO[str] | None = None) -> int:
    batch = _Batched(out or sys.stdout)
    writer = csv.writer(batch, lineterminator="\n")
    writer.writerow(fields)
    count = 0
    writerow, cell = writer.writerow, csv_cell
    try:
        for row in rows:
            row = redacted(row)
            writerow([cell(row.get(f)) for f in fields])
            count += 1
    finally:
        batch.flush()
    return count


def write_json_array(rows: Iterable[dict[str, Any]], out: IO[str] | None = None) -> int:
    """Stream a JSON array, one element at a time, so a long listing never sits in memory."""
    stream = _Batched(out or sys.stdout)
    count = 0
    try:
        stream.write("[")
        for row in rows:
            stream.write(",\n  " if count else "\n  ")
            stream.write(json.dumps(redacted(row), default=_json_default, ensure_ascii=False))
            count += 1
        stream.write("\n]\n" if count else "]\n")
    finally:
        stream.flush()
    return count


def listing(rows: Iterable[dict[str, Any]], fmt: str, *, fields: Sequence[str],
            columns: Sequence[Column], title: str | None = None,
            styles: Callable[[dict[str, Any]], str | None] | None = None,
            empty: str = "nothing to show") -> int:
    """Emit a listing in the requested format; returns the number of rows."""
    if fmt == "json":
        return write_json_array(rows)
    if fmt == "csv":
        return write_csv(rows, fields)
    return table(rows, columns, title=title, styles=styles, empty=empty)


def document(value: dict[str, Any]) -> None:
    sys.stdout.write(to_json(redacted(value)) + "\n")
