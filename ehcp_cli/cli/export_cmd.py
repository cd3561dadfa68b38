"""`ehcp export …`: the caseload as an importable file, and open deadlines for spreadsheets and
calendars (iCalendar, so Outlook and Google Calendar show each deadline on its act-by day)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from ehcp_cli.cli.options import AsOfOpt, day, env
from ehcp_cli.errors import UsageError

app = typer.Typer(help="Export cases (for re-import) and deadlines (CSV, JSON, iCalendar).",
                  no_args_is_help=True, rich_markup_mode=None)


class CaseFormat(StrEnum):
    csv = "csv"
    json = "json"


class DeadlineFormat(StrEnum):
    csv = "csv"
    json = "json"
    ics = "ics"


OutputOpt = Annotated[Path | None, typer.Option(
    "--output", "-o", help="Write to this file (created readable by you only) instead of stdout.",
    show_default=False)]


@contextmanager
def private_output(path: Path | None) -> Iterator[IO[str]]:
    """stdout, or a file created owner-only (0600) that appears only once fully written.

    The data goes to a temporary file beside the target and is renamed over it at the end, so a
    failed export never leaves half a file, and a file that existed becomes owner-only too.
    """
    if path is None:
        yield sys.stdout
        return
    target = path.expanduser()
    if target.is_dir():
        raise UsageError(f"--output {path} is a directory; give a file name")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"--output {path}: the folder {folder} does not exist")
    import tempfile

    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".part")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            yield stream
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _done(path: Path | None, count: int, what: str) -> None:
    if path is not None:
        sys.stderr.write(f"wrote {count} {what} to {path}\n")


@app.command("cases")
def export_cases(
    ctx: typer.Context,
    fmt: Annotated[CaseFormat, typer.Option(
        "--format", "-f", help="csv or json.")] = CaseFormat.csv,
    output: OutputOpt = None,
) -> None:
    """Every case in `ehcp import`'s columns, so the file can be imported elsewhere unchanged."""
    from ehcp_cli.actions.exports import CASE_COLUMNS
    from ehcp_cli.actions.exports import export_cases as query
    from ehcp_cli.render import write_csv, write_json_array

    rows = query(env(ctx))
    with private_output(output) as out:
        if fmt == CaseFormat.json:
            count = write_json_array(rows, out=out)
        else:
            count = write_csv(rows, CASE_COLUMNS, out=out)
    _done(output, count, "cases")


@app.command("deadlines")
def export_deadlines(
    ctx: typer.Context,
    as_of: AsOfOpt = "today",
    fmt: Annotated[DeadlineFormat, typer.Option(
        "--format", "-f", help="csv, json or ics (iCalendar).")] = DeadlineFormat.csv,
    output: OutputOpt = None,
    coordinator: Annotated[str | None, typer.Option(
        "--coordinator", help="Only this coordinator's cases.")] = None,
    include_met: Annotated[bool, typer.Option(
        "--include-met", help="Also deadlines already met (on time or late).")] = False,
) -> None:
    """Every open deadline (all kinds) whose clock had started by the as-of date, by due date.

    With --format ics, one all-day event per deadline on its act-by day, with a UID that stays
    the same from one export to the next, so importing again updates the calendar instead of
    adding duplicates. Calendar entries carry the case reference, never the child's name.
    """
    from ehcp_cli.actions.exports import DEADLINE_COLUMNS
    from ehcp_cli.actions.exports import export_deadlines as query
    from ehcp_cli.render import write_csv, write_json_array

    when = day(ctx, as_of, "--as-of")
    rows = query(env(ctx), when, coordinator, include_met)
    with private_output(output) as out:
        if fmt == DeadlineFormat.ics:
            count = write_calendar(rows, out, stamp=env(ctx).now)
        elif fmt == DeadlineFormat.json:
            count = write_json_array(rows, out=out)
        else:
            count = write_csv(rows, DEADLINE_COLUMNS, out=out)
    _done(output, count, "deadlines")


def event_uid(row: dict[str, Any]) -> str:
    """Stable across exports: a deadline is its case, rule, key and the day its clock started, so
    the same deadline keeps its UID even if its due date is corrected."""
    identity = "|".join([row["ref"], row["rule"], row["key"] or "", row["trigger"].isoformat()])
    import hashlib

    return hashlib.sha256(identity.encode()).hexdigest()[:32] + "@ehcp"


def _summary(row: dict[str, Any]) -> str:
    from ehcp_cli.cli.views import deadline_label

    return f"{row['ref']} {deadline_label(row)}"


def _description(row: dict[str, Any]) -> str:
    due: date = row["due"]
    lines = [
        f"{row['description']} ({row['kind']}).",
        f"Legal due date: {due:%A %d %B %Y} ({due.isoformat()}).",
        f"Act by: {row['act_by']:%A %d %B %Y} (the last working day on or before the due date).",
        f"Law: {row['regulation']}.",
        f"Status on export: {row['status']}.",
    ]
    if row["exception"]:
        from ehcp_cli.cli.views import exception_span

        exc = row["exception"]
        lines.append(f"Exception recorded: {exc['reason']} {exception_span(exc)}.")
    if row["coordinator"]:
        lines.append(f"Coordinator: {row['coordinator']}.")
    return "\n".join(lines)


def write_calendar(rows: Iterable[dict[str, Any]], out: IO[str], *, stamp: datetime) -> int:
    """An iCalendar file (RFC 5545) built with the maintained `icalendar` library.

    Events are written one at a time between the calendar's opening and closing lines, so a
    large export never holds the whole calendar in memory.
    """
    import icalendar

    from ehcp_cli.domain.calendar import next_day

    cal = icalendar.Calendar()
    cal.add("prodid", "-//ehcp//EHCP deadlines//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "EHCP deadlines")
    opening, closing = cal.to_ical().decode("utf-8").rsplit("END:VCALENDAR", 1)
    out.write(opening)
    count = 0
    for row in rows:
        event = icalendar.Event()
        event.add("uid", event_uid(row))
        event.add("dtstamp", stamp)
        event.add("dtstart", row["act_by"])
        event.add("dtend", next_day(row["act_by"]))  # all-day: the end is exclusive
        event.add("summary", _summary(row))
        event.add("description", _description(row))
        event.add("categories", [row["kind"]])
        event.add("transp", "TRANSPARENT")  # an all-day reminder, not busy time
        out.write(event.to_ical().decode("utf-8"))
        count += 1
    out.write("END:VCALENDAR" + closing)
    return count
