"""Storage: SQLModel tables, engines and sessions, alembic migrations and the queries on them."""
