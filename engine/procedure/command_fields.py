"""The base of every command and the fields commands are made of.

Each field carries its kind (for the scenario loader, prompts and forms) and a
converter that is the argument check itself, so a command that exists is well formed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, ClassVar

import attrs

from engine.procedure import arguments as arg

__all__ = ["KIND", "Command", "choice", "count", "field", "names", "optional", "text"]

# The kind of value of each field, for the scenario loader and prompts: "str", "int",
# "bool", "strings" (a list of names) or "date".
KIND = "kind"


def field(kind: str, convert: Callable[[Any], Any] | None = None, **kw: Any) -> Any:
    """An attrs field of `kind`, checked by `convert`."""
    return attrs.field(converter=convert, metadata={KIND: kind}, **kw)


# Each converter is the argument check itself, bound to the field's name with `partial`
# (no extra frame per field: a roll call converts three lists of up to 193 names).
def text(name: str) -> Any:
    """A required text field."""
    return field("str", partial(arg.text, name=name))


def optional(name: str) -> Any:
    """A text field that may be left out (None)."""
    return field("str", partial(arg.optional_text, name=name), default=None)


def names(name: str, **kw: Any) -> Any:
    """A list of names (members, symbols, parts), kept as a tuple."""
    return field("strings", partial(arg.names, name=name), **kw)


def choice(name: str, allowed: Sequence[str | None], default: Any = attrs.NOTHING) -> Any:
    """One of `allowed`."""
    return field("str", partial(arg.choice, name=name, allowed=tuple(allowed)),
                 default=default)


def count() -> Any:
    """A count of votes, checked with the tally, which says which count is wrong and why."""
    return field("int", default=None)


@attrs.frozen(slots=True, kw_only=True)
class Command:
    """What every action carries: the date it happens on (YYYY-MM-DD), if known."""

    action: ClassVar[str]
    date: str | None = attrs.field(default=None, metadata={KIND: "date"})

    def __attrs_post_init__(self) -> None:
        # The date is checked after the fields, naming the action as today's messages do.
        if self.date is not None:
            object.__setattr__(self, "date", arg.iso_date(self.date, self.action))
