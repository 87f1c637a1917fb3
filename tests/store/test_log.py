"""Tests for events.log, the SQLite event log, one per guarantee (every store's: tests/store)."""

from __future__ import annotations

import hashlib
import inspect
import json
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from events.catalog import CaseOpened, DraftTransmitted, MotionMoved, Withdrawn
from events.codec import encode
from events.errors import ConcurrencyError, LogError, ProcedureError
from events.log import LOG_SCHEMA_VERSION, EventLog, NewEvent, chain_hash

GENESIS = "0" * 64


def _new(title: str = "t", **envelope: str) -> NewEvent:
    return NewEvent(CaseOpened(title=title), **envelope)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "log.db"


@pytest.fixture
def log(path: Path) -> Iterator[EventLog]:
    with EventLog(path) as opened:
        yield opened


@pytest.fixture
def filled(path: Path) -> Path:
    """A closed log file with two streams and five events."""
    with EventLog(path) as log:
        log.append("a", [_new("a1"), NewEvent(DraftTransmitted("plenary"))], 0)
        log.append("b", [_new("b1", occurred_at="2014-11-18", actor="chair", note="n")], 0)
        log.append("a", [NewEvent(MotionMoved("adjourn-debate", "Cuba"))], 2)
        log.append("b", [NewEvent(Withdrawn("x", "draft"))], 1)
    return path


# --- appending ---------------------------------------------------------------------------


def test_append_returns_recorded_rows_with_contiguous_versions_and_positions(
    log: EventLog,
) -> None:
    first = log.append("a", [_new("1"), _new("2"), _new("3")], 0)
    other = log.append("b", [_new("4")], 0)
    more = log.append("a", [_new("5"), _new("6")], 3)
    assert [r.version for r in first] == [1, 2, 3]
    assert [r.version for r in other] == [1]
    assert [r.version for r in more] == [4, 5]
    assert [r.position for r in first + other + more] == [1, 2, 3, 4, 5, 6]
    assert [r.stream_id for r in first + other + more] == ["a", "a", "a", "b", "a", "a"]
    assert [r.event.title for r in more] == ["5", "6"]  # type: ignore[attr-defined]
    assert log.stream_version("a") == 5 and log.stream_version("b") == 1
    assert log.count() == 6


def test_append_records_the_envelope(log: EventLog) -> None:
    event_id = str(uuid.uuid4())
    (row,) = log.append(
        "a", [_new("x", occurred_at="2014-11-18", actor="chair", note="hi", event_id=event_id)],
        0,
    )
    assert (row.event_id, row.occurred_at, row.actor, row.note) == (
        event_id, "2014-11-18", "chair", "hi")
    assert (row.type, row.schema_version) == ("CaseOpened", CaseOpened.version)
    assert row.payload == encode(CaseOpened(title="x"))
    assert json.loads(row.payload)["title"] == "x"
    assert row.recorded_at.endswith("+00:00")
    assert row.event == CaseOpened(title="x")


def test_append_generates_unique_uuid_event_ids(log: EventLog) -> None:
    rows = log.append("a", [_new(), _new(), _new()], 0)
    ids = [r.event_id for r in rows]
    assert len(set(ids)) == 3
    assert all(str(uuid.UUID(i)) == i for i in ids)


def test_append_returns_what_is_stored(log: EventLog) -> None:
    returned = log.append("a", [_new("x", actor="me"), NewEvent(Withdrawn("s", "draft"))], 0)
    assert list(log.select()) == returned


# --- reading -----------------------------------------------------------------------------


def test_select_of_a_stream_in_version_order_and_only_that_stream(filled: Path) -> None:
    with EventLog(filled) as log:
        rows = list(log.select("a"))
    assert [r.version for r in rows] == [1, 2, 3]
    assert {r.stream_id for r in rows} == {"a"}
    assert [type(r.event) for r in rows] == [CaseOpened, DraftTransmitted, MotionMoved]


def test_select_of_a_stream_upto_stops_at_that_version(filled: Path) -> None:
    with EventLog(filled) as log:
        assert [r.version for r in log.select("a", upto=2)] == [1, 2]
        assert [r.version for r in log.select("a", upto=1)] == [1]
        assert list(log.select("a", upto=0)) == []
        assert [r.version for r in log.select("a", upto=99)] == [1, 2, 3]


