"""Alembic migrations for the ehcp database (shipped in the wheel as `ehcp_cli.migrations`)."""
