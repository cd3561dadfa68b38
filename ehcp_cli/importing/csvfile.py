"""Reading an import file as Excel and LibreOffice save it, one row at a time.

UTF-8 with or without a byte-order mark, CRLF or LF line ends, header names in any order and any
case. Unknown columns are refused rather than ignored: a misspelt `recieved` would otherwise lose
every date in it without a word. Rows are streamed, so memory stays flat in the size of the file.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ehcp_cli.importing.columns import NAMES, REQUIRED, normalise
from ehcp_cli.importing.rows import Problem

NOT_UTF8 = ("the file is not UTF-8 text: in Excel use Save As > 'CSV UTF-8 (Comma delimited)'; "
            "in LibreOffice choose the Unicode (UTF-8) character set")
_NOT_UTF8 = re.compile("[\udc80-\udcff]")


def column_letter(index: int) -> str:
    """A spreadsheet's name for the column at 0-based `index` (A, B, ... Z, AA, ...)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Counting(io.RawIOBase):
    """Passes reads through and counts the bytes, so a progress bar can follow a text stream."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def,override]
        n = self.raw.readinto(buffer)  # type: ignore[attr-defined]
        self.count += n or 0
        return n  # type: ignore[no-any-return]


class ImportFile:
    """An open import file: `header_problems()` first, then `rows()` (a problem or a row each)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = path.stat().st_size
        self._raw = path.open("rb")
        self._counter = _Counting(self._raw)
        # Bytes that are not UTF-8 become lone surrogates, so the row holding them can be named.
        self._text = io.TextIOWrapper(io.BufferedReader(self._counter, 1 << 16),
                                      encoding="utf-8-sig", errors="surrogateescape", newline="")
        self._reader = csv.reader(self._text)
        self.columns: list[str | None] = []  # the column name at each position (None: no header)
        self._number = 1

    @property
    def bytes_read(self) -> int:
        return self._counter.count

    def close(self) -> None:
        self._text.close()
        self._raw.close()

    def __enter__(self) -> ImportFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def header_problems(self) -> list[Problem]:
        """Read the header row; the problems that make the rows unreadable (none when fine)."""
        try:
            header = next(self._reader, None)
        except csv.Error as exc:
            return [Problem(1, None, None, f"not readable as CSV ({exc})")]
        if header is None or not any(cell.strip() for cell in header):
            return [Problem(1, None, None, "the file has no header row: the first row names the "
                            "columns, e.g. " + ",".join(NAMES[:3]))]
        if _NOT_UTF8.search("".join(header)):
            return [Problem(1, None, None, NOT_UTF8)]
        problems: list[Problem] = []
        seen: dict[str, int] = {}
        for index, cell in enumerate(header):
            name = normalise(cell)
            if not name:
                self.columns.append(None)
                continue
            where = f"{column_letter(index)}"
            if name not in NAMES:
                problems.append(Problem(1, where, cell, "unknown column: the columns are "
                                        + ", ".join(NAMES)))
            elif name in seen:
                problems.append(Problem(1, where, cell, f"the same column as "
                                        f"{column_letter(seen[name])}: keep one of them"))
            seen.setdefault(name, index)
            self.columns.append(name if name in NAMES else None)
        for name in REQUIRED:
            if name not in seen:
                problems.append(Problem(1, None, None, f"no {name} column: the columns "
                                        f"{', '.join(REQUIRED)} are required"))
        return problems

    def rows(self) -> Iterator[Problem | tuple[int, dict[str, str]]]:
        """(row number, {column: text}) for each non-blank row, or the problem that stops one.

        Row numbers are those a spreadsheet shows (the header is row 1), also when a quoted
        cell spans several lines.
        """
        columns = self.columns
        width = len(columns)
        named = [(i, c) for i, c in enumerate(columns) if c is not None]
        unnamed = [i for i, c in enumerate(columns) if c is None]
        reader = self._reader
        not_utf8 = _NOT_UTF8.search
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield Problem(self._number + 1, None, None, f"not readable as CSV ({exc})")
                return
            self._number += 1
            if not_utf8("".join(cells)):
                yield Problem(self._number, None, None, NOT_UTF8)
                return
            if len(cells) == width:
                row = {name: cells[i] for i, name in named}
            else:
                row = {name: cells[i] for i, name in named if i < len(cells)}
                extra = [i for i in range(width, len(cells)) if cells[i].strip()]
                if extra:
                    yield Problem(self._number, column_letter(extra[0]), cells[extra[0]],
                                  f"the row has {len(cells)} cells but the header names "
                                  f"{width} columns")
                    continue
            stray = next((i for i in unnamed if i < len(cells) and cells[i].strip()), None)
            if stray is not None:
                yield Problem(self._number, column_letter(stray), cells[stray],
                              "this column has no header: name it or delete the column")
                continue
            if not any(value.strip() for value in row.values()):
                continue  # a blank line, or a row of empty cells Excel left behind
            yield self._number, row