def test_select_of_an_unknown_stream_is_empty(filled: Path) -> None:
    with EventLog(filled) as log:
        assert list(log.select("nobody")) == []
        assert log.stream_version("nobody") == 0


def test_select_of_the_log_is_a_lazy_iterator_from_a_position(filled: Path) -> None:
    with EventLog(filled) as log:
        everything = log.select()
        assert inspect.isgenerator(everything)
        assert [r.position for r in everything] == [1, 2, 3, 4, 5]
        assert [r.position for r in log.select(after=3)] == [4, 5]
        assert [r.position for r in log.select(after=5)] == []
        assert [(r.stream_id, r.version) for r in log.select()] == [
            ("a", 1), ("a", 2), ("b", 1), ("a", 3), ("b", 2)]


def test_streams_in_order_of_first_appearance(filled: Path) -> None:
    with EventLog(filled) as log:
        assert log.streams() == [("a", 3), ("b", 2)]
        assert log.count() == 5


# --- append-only -------------------------------------------------------------------------


@pytest.mark.parametrize("statement", [
    "update events set actor = 'forger' where position = 1",
    "delete from events where position = 5",
], ids=["update", "delete"])
def test_update_and_delete_are_refused(filled: Path, statement: str) -> None:
    with EventLog(filled) as log:
        before = list(log.rows())
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            log.conn.execute(statement)
        assert list(log.rows()) == before


# --- optimistic concurrency --------------------------------------------------------------


@pytest.mark.parametrize("expected", [0, 1, 3])
def test_stale_expected_version_raises_and_appends_nothing(log: EventLog, expected: int) -> None:
    log.append("a", [_new(), _new()], 0)
    before = log.count()
    with pytest.raises(ConcurrencyError) as info:
        log.append("a", [_new("late")], expected)
    assert (info.value.stream_id, info.value.expected, info.value.actual) == ("a", expected, 2)
    assert "'a'" in str(info.value) and "version 2" in str(info.value)
    assert log.count() == before
    assert log.stream_version("a") == 2


def test_a_new_stream_must_be_expected_at_version_zero(log: EventLog) -> None:
    with pytest.raises(ConcurrencyError):
        log.append("fresh", [_new()], 1)
    assert log.count() == 0


def test_concurrency_error_is_a_procedure_error() -> None:
    assert issubclass(ConcurrencyError, ProcedureError)
    assert issubclass(LogError, ProcedureError)


# --- atomicity ---------------------------------------------------------------------------


def test_a_multi_event_append_is_atomic(log: EventLog) -> None:
    (existing,) = log.append("a", [_new("first")], 0)
    batch = [_new("kept?"), _new("duplicate id", event_id=existing.event_id)]
    with pytest.raises((sqlite3.IntegrityError, ProcedureError)):
        log.append("a", batch, 1)
    assert log.count() == 1
    assert [r.event.title for r in log.select()] == ["first"]  # type: ignore[attr-defined]
    assert log.stream_version("a") == 1
    assert [r.version for r in log.append("a", [_new("next")], 1)] == [2]


@pytest.mark.parametrize("size", [2, 64, 65])
def test_a_failed_append_inside_a_transaction_leaves_none_of_its_rows(
    log: EventLog, size: int
) -> None:
    # Inside a transaction a command's rows go in as one INSERT statement (or, past 64
    # rows, inside a savepoint): when its last row is refused, its first rows must go too,
    # while the transaction and what it wrote before carry on.
    log.conn.execute(f"create temp trigger refuse_last before insert on events when"
                     f" new.version = {size + 1} begin select raise(abort, 'refused'); end")
    with log.transaction():
        log.append("a", [_new("first")], 0)
        with pytest.raises(sqlite3.IntegrityError, match="refused"):
            log.append("a", [_new(f"n{i}") for i in range(size)], 1)
        assert log.stream_version("a") == 1
        log.append("b", [_new("after")], 0)
    titles = [r.event.title for r in log.select()]  # type: ignore[attr-defined]
    assert titles == ["first", "after"]


