"""the open-deadlines index also holds kind and trigger, so `overdue` filters inside the index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 11:30:00

`ehcp overdue` reads unmet deadlines due before a date, of the statutory and case-law kinds,
whose clock had started. With only `due` in the index, every open row due before the date was
fetched from the table to test its kind and trigger, more than twice the rows reported at
national scale; with both in the index entry, only the rows reported are fetched.
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = "met_on IS NULL AND lapsed_on IS NULL"


def _open_index(*columns: str) -> None:
    op.create_index("ix_deadlines_open_due", "deadlines", list(columns),
                    sqlite_where=text(OPEN), postgresql_where=text(OPEN))


def upgrade() -> None:
    op.drop_index("ix_deadlines_open_due", table_name="deadlines")
    _open_index("due", "kind", "trigger")


def downgrade() -> None:
    op.drop_index("ix_deadlines_open_due", table_name="deadlines")
    _open_index("due")
