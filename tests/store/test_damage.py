"""A full disk and a damaged file: one clear error, nothing half-written, the log intact.

A full disk is tried two ways: without root, by SQLite's `max_page_count` (the file may
not grow past a number of pages, and SQLite says "database or disk is full" exactly as
when the disk is); and, where the tests run as root, on a small tmpfs mounted for the
test, through the command line. A damaged file is made by overwriting one page of an
index with bytes no b-tree page holds.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from reliability_helpers import assert_one_line_error, cli

import engine
from engine.app.verify import verify
from events.errors import DamagedLogError, LogFullError

BUNDLED = Path(__file__).resolve().parents[2] / "replays" / "scenarios" / "dprk-2014.toml"


def _explanations(case: engine.Case, n: int) -> None:
    for i in range(n):
        case.explain_vote(on="L.1", by="Japan", when="before", text=f"{i} " + "x" * 2000)


def _open_case(log: engine.ProcedureLog) -> engine.Case:
    case = log.new_case("full", title="A case that fills the file")
    case.submit_draft(body="third-committee", symbol="L.1", title="Draft", sponsors=["Cuba"])
    return case


def test_a_page_limit_reached_is_log_full_and_keeps_the_log(tmp_path: Path) -> None:
    path = tmp_path / "log.db"
    with engine.open(path) as log:
        case = _open_case(log)
        pages = log.events.conn.execute("pragma page_count").fetchone()[0]
        log.events.conn.execute(f"pragma max_page_count = {pages + 8}")
        with pytest.raises(LogFullError, match="the disk is full"):
            _explanations(case, 200)
        kept = log.events.count()
        assert kept < 202  # it did fill up
    with engine.open(path, readonly=True) as log:
        assert log.events.count() == kept  # each action is whole or absent
        assert verify(log).ok
        assert log.case("full").version == kept


def _damage(path: Path, index: str = "idx_events_event_id") -> None:
    """Overwrite the root page of an index with a page header that cannot be valid."""
    con = sqlite3.connect(path)
    con.execute("pragma wal_checkpoint(truncate)")
    size = con.execute("pragma page_size").fetchone()[0]
    root = con.execute("select rootpage from sqlite_master where name = ?", (index,)).fetchone()[0]
    con.close()
    with open(path, "r+b") as f:
        f.seek((root - 1) * size)
        f.write(bytes([0x0D, 0, 0, 0, 5, 0xFF, 0xFF]) + b"\xee" * (size - 7))


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    path = tmp_path / "log.db"
    assert cli("run", BUNDLED, "--db", path).code == 0
    _damage(path)
    return path


def test_verify_reports_a_damaged_file_as_a_finding(damaged: Path) -> None:
    done = cli("verify", "--db", damaged)
    assert done.code == 1 and not done.traceback, done.err
    assert done.out.startswith("FAILED: the file is damaged: SQLite's integrity check")


def test_a_write_to_a_damaged_file_is_refused(damaged: Path, tmp_path: Path) -> None:
    scenario = tmp_path / "other.toml"
    scenario.write_text(BUNDLED.read_text(encoding="utf-8").replace(
        'id = "dprk-2014"', 'id = "other"'), encoding="utf-8")
    before = damaged.read_bytes()
    line = assert_one_line_error(cli("run", scenario, "--db", damaged))
    assert "is damaged" in line
    assert damaged.read_bytes() == before


def test_the_library_raises_damaged_log_error_for_a_damaged_file(damaged: Path) -> None:
    with engine.open(damaged) as log, pytest.raises(DamagedLogError, match="is damaged"):
        log.new_case("other", title="t").submit_draft(
            body="third-committee", symbol="L.9", title="Draft", sponsors=["Cuba"])


@pytest.mark.parametrize("command", [["cases"], ["state", "dprk-2014"], ["log"]])
def test_reading_a_damaged_file_is_one_line_or_the_truth(damaged: Path,
                                                         command: list[str]) -> None:
    """A read that meets the damaged page says so in one line (exit 2); one that does
    not meet it answers as before."""
    done = cli(*command, "--db", damaged)
    if done.code or done.traceback:
        assert "is damaged" in assert_one_line_error(done)


def _tmpfs(where: Path, size: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs",
                              str(where)], capture_output=True)
    return mounted.returncode == 0


def test_a_full_disk_under_the_command_line_is_one_line(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    if not _tmpfs(disk, "160k"):
        pytest.skip("needs root and tmpfs to mount a small disk (the page-limit test "
                    "above tries the same without them)")
    try:
        steps = "".join(f'\n[[step]]\naction = "explain_vote"\non = "L.1"\nby = "Japan"\n'
                        f'when = "before"\ntext = "{i} {"x" * 3000}"\n' for i in range(300))
        scenario = tmp_path / "long.toml"
        scenario.write_text('[case]\nid = "long"\ntitle = "Long"\n\n[[step]]\naction = '
                            '"submit_draft"\nbody = "third-committee"\nsymbol = "L.1"\n'
                            f'title = "Draft"\nsponsors = ["Cuba"]\n{steps}', encoding="utf-8")
        log = disk / "log.db"
        assert "the disk is full" in assert_one_line_error(cli("run", scenario, "--db", log))
        checked = cli("verify", "--db", log)
        assert checked.code == 0, checked.out + checked.err
        assert {f.name for f in disk.iterdir()} <= {"log.db", "log.db-wal", "log.db-shm"}
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)