def test_nested_transaction_rolls_back_everything_on_an_exception(log: EventLog) -> None:
    log.append("a", [_new("before")], 0)
    with pytest.raises(RuntimeError, match="boom"), log.transaction():
        log.append("a", [_new("outer")], 1)
        with log.transaction():
            log.append("b", [_new("inner")], 0)
        log.append("c", [_new("after inner")], 0)
        raise RuntimeError("boom")
    assert [r.event.title for r in log.select()] == ["before"]  # type: ignore[attr-defined]
    assert log.streams() == [("a", 1)]


def test_an_inner_failure_undoes_only_the_inner_level(log: EventLog) -> None:
    with log.transaction():
        log.append("a", [_new("outer")], 0)
        with pytest.raises(ConcurrencyError), log.transaction():
            log.append("b", [_new("inner")], 0)
            log.append("a", [_new("stale")], 0)
        log.append("a", [_new("outer again")], 1)
    titles = [r.event.title for r in log.select()]  # type: ignore[attr-defined]
    assert titles == ["outer", "outer again"]


def test_committed_transaction_is_visible_to_another_connection(path: Path) -> None:
    with EventLog(path) as log:
        with log.transaction():
            log.append("a", [_new("1")], 0)
            log.append("a", [_new("2")], 1)
        with EventLog(path, readonly=True) as reader:
            assert reader.count() == 2


# --- tamper evidence ---------------------------------------------------------------------


def test_hash_chain_recomputed_from_the_stored_rows(filled: Path) -> None:
    with EventLog(filled) as log:
        rows = list(log.rows())
    assert len(rows) == 5
    previous = GENESIS
    for row in rows:
        assert len(row) == 12
        assert row[11] == chain_hash(previous, row[1:11])
        previous = row[11]


def test_hash_of_returned_rows_matches_the_stored_chain(log: EventLog) -> None:
    returned = log.append("a", [_new("1"), _new("2")], 0)
    stored = list(log.rows())
    assert [r.hash for r in returned] == [row[11] for row in stored]
    assert returned[0].hash == chain_hash(GENESIS, stored[0][1:11])


def test_hash_chain_detects_a_changed_field(filled: Path) -> None:
    with EventLog(filled) as log:
        rows = list(log.rows())
    previous = rows[1][11]
    row = list(rows[2][1:11])
    assert chain_hash(previous, row) == rows[2][11]
    row[7] = "forger"  # actor
    assert chain_hash(previous, row) != rows[2][11]
    assert chain_hash(GENESIS, rows[2][1:11]) != rows[2][11]  # order matters


def test_rows_from_a_position(filled: Path) -> None:
    with EventLog(filled) as log:
        assert [row[0] for row in log.rows(after=2)] == [3, 4, 5]


# --- the file ----------------------------------------------------------------------------


def test_file_is_in_wal_mode(filled: Path) -> None:
    with EventLog(filled) as log:
        assert log.conn.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_meta_table_records_the_schema_version(filled: Path) -> None:
    with EventLog(filled) as log:
        meta = dict(log.conn.execute("select key, value from meta"))
    assert meta["schema_version"] == "2" == str(LOG_SCHEMA_VERSION)
    assert meta["application"] == "procedura"


def test_file_opens_as_plain_sqlite_with_readable_json(filled: Path) -> None:
    conn = sqlite3.connect(filled)
    try:
        title = conn.execute(
            "select json_extract(payload, '$.title') from events where position = 1"
        ).fetchone()[0]
        columns = [r[1] for r in conn.execute("pragma table_info(events)")]
    finally:
        conn.close()
    assert title == "a1"
    assert columns == [
        "position", "event_id", "stream_id", "version", "type", "schema_version",
        "occurred_at", "recorded_at", "actor", "note", "payload", "hash",
    ]


def test_reopening_keeps_the_events(filled: Path) -> None:
    with EventLog(filled) as log:
        assert log.count() == 5
        log.append("a", [_new()], 3)
    with EventLog(filled) as log:
        assert log.count() == 6


# --- opening errors: LogError, and the file is left alone ---------------------------------


@pytest.mark.parametrize("readonly", [False, True])
def test_non_sqlite_file_is_refused(tmp_path: Path, readonly: bool) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_bytes(b"these are not the events you are looking for\n" * 50)
    digest = _sha256(bad)
    with pytest.raises(LogError, match=r"not a (SQLite )?database") as info:
        EventLog(bad, readonly=readonly)
    assert str(bad) in str(info.value)
    assert _sha256(bad) == digest


