"""The store's contract: the promises every event store keeps, held against each backing.

`TestStoreContract` states the promises once. Each runs against every entry of
`BACKINGS`: an in-memory log, a log file, a log file opened read-only, and a log in
PostgreSQL. Every store
starts with the same five events in two streams (`seed`); for the read-only store they
are written first, through a writable store that is then closed. A read-only store
keeps every read promise, and refuses every write with `LogError`, changing nothing:
the write promises run inside `opened.writes()`, which expects exactly that there.

Another store joins the contract with one more `Backing` in
`BACKINGS`: how to open it seeded, and how to send it a statement of its own SQL.

The folder is tests/store, not tests/events: a tests/events folder (with no
__init__.py) is found as a namespace package `events` by every script run from tests/
(the concurrency and crash-safety workers), hiding the real one.
"""

from __future__ import annotations

import hashlib
import inspect
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import pytest

from events import GENESIS, EventLog, NewEvent, Recorded, chain_hash
from events.catalog import CaseOpened, DraftTransmitted, MotionMoved, Withdrawn
from events.errors import ConcurrencyError, LogError


def _new(title: str = "t", **envelope: str) -> NewEvent:
    return NewEvent(CaseOpened(title=title), **envelope)


def seed(store: EventLog) -> list[Recorded]:
    """Five events: stream a (3) and stream b (2), interleaved in the log."""
    out = store.append("a", [_new("a1"), NewEvent(DraftTransmitted("plenary"))], 0)
    out += store.append("b", [_new("b1", occurred_at="2014-11-18", actor="chair", note="n")],
                        0)
    out += store.append("a", [NewEvent(MotionMoved("adjourn-debate", "Cuba"))], 2)
    out += store.append("b", [NewEvent(Withdrawn("x", "draft"))], 1)
    return out


# --- the backings -------------------------------------------------------------------------


class Backing:
    """One way of holding a log: how to open it with the seed in it."""

    name = ""
    writable = True

    def open(self, tmp: Path) -> tuple[EventLog, list[Recorded]]:
        raise NotImplementedError

    def run_sql(self, store: EventLog, sql: str) -> None:
        """Send the store a statement in its own SQL, past its API (as a forger could)."""
        store.conn.execute(sql)

    database_error: type[Exception] = sqlite3.DatabaseError

    def fingerprint(self, store: EventLog) -> Any:
        """Everything a refused write must leave as it was."""
        return list(store.rows()), store.streams(), store.count()


class Memory(Backing):
    name = "memory"

    def open(self, tmp: Path) -> tuple[EventLog, list[Recorded]]:
        store = EventLog(":memory:")
        return store, seed(store)


class File(Backing):
    name = "file"

    def open(self, tmp: Path) -> tuple[EventLog, list[Recorded]]:
        store = EventLog(tmp / "log.db")
        return store, seed(store)


class ReadOnlyFile(Backing):
    name = "read-only file"
    writable = False

    def open(self, tmp: Path) -> tuple[EventLog, list[Recorded]]:
        self.path = tmp / "log.db"
        with EventLog(self.path) as writer:
            seeded = seed(writer)
        return EventLog(self.path, readonly=True), seeded

    def fingerprint(self, store: EventLog) -> Any:
        return super().fingerprint(store), hashlib.sha256(self.path.read_bytes()).hexdigest()


class Postgres(Backing):
    """A log in a PostgreSQL database: a schema of its own on the test server
    (tests/pg_helpers.py; skipped, saying how to run it, where no server answers)."""

    name = "postgresql"

    def open(self, tmp: Path) -> tuple[EventLog, list[Recorded]]:
        from pg_helpers import fresh_url

        from events.postgres import PostgresLog

        store = PostgresLog(fresh_url())
        return store, seed(store)

    def run_sql(self, store: EventLog, sql: str) -> None:
        store.conn.raw.execute(sql)  # psycopg's own connection, past the store

    @property
    def database_error(self) -> type[Exception]:  # type: ignore[override]
        import psycopg

        return psycopg.Error


BACKINGS: list[Callable[[], Backing]] = [Memory, File, ReadOnlyFile, Postgres]


@attrs.define
class Opened:
    """A store of one backing, with the seed's events as `append` returned them."""

    store: EventLog
    seeded: list[Recorded]
    backing: Backing

    @contextmanager
    def writes(self) -> Iterator[EventLog]:
        """Run a write promise: kept by a writable store; by a read-only one refused
        with `LogError` at the first write, and nothing changed."""
        if self.backing.writable:
            yield self.store
            return
        before = self.backing.fingerprint(self.store)
        with pytest.raises(LogError, match="read-only"):
            yield self.store
        assert self.backing.fingerprint(self.store) == before


