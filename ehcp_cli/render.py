"""The one renderer: every listing and document goes out as a rich table, CSV or JSON here.

JSON and CSV carry ISO dates and the contract's field names; tables are for people, with
friendlier dates, box-drawing and colour only on a terminal (NO_COLOR honoured), and user text
passed as `Text` so a name containing `[` is never read as markup.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

FORMATS = ("table", "csv", "json")


def _json_default(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def to_json(value: Any) -> str:
    return json.dumps(value, default=_json_default, ensure_ascii=False, indent=2)


def friendly_date(value: date | None) -> str:
    return value.strftime("%d %b %Y") if value else ""


def csv_cell(value: Any) -> str:
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


def _cell(column: Column, row: dict[str, Any]) -> str:
    if column.show:
        return column.show(row)
    value = row.get(column.key)
    if isinstance(value, date):
        return friendly_date(value)
    return "" if value is None else str(value)


def console(file: IO[str] | None = None):  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(file=file or sys.stdout, highlight=False, soft_wrap=False)


def table(rows: Iterable[dict[str, Any]], columns: Sequence[Column], *, title: str | None = None,
          styles: Callable[[dict[str, Any]], str | None] | None = None,
          out: IO[str] | None = None, empty: str = "nothing to show") -> int:
    """Print a table; returns the number of rows."""
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
        grid.add_column(column.header, justify=column.justify, no_wrap=column.no_wrap,  # type: ignore[arg-type]
                        min_width=column.min_width)
    count = 0
    for row in rows:
        count += 1
        style = styles(row) if styles and con.is_terminal else None
        grid.add_row(*(Text(_cell(c, row)) for c in columns), style=style)
    if count:
        con.print(grid)
    else:
        con.print(Text(empty))
    return count


def write_csv(rows: Iterable[dict[str, Any]], fields: Sequence[str], out: IO[str] | None = None) -> int:
    stream = out or sys.stdout
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(fields)
    count = 0
    for row in rows:
        writer.writerow([csv_cell(row.get(f)) for f in fields])
        count += 1
    return count


def write_json_array(rows: Iterable[dict[str, Any]], out: IO[str] | None = None) -> int:
    """Stream a JSON array, one element at a time, so a long listing never sits in memory."""
    stream = out or sys.stdout
    count = 0
    stream.write("[")
    for row in rows:
        stream.write(",\n  " if count else "\n  ")
        stream.write(json.dumps(row, default=_json_default, ensure_ascii=False))
        count += 1
    stream.write("\n]\n" if count else "]\n")
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
    sys.stdout.write(to_json(value) + "\n")