def test_empty_file_opened_read_only_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    with pytest.raises(LogError, match="not a procedura log: it is empty"):
        EventLog(empty, readonly=True)
    assert empty.read_bytes() == b""


@pytest.mark.parametrize("readonly", [False, True])
def test_sqlite_file_with_other_tables_is_refused(tmp_path: Path, readonly: bool) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("create table members (name text)")
    conn.execute("insert into members values ('Japan')")
    conn.commit()
    conn.close()
    digest = _sha256(other)
    with pytest.raises(LogError, match="not a procedura log") as info:
        EventLog(other, readonly=readonly)
    assert str(other) in str(info.value)
    assert _sha256(other) == digest


def test_sqlite_file_with_a_foreign_events_table_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "calendar.db"
    conn = sqlite3.connect(other)
    conn.execute("create table events (id integer primary key, summary text)")
    conn.commit()
    conn.close()
    with pytest.raises(LogError):
        EventLog(other)


def test_non_numeric_schema_version_is_refused(filled: Path) -> None:
    conn = sqlite3.connect(filled)
    conn.execute("update meta set value = 'one' where key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(LogError):
        EventLog(filled)


@pytest.mark.parametrize("readonly", [False, True])
def test_log_from_a_newer_procedura_is_refused(filled: Path, readonly: bool) -> None:
    conn = sqlite3.connect(filled)
    conn.execute("update meta set value = '99' where key = 'schema_version'")
    conn.commit()
    conn.close()
    digest = _sha256(filled)
    with pytest.raises(LogError, match="newer procedura") as info:
        EventLog(filled, readonly=readonly)
    assert "99" in str(info.value)
    assert _sha256(filled) == digest


def test_events_table_without_schema_version_is_refused(filled: Path) -> None:
    conn = sqlite3.connect(filled)
    conn.execute("delete from meta")
    conn.commit()
    conn.close()
    with pytest.raises(LogError, match="no procedura schema version"):
        EventLog(filled)


def test_missing_file_opened_read_only_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    with pytest.raises(LogError, match="does not exist") as info:
        EventLog(missing, readonly=True)
    assert str(missing) in str(info.value)
    assert not missing.exists()


def test_missing_folder_is_refused(tmp_path: Path) -> None:
    inside = tmp_path / "no" / "such" / "folder" / "log.db"
    with pytest.raises(LogError, match="does not exist") as info:
        EventLog(inside)
    assert str(inside.parent) in str(info.value)
    assert not (tmp_path / "no").exists()


def test_a_directory_is_not_a_log(tmp_path: Path) -> None:
    with pytest.raises(LogError):
        EventLog(tmp_path)


def test_in_memory_log_cannot_be_read_only() -> None:
    with pytest.raises(LogError, match="in-memory"):
        EventLog(":memory:", readonly=True)


def test_in_memory_log_works() -> None:
    with EventLog(":memory:") as log:
        log.append("a", [_new()], 0)
        assert log.count() == 1


# --- read-only ---------------------------------------------------------------------------


def test_read_only_log_refuses_transactions(filled: Path) -> None:
    with EventLog(filled, readonly=True) as log:
        with pytest.raises(LogError, match="read-only"), log.transaction():
            pytest.fail("the transaction body must not run")
        with pytest.raises(LogError, match="read-only"):
            log.append("a", [_new()], 3)
        assert log.count() == 5


def test_read_only_log_refuses_writes_at_the_sqlite_level(filled: Path) -> None:
    with EventLog(filled, readonly=True) as log, pytest.raises(sqlite3.OperationalError):
        log.conn.execute("insert into meta values ('x', 'y')")


def test_read_only_open_does_not_change_the_file(filled: Path) -> None:
    digest = _sha256(filled)
    with EventLog(filled, readonly=True) as log:
        assert len(list(log.select())) == 5
        assert [r.version for r in log.select("b")] == [1, 2]
        assert log.streams() == [("a", 3), ("b", 2)]
        assert len(list(log.rows())) == 5
    assert _sha256(filled) == digest
