"""The append-only event log, the store: one SQLite file, one `events` table, a hash chain.

Its promises (tests/store/test_store_contract.py holds every backing to them):
- append-only: BEFORE UPDATE and BEFORE DELETE triggers abort with a clear message;
- atomic commands: all events of one `append` land in one transaction, or none do;
- optimistic concurrency: `append` takes the stream version the caller last saw and
  raises `ConcurrencyError`, appending nothing, if the stream has moved on;
- idempotent event ids: an append whose ids are all recorded returns those, appends none;
- tamper evidence: each row's `hash` chains it to the row before (`events.chain`), and
  every event is a leaf of the log's Merkle tree, stored in the same transaction
  (`events.tree`: roots, inclusion and consistency proofs at any size).

Reading is `select` (decoded `Recorded` rows, of one stream by version or of the whole
log by position) and `rows` (the same undecoded, only the columns asked for: the hot
paths); `find`, `stream_version`, `streams` and `count` answer other questions. The file
and its own tables are defined in `events.schema`; derived tables (snapshots,
projections) are made with `ensure_table` and filled with `write`, in the store's
transactions. Hot paths use the sqlite3 connection directly, with prepared statements.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from events.chain import GENESIS, chain_for, chain_hash, linker, new_event_id
from events.codec import decode, encode
from events.damage import as_log_error, check_whole, damage
from events.derived import DerivedTables
from events.errors import CodecError, ConcurrencyError, LogError
from events.records import NewEvent, Recorded, to_recorded
from events.schema import LOG_SCHEMA_VERSION, connect, prepare
from events.tree import MerkleTree

__all__ = ["GENESIS", "LOG_SCHEMA_VERSION", "EventLog", "NewEvent", "Recorded", "chain_hash"]

BUSY_TIMEOUT_S = 10.0  # how long a writer waits for another's transaction to end
ROW = ("position", "event_id", "stream_id", "version", "type", "schema_version",
       "occurred_at", "recorded_at", "actor", "note", "payload", "hash")
_COLUMNS = ", ".join(ROW)
_NO_END = 1 << 62  # past any version or position
_FULL = 2  # PRAGMA synchronous = FULL
_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_INSERT = f"insert into events ({_COLUMNS}) values {_ROW}"
# A command's events go in as one INSERT statement, which SQLite applies whole or not at
# all, so inside a transaction an append needs no savepoint of its own. Longer appends
# (bulk loads) take `executemany` inside a savepoint instead.
_ONE_STATEMENT = 64
_INSERTS = [""] + [f"insert into events ({_COLUMNS}) values {', '.join([_ROW] * n)}"
                   for n in range(1, _ONE_STATEMENT + 1)]
# One statement text per (columns, whole log or one stream), so SQLite prepares it once.
_SELECTS: dict[tuple[tuple[str, ...], bool], str] = {}


def _select(columns: tuple[str, ...], whole_log: bool) -> str:
    if not columns or not set(columns) <= set(ROW):
        raise ValueError(f"rows(columns=...) takes some of the columns {ROW}, not {columns}")
    where = ("position > ? and position <= ? order by position" if whole_log else
             "stream_id = ? and version > ? and version <= ? order by version")
    sql = _SELECTS[columns, whole_log] = f"select {', '.join(columns)} from events where {where}"
    return sql


class EventLog(MerkleTree, DerivedTables):
    """An append-only log of events in one SQLite file (or in memory with ":memory:")."""

    ROW = ROW  # every column, in table order: what `select` decodes, what verify hashes
    REPLAY = ("version", "occurred_at", "type", "schema_version", "payload")  # one stream
    FOLD = ("stream_id", *REPLAY)  # the whole log, folded into every case at once

    def __init__(self, path: str | Path, readonly: bool = False, durable: bool = True) -> None:
        """Open (or create) the log at `path`.

        `durable=False` commits without waiting for the disk (SQLite's
        `synchronous=NORMAL`): much faster for one command at a time, still atomic and
        never corrupt, but the last commits can be lost to a power cut or an operating
        system crash. The default waits (`synchronous=FULL`). It applies to logs in WAL
        mode, which is every log this version creates; an older log in rollback-journal
        mode, where NORMAL could corrupt the file on a power cut, stays durable.
        `durable` then says what is in force.
        """
        if not isinstance(durable, bool):
            raise LogError(f"durable must be True or False, not {durable!r}")
        self.path = str(path)
        self.readonly = readonly
        import sqlite_utils  # here, not at the top: it costs a third of `import engine`

        # The connection and its sqlite-utils view: for the store, and tests that tamper.
        self.conn = connect(self.path, readonly, BUSY_TIMEOUT_S)
        self.db = sqlite_utils.Database(self.conn)
        self._depth = 0
        self._whole = False  # whether SQLite's quick check passed before a first write
        # While a transaction holds the write lock nobody else can append, so the log's
        # head and the versions of the streams written are kept here instead of being
        # read again for every command (forgotten when the transaction ends).
        self._head: tuple[int, str] | None = None
        self._versions: dict[str, int] = {}
        self._frontier = None  # the tree's right edge, kept like the head
        self.log_version = LOG_SCHEMA_VERSION  # what the file says, once `prepare` read it
        try:
            prepare(self)
            if not durable and not readonly and self._journal_mode() == "wal":
                # Only now: a new file is switched to WAL when its schema is made, and
                # NORMAL is safe from corruption only in WAL mode.
                self.conn.execute("pragma synchronous = normal")
        except BaseException:
            self.conn.close()
            raise
        self.durable = self.conn.execute("pragma synchronous").fetchone()[0] >= _FULL
        # A log keeps the chain it was begun with (`events.chain`): version 1's, or 2's.
        self.chain_hash = chain_for(self.log_version)
        self._link = linker(self.log_version)

    def _journal_mode(self) -> str:
        return str(self.conn.execute("pragma journal_mode").fetchone()[0])

    def close(self) -> None:
        """Close the underlying connection."""
        self.conn.close()

    def __enter__(self) -> EventLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------

    @contextmanager
    def transaction(self, wait: bool = True) -> Iterator[EventLog]:
        """Group appends into one transaction: all of them are kept, or none.

        The outermost level takes the write lock at once (BEGIN IMMEDIATE), so a
        concurrent writer waits instead of failing half-way; inner levels are savepoints.
        With `wait=False` the outermost level does not wait: if another writer holds the
        log it raises `LogError` at once (for optional work, such as saving snapshots).
        """
        name = self._begin(wait)
        try:
            yield self
        except BaseException:
            self._end(name, kept=False)
            raise
        self._end(name, kept=True)

    def _begin(self, wait: bool = True) -> str:
        """Open a transaction level (a savepoint inside another); return its name."""
        if self.readonly:
            raise LogError(f"{self.path} is open read-only; nothing can be appended")
        if not self._whole:  # once per connection: a damaged file is never written to
            check_whole(self.path, self.conn)
            self._whole = True
        name = f"level{self._depth}"
        try:
            if self._depth:
                self.conn.execute(f"savepoint {name}")
            elif wait:
                self.conn.execute("begin immediate")
            else:
                self.conn.execute("pragma busy_timeout = 0")
                try:
                    self.conn.execute("begin immediate")
                finally:
                    self.conn.execute(f"pragma busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        except sqlite3.OperationalError as e:
            held = f"has held it for more than {BUSY_TIMEOUT_S:g} s" if wait else "holds it"
            raise LogError(f"{self.path} is busy: another writer {held} ({e}); "
                           "try again") from None
        self._depth += 1
        return name

    def _end(self, name: str, kept: bool) -> None:
        """Close the level `_begin` opened: keep its writes, or undo them."""
        self._depth -= 1
        if kept and self._depth == 0:
            try:
                self._flush_tree()  # the tree's new blocks, in their events' transaction
                self.conn.execute("commit")
            except BaseException as e:  # a failed commit may leave the transaction open
                if self.conn.in_transaction:
                    self.conn.execute("rollback")
                if isinstance(e, sqlite3.DatabaseError) and \
                        not isinstance(e, sqlite3.IntegrityError):
                    raise as_log_error(self.path, e) from None  # a full disk, say
                raise
            finally:
                self._head, self._versions, self._frontier = None, {}, None
            return
        if kept:
            self.conn.execute(f"release {name}")
            return
        self._head, self._versions, self._frontier = None, {}, None
        if self._depth == 0:
            self.conn.execute("rollback")
        else:
            self.conn.execute(f"rollback to {name}")
            self.conn.execute(f"release {name}")

    def append(
        self, stream_id: str, new: Sequence[NewEvent], expected_version: int
    ) -> list[Recorded]:
        """Append a command's events to a stream, atomically, after `expected_version`.

        Raises `ConcurrencyError` (and appends nothing) when the stream's version is not
        `expected_version`; 0 means the stream must not exist yet.
        """
        if self._depth and len(new) <= _ONE_STATEMENT:
            # Already in a transaction, and one INSERT statement will do: it is atomic
            # by itself, and a savepoint around it would cost two more statements.
            try:
                return self._write(stream_id, new, expected_version)
            except BaseException:
                self._head, self._versions, self._frontier = None, {}, None
                raise
        # The level is opened and closed by hand, not with `transaction()`: this runs once
        # per command, and a generator-based context manager costs as much as a savepoint.
        name = self._begin()
        try:
            out = self._write(stream_id, new, expected_version)
        except BaseException:
            self._end(name, kept=False)
            raise
        self._end(name, kept=True)
        return out

    def _write(
        self, stream_id: str, new: Sequence[NewEvent], expected_version: int
    ) -> list[Recorded]:
        """`append`'s work, inside the level it opened: check, chain, insert, grow the tree."""
        recorded_at = datetime.now(UTC).isoformat(timespec="microseconds")
        out: list[Recorded] = []
        given = [e.event_id for e in new if e.event_id]
        if given:
            done = self._already_recorded(stream_id, given)
            if done and len(done) == len(new):
                return done
            if done:
                raise LogError(f"event id {done[0].event_id} is already in the log; an "
                               "event id is recorded once")
        actual = self._versions.get(stream_id)
        if actual is None or self._head is None:
            actual, position, previous = self._read_position(stream_id)
        else:
            position, previous = self._head
        if actual != expected_version:
            raise ConcurrencyError(stream_id, expected_version, actual)
        edge = self._frontier  # the tree's right edge, read before anything is written
        if edge is None or edge.size != position:
            edge = self._edge(position)
        rows, leaves, link = [], [], self._link
        for i, item in enumerate(new, start=1):
            ev = item.event
            row = (
                item.event_id or new_event_id(), stream_id, actual + i, ev.type,
                ev.version, item.occurred_at, recorded_at, item.actor, item.note, encode(ev),
            )
            try:
                previous, leaf = link(previous, row)
            except UnicodeEncodeError as e:
                raise CodecError(f"{ev.type} holds text that is not valid Unicode ({e}); "
                                 "nothing was recorded") from None
            rows.append((position + i, *row, previous))
            leaves.append(leaf)
            out.append(Recorded(position + i, *row, previous, ev))
        try:
            if len(rows) == 1:
                self.conn.execute(_INSERT, rows[0])
            elif 1 < len(rows) <= _ONE_STATEMENT:
                self.conn.execute(_INSERTS[len(rows)], [v for row in rows for v in row])
            elif rows:
                self.conn.executemany(_INSERT, rows)
        except sqlite3.IntegrityError:
            raise
        except sqlite3.DatabaseError as e:  # damage, a full disk
            raise as_log_error(self.path, e) from None
        if rows:
            edge.block += leaves  # hashed into blocks at commit (`_flush_tree`)
            edge.size += len(leaves)
            self._frontier = edge
            self._head = (rows[-1][0], rows[-1][-1])
            self._versions[stream_id] = actual + len(rows)
        return out

    def _read_position(self, stream_id: str) -> tuple[int, int, str]:
        """The stream's version and the log's head (last position and hash), in one query."""
        version, position, previous = self.conn.execute(
            "select (select coalesce(max(version), 0) from events where stream_id = ?),"
            " coalesce(max(position), 0), (select hash from events order by position desc"
            " limit 1) from events", (stream_id,)).fetchone()
        return version, position, previous or GENESIS

    def _already_recorded(self, stream_id: str, event_ids: Sequence[str]) -> list[Recorded]:
        """The events with these ids, if a retried command recorded them already."""
        marks = ", ".join("?" * len(event_ids))
        rows = self.conn.execute(
            f"select {_COLUMNS} from events where event_id in ({marks}) order by position",
            tuple(event_ids)).fetchall()
        if not rows:
            return []
        others = {r[2] for r in rows} - {stream_id}
        if others or len(rows) != len(event_ids):
            raise LogError(
                f"event ids of this command are already used by "
                f"{'case ' + repr(sorted(others)[0]) if others else 'part of another command'};"
                " a command id must be unique to one command")
        return [to_recorded(r) for r in rows]

    # -- reading -------------------------------------------------------------------

    def select(
        self, stream: str | None = None, after: int = 0, upto: int | None = None
    ) -> Iterator[Recorded]:
        """The recorded events, decoded, streamed row by row.

        With `stream`: that stream's events with versions after `after`, up to `upto`,
        in version order. Without: every event with a position after `after`, up to
        `upto`, in log order.
        """
        for row in self.rows(stream, after, upto):
            yield Recorded(*row, decode(row[4], row[5], row[10]))

    def rows(
        self, stream: str | None = None, after: int = 0, upto: int | None = None,
        columns: tuple[str, ...] = ROW,
    ) -> Iterator[tuple[Any, ...]]:
        """The rows `select` decodes, undecoded, as tuples of `columns` (all by default).

        The hot paths' read, one statement for any range: `REPLAY` to fold one stream,
        `FOLD` to fold the whole log, `ROW` (every column, in table order) to check rows as
        stored. `events.decode(type, schema_version, payload)` decodes."""
        try:
            sql = _SELECTS[columns, stream is None]
        except (KeyError, TypeError):
            sql = _select(tuple(columns), stream is None)
        end = _NO_END if upto is None else upto
        return self.conn.execute(sql, (after, end) if stream is None else (stream, after, end))

    def find(self, event_id: str) -> Recorded | None:
        """The event with this id, or None."""
        row = self.conn.execute(f"select {_COLUMNS} from events where event_id = ?",
                                (event_id,)).fetchone()
        return to_recorded(row) if row else None

    def stream_version(self, stream_id: str) -> int:
        """The version of the stream's last event; 0 if the stream has none."""
        row = self.conn.execute("select max(version) from events where stream_id = ?",
                                (stream_id,)).fetchone()
        return row[0] or 0

    def streams(self) -> list[tuple[str, int]]:
        """Each stream id with its version, in order of first appearance."""
        return [(s, v) for s, v, _ in self.conn.execute(
            "select stream_id, max(version), min(position) as first from events"
            " group by stream_id order by first")]

    def damage(self) -> list[str]:
        """What SQLite's integrity check finds wrong with the file: empty when sound."""
        return damage(self.conn)

    def count(self) -> int:
        """How many events the log holds."""
        return self.conn.execute("select count(*) from events").fetchone()[0]
