"""The log's file: opening it safely, and the definition of every table in it.

- `connect` opens the SQLite file, refusing (before SQLite touches it) a file that is
  not a whole SQLite database, and opening a read-only one without writing anything;
- `prepare` checks that the file is a procedura log this code can read, or makes an
  empty one: the `events` table, its unique indexes, its append-only triggers, the
  `meta` table and the `merkle_nodes` table of the log's Merkle tree (`events.tree`);
- `create_table` is the one way a table is made, with sqlite-utils: the log's own two
  here, and the derived tables through `EventLog.ensure_table`.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from events.errors import LogError

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    import sqlite_utils


class Store(Protocol):
    """What preparing a log needs of the store that opens it (`events.log.EventLog`)."""

    path: str
    readonly: bool
    log_version: int
    conn: sqlite3.Connection
    db: sqlite_utils.Database

    def transaction(self) -> AbstractContextManager[object]: ...

__all__ = ["LOG_SCHEMA_VERSION", "OWN_TABLES", "connect", "create_table", "prepare"]

# 1: the first logs. 2: the hash chain hashes an unambiguous encoding of the row
# (`events.chain`), and the `merkle_nodes` table holds the log's Merkle tree.
LOG_SCHEMA_VERSION = 2
OWN_TABLES = ("events", "meta", "merkle_nodes")  # made here only; the rest is derived data
APPEND_ONLY = "procedura: the event log is append-only; events cannot be {}"
TREE_APPEND_ONLY = "procedura: the Merkle tree is append-only; its nodes cannot be {}"

EVENTS = {
    "position": int, "event_id": str, "stream_id": str, "version": int, "type": str,
    "schema_version": int, "occurred_at": str, "recorded_at": str, "actor": str,
    "note": str, "payload": str, "hash": str,
}
# The names sqlite-utils gave them when the first logs were made.
EVENT_INDEXES = {"idx_events_event_id": ("event_id",),
                 "idx_events_stream_id_version": ("stream_id", "version")}
TRIGGERS = {
    f"events_no_{verb}": f"create trigger if not exists events_no_{verb} before {verb} on"
    f" events begin select raise(abort, '{APPEND_ONLY.format(past)}'); end"
    for verb, past in (("update", "updated"), ("delete", "deleted"))
}
# INSERT OR REPLACE deletes the row it replaces without firing DELETE triggers, so a new
# row may not reuse a position, an event id or a (stream, version) already in the log.
TRIGGERS["events_no_replace"] = (
    "create trigger if not exists events_no_replace before insert on events when"
    " new.position <= (select coalesce(max(position), 0) from events)"
    " or exists (select 1 from events where event_id = new.event_id)"
    " or exists (select 1 from events where stream_id = new.stream_id"
    " and version = new.version)"
    f" begin select raise(abort, '{APPEND_ONLY.format('replaced')}'); end"
)

# The Merkle tree's stored nodes (`events.tree`): one row per TREE_BLOCK events. The row
# at `position` p (a multiple of TREE_BLOCK) holds the hashes (RFC 6962 §2.1, 32 bytes
# each) of the complete subtrees of TREE_BLOCK leaves or more whose last leaf is the event
# at p, smallest first: 2**k leaves at bytes [32(k - 4), 32(k - 4) + 32). The leaves are
# the events' own (`events.tree`), and smaller subtrees are hashed from them when asked
# for: so an append inserts one row per TREE_BLOCK events instead of one per event.
TREE_BLOCK_LEVEL = 4
TREE_BLOCK = 1 << TREE_BLOCK_LEVEL
TREE = {"position": int, "hashes": bytes}
TREE_TRIGGERS = {
    f"merkle_nodes_no_{verb}": f"create trigger if not exists merkle_nodes_no_{verb} before"
    f" {verb} on merkle_nodes begin select raise(abort, '{TREE_APPEND_ONLY.format(past)}');"
    " end" for verb, past in (("update", "updated"), ("delete", "deleted"))
}
# Rows are added in order, one a block, never replaced (see events_no_replace).
TREE_TRIGGERS["merkle_nodes_in_order"] = (
    "create trigger if not exists merkle_nodes_in_order before insert on merkle_nodes when"
    f" new.position is not (select coalesce(max(position), 0) + {TREE_BLOCK}"
    f" from merkle_nodes) begin select raise(abort, '{TREE_APPEND_ONLY.format('replaced')}');"
    " end"
)


def create_table(
    db: sqlite_utils.Database, name: str, columns: Mapping[str, type], pk: str | Sequence[str],
    not_null: Collection[str] = (), indexes: Mapping[str, Sequence[str]] | None = None,
    unique: Collection[str] = (), foreign_keys: Sequence[tuple[str, str, str]] = (),
    replace: bool = False,
) -> None:
    """Make table `name` with sqlite-utils (dropping it first with `replace`), then its
    `indexes` (index name -> columns; those named in `unique` are unique)."""
    table = db[name]
    table.create(dict(columns), pk=pk if isinstance(pk, str) else tuple(pk),
                 not_null=set(not_null), foreign_keys=list(foreign_keys) or None,
                 replace=replace)
    for index, on in (indexes or {}).items():
        table.create_index(list(on), index_name=index, unique=index in unique,
                           if_not_exists=True)


def prepare(log: Store) -> None:
    """Check that `log`'s file is a procedura log this code reads, or make it one."""
    try:
        tables = set(log.db.table_names())
    except sqlite3.DatabaseError as e:
        raise LogError(f"{log.path} is not a SQLite database ({e})") from None
    if "events" not in tables:
        if tables or log.readonly:
            what = "a SQLite database without procedura's tables" if tables else "empty"
            raise LogError(f"{log.path} is not a procedura log: it is {what}")
        _create(log)
        return
    row = None
    if "meta" in tables:
        row = log.conn.execute("select value from meta where key = 'schema_version'").fetchone()
    try:
        found = int(row[0]) if row else 0
    except (TypeError, ValueError):
        found = 0
    if found > LOG_SCHEMA_VERSION:
        raise LogError(
            f"{log.path} was written by a newer procedura (log schema {found}; this one "
            f"reads up to {LOG_SCHEMA_VERSION}); upgrade procedura to open it"
        )
    if found < 1:
        raise LogError(f"{log.path} is not a procedura log: it has an events table but no "
                       "procedura schema version in a meta table")
    _check_columns(log, tables)  # the whole schema, before anything is added to the file
    log.log_version = found
    if not log.readonly:  # a log written before a trigger existed (or without it) gets it
        for name in TRIGGERS.keys() - log.db["events"].triggers_dict.keys():
            log.conn.execute(TRIGGERS[name])
        # A version-1 log keeps its version (and its chain) but is given the tree, whose
        # leaves the next append computes from its rows (`events.tree`).
        if "merkle_nodes" not in tables:
            with log.transaction():
                _create_tree(log)
        else:
            for name in TREE_TRIGGERS.keys() - log.db["merkle_nodes"].triggers_dict.keys():
                log.conn.execute(TREE_TRIGGERS[name])


