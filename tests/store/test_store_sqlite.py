"""What the SQLite store does beyond the contract: its file's schema, its locks, its imports.

The promises every store keeps are in test_store_contract.py; the file's opening errors
in tests/store/test_log.py.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from events import EventLog, NewEvent
from events.catalog import CaseOpened
from events.errors import LogError

FIXTURES = Path(__file__).parents[1] / "fixtures"


def _schema(path: Path) -> dict[str, str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return dict(conn.execute("select name, sql from sqlite_master"
                                 " where tbl_name in ('events', 'meta')").fetchall())
    finally:
        conn.close()


def test_a_new_log_has_the_schema_of_the_first_logs_and_the_later_trigger(
    tmp_path: Path,
) -> None:
    EventLog(tmp_path / "new.db").close()
    new, first = _schema(tmp_path / "new.db"), _schema(FIXTURES / "v1-log.db")
    assert new.pop("events_no_replace").startswith("CREATE TRIGGER events_no_replace")
    assert new == first  # the events and meta tables, their indexes, the two triggers


def test_a_writable_open_restores_dropped_append_only_triggers(tmp_path: Path) -> None:
    path = tmp_path / "log.db"
    EventLog(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    for name in ("events_no_update", "events_no_delete", "events_no_replace"):
        conn.execute(f"drop trigger {name}")
    conn.close()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with EventLog(path, readonly=True) as reader:  # a reader changes nothing
        assert reader.db["events"].triggers_dict == {}
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    with EventLog(path) as log:
        assert set(log.db["events"].triggers_dict) == {
            "events_no_update", "events_no_delete", "events_no_replace"}


def test_ensure_table_makes_columns_keys_indexes_and_foreign_keys(tmp_path: Path) -> None:
    with EventLog(tmp_path / "log.db") as log:
        log.ensure_table("parent", {"id": int, "name": str}, pk="id", not_null=("name",))
        log.ensure_table("child", {"id": int, "pid": int, "at": str}, pk=("id", "at"),
                         indexes={"child_pid": ("pid",), "child_at": ("at", "pid")},
                         unique=("child_at",), foreign_keys=[("pid", "parent", "id")])
        parent, child = log.db["parent"], log.db["child"]
        assert parent.columns_dict == {"id": int, "name": str} and parent.pks == ["id"]
        assert [c.name for c in parent.columns if c.notnull] == ["name"]
        assert child.pks == ["id", "at"]
        assert {(i.name, tuple(i.columns), bool(i.unique)) for i in child.indexes
                if not i.name.startswith("sqlite_")} == {
            ("child_pid", ("pid",), False), ("child_at", ("at", "pid"), True)}
        assert [(fk.column, fk.other_table, fk.other_column) for fk in child.foreign_keys] == [
            ("pid", "parent", "id")]


def test_a_commit_that_fails_leaves_no_transaction_open(tmp_path: Path) -> None:
    with EventLog(tmp_path / "log.db") as log:
        log.ensure_table("parent", {"id": int}, pk="id")
        log.ensure_table("child", {"id": int, "pid": int}, pk="id",
                         foreign_keys=[("pid", "parent", "id")])
        log.conn.execute("pragma foreign_keys = on")
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"), log.transaction():
            log.conn.execute("pragma defer_foreign_keys = on")  # checked at the commit
            log.write("insert into child values (?, ?)", [(1, 99)])
            log.append("a", [NewEvent(CaseOpened(title="lost"))], 0)
        assert not log.conn.in_transaction
        assert log.count() == 0
        assert [r.version for r in log.append("a", [NewEvent(CaseOpened(title="t"))], 0)] == [1]


def test_a_transaction_that_may_not_wait_fails_at_once_when_the_log_is_held(
    tmp_path: Path,
) -> None:
    path = tmp_path / "log.db"
    with EventLog(path) as log:
        log.append("a", [NewEvent(CaseOpened(title="t"))], 0)
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("begin immediate")
        try:
            began = time.monotonic()
            with pytest.raises(LogError, match="busy: another writer holds it"), \
                    log.transaction(wait=False):
                pytest.fail("the body must not run")
            assert time.monotonic() - began < 2  # not the 10 s a waiting writer allows
        finally:
            holder.execute("rollback")
            holder.close()
        assert log.conn.execute("pragma busy_timeout").fetchone() == (10_000,)  # restored
        with log.transaction(wait=False):
            log.append("a", [NewEvent(CaseOpened(title="u"))], 1)
        assert log.count() == 2


def test_a_read_only_store_refuses_derived_tables_too(tmp_path: Path) -> None:
    path = tmp_path / "log.db"
    EventLog(path).close()
    with EventLog(path, readonly=True) as log:
        with pytest.raises(LogError, match="read-only"):
            log.ensure_table("derived", {"x": int}, pk="x")
        with pytest.raises(LogError, match="read-only"):
            log.set_meta("derived_tables", "derived")
        assert not log.has_table("derived")


def test_the_event_classes_load_without_the_store() -> None:
    """`import events` and its codec load no sqlite3; the store's names load on use."""
    code = ("import sys, events, events.catalog, events.codec, events.errors\n"
            "before = 'sqlite3' in sys.modules\n"
            "names = {'EventLog', 'NewEvent', 'Recorded', 'GENESIS', 'LOG_SCHEMA_VERSION',"
            " 'chain_hash'}\n"
            "listed = names <= set(dir(events)) and names <= set(events.__all__)\n"
            "from events import EventLog, NewEvent, Recorded, GENESIS, LOG_SCHEMA_VERSION,"
            " chain_hash\n"
            "import events.log\n"
            "print(before, listed, 'sqlite3' in sys.modules, EventLog is events.log.EventLog)")
    root = Path(__file__).parents[2]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=root, check=True)
    assert done.stdout.split() == ["False", "True", "True", "True"]
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        import events

        _ = events.nothing  # type: ignore[attr-defined]


def test_the_first_version_log_opens_and_reads(tmp_path: Path) -> None:
    copy = tmp_path / "v1.db"
    shutil.copy(FIXTURES / "v1-log.db", copy)
    with EventLog(copy, readonly=True) as log:
        rows = list(log.rows())
        assert rows and [r[:12] for r in log.select()] == rows
        assert sum(v for _, v in log.streams()) == log.count() == len(rows)
