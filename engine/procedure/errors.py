"""Errors the engine raises. Every one is a `ProcedureError`.

A message says what was attempted, why it is not in order (citing the rule where a rule
decides it) and what is allowed instead, so that the CLI can print it as it stands.
"""

from __future__ import annotations

from collections.abc import Sequence

from events.errors import (
    CodecError,
    ConcurrencyError,
    DamagedLogError,
    LogError,
    LogFullError,
    ProcedureError,
)

__all__ = [
    "CaseExistsError",
    "CodecError",
    "ConcurrencyError",
    "DamagedLogError",
    "ExpectationError",
    "InvalidArgumentError",
    "InvalidVoteError",
    "LogError",
    "LogFullError",
    "NotInOrderError",
    "ProcedureError",
    "ScenarioError",
    "UnknownCaseError",
    "UnknownMemberError",
]


class NotInOrderError(ProcedureError):
    """A command the rules do not allow in the case's current state."""

    def __init__(
        self, attempted: str, reason: str, rule: str | None = None, allowed: Sequence[str] = ()
    ) -> None:
        self.attempted, self.reason, self.rule = attempted, reason, rule
        self.allowed = tuple(allowed)
        text = f"{attempted} is not in order: {reason}"
        if rule:
            text += f" ({rule})"
        text += ". " + (
            f"In order now: {', '.join(self.allowed)}." if self.allowed
            else "Nothing is in order now."
        )
        super().__init__(text)


class InvalidVoteError(ProcedureError):
    """A vote whose figures or member lists are impossible or inconsistent."""


class UnknownMemberError(ProcedureError):
    """A name or code that is not a member of the body (with the nearest names)."""

    def __init__(self, name: str, suggestions: Sequence[str] = (), context: str = "") -> None:
        self.name, self.suggestions = name, tuple(suggestions)
        text = f"unknown member {name!r}{context}"
        if self.suggestions:
            text += f"; did you mean {', '.join(repr(s) for s in self.suggestions)}?"
        super().__init__(text)


class CaseExistsError(ProcedureError):
    """A new case with an id the log already holds."""


class UnknownCaseError(ProcedureError):
    """A case id the log does not hold."""


class ScenarioError(ProcedureError):
    """A scenario file that is not valid: it names the file, the step and the key."""


class ExpectationError(ProcedureError):
    """An `expect` in a scenario or a command did not hold (CLI exit code 1)."""


class InvalidArgumentError(ProcedureError):
    """An argument of the wrong type or outside what is allowed (a date, a method...)."""