def _check_columns(log: Store, tables: set[str]) -> None:
    """Refuse a file whose own tables lack the columns of a procedura log (another
    program's `events` and `meta`, say), so that no trigger is ever added to it."""
    wanted = {"events": list(EVENTS), "meta": ["key", "value"], "merkle_nodes": list(TREE)}
    for name, columns in wanted.items():
        if name not in tables:
            continue
        have = [row[1] for row in log.conn.execute(f"pragma table_info({name})")]
        if have != columns:
            raise LogError(f"{log.path} is not a procedura log: its {name} table has the "
                           f"columns ({', '.join(have)}), not a procedura log's "
                           f"({', '.join(columns)}); nothing was changed")


def _create_tree(log: Store) -> None:
    create_table(log.db, "merkle_nodes", TREE, pk="position", not_null=TREE.keys())
    for trigger in TREE_TRIGGERS.values():
        log.conn.execute(trigger)


def _create(log: Store) -> None:
    if log.path != ":memory:":
        log.db.enable_wal()
    with log.transaction():
        create_table(log.db, "events", EVENTS, pk="position",
                     not_null=EVENTS.keys() - {"position", "occurred_at", "actor", "note"},
                     indexes=EVENT_INDEXES, unique=EVENT_INDEXES)
        for trigger in TRIGGERS.values():
            log.conn.execute(trigger)
        create_table(log.db, "meta", {"key": str, "value": str}, pk="key")
        _create_tree(log)
        log.log_version = LOG_SCHEMA_VERSION
        log.db["meta"].insert_all(
            [{"key": "schema_version", "value": str(LOG_SCHEMA_VERSION)},
             {"key": "application", "value": "procedura"}]
        )


# -- opening the file ------------------------------------------------------------------


def connect(path: str, readonly: bool, timeout: float) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are begun by hand), waiting up to
    `timeout` seconds for another writer; `mode=ro` when `readonly`."""
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
            conn = sqlite3.connect(path, isolation_level=None, timeout=timeout)
        conn.execute(f"pragma busy_timeout = {int(timeout * 1000)}")
        if not readonly:
            conn.execute("pragma synchronous = full")
    except sqlite3.Error as e:
        raise LogError(f"cannot open {path}: {e}") from None
    return conn


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
