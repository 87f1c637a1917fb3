"""The raw sqlite3 yardstick: the same rows in the same schema, with nothing else.

`create` makes a log file with procedura's own schema (the `events` table, its unique
indexes and its append-only triggers), so the raw contender pays for the same indexes.
`Writer` then stores rows as procedura would (a fresh time-ordered UUID made the same
way, the stream and version, the
JSON payload and a SHA-256 chained to the row before) in WAL mode with
synchronous=FULL, but without reading anything back, validating anything or building
any object: what SQLite itself allows from Python.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from events import GENESIS, EventLog
from events.chain import new_event_id

__all__ = ["Writer", "connect", "create", "decode_stream", "scan_decode"]

COLUMNS = (
    "position, event_id, stream_id, version, type, schema_version, occurred_at,"
    " recorded_at, actor, note, payload, hash"
)
INSERT = f"insert into events ({COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"


def create(path: Path) -> None:
    """An empty log file with procedura's schema at `path`."""
    EventLog(path).close()


def connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode, WAL, synchronous=FULL (procedura's settings)."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=10.0)
    conn.execute("pragma journal_mode = wal")
    conn.execute("pragma synchronous = full")
    return conn


class Writer:
    """Appends rows to a log file made by `create`; one `write` is one transaction."""

    def __init__(self, path: Path) -> None:
        self.conn = connect(path)
        self.position = 0
        self.previous = GENESIS
        self.versions: dict[str, int] = {}

    def rows(self, stream_id: str, events: Sequence[tuple[str, int, str]]) -> list[tuple[Any, ...]]:
        """The rows for a stream's next events: (type, schema version, JSON payload)."""
        recorded_at = datetime.now(UTC).isoformat(timespec="microseconds")
        version = self.versions.get(stream_id, 0)
        out = []
        for type_name, schema, payload in events:
            version += 1
            self.position += 1
            row = (new_event_id(), stream_id, version, type_name, schema, None,
                   recorded_at, None, None, payload)
            text = "\x1f".join("\x00" if v is None else str(v) for v in row)
            self.previous = hashlib.sha256(f"{self.previous}\x1e{text}".encode()).hexdigest()
            out.append((self.position, *row, self.previous))
        self.versions[stream_id] = version
        return out

    def write(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Insert rows in one transaction (BEGIN IMMEDIATE ... COMMIT)."""
        self.conn.execute("begin immediate")
        self.conn.executemany(INSERT, rows)
        self.conn.execute("commit")

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def decode_stream(conn: sqlite3.Connection, stream_id: str, upto: int | None = None) -> int:
    """Read a stream's payloads in version order and decode each; return how many."""
    sql = "select payload from events where stream_id = ?"
    params: tuple[Any, ...] = (stream_id,)
    if upto is not None:
        sql += " and version <= ?"
        params += (upto,)
    loads = json.loads
    n = 0
    for (payload,) in conn.execute(sql + " order by version", params):
        loads(payload)
        n += 1
    return n


def scan_decode(conn: sqlite3.Connection) -> Iterator[Any]:
    """Every payload of the log in position order, decoded."""
    loads = json.loads
    for (payload,) in conn.execute("select payload from events order by position"):
        yield loads(payload)
