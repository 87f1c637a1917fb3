"""Rows recorded in one store, loaded as they are into another: SQLite <-> PostgreSQL.

A copy keeps every column, the event ids, the recording times and the hashes, so the
copy's tree has the same root (`engine.app.copy` checks it). `load_rows` writes through
the target store's own connection and tables, in its transaction, and adds the Merkle
tree's blocks as the rows go in (`MerkleTree.extend_tree`); each row is checked first:
its position follows the one before, and its hash is the chain's over its facts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from events.chain import GENESIS, linker
from events.errors import LogError
from events.log import ROW, EventLog

__all__ = ["BATCH", "load_rows"]

BATCH = 2000  # rows a statement batch (and, at most, in memory)
_INSERT = f"insert into events ({', '.join(ROW)}) values ({', '.join('?' * len(ROW))})"


def load_rows(target: EventLog, rows: Iterable[Sequence[Any]], log_version: int = 2,
              root: bytes | None = None,
              tick: Callable[[int], None] = lambda n: None) -> int:
    """Append `rows` (every column of `EventLog.ROW`, in position order from 1) to the
    empty log `target`, as recorded, in one transaction: all of them, or none. Returns
    how many. Raises LogError for a row out of order or whose hash is not its chain's,
    for a target that is not empty or of another log schema, and, before anything is
    committed, when `root` is given and the target's tree does not end with it."""
    if target.log_version != log_version:
        raise LogError(f"{target.path} is a log of schema {target.log_version}; the rows "
                       f"are of schema {log_version}, whose hashes it does not compute")
    link = linker(log_version)
    count, previous = 0, None
    with target.transaction():
        if target.count():
            raise LogError(f"{target.path} is not empty: a copy goes into a new log only")
        batch: list[Sequence[Any]] = []
        for row in rows:
            position = count + 1
            if row[0] != position:
                raise LogError(f"the rows have a gap: position {row[0]} where {position} "
                               "belongs; run procedura verify on the source")
            if link(previous or GENESIS, row[1:11])[0] != row[11]:
                raise LogError(f"the row at position {position} does not hash to its stored"
                               " hash; run procedura verify on the source")
            previous, count = row[11], position
            batch.append(tuple(row))
            if len(batch) == BATCH:
                _flush(target, batch)
                tick(count)
        _flush(target, batch)
        tick(count)
        if root is not None and target.root() != root:
            raise LogError(f"the copy's tree root {target.root().hex()} is not the "
                           f"source's {root.hex()}: nothing was copied")
    return count


def _flush(target: EventLog, batch: list[Sequence[Any]]) -> None:
    """Insert the batch and store the tree's blocks it completed (same transaction)."""
    if not batch:
        return
    target.conn.executemany(_INSERT, batch)
    batch.clear()
    target.extend_tree()
