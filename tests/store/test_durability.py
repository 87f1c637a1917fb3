"""Durability settings: every commit waits for the disk unless the caller asks otherwise.

`engine.open(path)` commits with SQLite's `synchronous=FULL` in WAL mode: an action is
on disk when it returns. `durable=False` (`synchronous=NORMAL`) stops waiting, keeps
every commit atomic, and may lose the last commits to a power cut; that trade is the
caller's to make, never the default. (Crash safety under SIGKILL, which both settings
survive, is tested in tests/store/test_crash_safety.py.)
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import engine
from engine.app.verify import verify
from events import EventLog
from events.errors import LogError

FULL, NORMAL = 2, 1  # PRAGMA synchronous values


def _synchronous(log: engine.ProcedureLog) -> int:
    return log.events.conn.execute("pragma synchronous").fetchone()[0]


def _journal(log: engine.ProcedureLog) -> str:
    return log.events.conn.execute("pragma journal_mode").fetchone()[0]


def test_a_log_waits_for_the_disk_by_default(tmp_path: Path) -> None:
    with engine.open(tmp_path / "log.db") as log:
        assert (_journal(log), _synchronous(log)) == ("wal", FULL)
        assert log.events.durable is True


def test_durable_false_stops_waiting_but_keeps_wal(tmp_path: Path) -> None:
    with engine.open(tmp_path / "log.db", durable=False) as log:
        assert (_journal(log), _synchronous(log)) == ("wal", NORMAL)
        case = log.new_case("c", title="t")
        case.submit_draft(body="plenary", symbol="A/1", title="t", sponsors=["Japan"])
    # What it wrote is an ordinary log: reopened durably, it reads and verifies.
    with engine.open(tmp_path / "log.db") as log:
        assert _synchronous(log) == FULL
        assert log.state("c") == "plenary.tabled"
        assert verify(log).ok


def test_the_setting_belongs_to_the_connection_not_the_file(tmp_path: Path) -> None:
    path = tmp_path / "log.db"
    with engine.open(path, durable=False), EventLog(path) as other:
        assert other.conn.execute("pragma synchronous").fetchone()[0] == FULL


@pytest.mark.parametrize("bad", ["no", 0, None, "False"])
def test_durable_must_be_a_bool(tmp_path: Path, bad: object) -> None:
    with pytest.raises(engine.InvalidArgumentError, match="durable must be True or False"):
        engine.open(tmp_path / "log.db", durable=bad)  # type: ignore[arg-type]
    assert not (tmp_path / "log.db").exists()


def test_an_old_log_in_rollback_journal_mode_stays_durable(tmp_path: Path) -> None:
    # synchronous=NORMAL is corruption-free only in WAL mode; a log written by the first
    # version of procedura keeps its rollback journal, so it keeps FULL too.
    old = tmp_path / "v1.db"
    shutil.copy(Path(__file__).parents[1] / "fixtures" / "v1-log.db", old)
    with engine.open(old, durable=False) as log:
        assert _journal(log) != "wal"
        assert (_synchronous(log), log.events.durable) == (FULL, True)


def test_the_event_log_checks_durable_too(tmp_path: Path) -> None:
    with pytest.raises(LogError, match="durable must be True or False"):
        EventLog(tmp_path / "log.db", durable="no")  # type: ignore[arg-type]
    with EventLog(tmp_path / "log.db", durable=False) as log:
        assert log.durable is False
