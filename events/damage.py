"""What SQLite says when the file itself fails: damage and a full disk, as `LogError`s.

SQLite reports a damaged file ("database disk image is malformed", "file is not a
database") and a full disk ("database or disk is full") as `sqlite3.DatabaseError`s,
which may surface at any read or write, in the middle of a loop over rows. `as_log_error`
turns one into the error the user can act on; `guarded` applies it to every public
method of a class (generators included), so the library's callers see a `LogError`,
never a `sqlite3` exception. `check_whole` runs SQLite's quick check before a
connection's first write, so a damaged file is refused instead of written to.
"""

from __future__ import annotations

import functools
import sqlite3
import types
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from events.errors import DamagedLogError, LogError, LogFullError

__all__ = ["as_log_error", "check_whole", "damage", "guard", "guarded"]

T = TypeVar("T")
_DAMAGE = ("malformed", "not a database", "disk i/o error", "database corrupt")
_FULL = ("disk is full", "database or disk is full")
_GENERATOR = 0x20  # inspect.CO_GENERATOR, without importing inspect (`import engine` stays light)


def as_log_error(path: str, e: sqlite3.DatabaseError) -> LogError:
    """The `LogError` for what SQLite said of the file at `path`."""
    said = str(e)
    lowered = said.lower()
    if any(s in lowered for s in _FULL):
        return LogFullError(f"{path}: the disk is full (SQLite: {said}); the write under "
                            "way was undone and the log is intact (what was recorded before "
                            "it stays): free some space and try again")
    if any(s in lowered for s in _DAMAGE):
        return DamagedLogError(f"{path} is damaged (SQLite: {said}); nothing was recorded: "
                               "`procedura verify` reports the damage; restore the file "
                               "from a copy")
    return LogError(f"{path}: SQLite refused ({said})")


def damage(conn: sqlite3.Connection, limit: int = 10) -> list[str]:
    """What SQLite's integrity check finds wrong with the file (empty if nothing)."""
    try:
        found = [str(r[0]) for r in conn.execute(f"pragma integrity_check({int(limit)})")]
    except sqlite3.DatabaseError as e:
        return [str(e)]
    return [] if found == ["ok"] else found


def check_whole(path: str, conn: sqlite3.Connection) -> None:
    """Refuse to write to a damaged file (SQLite's quick check: every page is read, the
    indexes are not compared with their tables; a quarter second for 360 MB)."""
    try:
        found = [str(r[0]) for r in conn.execute("pragma quick_check(3)")]
    except sqlite3.DatabaseError as e:
        raise as_log_error(path, e) from None
    if found != ["ok"]:
        raise DamagedLogError(f"{path} is damaged ({'; '.join(found)}); nothing was "
                              "recorded: `procedura verify` reports the damage; restore the "
                              "file from a copy")


def _path_of(obj: Any) -> str:
    events = getattr(obj, "events", obj)
    return str(getattr(events, "path", "the log"))


def guard(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` (a method) turning SQLite's file errors into `LogError`s."""
    if fn.__code__.co_flags & _GENERATOR:
        @functools.wraps(fn)
        def generator(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
            try:
                yield from fn(self, *args, **kwargs)
            except sqlite3.DatabaseError as e:
                raise as_log_error(_path_of(self), e) from None
        return generator

    @functools.wraps(fn)
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(self, *args, **kwargs)
        except sqlite3.DatabaseError as e:
            raise as_log_error(_path_of(self), e) from None
    return method


def guarded(cls: type[T]) -> type[T]:
    """`cls` with each public method turning SQLite's file errors into `LogError`s."""
    for name, value in list(vars(cls).items()):
        if not name.startswith("_") and isinstance(value, types.FunctionType):
            setattr(cls, name, guard(value))
    return cls
