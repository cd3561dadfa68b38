"""The statutory rules: one registry of small pure functions from a case's facts to its deadlines.

Importing this package registers every rule module; `evaluate(facts)` runs them all.
"""

from ehcp_cli.domain.rules import assessment, disputes, plans, transfers  # noqa: F401  (registers)
from ehcp_cli.domain.rules.registry import (
    KINDS,
    RULES,
    STATUSES,
    Clock,
    Deadline,
    RuleSpec,
    evaluate,
    exception_rules,
)

__all__ = [
    "KINDS", "RULES", "STATUSES", "Clock", "Deadline", "RuleSpec", "evaluate", "exception_rules",
]
