"""PostgreSQL's fast appends keep every promise of the usual path.

- A command appended on its own is made on the head this connection's last commit left,
  checked under the lock (`events.postgres_sql.GUARD`): with two connections taking
  turns, every append of one finds the head moved by the other and is made again the
  usual way; a stale or a wrong expected version still raises ConcurrencyError and
  appends nothing; positions stay gap-free and the tree's root is the one SQLite
  computes from the same rows.
- Inside a transaction, events' rows are held back and sent as one statement before
  any other (`events.postgres_conn.Connection`): a long transaction keeps its order, a
  failed one keeps nothing, and every insert statement of the SQLite store is held.
"""

from __future__ import annotations

import pytest

from events import EventLog, NewEvent
from events.catalog import CaseOpened, MotionMoved
from events.errors import ConcurrencyError
from events.postgres_copy import load_rows


def _opened(title: str) -> NewEvent:
    return NewEvent(CaseOpened(title=title))


def _moved() -> NewEvent:
    return NewEvent(MotionMoved("adjourn-debate", "Cuba"))


def _same_as_sqlite(log: EventLog) -> None:
    """The rows are gap-free and chained, and SQLite's tree over them has the log's root."""
    rows = list(log.rows())
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert log.verify_tree() is None
    with EventLog(":memory:") as copy:
        assert load_rows(copy, rows, root=log.root()) == len(rows)  # refused if not equal
        assert copy.root() == log.root()


def test_two_connections_taking_turns_keep_the_order_and_the_versions(pg_url: str) -> None:
    from events.postgres import PostgresLog

    with PostgresLog(pg_url) as a, PostgresLog(pg_url) as b:
        a.append("s", [_opened("a")], 0)
        for turn in range(40):  # each append finds the other's commit since its own
            writer = (a, b)[turn % 2]
            writer.append("s", [_moved()], 1 + turn)
            writer.append(f"own{turn}", [_opened("o"), _moved()], 0)
        assert a.stream_version("s") == b.stream_version("s") == 41
        # `a` is at its own head now: a stale or a wrong version is still refused.
        a.append("s", [_moved()], 41)
        count = a.count()
        for wrong in (41, 40, 43, 0):
            with pytest.raises(ConcurrencyError):
                a.append("s", [_moved()], wrong)
            assert a.count() == count
        b.append("s", [_moved()], 42)  # b's kept head was stale: made the usual way
        with pytest.raises(ConcurrencyError):
            a.append("s", [_moved()], 42)
        a.append("s", [_moved()], 43)
        _same_as_sqlite(a)
        assert [r.version for r in b.select("s")] == list(range(1, 45))


