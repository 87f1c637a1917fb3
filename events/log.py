"""The append-only event log: one SQLite file, one `events` table, a hash chain.

Built on sqlite-utils for opening, creating and inspecting the file; the two hot paths
(appending a command's events and reading a stream) use the underlying `sqlite3`
connection directly with prepared statements, since they run once per command or per
case load and must cost little more than SQLite itself.

Guarantees:
- append-only: BEFORE UPDATE and BEFORE DELETE triggers abort with a clear message;
- atomic commands: all events of one `append` land in one transaction, or none do;
- optimistic concurrency: `append` takes the stream version the caller last saw and
  raises `ConcurrencyError`, appending nothing, if the stream has moved on;
- tamper evidence: each row's `hash` chains it to the row before (see `chain_hash`).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import attrs

from events.codec import Event, decode, encode
from events.errors import CodecError, ConcurrencyError, LogError

__all__ = ["LOG_SCHEMA_VERSION", "EventLog", "NewEvent", "Recorded", "chain_hash"]

LOG_SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 10.0  # how long a writer waits for another's transaction to end
GENESIS = "0" * 64
APPEND_ONLY = "procedura: the event log is append-only; events cannot be {}"

# INSERT OR REPLACE deletes the row it replaces without firing DELETE triggers, so a new
# row may not reuse a position, an event id or a (stream, version) already in the log.
_NO_REPLACE = (
    "create trigger if not exists events_no_replace before insert on events when"
    " new.position <= (select coalesce(max(position), 0) from events)"
    " or exists (select 1 from events where event_id = new.event_id)"
    " or exists (select 1 from events where stream_id = new.stream_id"
    " and version = new.version)"
    f" begin select raise(abort, '{APPEND_ONLY.format('replaced')}'); end"
)

_COLUMNS = (
    "position, event_id, stream_id, version, type, schema_version, occurred_at,"
    " recorded_at, actor, note, payload, hash"
)
# One statement text for every range of a stream, so SQLite prepares it once.
_STREAM_ROWS = ("select version, occurred_at, type, schema_version, payload from events"
                " where stream_id = ? and version > ? and version <= ? order by version")
_NO_END = 1 << 62  # past any version
_FULL = 2  # PRAGMA synchronous = FULL
_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_INSERT = f"insert into events ({_COLUMNS}) values {_ROW}"
# A command's events go in as one INSERT statement, which SQLite applies whole or not at
# all, so inside a transaction an append needs no savepoint of its own. Longer appends
# (bulk loads) take `executemany` inside a savepoint instead.
_ONE_STATEMENT = 64
_INSERTS = [""] + [f"insert into events ({_COLUMNS}) values {', '.join([_ROW] * n)}"
                   for n in range(1, _ONE_STATEMENT + 1)]


@attrs.frozen(slots=True)
class NewEvent:
    """An event about to be appended, with its envelope: when, by whom, and a free note."""

    event: Event
    occurred_at: str | None = None  # the procedural date, ISO "YYYY-MM-DD"
    actor: str | None = None
    note: str | None = None
    event_id: str | None = None  # a UUID; given by the caller when it needs idempotency


class Recorded(NamedTuple):
    """An event as it stands in the log, with its envelope and position.

    A named tuple rather than an attrs class: one is built per row read, and a tuple
    costs a third as much to make.
    """

    position: int
    event_id: str
    stream_id: str
    version: int
    type: str
    schema_version: int
    occurred_at: str | None
    recorded_at: str
    actor: str | None
    note: str | None
    payload: str
    hash: str
    event: Event


def new_event_id() -> str:
    """A time-ordered UUID (version 7, RFC 9562): 48 bits of Unix milliseconds, then random.

    Ids that grow with time land next to each other in the unique index, where random
    (version 4) ids would touch pages all over it: appends run markedly faster.
    """
    millis = time.time_ns() // 1_000_000
    value = (millis & (1 << 48) - 1) << 80 | int.from_bytes(os.urandom(10), "big")
    value = value & ~(0xF << 76) | 0x7 << 76  # version 7
    value = value & ~(0x3 << 62) | 0x2 << 62  # RFC 4122 variant
    h = f"{value:032x}"  # formatted by hand: uuid.UUID would cost twice as much
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def chain_hash(previous: str, row: Sequence[Any]) -> str:
    """SHA-256 linking a row to the one before it.

    `row` holds the columns from `event_id` to `payload` in table order, so the hash
    covers every recorded fact except the position, which the chain itself orders.
    """
    # NULL and "" must hash differently, or a NULL actor could become "" unnoticed.
    text = "\x1f".join(["\x00" if v is None else str(v) for v in row])
    return (_SHA256 or _sha256())(f"{previous}\x1e{text}".encode()).hexdigest()


_SHA256: Callable[[bytes], Any] | None = None


def _sha256() -> Callable[[bytes], Any]:
    """hashlib.sha256, imported on the first hash rather than with the module: loading
    OpenSSL costs a twentieth of `import engine`, and replay never hashes."""
    global _SHA256
    from hashlib import sha256

    _SHA256 = sha256
    return sha256


def _to_recorded(row: Sequence[Any]) -> Recorded:
    return Recorded(*row, decode(row[4], row[5], row[10]))


class EventLog:
    """An append-only log of events in one SQLite file (or in memory with ":memory:")."""

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

        self.conn = _connect(self.path, readonly)
        self.db = sqlite_utils.Database(self.conn)
        self._depth = 0
        # While a transaction holds the write lock nobody else can append, so the log's
        # head and the versions of the streams written are kept here instead of being
        # read again for every command (forgotten when the transaction ends).
        self._head: tuple[int, str] | None = None
        self._versions: dict[str, int] = {}
        try:
            self._check_or_create()
            if not durable and not readonly and self._journal_mode() == "wal":
                # Only now: a new file is switched to WAL when its schema is made, and
                # NORMAL is safe from corruption only in WAL mode.
                self.conn.execute("pragma synchronous = normal")
        except BaseException:
            self.conn.close()
            raise
        self.durable = self.conn.execute("pragma synchronous").fetchone()[0] >= _FULL

    def _journal_mode(self) -> str:
        return str(self.conn.execute("pragma journal_mode").fetchone()[0])

    # -- opening -------------------------------------------------------------------

    def _check_or_create(self) -> None:
        try:
            tables = set(self.db.table_names())
        except sqlite3.DatabaseError as e:
            raise LogError(f"{self.path} is not a SQLite database ({e})") from None
        if "events" not in tables:
            if tables or self.readonly:
                what = "a SQLite database without procedura's tables" if tables else "empty"
                raise LogError(f"{self.path} is not a procedura log: it is {what}")
            self._create()
            return
        row = None
        if "meta" in tables:
            row = self.conn.execute(
                "select value from meta where key = 'schema_version'").fetchone()
        try:
            found = int(row[0]) if row else 0
        except (TypeError, ValueError):
            found = 0
        if found > LOG_SCHEMA_VERSION:
            raise LogError(
                f"{self.path} was written by a newer procedura (log schema {found}; this one "
                f"reads up to {LOG_SCHEMA_VERSION}); upgrade procedura to open it"
            )
        if found < 1:
            raise LogError(f"{self.path} is not a procedura log: it has an events table but no "
                           "procedura schema version in a meta table")
        if not self.readonly:  # logs written before the trigger existed get it now
            self.conn.execute(_NO_REPLACE)

    def _create(self) -> None:
        if self.path != ":memory:":
            self.db.enable_wal()
        with self.transaction():
            self.db["events"].create(
                {
                    "position": int, "event_id": str, "stream_id": str, "version": int,
                    "type": str, "schema_version": int, "occurred_at": str,
                    "recorded_at": str, "actor": str, "note": str, "payload": str, "hash": str,
                },
                pk="position",
                not_null={"event_id", "stream_id", "version", "type", "schema_version",
                          "recorded_at", "payload", "hash"},
            )
            self.db["events"].create_index(["event_id"], unique=True)
            self.db["events"].create_index(["stream_id", "version"], unique=True)
            for verb, past in (("update", "updated"), ("delete", "deleted")):
                self.conn.execute(
                    f"create trigger events_no_{verb} before {verb} on events begin "
                    f"select raise(abort, '{APPEND_ONLY.format(past)}'); end"
                )
            self.conn.execute(_NO_REPLACE)
            self.db["meta"].create({"key": str, "value": str}, pk="key")
            self.db["meta"].insert_all(
                [{"key": "schema_version", "value": str(LOG_SCHEMA_VERSION)},
                 {"key": "application", "value": "procedura"}]
            )

    def close(self) -> None:
        """Close the underlying connection."""
        self.conn.close()

    def __enter__(self) -> EventLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[EventLog]:
        """Group appends into one transaction: all of them are kept, or none.

        The outermost level takes the write lock at once (BEGIN IMMEDIATE), so a
        concurrent writer waits instead of failing half-way; inner levels are savepoints.
        """
        name = self._begin()
        try:
            yield self
        except BaseException:
            self._end(name, kept=False)
            raise
        self._end(name, kept=True)

    def _begin(self) -> str:
        """Open a transaction level (a savepoint inside another); return its name."""
        if self.readonly:
            raise LogError(f"{self.path} is open read-only; nothing can be appended")
        name = f"level{self._depth}"
        try:
            self.conn.execute("begin immediate" if self._depth == 0 else f"savepoint {name}")
        except sqlite3.OperationalError as e:
            raise LogError(f"{self.path} is busy: another writer has held it for more than "
                           f"{BUSY_TIMEOUT_S:g} s ({e}); try again") from None
        self._depth += 1
        return name

    def _end(self, name: str, kept: bool) -> None:
        """Close the level `_begin` opened: keep its writes, or undo them."""
        self._depth -= 1
        if not kept or self._depth == 0:
            self._head, self._versions = None, {}
        if kept:
            self.conn.execute("commit" if self._depth == 0 else f"release {name}")
        elif self._depth == 0:
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
                self._head, self._versions = None, {}
                raise
        # The level is opened and closed by hand, not with `transaction()`: this runs
        # once per command, and a generator-based context manager costs as much as the
        # savepoint itself.
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
        """`append`'s work, inside the level it opened: check, chain, insert."""
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
        rows = []
        for i, item in enumerate(new, start=1):
            ev = item.event
            row = (
                item.event_id or new_event_id(), stream_id, actual + i, ev.type,
                ev.version, item.occurred_at, recorded_at, item.actor, item.note, encode(ev),
            )
            try:
                previous = chain_hash(previous, row)
            except UnicodeEncodeError as e:
                raise CodecError(f"{ev.type} holds text that is not valid Unicode ({e}); "
                                 "nothing was recorded") from None
            rows.append((position + i, *row, previous))
            out.append(Recorded(position + i, *row, previous, ev))
        try:
            if len(rows) == 1:
                self.conn.execute(_INSERT, rows[0])
            elif 1 < len(rows) <= _ONE_STATEMENT:
                self.conn.execute(_INSERTS[len(rows)], [v for row in rows for v in row])
            elif rows:
                self.conn.executemany(_INSERT, rows)
        except sqlite3.OperationalError as e:
            raise LogError(f"cannot write to {self.path}: {e}") from None
        if rows:
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
        return [_to_recorded(r) for r in rows]

    def find(self, event_id: str) -> Recorded | None:
        """The event with this id, or None."""
        row = self.conn.execute(f"select {_COLUMNS} from events where event_id = ?",
                                (event_id,)).fetchone()
        return _to_recorded(row) if row else None

    # -- reading -------------------------------------------------------------------

    def stream_version(self, stream_id: str) -> int:
        """The version of the stream's last event; 0 if the stream has none."""
        row = self.conn.execute(
            "select max(version) from events where stream_id = ?", (stream_id,)
        ).fetchone()
        return row[0] or 0

    def read_stream(self, stream_id: str, upto: int | None = None) -> Iterator[Recorded]:
        """The stream's events in version order, optionally only up to version `upto`."""
        sql = f"select {_COLUMNS} from events where stream_id = ?"
        params: tuple[Any, ...] = (stream_id,)
        if upto is not None:
            sql += " and version <= ?"
            params += (upto,)
        for row in self.conn.execute(sql + " order by version", params):
            yield _to_recorded(row)

    def read_events(
        self, stream_id: str, upto: int | None = None, after: int = 0
    ) -> Iterator[tuple[int, str | None, Event]]:
        """(version, occurred_at, event) for the stream's events, in version order.

        The lean read for rebuilding a case: it skips the envelope columns that folding
        does not need. `after` skips the versions up to it; `upto` stops at a version.
        """
        for version, occurred_at, type_name, schema, payload in self.stream_rows(
            stream_id, upto, after
        ):
            yield version, occurred_at, decode(type_name, schema, payload)

    def stream_rows(
        self, stream_id: str, upto: int | None = None, after: int = 0
    ) -> sqlite3.Cursor:
        """The rows behind `read_events`, undecoded: (version, occurred_at, type,
        schema_version, payload). For folds that decode as they go, without a generator
        in between."""
        end = _NO_END if upto is None else upto
        return self.conn.execute(_STREAM_ROWS, (stream_id, after, end))

    def read_all(self, after: int = 0) -> Iterator[Recorded]:
        """Every event after global position `after`, streamed row by row."""
        cursor = self.conn.execute(
            f"select {_COLUMNS} from events where position > ? order by position", (after,)
        )
        for row in cursor:
            yield _to_recorded(row)

    def all_rows(self) -> sqlite3.Cursor:
        """Every event's (stream_id, version, occurred_at, type, schema_version, payload),
        undecoded, in log order: the lean read for folding every case in one pass."""
        return self.conn.execute(
            "select stream_id, version, occurred_at, type, schema_version, payload"
            " from events order by position")

    def raw_rows(self, after: int = 0) -> Iterator[tuple[Any, ...]]:
        """Every row after `after` as stored, undecoded (for verification)."""
        yield from self.conn.execute(
            f"select {_COLUMNS} from events where position > ? order by position", (after,)
        )

    def streams(self) -> list[tuple[str, int]]:
        """Each stream id with its version, in order of first appearance."""
        return [
            (s, v)
            for s, v, _ in self.conn.execute(
                "select stream_id, max(version), min(position) as first from events"
                " group by stream_id order by first"
            )
        ]

    def count(self) -> int:
        """How many events the log holds."""
        return self.conn.execute("select count(*) from events").fetchone()[0]


