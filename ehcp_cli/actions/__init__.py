"""Actions: one function per command, each one transaction, between the CLI and the domain/store.

They take an `Env` (database, user, today's date, the timestamp of the change) and plain values,
and return plain data for the renderer. Nothing here parses text or prints.
"""
