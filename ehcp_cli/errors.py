"""Errors that carry their own exit code; `cli.app.main` turns them into one `error:` line."""

from __future__ import annotations


class EhcpError(Exception):
    """Base of every error shown to the user. The message is the whole `error:` line."""

    exit_code = 1


class Refused(EhcpError):
    """The request was understood but refused: unknown case, transition not allowed, invalid
    data."""

    exit_code = 1


class UsageError(EhcpError):
    """A bad option, date or value."""

    exit_code = 2


class ImportRejected(Refused):
    """An import file failed validation. `problems` holds one line per problem."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems
