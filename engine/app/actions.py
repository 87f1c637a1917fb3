"""How a command becomes a `Case` method, and what a recorded command gives back.

`action(Command)` makes the method: the command's fields as keyword arguments (with the
signature `help()` and the docs show), plus the envelope of the record (actor, note,
command id). `command_event_id` gives a command's events ids that every retry repeats.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

import attrs

from engine.procedure.commands import Command
from events import AdoptedWithoutVote, Decision, Recorded, VoteTaken

__all__ = ["Entry", "action", "command_event_id", "decision_in"]

_COMMANDS = "6f1b0c5e-3d2a-4e8b-9c1f-5a7d2e4b8c90"  # the UUID namespace of command ids


def command_event_id(command_id: str, n: int) -> str:
    """The id of the n-th event of a command: the same for every retry of the command.

    It does not depend on the case, so a command id reused on another case is caught.
    """
    import uuid  # here: only commands with an id need it

    return str(uuid.uuid5(uuid.UUID(_COMMANDS), f"{command_id}\x1f{n}"))


class Entry(NamedTuple):
    """A recorded event and the path of states it took the case along (the state
    before it, then one per transition it fired)."""

    recorded: Recorded
    path: tuple[str, ...]

    @property
    def state(self) -> str:
        """The state just after the event."""
        return self.path[-1]


def decision_in(recorded: Iterable[Recorded]) -> Decision | None:
    """The decision among recorded events (of a vote or an adoption), if any."""
    for rec in recorded:
        if type(rec.event) in _DECIDING:
            return rec.event.decision  # type: ignore[attr-defined]
    return None


_DECIDING = (VoteTaken, AdoptedWithoutVote)


def action(command: type[Command]) -> Callable[..., Any]:
    """The `Case` method for a command: its fields as keyword arguments, plus the
    envelope (actor, note, command_id)."""

    def act(self: Any, *, actor: str | None = None, note: str | None = None,
            command_id: str | None = None, **arguments: Any) -> Any:
        return self.run(command(**arguments), actor, note, command_id)

    keyword = inspect.Parameter.KEYWORD_ONLY
    fields = [inspect.Parameter(f.name, keyword, annotation=f.type,
                                default=inspect.Parameter.empty
                                if f.default is attrs.NOTHING else f.default)
              for f in attrs.fields(command) if f.name != "date"]
    envelope = [inspect.Parameter(n, keyword, default=None, annotation="str | None")
                for n in ("date", "actor", "note", "command_id")]
    act.__name__, act.__qualname__ = command.action, f"Case.{command.action}"
    act.__doc__ = command.__doc__
    act.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD), *fields,
         *envelope], return_annotation="Decision | None")
    return act
