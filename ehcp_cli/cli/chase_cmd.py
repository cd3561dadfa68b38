"""`ehcp chase …`: overdue advice by provider, and one reminder letter per provider."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ehcp_cli.cli.options import AsOfOpt, Format, FormatOpt, day, env
from ehcp_cli.cli.views import rule_label
from ehcp_cli.errors import Refused, UsageError
from ehcp_cli.render import Column, friendly_date

app = typer.Typer(help="Chase overdue advice (reg 8(1): advice is due 6 weeks after the request).",
                  no_args_is_help=True, rich_markup_mode=None)

CHASE_FIELDS = ["provider", "ref", "name", "coordinator", "kind", "requested_on", "due",
                "days_late", "times_chased", "last_chased", "rule", "regulation"]
COLUMNS = [
    Column("ref", "Ref", no_wrap=True), Column("name", "Name"),
    Column("rule", "Rule", show=lambda r: rule_label(r["rule"], r["kind"])),
    Column("requested_on", "Asked", no_wrap=True), Column("due", "Due", no_wrap=True),
    Column("days_late", "Days late", justify="right"),
    Column("times_chased", "Chased", justify="right",
           show=lambda r: str(r["times_chased"]) + (
               f" (last {friendly_date(r['last_chased'])})" if r["last_chased"] else "")),
    Column("regulation", "Law"),
]


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in CHASE_FIELDS}


@app.command("list")
def chase_list(ctx: typer.Context, as_of: AsOfOpt = "today", fmt: FormatOpt = Format.table) -> None:
    """Overdue advice requests grouped by provider, with how often each was chased."""
    from ehcp_cli.actions.chase import by_provider, overdue_advice
    from ehcp_cli.render import listing, table

    when = day(ctx, as_of, "--as-of")
    rows = overdue_advice(env(ctx), when)
    if fmt != Format.table:
        listing((_public(r) for r in rows), fmt.value, fields=CHASE_FIELDS, columns=COLUMNS)
        return
    groups = by_provider(rows)
    if not groups:
        table([], COLUMNS, empty=f"no advice overdue as of {when:%d %b %Y}")
    for provider, items in groups:
        table(items, COLUMNS, title=f"{provider}: {len(items)} overdue as of {when:%d %b %Y}",
              styles=lambda r: "red")


@app.command("letters")
def chase_letters(
    ctx: typer.Context,
    as_of: AsOfOpt = "today",
    provider: Annotated[str | None, typer.Option(
        "--provider",
        help="Only the letter to this provider (as given to `advice request --from`).")] = None,
    templates: Annotated[Path | None, typer.Option(
        "--templates", help="Folder with your own chase_letter.txt and chase_item.txt.",
        show_default=False)] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write one file per provider into this folder (else stdout).",
        show_default=False)] = None,
) -> None:
    """One reminder per provider with overdue advice, listing only that provider's requests.

    Record each reminder you send with `ehcp advice chase REF KIND --on DATE`.
    """
    from ehcp_cli.actions.chase import file_names, letters, load_templates

    when = day(ctx, as_of, "--as-of")
    if templates is not None and not templates.is_dir():
        raise UsageError(f"--templates {templates} is not a folder")
    if output is not None and output.exists() and not output.is_dir():
        raise UsageError(f"--output {output} is not a folder")
    from ehcp_cli.render import person_name

    checked = load_templates(templates)
    done = letters(env(ctx), when, provider, checked, name_of=person_name)
    if not done:
        sys.stderr.write(
            f"no advice with a recorded provider is overdue as of {when.isoformat()}\n")
        return
    if output is None:
        sys.stdout.write("\f\n".join(text for _, text in done))
        return
    from ehcp_cli.cli.export_cmd import private_output

    output.mkdir(parents=True, exist_ok=True, mode=0o700)
    for (_, text), name in zip(done, file_names([p for p, _ in done]), strict=True):
        with private_output(output / name) as out:
            out.write(text)
        sys.stderr.write(f"wrote {output / name}\n")


@app.command("templates")
def chase_templates(
    folder: Annotated[Path, typer.Argument(help="Folder to write the templates into.",
                                           show_default=False)],
) -> None:
    """Write ehcp's own letter templates into a folder, to edit and use with --templates."""
    from ehcp_cli.actions.chase import TEMPLATE_NAMES, shipped_template

    folder.mkdir(parents=True, exist_ok=True)
    for name in TEMPLATE_NAMES:
        target = folder / name
        if target.exists():
            raise Refused(f"{target} exists already; not overwriting it")
    for name in TEMPLATE_NAMES:
        (folder / name).write_text(shipped_template(name), encoding="utf-8")
        sys.stderr.write(f"wrote {folder / name}\n")
