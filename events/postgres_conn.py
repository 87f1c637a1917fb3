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
from events.postgres_sql import translate

__all__ = [
    "LOCK_TIMEOUT_S", "Connection", "close_pools", "connect", "is_postgres", "load_psycopg",
    "redact",
]

SCHEMES = ("postgresql://", "postgres://")
LOCK_TIMEOUT_S = 10.0  # how long an appender waits for another's transaction, as SQLite's
INSTALL = 'PostgreSQL logs need psycopg 3: pip install "procedura[postgres]"'
_POOLS: dict[str, Any] = {}
_POOLS_LOCK = threading.Lock()


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
            # for a minute is closed: a command-line run leaves nothing behind.
            pool = _POOLS[url] = psycopg_pool.ConnectionPool(
                url, min_size=0, max_size=64, open=False, timeout=LOCK_TIMEOUT_S,
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
        """Run one statement; its cursor (iterable, with fetchone and fetchall)."""
        text, extra = self._translated(sql)
        try:
            return self.raw.execute(text, [*extra, *params])
        except self._psycopg.Error as e:
            raise self.error(e) from None

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each of `rows`."""
        text, extra = self._translated(sql)
        try:
            with self.raw.cursor() as cur:
                cur.executemany(text, [[*extra, *row] for row in rows])
        except self._psycopg.Error as e:
            raise self.error(e) from None

    def error(self, e: Exception) -> LogError:
        """A database error as the store's `LogError`, with the server's message."""
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
