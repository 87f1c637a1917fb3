"""PostgreSQL connections for the event log: the pool, and the connection the store uses.

`events.postgres.PostgresLog` runs the SQLite store's code over a `Connection` from this
module: it takes the SQLite store's statements (translated once each by
`events.postgres_sql.translate`, then kept) and reports the server's failures as
`LogError`. psycopg 3 is imported when a log is opened, not with `events`; connections
come from one `psycopg_pool.ConnectionPool` per server address in the process, so a
server that opens a reader per stream does not connect for each.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from events.errors import LogError
from events.log import ROW
from events.postgres_sql import translate

__all__ = [
    "LOCK_TIMEOUT_S", "Connection", "Stale", "close_pools", "connect", "is_postgres",
    "load_psycopg", "redact",
]

SCHEMES = ("postgresql://", "postgres://")
LOCK_TIMEOUT_S = 10.0  # how long an appender waits for another's transaction, as SQLite's
INSTALL = 'PostgreSQL logs need psycopg 3: pip install "procedura[postgres]"'
MAX_CONNECTIONS = 1000  # a process's pool (see `_pool`)
HELD_ROWS = 5000  # events rows held back at most before they are sent (see `Connection`)
_POOLS: dict[str, Any] = {}
_POOLS_LOCK = threading.Lock()


# The statements by which the SQLite store inserts events: one row, n rows, or one row
# per executemany's item. Held back (see `Connection`), their rows go in as one:
_EVENT_INSERT = (f"insert into events ({', '.join(ROW)}) values"
                 f" ({', '.join('?' * len(ROW))})")
_EVENT_INSERTS = {_EVENT_INSERT: 1} | {
    f"insert into events ({', '.join(ROW)}) values "
    + ", ".join([f"({', '.join('?' * len(ROW))})"] * n): n for n in range(2, 65)}
_TYPES = ("bigint", "text", "text", "bigint", "text", "bigint", "text", "text", "text",
          "text", "text", "text")  # events' columns, in ROW's order
# One statement text for any number of rows (so the server prepares it once), in
# position order, which the table's insert trigger demands row by row.
_UNNEST = (f"insert into events ({', '.join(ROW)}) select * from unnest("
           + ", ".join(f"%b::{t}[]" for t in _TYPES)
           + f") as r ({', '.join(ROW)}) order by 1")


class Stale(Exception):
    """A statement failed in a transaction made on a guessed head (`Connection.guessing`):
    nothing of it is kept, and its append is made again the usual way."""


_FEW = 8
_VALUES = [""] + [f"insert into events ({', '.join(ROW)}) values "
                  + ", ".join(["(" + ", ".join(["%s"] * len(ROW)) + ")"] * n)
                  for n in range(1, _FEW + 1)]


def is_postgres(path: object) -> bool:
    """Whether `path` names a PostgreSQL log (a postgresql:// or postgres:// URL)."""
    return isinstance(path, str) and path.startswith(SCHEMES)


def redact(url: str) -> str:
    """The URL without its password, as messages show it."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


def load_psycopg() -> Any:
    try:
        import psycopg
        import psycopg_pool  # noqa: F401 - checked here, used by _pool
    except ImportError:
        raise LogError(INSTALL) from None
    return psycopg


def _pool(url: str) -> Any:
    """The process's pool of connections to `url` (made on first use)."""
    import psycopg_pool

    with _POOLS_LOCK:
        pool = _POOLS.get(url)
        if pool is None:
            # One connection first, so that a server that is not there (or a database
            # that is not) is one clear error at once, not the pool's time-out.
            load_psycopg().connect(url, connect_timeout=5).close()
            # No connection is kept while no log is open (min_size 0), and one left idle
            # for a minute is closed: a command-line run leaves nothing behind. Every
            # open log holds one (a live server's event stream is one), so the bound is
            # set high, and the server's own max_connections, which its operator sizes,
            # is what limits a process.
            pool = _POOLS[url] = psycopg_pool.ConnectionPool(
                url, min_size=0, max_size=MAX_CONNECTIONS, open=False, timeout=LOCK_TIMEOUT_S,
                max_idle=60, kwargs={"autocommit": True}, reset=_reset)
            pool.open(wait=False)
        return pool


def connect(url: str, path: str) -> tuple[Any, Any]:
    """A connection to `url` from the process's pool: (the pool, the raw connection).
    A failure is a LogError naming `path` (the URL without its password), and leaves no
    pool behind for that URL, so that the next attempt connects anew."""
    psycopg = load_psycopg()
    pool = None
    try:
        pool = _pool(url)
        return pool, pool.getconn()
    except (psycopg.Error, Exception) as e:
        if pool is not None:
            with _POOLS_LOCK:
                _POOLS.pop(url, None)
            pool.close()
        if isinstance(e, LogError):
            raise
        raise LogError(f"cannot connect to {path}: "
                       f"{str(e).strip().splitlines()[-1] if str(e).strip() else e}") \
            from None


def close_pools(urls: Iterable[str] | None = None) -> None:
    """Close the process's pools of connections (to `urls`, or all): their connections
    close once the logs using them are closed."""
    with _POOLS_LOCK:
        for url in list(_POOLS) if urls is None else list(urls):
            pool = _POOLS.pop(url, None)
            if pool is not None:
                pool.close()


def _reset(conn: Any) -> None:
    """A connection given back to the pool: the session's settings as a new one's."""
    conn.execute("reset all")
    conn.execute("unlisten *")


class Connection:
    """A psycopg connection that takes the SQLite store's statements (see
    `events.postgres_sql.translate`) and reports failures as `LogError`."""

    def __init__(self, raw: Any, path: str) -> None:
        self.raw, self.path = raw, path
        self._psycopg = load_psycopg()
        self._sql: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._tables: dict[str, tuple[list[str], list[str]]] = {}
        # While `holding` (an append transaction in pipeline mode), events' rows are kept
        # here and sent as one statement before any other statement, so the server runs
        # everything in the order it was given, but a thousand commands' inserts cost
        # one statement, not a thousand (each one a message and a wait in psycopg).
        self.holding = False
        # While `guessing` (`events.postgres.PostgresLog.append`), any failure is Stale.
        self.guessing = False
        self._held: list[Sequence[Any]] = []

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open (as sqlite3's attribute of the same name)."""
        return self.raw.info.transaction_status != self._psycopg.pq.TransactionStatus.IDLE

    def _translated(self, sql: str) -> tuple[str, tuple[str, ...]]:
        found = self._sql.get(sql)
        if found is None:
            found = translate(sql, self.columns)
            if not sql.lstrip().lower().startswith(("insert or", "pragma")):
                self._sql[sql] = found  # those depend on a table that may be made anew
        return found

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement; its cursor (iterable, with fetchone and fetchall), or None
        for an insert of events held back (see `holding`)."""
        if self.holding:
            rows = _EVENT_INSERTS.get(sql)
            if rows is not None:
                width = len(ROW)
                self._hold([params[k:k + width] for k in range(0, rows * width, width)])
                return None
            if self._held:
                self.flush()
        text, extra = self._translated(sql)
        try:
            return self.raw.execute(text, [*extra, *params])
        except self._psycopg.Error as e:
            raise self.error(e) from None

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each of `rows`."""
        if self.holding:
            if sql == _EVENT_INSERT:
                self._hold(rows)
                return
            if self._held:
                self.flush()
        text, extra = self._translated(sql)
        try:
            with self.raw.cursor() as cur:
                cur.executemany(text, [[*extra, *row] for row in rows])
        except self._psycopg.Error as e:
            raise self.error(e) from None

    def _hold(self, rows: Iterable[Sequence[Any]]) -> None:
        self._held.extend(rows)
        if len(self._held) >= HELD_ROWS:
            self.flush()

    def flush(self) -> None:
        """Send the events rows held back, as one statement (columns as arrays)."""
        held, self._held = self._held, []
        if held:
            try:
                if len(held) <= _FEW:  # a command's few rows: plain values dump faster
                    self.raw.execute(_VALUES[len(held)], [v for row in held for v in row])
                else:
                    self.raw.execute(_UNNEST, [list(col) for col in zip(*held, strict=True)])
            except self._psycopg.Error as e:
                raise self.error(e) from None

    def forget_prepared(self) -> None:
        """Drop the statements prepared on this connection, on both sides.

        After a statement fails in pipeline mode, the server skips the rest of the
        pipeline, the Parse of a statement psycopg was preparing among them, but
        psycopg 3.3 still counts that statement as prepared, and every later use of
        it fails ("prepared statement ... does not exist"). Its cache has no public
        way to be emptied; it is emptied here, and DEALLOCATE ALL empties the server's.
        """
        prepared = getattr(self.raw, "_prepared", None)
        if prepared is not None and callable(getattr(prepared, "clear", None)):
            prepared.clear()
        self.raw.execute("deallocate all")

    def discard(self) -> None:
        """Forget the rows held back (their transaction is rolled back) and hold no more."""
        self.holding, self._held = False, []

    def _rolled_back(self, e: Exception) -> bool:
        """Whether the server answered `e` and the connection still stands: then the
        transaction's COMMIT did not run (a pipeline stops at its first error) or failed
        and rolled back, so nothing of it was kept. A lost connection is not such an
        answer: the commit may have gone through, and making the command again could
        record it twice, so that failure is reported as it is."""
        state = getattr(e, "sqlstate", None) or ""
        return bool(state) and state[:2] not in {"08", "57", "58", "XX"} and \
            not self.raw.closed and self.raw.pgconn.status == self._psycopg.pq.ConnStatus.OK

    def error(self, e: Exception) -> Exception:
        """A database error as the store's `LogError`, with the server's message (or
        `Stale`, while guessing)."""
        if self.guessing and self._rolled_back(e):
            return Stale(str(e))
        message = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        if isinstance(e, self._psycopg.errors.LockNotAvailable):
            return LogError(f"{self.path} is busy: another writer has held it for more than "
                            f"{LOCK_TIMEOUT_S:g} s ({message}); try again")
        if isinstance(e, self._psycopg.errors.ReadOnlySqlTransaction):
            return LogError(f"{self.path} is open read-only; nothing can be appended")
        return LogError(f"cannot use {self.path}: {message}")

    def columns(self, table: str) -> tuple[list[str], list[str]]:
        """The table's columns in order, and those of its primary key."""
        found = self._tables.get(table)
        if found is None:
            names = [r[1] for r in self.raw.execute(
                "select ordinal_position, column_name from information_schema.columns where"
                " table_schema = current_schema() and table_name = %s order by 1", [table])]
            keys = [r[0] for r in self.raw.execute(
                "select a.attname from pg_index i join pg_attribute a on a.attrelid ="
                " i.indrelid and a.attnum = any(i.indkey) where i.indrelid = %s::regclass"
                " and i.indisprimary order by array_position(i.indkey, a.attnum)",
                [f'"{table}"'])] if names else []
            found = self._tables[table] = (names, keys)
        return found

    def forget(self, table: str) -> None:
        """Forget what `columns` read of a table (made anew)."""
        self._tables.pop(table, None)
