"""Who is acting, on which database, and when: passed into every action, never read globally."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


@dataclass
class Env:
    db: str | None
    user: str
    today: date
    now: datetime  # timezone-aware; stamped on events and audit entries
    redact: bool = False  # --redact: people's names shown as initials in every output
    _engine: Engine | None = field(default=None, repr=False)

    def engine(self) -> Engine:
        if self._engine is None:
            from ehcp_cli.store.engine import open_database

            self._engine = open_database(self.db)
        return self._engine
