"""The event log in PostgreSQL: the same store as `events.log.EventLog`, on a server.

`PostgresLog(url)` keeps every promise of the SQLite store (tests/store/
test_store_contract.py holds both to them) with the same table, the same envelope, the
same hash chain and the same Merkle tree, so the same events give the same root in
either store (`events.postgres_copy` moves a log between them). It inherits the SQLite
store's code: appending, checking ids and versions, hashing and the tree run unchanged
over a connection that speaks PostgreSQL (`events.postgres_sql.translate`).

Positions in commit order, with no gaps. A reader that follows the log by position (the
live server's stream) must never pass over a position that commits later. Every write
transaction takes one transaction-level advisory lock first (`pg_advisory_xact_lock`),
so appenders run one at a time, and each reads the last position after it holds the
lock, under READ COMMITTED, which sees every commit before it (or, on the fast way of
`append`, checks under the lock that it is still the one it knows): so position p + 1
is written only after p committed. The eventsourcing library gets the same order from
`LOCK TABLE ... IN EXCLUSIVE MODE` in its PostgreSQL recorder (`_lock_table`, citing
the PostgreSQL manual, 13.3.1 Table-Level Locks); PostgreSQL's LOCK command takes
EXCLUSIVE mode only for a role with UPDATE, DELETE or TRUNCATE privilege, which the
insert-and-select role of docs/postgres.md must not have, and an advisory lock needs
none. The `events_in_order` trigger makes it hold for any writer, whatever it locks:
rows go in only right after the last position their statement sees committed.
Locks are released after a commit is visible (PostgreSQL ends a transaction in that
order), so the next appender sees it.

Each commit that appended sends NOTIFY on `CHANNEL` with the last position; `wait`
returns when another connection's commit (any process's) was notified.

Round trips, not the server's work, are most of a command's cost: `append` makes a
command alone in one (see there), a transaction's rows are held and sent as one
statement (`events.postgres_conn.Connection`), and the tree's edge is kept between
transactions while the head is the same (`_read_position`).

Connections, their pool and the translation of statements are `events.postgres_conn`'s
(`is_postgres`, `redact` and `close_pools` are also importable from here).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

from events.chain import chain_for, linker
from events.errors import LogError
from events.log import ROW, EventLog
from events.postgres_conn import (
    LOCK_TIMEOUT_S,
    Connection,
    Stale,
    close_pools,
    connect,
    is_postgres,
    load_psycopg,
    redact,
)
from events.postgres_sql import ADVISORY_LOCK, CHANNEL, GUARD, SCHEMA
from events.postgres_tables import DerivedTables
from events.records import NewEvent, Recorded
from events.schema import LOG_SCHEMA_VERSION

__all__ = ["PAGE", "PostgresLog", "close_pools", "is_postgres", "redact"]


PAGE = 5000  # rows read per statement while a read is streamed
_NO_END = 1 << 62


class PostgresLog(DerivedTables, EventLog):
    """An append-only log of events in a PostgreSQL database (one log a schema)."""

    def __init__(self, url: str, readonly: bool = False, durable: bool = True) -> None:
        """Open (or, unless `readonly`, create) the log in the database at `url`.

        `durable=False` sets `synchronous_commit = off`: a commit returns before the
        server's write-ahead log is on disk, so the last commits can be lost to a crash
        of the server's machine, never corrupted (the same bargain as SQLite's NORMAL).
        `readonly` sets `default_transaction_read_only`, so the server itself refuses
        every change made through this log's connection.
        """
        if not isinstance(durable, bool):
            raise LogError(f"durable must be True or False, not {durable!r}")
        self.path, self.readonly, self._url = redact(url), readonly, url
        self._pool, raw = connect(url, self.path)
        self.conn = Connection(raw, self.path)
        self.db = None  # no sqlite-utils view: derived tables are made by `ensure_table`
        self._depth, self._head, self._versions, self._frontier = 0, None, {}, None
        self._appended = self._notified = False  # NOTIFY queued already (by GUARD)
        # The tree's right edge as the last commit left it, with the head it belongs to:
        # the next transaction takes it instead of reading the edge from the server
        # again, if the head it reads under the lock is still that one (see `_edge_for`).
        self._kept: tuple[tuple[int, str], Any] | None = None
        # Whether appends are made on the kept head first (`append`): not after one was
        # stale, until a read under the lock finds that no other connection appended.
        self._solo = True
        self._pipeline: Any = None
        self._pipeline_cm: Any = None
        self._listener: Any = None
        self.log_version = LOG_SCHEMA_VERSION
        try:
            raw.execute(f"set lock_timeout = '{int(LOCK_TIMEOUT_S * 1000)}ms'")
            if readonly:
                raw.execute("set default_transaction_read_only = on")
            if not durable:
                raw.execute("set synchronous_commit = off")
            self._prepare()
        except BaseException:
            self.close()
            raise
        self.durable = durable
        self.chain_hash = chain_for(self.log_version)
        self._link = linker(self.log_version)

    def _prepare(self) -> None:
        """Check that the database holds a procedura log this code reads, or make one."""
        tables = {r[0] for r in self.conn.execute(
            "select table_name from information_schema.tables"
            " where table_schema = current_schema()")}
        if "events" not in tables:
            if tables or self.readonly:
                what = "a database with other tables" if tables else "empty"
                raise LogError(f"{self.path} is not a procedura log: it is {what} (a log "
                               "needs a database, or a schema, of its own)")
            with self.transaction():
                for statement in SCHEMA:
                    self.conn.raw.execute(statement)
                self.conn.execute("insert into meta (key, value) values (?, ?), (?, ?)",
                                  ("schema_version", str(LOG_SCHEMA_VERSION),
                                   "application", "procedura"))
            return
        found = self.conn.execute(
            "select value from meta where key = 'schema_version'").fetchone() \
            if "meta" in tables else None
        try:
            version = int(found[0]) if found else 0
        except (TypeError, ValueError):
            version = 0
        if version > LOG_SCHEMA_VERSION:
            raise LogError(f"{self.path} was written by a newer procedura (log schema "
                           f"{version}; this one reads up to {LOG_SCHEMA_VERSION}); upgrade "
                           "procedura to open it")
        if version < 2 or "merkle_nodes" not in tables:
            raise LogError(f"{self.path} is not a procedura log: it has an events table but "
                           "no procedura schema version 2 in a meta table")
        self.log_version = version

    def close(self) -> None:
        """Give the connection back to the pool (rolling back what is not committed)."""
        conn = getattr(self, "conn", None)
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        if conn is not None and self._pool is not None:
            self.conn = None  # type: ignore[assignment]
            self._pool.putconn(conn.raw)

    # -- transactions ----------------------------------------------------------------

    def _begin(self, wait: bool = True) -> str:
        """Open a transaction level (a savepoint inside another); return its name. The
        outermost level takes the append lock (see the module's docstring)."""
        if self.readonly:
            raise LogError(f"{self.path} is open read-only; nothing can be appended")
        name = f"level{self._depth}"
        if self._depth:
            self.conn.execute(f"savepoint {name}")
        else:
            # The transaction's statements go out in pipeline mode: an insert does not
            # wait for its answer, only a read does (the lock's, a stream's version),
            # and a failed insert fails the commit, so the transaction is kept whole or
            # not at all as before, at a fraction of the round trips.
            self._pipeline_cm = self.conn.raw.pipeline()
            self._pipeline = self._pipeline_cm.__enter__()
            self.conn.execute("begin")
            try:
                if wait:
                    self.conn.execute("select pg_advisory_xact_lock(?)", (ADVISORY_LOCK,))
                elif not self.conn.execute("select pg_try_advisory_xact_lock(?)",
                                           (ADVISORY_LOCK,)).fetchone()[0]:
                    raise LogError(f"{self.path} is busy: another writer holds it; try again")
            except BaseException:
                self._close_pipeline()
                raise
            self.conn.holding = True
        self._depth += 1
        return name

    def _end(self, name: str, kept: bool) -> None:
        """Close the level `_begin` opened: keep its writes (and notify), or undo them."""
        self._depth -= 1
        if self._depth:
            if not kept:
                self._head, self._versions, self._frontier = None, {}, None
                self.conn.execute(f"rollback to savepoint {name}")
            self.conn.execute(f"release savepoint {name}")
            return
        try:
            if kept:
                self._flush_tree()
                if self._appended and self._head is not None and not self._notified:
                    self.conn.execute("select pg_notify(?, ?)", (CHANNEL, str(self._head[0])))
                self.conn.execute("commit")
                pipeline_cm, self._pipeline = self._pipeline_cm, None
                try:
                    # Leaving pipeline mode syncs: every answer, the commit's included,
                    # in the one round trip (a sync before it would cost one more).
                    pipeline_cm.__exit__(None, None, None)
                except self.conn._psycopg.Error as e:
                    self._kept = None
                    raise self.conn.error(e) from None  # rolled back by _close_pipeline
                edge = self._frontier
                if self._head is not None and edge is not None and \
                        edge.size == self._head[0]:
                    self._kept = (self._head, edge)
            else:
                self._kept = None
        except BaseException:
            self._kept = None
            raise
        finally:
            self._close_pipeline()
            self._head, self._versions, self._frontier = None, {}, None
            self._appended = self._notified = False

    def _close_pipeline(self) -> None:
        """Leave pipeline mode, rolling back what was not committed."""
        pipeline, self._pipeline = self._pipeline, None
        psycopg = self.conn._psycopg
        self.conn.discard()  # rows held back are not sent, after a commit there are none
        try:
            if pipeline is not None:  # not left at a commit: leave it now
                with contextlib.suppress(psycopg.Error):  # raised already: aborted
                    self._pipeline_cm.__exit__(None, None, None)
        finally:
            # The transaction failed, or was given up; on a lost connection the server
            # has rolled it back already, and the error raised says what happened.
            if not self.conn.raw.closed and self.conn.in_transaction:
                with contextlib.suppress(psycopg.Error):
                    self.conn.raw.execute("rollback")
                    self.conn.forget_prepared()

    def _read_position(self, stream_id: str) -> tuple[int, int, str]:
        """`EventLog._read_position`, then the kept edge of the tree if it is still the
        log's: the head just read (under the append lock) is the one it was kept with.
        Positions are gap-free and each hash chains all before it, so the same last
        position and hash mean the same log, and the edge of its tree is still right."""
        version, position, previous = super()._read_position(stream_id)
        kept, self._kept = self._kept, None  # taken once; kept again at the commit
        if kept is not None:
            self._solo = kept[0] == (position, previous)
            if self._solo and self._frontier is None:
                self._frontier = kept[1]
        return version, position, previous

    def append(self, stream_id: str, new: Sequence[NewEvent],
               expected_version: int) -> list[Recorded]:
        """`EventLog.append`, in one round trip to the server where it can be.

        A command appended on its own (not inside `transaction()`) by a connection
        whose last commit appended is first made on the head that commit left (and the
        tree's edge with it), without reading them: the lock, `GUARD`, the insert, the
        tree's blocks, NOTIFY and the commit go out together. GUARD, run under the
        lock, fails the transaction unless that head is still the log's last row and
        the stream is at `expected_version`, so what commits is what the usual way
        would have committed. If the server refuses it (another process appended
        since, the stream moved), nothing was kept and the command is made again the
        usual way, which reads the head under the lock and raises what it raises on
        SQLite. A lost connection is reported, not made again: the commit may have
        gone through (`Connection._rolled_back`). (Events with ids given go the usual way at once:
        looking their ids up is a read, and a retried command is answered from it.)"""
        if self._depth or self._kept is None or not self._solo or self.readonly or \
                not new or any(e.event_id for e in new):  # ids are looked up first
            return super().append(stream_id, new, expected_version)
        self.conn.guessing = True
        try:
            return super().append(stream_id, new, expected_version)
        except Stale:
            self._solo = False  # another connection appends too: read the head first
        finally:
            self.conn.guessing = False
        return super().append(stream_id, new, expected_version)

    def _write(self, stream_id: str, new: Sequence[NewEvent],
               expected_version: int) -> list[Recorded]:
        if self.conn.guessing and self._head is None and self._kept is not None:
            (self._head, self._frontier), self._kept = self._kept, None
            self._versions[stream_id] = expected_version
            position = self._head[0]
            self.conn.execute(GUARD, (stream_id, expected_version, position, self._head[1],
                                      position, CHANNEL, str(position + len(new))))
            self._notified = True
        out = super()._write(stream_id, new, expected_version)
        self._appended = self._appended or bool(out and self._head)
        return out

    # -- reading ---------------------------------------------------------------------

    def stream_version(self, stream_id: str) -> int:
        """`EventLog.stream_version`; inside a transaction, kept for its appends too.

        The transaction holds the append lock, so no other append can move the stream
        before it commits (and one that tried without the lock would be refused by
        the insert trigger): the version read now is the one its next append to the
        stream is checked against, which need not read it again."""
        version = self._versions.get(stream_id) if self._depth else None
        if version is None:
            version = super().stream_version(stream_id)
            if self._depth:
                self._versions[stream_id] = version
        return version


    def rows(
        self, stream: str | None = None, after: int = 0, upto: int | None = None,
        columns: tuple[str, ...] = ROW,
    ) -> Iterator[tuple[Any, ...]]:
        """`EventLog.rows`, read PAGE rows a statement, so a long read holds neither the
        whole log in memory nor the connection between pages."""
        columns = tuple(columns)
        if not columns or not set(columns) <= set(ROW):
            raise ValueError(f"rows(columns=...) takes some of the columns {ROW}, not "
                             f"{columns}")
        key = "position" if stream is None else "version"
        at = columns.index(key) if key in columns else None
        picked = columns if at is not None else (key, *columns)
        where = "stream_id = ? and " if stream is not None else ""
        sql = (f"select {', '.join(picked)} from events where {where}{key} > ? and {key} <= ?"
               f" order by {key} limit {PAGE}")
        end = _NO_END if upto is None else upto
        return self._pages(sql, () if stream is None else (stream,), after, end, at)

    def _pages(self, sql: str, head: tuple[Any, ...], after: int, end: int,
               at: int | None) -> Iterator[tuple[Any, ...]]:
        while True:
            page = self.conn.execute(sql, (*head, after, end)).fetchall()
            if at is None:
                yield from (row[1:] for row in page)
            else:
                yield from page
            if len(page) < PAGE:
                return
            after = page[-1][0 if at is None else at]

    def damage(self) -> list[str]:
        """SQLite's file check has no counterpart here: the server keeps its own pages
        whole (its write-ahead log; data checksums and amcheck, if its operator enables
        them). The rows themselves are checked by verify, as in SQLite."""
        return []

    # -- following the log -------------------------------------------------------------

    def wait(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for a commit that appended to this log (by any
        connection, any process); whether one was notified. The first call begins to
        listen, so a commit before it is not waited for (read the log first, then wait)."""
        psycopg = load_psycopg()
        if self._listener is None:
            try:
                self._listener = psycopg.connect(self._url, autocommit=True)
                self._listener.execute(f"listen {CHANNEL}")
            except psycopg.Error as e:
                raise self.conn.error(e) from None
        try:
            return any(True for _ in self._listener.notifies(timeout=timeout, stop_after=1))
        except psycopg.Error as e:
            self._listener = None
            raise self.conn.error(e) from None