def _check_header(file: Path) -> None:
    """Refuse a file that is not a whole SQLite database before SQLite opens it.

    Opening would make -wal and -shm files beside a truncated WAL log; reading the
    100-byte header first (the format of sqlite.org/fileformat.html) leaves it untouched.
    """
    try:
        with file.open("rb") as f:
            header = f.read(100)
    except OSError as e:
        raise LogError(f"cannot read {file}: {e}") from None
    if not header:
        return  # an empty file: SQLite treats it as an empty database
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        raise LogError(f"{file} is not a SQLite database")
    page = int.from_bytes(header[16:18], "big")
    page = 65536 if page == 1 else page
    size = file.stat().st_size
    pages = int.from_bytes(header[28:32], "big")
    # The header's page count holds only when its "version-valid-for" number equals the
    # change counter; and while a -wal file holds frames, a checkpoint may have written
    # the new count before the file grew. In both cases SQLite itself reads on.
    counted = header[24:28] == header[92:96]
    wal = Path(f"{file}-wal")
    checkpointing = wal.exists() and wal.stat().st_size > 0
    if size % page or (counted and not checkpointing and size < page * pages):
        raise LogError(f"{file} is a damaged SQLite database: it is {size} bytes, which its "
                       f"header's page size ({page}) and page count do not allow (truncated?)")


