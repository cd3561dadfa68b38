"""The tables. Plural names (``case`` is an SQL reserved word) and a constraint naming convention,
so alembic batch migrations on SQLite and PostgreSQL name constraints the same way.

`events` is the truth. `cases.stage` and the `deadlines` rows are derived from the events and
refreshed in the same transaction as every event write: the stage so listings can filter in SQL,
the deadlines so `overdue` is an indexed query instead of a replay of every case.
`audit` is append-only and hash-chained.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, DateTime, Index, MetaData, Text, text
from sqlmodel import Field, SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Case(SQLModel, table=True):
    __tablename__ = "cases"

    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(unique=True, max_length=64)
    name: str = Field(max_length=200)
    dob: date
    upn: str | None = Field(default=None, index=True, max_length=13)
    coordinator: str | None = Field(default=None, index=True, max_length=100)
    setting: str | None = Field(default=None, max_length=200)
    need: str | None = Field(default=None, max_length=8)
    reception_year: int | None = None  # set only when the year group is overridden
    stage: str = Field(index=True, max_length=20)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class EventRow(SQLModel, table=True):
    __tablename__ = "events"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    on: date
    kind: str = Field(max_length=40)
    data: str = Field(default="{}", sa_column=Column(Text, nullable=False, server_default="{}"))
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    recorded_by: str = Field(max_length=100)


class DeadlineRow(SQLModel, table=True):
    __tablename__ = "deadlines"
    __table_args__ = (
        # `overdue` reads only unmet, still-applicable rows in due order: keep that set indexed,
        # with the kind and trigger it filters on (migration 0003).
        Index(
            "ix_deadlines_open_due",
            "due",
            "kind",
            "trigger",
            sqlite_where=text("met_on IS NULL AND lapsed_on IS NULL"),
            postgresql_where=text("met_on IS NULL AND lapsed_on IS NULL"),
        ),
        # ... and, for a report on a past date, the rows met or lapsed after it: each set by its
        # date, so that half of the query is a range scan too, not a read of every deadline
        # (migration 0004).
        Index(
            "ix_deadlines_met_on",
            "met_on",
            "due",
            "kind",
            "trigger",
            sqlite_where=text("met_on IS NOT NULL"),
            postgresql_where=text("met_on IS NOT NULL"),
        ),
        Index(
            "ix_deadlines_lapsed_on",
            "lapsed_on",
            "due",
            "kind",
            "trigger",
            sqlite_where=text("lapsed_on IS NOT NULL"),
            postgresql_where=text("lapsed_on IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    rule: str = Field(max_length=40)
    key: str = Field(default="", max_length=60)
    kind: str = Field(max_length=12)
    description: str = Field(max_length=200)
    regulation: str = Field(max_length=80)
    trigger: date
    due: date
    act_by: date
    met_on: date | None = None
    lapsed_on: date | None = None
    exception: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class AuditRow(SQLModel, table=True):
    __tablename__ = "audit"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    user: str = Field(max_length=100)
    case_id: int | None = Field(default=None, foreign_key="cases.id", index=True)
    action: str = Field(max_length=40)
    details: str = Field(default="{}", sa_column=Column(Text, nullable=False, server_default="{}"))
    # Unique: each entry follows exactly one other, so the chain can never fork (migration 0002).
    prev_hash: str = Field(max_length=64, unique=True, index=True)
    hash: str = Field(max_length=64, unique=True)
