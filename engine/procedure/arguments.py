"""Checking the arguments of actions at the boundary: text, names, dates, choices.

Every message names the argument and shows the offending value through a bounded
`repr`, so a hostile value (a huge or deeply nested one) cannot blow up the message.
"""

from __future__ import annotations

import datetime as dt
import reprlib
import unicodedata
from collections.abc import Sequence
from typing import TypeVar

from engine.procedure.errors import InvalidArgumentError

__all__ = ["Date", "choice", "free_text", "iso_date", "names", "optional_text", "show", "text"]

Date = str | dt.date | None
T = TypeVar("T")

_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother = 3, 80, 80
show = _REPR.repr  # a bounded repr for messages: a hostile value cannot blow them up


def iso_date(date: Date, where: str) -> str | None:
    if date is None:
        return None
    if isinstance(date, dt.datetime):
        date = date.date()
    if isinstance(date, dt.date):
        return date.isoformat()
    try:
        return dt.date.fromisoformat(str(date)).isoformat()
    except ValueError:
        raise InvalidArgumentError(f"{where}: date {show(date)} is not a date of the form "
                                   "YYYY-MM-DD") from None


def text(value: object, name: str) -> str:
    """`value` if it is non-blank, valid text; else an InvalidArgumentError naming `name`."""
    if not isinstance(value, str) or not value or value.isspace():
        raise InvalidArgumentError(f"{name} must be a non-empty string, not {show(value)}")
    if value.isascii():  # the common case, and cheap: no surrogate can hide in ASCII
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidArgumentError(f"{name} is not valid text (it holds a lone surrogate, "
                                   f"as undecodable input does): {show(value)}") from None
    # One spelling for one text: "Côte" typed decomposed (NFD, as some keyboards and file
    # systems give it) is the same name as the composed one the data holds.
    return unicodedata.normalize("NFC", value)


def optional_text(value: object, name: str) -> str | None:
    return None if value is None else text(value, name)


def free_text(value: object, name: str) -> str | None:
    """None, or text (empty text counts as none): for an action's actor and note."""
    return None if value is None or value == "" else text(value, name)


def names(values: object, name: str) -> tuple[str, ...]:
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise InvalidArgumentError(f"{name} must be a list of names, not {show(values)}")
    out = tuple(values)
    try:  # all at once, in C: roll calls bring lists of nearly 200 names
        joined = "".join(out)
        joined.encode("utf-8")
        if all(map(str.strip, out)) and unicodedata.is_normalized("NFC", joined):
            return out
    except (TypeError, UnicodeEncodeError):
        pass  # `text` below says which name is wrong
    where = f"each of {name}"
    return tuple(text(value, where) for value in out)


def choice(value: T, name: str, allowed: Sequence[str | None]) -> T:
    """`value` if it is one of `allowed`; else an InvalidArgumentError listing them."""
    if value not in allowed:
        shown = ", ".join(repr(str(a)) for a in allowed if a is not None)
        raise InvalidArgumentError(f"{name} must be one of {shown}, not {show(value)}")
    return value
