"""deadlines met or lapsed are indexed by that date, so `overdue` never scans the whole table

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 01:42:00

`ehcp overdue` as of a date also lists deadlines still unmet on that date but met or lapsed
since (a report on a past date). Nothing indexed those rows, so that half of the query read
every deadline on every run: about 0.3 s at national scale (2 million deadlines), even as of
today, when it finds none. A partial index on `met_on` over the rows met, and one on `lapsed_on`
over the rows lapsed, make it two range scans (SQLite's multi-index OR, PostgreSQL's bitmap OR).
Like the open-deadlines index (0003), each entry also holds the due date, kind and trigger the
query filters on, so a report on a past date fetches from the table only the rows it may list.
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {"ix_deadlines_met_on": "met_on", "ix_deadlines_lapsed_on": "lapsed_on"}


def upgrade() -> None:
    for name, column in INDEXES.items():
        where = text(f"{column} IS NOT NULL")
        op.create_index(name, "deadlines", [column, "due", "kind", "trigger"],
                        sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="deadlines")
