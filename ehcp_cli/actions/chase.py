"""Chasing overdue advice (reg 8(1): advice within 6 weeks of the request), provider by provider.

The overdue judgement is the domain's (`Deadline.status`); the provider and the chase history come
from the case's own advice events, so a letter to one provider can only ever carry that
provider's requests.
"""

from __future__ import annotations

import json
import string
from collections.abc import Callable, Sequence
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from ehcp_cli.actions.env import Env
from ehcp_cli.domain import calendar
from ehcp_cli.domain.advice import advice_requests
from ehcp_cli.domain.codes import ADVICE_KINDS
from ehcp_cli.domain.events import Event, event_from_data
from ehcp_cli.errors import Refused, UsageError

NO_PROVIDER = "(no provider recorded)"
LETTER_TEMPLATE = "chase_letter.txt"
ITEM_TEMPLATE = "chase_item.txt"
TEMPLATE_NAMES = (LETTER_TEMPLATE, ITEM_TEMPLATE)
LETTER_FIELDS = ("date", "date_iso", "provider", "count", "items")
ITEM_FIELDS = ("ref", "name", "dob", "kind", "advice", "requested_on", "due", "days_late",
               "times_chased", "chased_on")


def overdue_advice(env: Env, as_of: date) -> list[dict[str, Any]]:
    """Overdue advice requests, grouped by provider (no provider last), oldest due first."""
    from ehcp_cli.actions.exports import judged
    from ehcp_cli.store import repo
    from ehcp_cli.store.engine import transaction

    with transaction(env.engine(), write=False) as session:
        rows = [
            row for row in repo.deadline_listing(
                session=session, as_of=as_of, rule="advice",
                due_until=calendar.previous_day(as_of),
            )
            if judged(row, as_of)[1] == "overdue"
        ]
        events: dict[int, list[Event]] = {}
        for r in repo.advice_event_rows(session=session, case_ids=[row.case_id for row in rows]):
            if r.on <= as_of:  # a chase recorded later was not known on the as-of date
                events.setdefault(r.case_id, []).append(
                    event_from_data(r.kind, r.on, json.loads(r.data)))
    requests = {case_id: {(r.kind, r.requested_on): r for r in advice_requests(evs)}
                for case_id, evs in events.items()}
    out = []
    for row in rows:
        request = requests.get(row.case_id, {}).get((row.key, row.trigger))
        provider = request.provider if request and request.provider else None
        chased = request.chased_on if request else []
        out.append({
            "provider": provider or NO_PROVIDER, "ref": row.ref, "name": row.name, "dob": row.dob,
            "coordinator": row.coordinator, "kind": row.key, "requested_on": row.trigger,
            "due": row.due, "days_late": calendar.days_between(row.due, as_of),
            "times_chased": len(chased),
            "last_chased": chased[-1] if chased else None, "chased_on": list(chased),
            "rule": row.rule, "regulation": row.regulation,
        })
    out.sort(key=lambda r: (r["provider"] == NO_PROVIDER, r["provider"].casefold(), r["due"],
                            r["ref"], r["kind"]))
    return out


def by_provider(rows: Sequence[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Rows grouped by provider, names compared without regard to case or spacing."""
    groups: dict[str, tuple[str, list[dict[str, Any]]]] = {}
    for row in rows:
        key = " ".join(row["provider"].casefold().split())
        groups.setdefault(key, (row["provider"], []))[1].append(row)
    return list(groups.values())


# --- letters -----------------------------------------------------------------------------------
def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def shipped_template(name: str) -> str:
    return (resources.files("ehcp_cli") / "templates" / name).read_text(encoding="utf-8")


def load_templates(folder: Path | None) -> dict[str, string.Template]:
    """The council's templates from `folder`, or ehcp's own; checked before anything is written."""
    allowed = {LETTER_TEMPLATE: LETTER_FIELDS, ITEM_TEMPLATE: ITEM_FIELDS}
    out = {}
    for name in TEMPLATE_NAMES:
        if folder is None:
            text = shipped_template(name)
        else:
            path = folder / name
            if not path.is_file():
                raise UsageError(f"--templates {folder} has no {name} (`ehcp chase templates "
                                 "DIR` writes ehcp's own to start from)")
            try:
                text = path.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError:
                raise UsageError(f"template {name} is not UTF-8 text") from None
        template = string.Template(text)
        if not template.is_valid():
            raise UsageError(f"template {name} has a $ that does not start a placeholder "
                             "(write $$ for a dollar sign)")
        unknown = [i for i in template.get_identifiers() if i not in allowed[name]]
        if unknown:
            raise UsageError(
                f"template {name} uses ${unknown[0]}, which ehcp does not provide; "
                f"placeholders there: {', '.join('$' + f for f in allowed[name])}"
            )
        out[name] = template
    return out


def letter_text(templates: dict[str, string.Template], provider: str,
                rows: Sequence[dict[str, Any]], as_of: date,
                name_of: Callable[[str], str] = str) -> str:
    """One provider's letter: its own overdue requests and nothing else."""
    items = []
    for row in rows:
        items.append(templates[ITEM_TEMPLATE].substitute(
            ref=row["ref"], name=name_of(row["name"]), dob=long_date(row["dob"]), kind=row["kind"],
            advice=ADVICE_KINDS.get(row["kind"], row["kind"]).split(" (")[0],
            requested_on=long_date(row["requested_on"]), due=long_date(row["due"]),
            days_late=row["days_late"], times_chased=row["times_chased"],
            chased_on=", ".join(long_date(d) for d in row["chased_on"]) or "none",
        ))
    return templates[LETTER_TEMPLATE].substitute(
        date=long_date(as_of), date_iso=as_of.isoformat(), provider=provider, count=len(rows),
        items="".join(items).rstrip("\n") + "\n",  # the block ends with one line break
    )


def letters(env: Env, as_of: date, provider: str | None,
            templates: dict[str, string.Template],
            name_of: Callable[[str], str] = str) -> list[tuple[str, str]]:
    """(provider, letter text) for each provider with overdue advice, or just the one named.

    `name_of` is how a child's name is shown (the caller's choice, e.g. initials to redact)."""
    groups = [(name, rows) for name, rows in by_provider(overdue_advice(env, as_of))
              if name != NO_PROVIDER]
    if provider is not None:
        wanted = " ".join(provider.casefold().split())
        groups = [(name, rows) for name, rows in groups
                  if " ".join(name.casefold().split()) == wanted]
        if not groups:
            raise Refused(f"no overdue advice from {provider!r} as of {as_of.isoformat()}")
    return [(name, letter_text(templates, name, rows, as_of, name_of)) for name, rows in groups]


def file_names(providers: Sequence[str]) -> list[str]:
    """A distinct, filesystem-safe file name per provider: chase-<provider>.txt."""
    used: set[str] = set()
    out = []
    for provider in providers:
        slug = "".join(c if c.isalnum() else "-" for c in provider.casefold())
        slug = "-".join(part for part in slug.split("-") if part)[:60] or "provider"
        name, n = f"chase-{slug}.txt", 1
        while name in used:
            n += 1
            name = f"chase-{slug}-{n}.txt"
        used.add(name)
        out.append(name)
    return out