def _wal_files_exist(file: Path) -> bool:
    return Path(f"{file}-wal").exists() or Path(f"{file}-shm").exists()


def _connect(path: str, readonly: bool) -> sqlite3.Connection:
    if path == ":memory:":
        if readonly:
            raise LogError("an in-memory log cannot be opened read-only")
        return sqlite3.connect(":memory:", isolation_level=None)
    file = Path(path)
    if readonly and not file.exists():
        raise LogError(f"no log at {path}: the file does not exist")
    if not readonly and not file.parent.exists():
        raise LogError(f"cannot create a log at {path}: the folder {file.parent} does not exist")
    if file.exists():
        _check_header(file)
    try:
        if readonly:
            uri = f"{file.resolve().as_uri()}?mode=ro"
            if not os.access(file.parent, os.W_OK) and not _wal_files_exist(file):
                # SQLite cannot make the -shm file a WAL log needs beside it, and nobody
                # can be writing there either: read the file as it stands.
                uri += "&immutable=1"
            conn = sqlite3.connect(uri, uri=True, isolation_level=None)
        else:
            conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
        conn.execute(f"pragma busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        if not readonly:
            conn.execute("pragma synchronous = full")
    except sqlite3.Error as e:
        raise LogError(f"cannot open {path}: {e}") from None
    return conn
