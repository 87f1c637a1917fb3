"""The error hierarchy.

`ProcedureError` is the root of every error a user can cause: a command that is not in
order, bad input, a log that cannot be opened. It lives in `events` (the innermost
package) so that the log's own errors, such as `ConcurrencyError`, belong to the same
hierarchy as the engine's without `events` importing anything from `engine`.
"""

from __future__ import annotations


class ProcedureError(Exception):
    """Something the user asked for cannot be done; nothing was appended to the log."""


class LogError(ProcedureError):
    """The log file cannot be used: missing, not SQLite, not ours, or too new."""


class DamagedLogError(LogError):
    """The log's file is damaged (SQLite finds malformed pages): it is read no further and
    never written to."""


class LogFullError(LogError):
    """The disk (or SQLite's page limit) is full: the write was undone, the log is intact."""


class ConcurrencyError(ProcedureError):
    """The stream moved on since it was read: the expected version is stale."""

    def __init__(self, stream_id: str, expected: int, actual: int) -> None:
        self.stream_id, self.expected, self.actual = stream_id, expected, actual
        super().__init__(
            f"case {stream_id!r} is at version {actual}, not {expected} as expected: "
            "someone else recorded an event in the meantime; reload the case and try again"
        )


class CodecError(ProcedureError):
    """An event cannot be encoded or decoded (unknown type, unknown schema version)."""