@pytest.fixture(params=BACKINGS, ids=lambda make: make.name)
def opened(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opened]:
    backing = request.param()
    store, seeded = backing.open(tmp_path)
    try:
        yield Opened(store, seeded, backing)
    finally:
        store.close()


class TestStoreContract:
    # --- reading what was appended ----------------------------------------------------

    def test_what_was_appended_reads_back_as_it_was_returned(self, opened: Opened) -> None:
        store, seeded = opened.store, opened.seeded
        assert list(store.select()) == seeded
        assert [r.event for r in seeded] == [
            CaseOpened(title="a1"), DraftTransmitted("plenary"), CaseOpened(title="b1"),
            MotionMoved("adjourn-debate", "Cuba"), Withdrawn("x", "draft")]
        b1 = seeded[2]
        assert (b1.occurred_at, b1.actor, b1.note) == ("2014-11-18", "chair", "n")
        assert all(str(uuid.UUID(r.event_id)) == r.event_id for r in seeded)
        assert store.find(b1.event_id) == b1
        assert store.find(str(uuid.uuid4())) is None

    def test_versions_are_contiguous_from_one_in_each_stream(self, opened: Opened) -> None:
        store = opened.store
        assert [r.version for r in store.select("a")] == [1, 2, 3]
        assert [r.version for r in store.select("b")] == [1, 2]
        assert {r.stream_id for r in store.select("a")} == {"a"}
        assert (store.stream_version("a"), store.stream_version("b")) == (3, 2)
        assert store.stream_version("nobody") == 0
        assert store.streams() == [("a", 3), ("b", 2)]  # in order of first appearance
        assert store.count() == 5

    def test_positions_increase_in_log_order(self, opened: Opened) -> None:
        records = list(opened.store.select())
        assert [r.position for r in records] == [1, 2, 3, 4, 5]
        assert [(r.stream_id, r.version) for r in records] == [
            ("a", 1), ("a", 2), ("b", 1), ("a", 3), ("b", 2)]

    def test_select_takes_a_range_of_versions_or_of_positions(self, opened: Opened) -> None:
        store = opened.store
        assert inspect.isgenerator(store.select())  # streamed, not a list
        assert [r.version for r in store.select("a", upto=2)] == [1, 2]
        assert [r.version for r in store.select("a", after=1)] == [2, 3]
        assert [r.version for r in store.select("a", after=1, upto=2)] == [2]
        assert [r.version for r in store.select("a", upto=99)] == [1, 2, 3]
        assert list(store.select("a", upto=0)) == list(store.select("a", after=3)) == []
        assert list(store.select("nobody")) == []
        assert [r.position for r in store.select(after=2)] == [3, 4, 5]
        assert [r.position for r in store.select(after=1, upto=4)] == [2, 3, 4]
        assert list(store.select(after=5)) == []

    def test_rows_are_the_selected_rows_undecoded(self, opened: Opened) -> None:
        store = opened.store
        records = list(store.select())
        assert [tuple(row) for row in store.rows()] == [tuple(r[:12]) for r in records]
        assert [tuple(row) for row in store.rows(after=3)] == [tuple(r[:12]) for r in records[3:]]
        assert [tuple(row) for row in store.rows("a", 1, 2, EventLog.REPLAY)] == [
            (2, None, "DraftTransmitted", records[1].schema_version, records[1].payload)]
        assert [row[:2] for row in store.rows(columns=EventLog.FOLD)] == [
            ("a", 1), ("a", 2), ("b", 1), ("a", 3), ("b", 2)]
        with pytest.raises(ValueError, match="columns"):
            store.rows(columns=("payload", "1; drop table events"))

    def test_each_row_is_chained_to_the_one_before(self, opened: Opened) -> None:
        previous = GENESIS
        for row, returned in zip(opened.store.rows(), opened.seeded, strict=True):
            assert row[11] == chain_hash(previous, row[1:11]) == returned.hash
            previous = row[11]

    # --- appending ----------------------------------------------------------------------

    def test_an_append_continues_its_stream_and_the_log(self, opened: Opened) -> None:
        with opened.writes() as store:
            more = store.append("a", [_new("a4"), _new("a5")], 3)
            assert [(r.version, r.position) for r in more] == [(4, 6), (5, 7)]
            assert list(store.select("a", after=3)) == more
            fresh = store.append("c", [_new("c1")], 0)
            assert [(r.version, r.position) for r in fresh] == [(1, 8)]
            assert store.streams() == [("a", 5), ("b", 2), ("c", 1)]

    @pytest.mark.parametrize("expected", [0, 2, 4])
    def test_a_stale_expected_version_raises_and_appends_nothing(
        self, opened: Opened, expected: int
    ) -> None:
        with opened.writes() as store:
            with pytest.raises(ConcurrencyError) as info:
                store.append("a", [_new("late")], expected)
            assert (info.value.stream_id, info.value.expected, info.value.actual) == (
                "a", expected, 3)
            assert list(store.select()) == opened.seeded
            with pytest.raises(ConcurrencyError):
                store.append("new", [_new()], 1)  # a new stream is at version 0
            assert store.count() == 5

    def test_an_event_id_is_recorded_once(self, opened: Opened) -> None:
        ids = [str(uuid.uuid4()), str(uuid.uuid4())]
        with opened.writes() as store:
            first = store.append("c", [_new("1", event_id=ids[0]), _new("2", event_id=ids[1])],
                                 0)
            again = store.append("c", [_new("1", event_id=ids[0]), _new("2", event_id=ids[1])],
                                 0)  # a retry: the same rows, nothing appended
            assert again == first and store.count() == 7
            with pytest.raises(LogError, match="already"):
                store.append("d", [_new("x", event_id=ids[0])], 0)  # on another stream
            with pytest.raises(LogError, match="already"):
                store.append("c", [_new("3", event_id=ids[1]), _new("4")], 2)  # half a retry
            assert store.count() == 7 and store.stream_version("d") == 0

    def test_a_failed_append_appends_none_of_its_events(self, opened: Opened) -> None:
        taken = opened.seeded[0].event_id
        with opened.writes() as store:
            (c1,) = store.append("c", [_new("c1")], 0)
            with pytest.raises(LogError, match="already"):
                store.append("a", [_new("kept?"), _new("reused id", event_id=taken)], 3)
            with pytest.raises(ConcurrencyError):
                store.append("a", [_new("kept?"), _new("stale")], 2)
            assert list(store.select()) == [*opened.seeded, c1]
            assert [r.version for r in store.append("a", [_new("next")], 3)] == [4]

    def test_a_transaction_keeps_all_of_its_appends_or_none(self, opened: Opened) -> None:
        with opened.writes() as store:
            with pytest.raises(RuntimeError, match="boom"), store.transaction():
                store.append("a", [_new("a4")], 3)
                with store.transaction():
                    store.append("c", [_new("c1")], 0)
                raise RuntimeError("boom")
            assert list(store.select()) == opened.seeded
            with store.transaction():
                store.append("a", [_new("a4")], 3)
                with pytest.raises(ConcurrencyError), store.transaction():
                    store.append("c", [_new("c1")], 0)
                    store.append("a", [_new("stale")], 3)  # undoes this level only
                store.append("d", [_new("d1")], 0)
            assert [r.stream_id for r in store.select(after=5)] == ["a", "d"]

    def test_recorded_events_cannot_be_updated_or_deleted(self, opened: Opened) -> None:
        backing, store = opened.backing, opened.store
        before = backing.fingerprint(store)
        refusal = "append-only" if backing.writable else "readonly"
        for sql in ("update events set actor = 'forger' where position = 1",
                    "delete from events where position = 5", "delete from events"):
            with pytest.raises(backing.database_error, match=refusal):
                backing.run_sql(store, sql)
        assert backing.fingerprint(store) == before

    # --- derived tables ---------------------------------------------------------------

    def test_a_derived_table_is_made_and_filled_through_the_store(self, opened: Opened) -> None:
        with opened.writes() as store:
            with store.transaction():
                store.ensure_table("derived", {"stream_id": str, "n": int}, pk="stream_id",
                                   not_null=("n",), indexes={"derived_n": ("n",)})
                store.write("insert into derived values (?, ?)", [("a", 3), ("b", 2)])
            assert store.has_table("derived")
            assert sorted(store.query("select stream_id, n from derived")) == [("a", 3),
                                                                              ("b", 2)]
            store.ensure_table("derived", {"stream_id": str, "n": int}, pk="stream_id")
            assert store.query("select count(*) from derived").fetchone() == (2,)  # kept
            store.ensure_table("derived", {"stream_id": str, "n": int}, pk="stream_id",
                               replace=True)
            assert store.query("select count(*) from derived").fetchone() == (0,)
            assert list(store.select()) == opened.seeded  # the events untouched

    def test_the_log_s_own_tables_are_not_derived_tables(self, opened: Opened) -> None:
        store = opened.store
        before = opened.backing.fingerprint(store)
        for name in ("events", "meta"):
            with pytest.raises(LogError, match="own tables"):
                store.ensure_table(name, {"x": int}, pk="x", replace=True)
        with pytest.raises(LogError, match="the store's own"):
            store.set_meta("schema_version", "99")
        assert opened.backing.fingerprint(store) == before
        assert not store.has_table("derived")