def test_a_connection_that_appends_alone_reads_nothing_before_its_commit(
        pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from events.postgres import PostgresLog
    from events.postgres_sql import GUARD

    with PostgresLog(pg_url) as log:
        log.append("s", [_opened("s")], 0)  # the usual way: nothing is kept yet
        sent: list[str] = []
        execute = log.conn.execute
        monkeypatch.setattr(log.conn, "execute",
                            lambda sql, params=(): sent.append(sql) or execute(sql, params))
        for version in range(1, 40):  # more than a tree block: the edge is kept too
            log.append("s", [_moved()], version)
        assert sent.count(GUARD) == 39
        assert not [s for s in sent if s.lstrip().startswith("select") and s != GUARD
                    and "pg_notify" not in s and "advisory" not in s]
        _same_as_sqlite(log)


def test_a_long_transaction_sends_its_rows_in_order_and_a_failed_one_keeps_none(
        pg_url: str) -> None:
    from events.postgres import PostgresLog
    from events.postgres_conn import HELD_ROWS

    with PostgresLog(pg_url) as log:
        with log.transaction():  # more rows than are held at once, reads among them
            for case in range(3):
                log.append(f"c{case}", [_opened(str(case))], 0)
                for version in range(1, HELD_ROWS // 2):
                    log.append(f"c{case}", [_moved()], version)
                assert log.stream_version(f"c{case}") == HELD_ROWS // 2
        count = log.count()
        assert count == 3 * (HELD_ROWS // 2)
        with pytest.raises(RuntimeError), log.transaction():
            log.append("lost", [_opened("x")], 0)
            log.append("c0", [_moved()], HELD_ROWS // 2)
            raise RuntimeError("nothing of this is kept")
        assert log.count() == count and log.stream_version("lost") == 0
        log.append("c0", [_moved()], HELD_ROWS // 2)  # the head and the tree's edge hold
        _same_as_sqlite(log)


def test_every_insert_of_the_sqlite_store_is_held_back() -> None:
    """If the SQLite store's statements change, the rows would go one by one again."""
    from events import log as sqlite_log
    from events import postgres_copy
    from events.postgres_conn import _EVENT_INSERTS

    statements = [sqlite_log._INSERT, postgres_copy._INSERT,
                  *sqlite_log._INSERTS[1:sqlite_log._ONE_STATEMENT + 1]]
    assert all(s in _EVENT_INSERTS for s in statements)


def test_the_server_takes_events_only_at_the_next_positions(pg_url: str) -> None:
    """The insert trigger, checked once a statement, refuses a gap before or among the
    statement's rows, whoever inserts them and however many. (A statement's rows are
    seen by readers all at once, at its commit, in whatever order they went in.)"""
    import psycopg

    from events.postgres import PostgresLog

    with PostgresLog(pg_url) as log:
        log.append("s", [_opened("s"), _moved(), _moved()], 0)
        template = ("insert into events select p, 'id' || p, 'x', p, type, schema_version,"
                    " occurred_at, recorded_at, actor, note, payload, hash from events,"
                    " unnest(%s::bigint[]) as p where position = 1")
        for positions in ([5], [4, 6], [3], [4, 4], [4, 5, 7], [0]):
            with pytest.raises(psycopg.Error):
                log.conn.raw.execute(template, [positions])
        assert log.count() == 3
        log.conn.raw.execute("begin")
        log.conn.raw.execute(template, [[5, 4, 6]])  # the next three, in any order: taken
        assert log.conn.raw.execute("select count(*) from events").fetchone()[0] == 6
        log.conn.raw.execute("rollback")
        assert log.count() == 3
        _same_as_sqlite(log)


def test_each_commit_notifies_once_with_its_last_position(pg_url: str) -> None:
    """NOTIFY goes with the commit, queued by the guard on the fast way: once for each
    commit, with the log's last position; a guess that failed sent nothing."""
    import psycopg

    from events.postgres import PostgresLog
    from events.postgres_sql import CHANNEL

    with psycopg.connect(pg_url, autocommit=True) as listener, \
            PostgresLog(pg_url) as a, PostgresLog(pg_url) as b:
        listener.execute(f"listen {CHANNEL}")
        a.append("s", [_opened("s")], 0)  # the usual way
        a.append("s", [_moved(), _moved()], 1)  # on the kept head
        b.append("t", [_opened("t")], 0)
        a.append("s", [_moved()], 3)  # a's guess is stale: made again the usual way
        a.append("s", [_moved()], 4)
        got = [n.payload for n in listener.notifies(timeout=2.0, stop_after=5)]
        assert got == ["1", "3", "4", "5", "6"]
        assert not list(listener.notifies(timeout=0.3))


def test_a_connection_lost_on_the_fast_way_is_reported_not_made_again(
        pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the server's refusal means nothing was kept; a lost connection may have
    committed, so the command is not made a second time: the caller is told."""
    from events import postgres
    from events.errors import LogError
    from events.postgres import PostgresLog

    with PostgresLog(pg_url) as log:
        log.append("s", [_opened("s")], 0)
        monkeypatch.setattr(postgres, "GUARD", (
            "select pg_terminate_backend(pg_backend_pid()) from (values (?::text,"
            " ?::bigint, ?::bigint, ?::text, ?::bigint, ?::text, ?::text)) as v"))
        with pytest.raises(LogError):
            log.append("s", [_moved()], 1)
    with PostgresLog(pg_url) as again:
        assert again.count() == 1
