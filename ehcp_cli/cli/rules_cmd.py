"""`ehcp rules`: the rule ids ehcp knows, with their kind and citation (for exceptions, imports
and anyone checking ehcp against the law)."""

from __future__ import annotations

from typing import Any

from ehcp_cli.cli.options import Format, FormatOpt
from ehcp_cli.render import Column

RULE_FIELDS = ["id", "kind", "description", "regulation", "exceptions"]


def rule_rows() -> list[dict[str, Any]]:
    from ehcp_cli.domain.rules import RULES

    return [
        {"id": spec.id, "kind": spec.kind, "description": spec.description,
         "regulation": spec.regulation, "exceptions": spec.exceptions}
        for spec, _ in RULES.values()
    ]


def rules(fmt: FormatOpt = Format.table) -> None:
    """Every deadline rule: id, kind, what it asks, the law, and the regulation for exceptions."""
    from ehcp_cli.render import listing

    columns = [
        Column("id", "Rule", no_wrap=True), Column("kind", "Kind", no_wrap=True),
        Column("description", "What must happen"), Column("regulation", "Law"),
        Column("exceptions", "Exceptions"),
    ]
    rows = rule_rows()
    listing(rows, fmt.value, fields=RULE_FIELDS, columns=columns, title=f"{len(rows)} rules")
