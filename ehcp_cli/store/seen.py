"""The references and UPNs of an import file's rows checked so far, in a temporary table.

Two of an import's checks need the whole file: a reference appears once, and an open case's UPN
belongs to one row. Kept in Python dictionaries they were the one part of an import whose memory
grew with the file (about 200 bytes a row); kept in a temporary table of the import's own
transaction they cost the database's temporary storage instead, so memory stays flat however long
the file. The table lives and dies with the transaction: PostgreSQL drops it on commit, SQLite
when it is dropped at the end or the transaction is rolled back.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


class SeenInFile:
    """Each reference checked so far with its first row number, and the UPN that row holds."""

    def __init__(self, conn: Connection) -> None:
        from sqlalchemy import Column, Index, Integer, MetaData, Table, Text

        self.conn = conn
        self.table = Table(
            "ehcp_import_seen", MetaData(),
            Column("ref", Text, primary_key=True),
            Column("number", Integer, nullable=False),
            Column("upn", Text),
            Index("ix_ehcp_import_seen_upn", "upn"),
            prefixes=["TEMPORARY"], postgresql_on_commit="DROP",
        )
        self.table.drop(conn, checkfirst=True)  # left by an earlier import on this connection
        self.table.create(conn)

    def first_rows(self, refs: Collection[str]) -> dict[str, int]:
        """The row number each of these references was first seen at, where it was."""
        from sqlalchemy import select

        from ehcp_cli.store.repo import in_list

        if not refs:
            return {}
        t = self.table
        query = select(t.c.ref, t.c.number).where(t.c.ref.in_(in_list(refs)))
        return dict(self.conn.execute(query).all())

    def holders(self, upns: Collection[str]) -> dict[str, tuple[str, int]]:
        """The (reference, row number) of the row holding each of these UPNs, where one does."""
        from sqlalchemy import select

        from ehcp_cli.store.repo import in_list

        if not upns:
            return {}
        t = self.table
        query = select(t.c.upn, t.c.ref, t.c.number).where(t.c.upn.in_(in_list(upns)))
        return {upn: (ref, number) for upn, ref, number in self.conn.execute(query)}

    def add(self, rows: Iterable[tuple[str, int, str | None]]) -> None:
        """Record (reference, row number, UPN it holds or None) of references not seen before."""
        params = [{"ref": ref, "number": number, "upn": upn} for ref, number, upn in rows]
        if params:
            self.conn.execute(self.table.insert(), params)

    def close(self) -> None:
        """Drop the table (on SQLite it would outlive the transaction on a pooled connection)."""
        self.table.drop(self.conn, checkfirst=True)
