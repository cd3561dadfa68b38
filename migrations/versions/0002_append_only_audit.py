"""append-only audit: triggers refuse UPDATE and DELETE; a unique prev_hash stops forks

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 10:00:00

The history is evidence of who changed what and when, so the database itself refuses to change
or remove an audit entry, whatever client writes to it. `ehcp db verify` recomputes the hash chain
to catch tampering by someone who drops these triggers first.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "audit entries are append-only"


def upgrade() -> None:
    op.create_index(op.f("ix_audit_prev_hash"), "audit", ["prev_hash"], unique=True)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
            END $$
        """)
        op.execute("CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
                   "FOR EACH ROW EXECUTE FUNCTION audit_append_only()")
        op.execute("CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
                   "FOR EACH ROW EXECUTE FUNCTION audit_append_only()")
        op.execute("CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit "
                   "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()")
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER audit_no_{verb.lower()} BEFORE {verb} ON audit "
                       f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in ("audit_no_update", "audit_no_delete", "audit_no_truncate"):
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON audit")
        op.execute("DROP FUNCTION IF EXISTS audit_append_only()")
    else:
        for name in ("audit_no_update", "audit_no_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index(op.f("ix_audit_prev_hash"), table_name="audit")
