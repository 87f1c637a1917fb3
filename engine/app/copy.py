"""Copying a log from one store to another: SQLite to PostgreSQL, and back.

    from engine.app.copy import copy
    copy("un.db", "postgresql://localhost/un")      # every event, as recorded

The copy holds every event as it was recorded (ids, times, hashes), so its Merkle tree
has the source's root, which is checked before the copy is committed: the target holds
all of the log, proven, or nothing. Rows are streamed (a few thousand at a time in
memory). The target must be empty (a new file, an empty database). Only the events and
their tree are copied: snapshots and projections are derived data, rebuilt there on
demand (`procedura project`); a server's delegation tokens stay with the log they were
issued on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import attrs

from engine.app.log import open as open_log
from engine.app.paths import log_path
from engine.procedure.errors import LogError
from events.postgres_copy import load_rows

__all__ = ["Copied", "CopyError", "copy"]


class CopyError(LogError):
    """A copy cannot be made: the target is not empty, or is the source."""


@attrs.frozen
class Copied:
    """What a copy did: how many events, and the root both logs' trees have."""

    source: str
    target: str
    events: int
    root: str  # hex


def copy(source: str | Path, target: str | Path,
         tick: Callable[[int], None] = lambda n: None) -> Copied:
    """Copy every event of the log at `source` into the empty log at `target` (created
    if absent), each a file name or a postgresql:// URL; `tick(n)` is called as the
    first n events are in. Raises CopyError when the target holds events or is the
    source, LogError when either cannot be opened or the roots differ (nothing copied)."""
    source, target = log_path(source), log_path(target)
    if source == target or (Path(source).exists() and Path(target).exists()
                            and Path(source).samefile(target)):
        raise CopyError(f"--from and --to are the same log ({source}); copy to a new one")
    with open_log(source, readonly=True) as src:
        size = src.events.tree_size()
        root = src.events.root(size)
        with open_log(target) as dst:
            if dst.events.count():
                raise CopyError(f"{dst.events.path} already holds "
                                f"{dst.events.count()} events: a copy goes into an empty "
                                "log only (a new file, or an empty database)")
            count = load_rows(dst.events, src.events.rows(upto=size),
                              src.events.log_version, root, tick)
            return Copied(src.events.path, dst.events.path, count, root.hex())
