"""How each kind of result looks: columns, titles and the JSON shapes the contract pins."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ehcp_cli.render import Column, friendly_date, listing

CASE_FIELDS = ["ref", "name", "dob", "upn", "coordinator", "setting", "need", "stage"]
DEADLINE_FIELDS = ["rule", "kind", "description", "due", "act_by", "met_on", "regulation",
                   "status", "exception"]
OVERDUE_FIELDS = ["ref", "name", "coordinator", "stage", "rule", "kind", "description", "due",
                  "act_by", "days_overdue", "regulation", "exception", "key"]

# How a deadline's status looks in every table that shows one.
STATUS_STYLE = {"overdue": "bold red", "met-late": "yellow", "open": None, "met": "dim",
                "not-applicable": "dim"}


def status_style(row: dict[str, Any]) -> str | None:
    return STATUS_STYLE.get(row["status"])


def rule_label(rule: str, key: str | None) -> str:
    """`advice (health)`, `phase-transfer (primary-to-secondary:2027)`: the rule id, and which
    of its deadlines when a case can have several, everywhere a deadline is named."""
    return f"{rule} ({key})" if key else rule


def deadline_label(row: dict[str, Any]) -> str:
    return rule_label(row["rule"], row.get("key"))


def exception_span(exc: dict[str, Any]) -> str:
    """When a recorded exception applies: `2026-04-01–2026-04-30`, or `from 2026-04-01`."""
    return f"{exc['from']}–{exc['to']}" if exc.get("to") else f"from {exc['from']}"


def exception_text(exc: dict[str, Any] | None) -> str:
    """A recorded exception in one phrase: `closure (2026-04-01–2026-04-30)`."""
    return f"{exc['reason']} ({exception_span(exc)})" if exc else ""


def exception_reason(row: dict[str, Any]) -> str:
    """Just the reason, for tables kept within 80 columns."""
    return row["exception"]["reason"] if row["exception"] else ""


def case_json(doc: dict[str, Any]) -> dict[str, Any]:
    """The contract's case object (plus a few additive fields)."""
    return {
        **{k: doc[k] for k in CASE_FIELDS},
        "year_group": doc["year_group"],
        "events": doc["events"],
        "advice": doc["advice"],
        "deadlines": [{k: d[k] for k in [*DEADLINE_FIELDS, "key"]} for d in doc["deadlines"]],
    }


def case_listing(rows: list[dict[str, Any]], fmt: str) -> None:
    columns = [Column("ref", "Ref", no_wrap=True), Column("name", "Name"),
               Column("stage", "Stage", no_wrap=True), Column("coordinator", "Coordinator"),
               Column("need", "Need")]
    listing(rows, fmt, fields=CASE_FIELDS, columns=columns, title=f"{len(rows)} cases",
            empty="no cases")


def case_timeline(doc: dict[str, Any]) -> None:
    """The case as a coordinator reads it: who, what happened, what is late, what is next."""
    from rich.text import Text

    from ehcp_cli.render import console, person_name, table

    con = console()
    head = Text()
    head.append(f"{doc['ref']}  ", style="bold")
    head.append(person_name(doc["name"]) or "")
    head.append(f"   stage: {doc['stage']}")
    con.print(head)
    details = [
        f"born {friendly_date(doc['dob'])} (year group {doc['year_group']})",
        f"UPN {doc['upn']}" if doc["upn"] else "",
        f"coordinator {doc['coordinator']}" if doc["coordinator"] else "",
        f"setting {doc['setting']}" if doc["setting"] else "",
        f"need {doc['need']}" if doc["need"] else "",
    ]
    con.print(Text("; ".join(p for p in details if p)))
    con.print(Text(f"as of {friendly_date(doc['as_of'])}"))
    con.print()

    table(doc["events"],
          [Column("on", "Date", no_wrap=True), Column("description", "What happened")],
          title="Timeline", empty="no events")
    if doc["advice"]:
        table(doc["advice"], [
            Column("kind", "Advice"), Column("provider", "From"),
            Column("requested_on", "Asked", no_wrap=True), Column("due", "Due", no_wrap=True),
            Column("received_on", "Received", no_wrap=True),
            Column("chased_on", "Chased",
                   show=lambda r: ", ".join(friendly_date(d) for d in r["chased_on"])),
        ], title="Advice")

    live = [d for d in doc["deadlines"] if d["status"] in ("overdue", "open")]
    late = [d for d in live if d["status"] == "overdue"]
    upcoming = [d for d in live if d["status"] == "open"]
    done = [d for d in doc["deadlines"] if d["status"] not in ("overdue", "open")]
    columns = [
        Column("rule", "Deadline", show=_deadline_text),
        Column("due", "Due", no_wrap=True),
        Column("act_by", "Act by", no_wrap=True, show=_act_by_if_earlier),
        Column("regulation", "Law"),
    ]
    if any(d["exception"] for d in doc["deadlines"]):
        columns.append(Column("exception", "Exception", show=exception_reason))
    if late:
        table(late, columns, title="Late", styles=lambda r: "red")
    table(upcoming, columns, title="Next", empty="Next: nothing due")
    if done:
        table(done, [columns[0], columns[1], Column("met_on", "Met", no_wrap=True),
                     Column("status", "Status")], title="Met or closed",
              styles=status_style)


def _act_by_if_earlier(d: dict[str, Any]) -> str:
    """The last working day, shown only when a weekend or bank holiday makes it earlier."""
    return friendly_date(d["act_by"]) if d["act_by"] != d["due"] else ""


def _deadline_text(d: dict[str, Any]) -> str:
    """Rule id on the first line, what it asks on the second (keeps tables within 80 columns)."""
    kind = "" if d["kind"] == "statutory" else f" [{d['kind']}]"
    return f"{deadline_label(d)}{kind}\n{d['description']}"


def overdue_listing(rows: Iterable[dict[str, Any]], fmt: str, *, title: str) -> int:
    columns = [
        Column("ref", "Ref", no_wrap=True),
        Column("name", "Name"),
        # Rule id over its citation: both always shown, and the table still fits 80 columns.
        Column("rule", "Deadline / law", show=lambda r: f"{deadline_label(r)}\n{r['regulation']}"),
        Column("due", "Due", no_wrap=True),
        Column("days_overdue", "Late", justify="right",
               show=lambda r: str(r["days_overdue"]) if r["days_overdue"] > 0
               else f"in {-r['days_overdue']}d"),
        Column("exception", "Exc.", show=exception_reason),
    ]
    return listing(rows, fmt, fields=OVERDUE_FIELDS, columns=columns, title=title,
                   styles=lambda r: "red" if r["days_overdue"] > 0 else None,
                   empty="nothing overdue")


def history(rows: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "json":
        from ehcp_cli.render import document

        document(rows)  # type: ignore[arg-type]
        return
    import json

    from ehcp_cli.render import table

    table(rows, [Column("at", "At", show=lambda r: r["at"].isoformat(timespec="seconds"),
                        no_wrap=True),
                 Column("user", "User"), Column("action", "Action"),
                 Column("details", "Details",
                        show=lambda r: json.dumps(r["details"], ensure_ascii=False))],
          title="History")
