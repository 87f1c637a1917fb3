"""The files a log lives in and the files a command writes, checked before any is opened.

A wrong path is one clear `InvalidArgumentError` and no file is touched: `log_path`
refuses what is not a file name (None, a number, text holding NUL) and a file that is
not a regular file (a folder, /dev/null, a FIFO, which SQLite would fail on or block
on); a path that does not exist yet is fine, for a command that creates a log.
`check_output` refuses to write an exported document, a saved lesson, over the log
itself or the files SQLite keeps beside it (-wal, -shm, -journal), however the path is
spelled (a symbolic link, a hard link, "./" and "..").
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from engine.procedure.arguments import show
from engine.procedure.errors import InvalidArgumentError
from events.postgres import is_postgres

__all__ = ["MEMORY", "SIDECARS", "check_output", "is_postgres", "log_path"]

MEMORY = ":memory:"
SIDECARS = ("-wal", "-shm", "-journal")  # the files SQLite keeps beside a log


def log_path(path: object) -> str:
    """`path` (a str or an os.PathLike, or ":memory:") as the text of a log's path.

    Raises InvalidArgumentError for anything else, for a path holding NUL, and for a
    file (or a file beside it) that exists but is not a regular file.
    """
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    if not isinstance(path, str):
        raise InvalidArgumentError(f"a log is a file name (a str or a Path) or {MEMORY!r}, "
                                   f"not {show(path)}")
    if not path.strip():
        raise InvalidArgumentError("a log's file name must not be empty")
    if "\x00" in path:
        raise InvalidArgumentError(f"a log's file name cannot hold a NUL character: {show(path)}")
    if path == MEMORY or is_postgres(path):  # a server's log: no file to check
        return path
    for file in (path, *(path + end for end in SIDECARS)):
        _regular_or_absent(file, path)
    return path


def _regular_or_absent(file: str, log: str) -> None:
    """Refuse a file that exists and is not a regular file (a symbolic link is followed)."""
    try:
        mode = os.stat(file).st_mode
    except FileNotFoundError:
        return
    except OSError as e:
        raise InvalidArgumentError(f"cannot use {log} as a log: {e.strerror or e}") from None
    if stat.S_ISREG(mode):
        return
    what = "a directory" if stat.S_ISDIR(mode) else "not a regular file (a device, a pipe or " \
        "a socket)"
    if file == log:
        raise InvalidArgumentError(f"{log} is {what}, so it cannot hold a log; name a file")
    raise InvalidArgumentError(f"{file}, beside the log {log}, is {what}; SQLite keeps a "
                               "file of its own there")


def check_output(output: str | os.PathLike[str], log: str | os.PathLike[str] | None,
                 option: str = "--output") -> Path:
    """`output` as a Path, unless it is the log `log` or one of the files beside it (or
    a folder, or a name holding NUL): then an InvalidArgumentError naming `option`."""
    shown = os.fspath(output)
    if "\x00" in shown:
        raise InvalidArgumentError(f"{option}: a file name cannot hold a NUL character")
    target = Path(shown)
    if target.is_dir():
        raise InvalidArgumentError(f"{option} {shown} is a directory; name a file")
    if log is not None and os.fspath(log) != MEMORY:
        base = os.fspath(log)
        for own in (base, *(base + end for end in SIDECARS)):
            if _same_file(target, Path(own)):
                which = "the log" if own == base else f"the log's own file {own}"
                raise InvalidArgumentError(f"{option} {shown} is {which} (--db {base}); "
                                           "writing there would destroy the log: choose "
                                           "another file")
    return target


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file: the same inode if both exist (hard and symbolic
    links), else the same absolute path once links and ".." are resolved."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))
