"""Paths and numbers that would hurt: each is one clear line, exit 2, nothing appended,
and no file touched that procedura did not create.

- an output file (export --output, play --save) that is the log, one of the files
  SQLite keeps beside it, or the log under another name (a symbolic or a hard link);
- a --db that is a folder, /dev/null or a FIFO (which would block a reader);
- `state --at` past the end of a case, and numbers too large for SQLite.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from reliability_helpers import Result, assert_one_line_error, cli, sample_log

CASE = "dprk-2014"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def log(tmp_path: Path) -> Path:
    """A private copy of a log holding dprk-2014 (9 events)."""
    return sample_log(tmp_path / "un.db", kind="one")


def files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


@pytest.mark.parametrize("target", ["un.db", "./un.db", "un.db-wal", "un.db-shm",
                                    "un.db-journal", "link.db", "hard.db"])
def test_export_refuses_to_write_onto_the_log(log: Path, target: str) -> None:
    os.symlink(log.name, log.parent / "link.db")
    os.link(log, log.parent / "hard.db")
    before, present = digest(log), files(log.parent)
    for fmt in ("json", "html", "popolo"):
        line = assert_one_line_error(cli("export", CASE, "--db", log, "--format", fmt,
                                         "--output", log.parent / target))
        assert "--output" in line and "log" in line, line
    assert digest(log) == before and files(log.parent) == present
    assert cli("verify", "--db", log).code == 0


def test_export_to_a_folder_is_one_line(log: Path) -> None:
    line = assert_one_line_error(cli("export", CASE, "--db", log, "--output", log.parent))
    assert "directory" in line


def test_export_to_another_file_still_works(log: Path) -> None:
    result = cli("export", CASE, "--db", log, "--output", log.parent / "dprk.json")
    assert result.code == 0, result.err
    assert (log.parent / "dprk.json").read_text(encoding="utf-8").startswith("{")


@pytest.mark.parametrize("target", ["un.db", "un.db-wal", "un.db-shm"])
def test_play_refuses_to_save_onto_its_log(log: Path, target: str) -> None:
    before, present = digest(log), files(log.parent)
    line = assert_one_line_error(cli("play", "--db", log, "--case", CASE, "--save",
                                     log.parent / target))
    assert "--save" in line
    assert digest(log) == before and files(log.parent) == present


COMMANDS_WITH_DB = [
    ["state", CASE], ["log"], ["cases"], ["verify"], ["replay", CASE], ["run", "darfur-2005"],
    ["export", CASE], ["project"], ["votes", "--case", CASE], ["what-if", CASE, "--at", "4"],
    ["diagram", "--case", CASE],
]


@pytest.mark.parametrize("command", COMMANDS_WITH_DB, ids=lambda c: c[0])
@pytest.mark.parametrize("kind", ["folder", "/dev/null", "fifo"])
def test_a_db_that_is_no_regular_file_is_one_line(tmp_path: Path, command: list[str],
                                                  kind: str) -> None:
    if kind == "folder":
        db = tmp_path / "a-folder"
        db.mkdir()
    elif kind == "fifo":
        db = tmp_path / "a-fifo"
        os.mkfifo(db)
    else:
        db = Path(kind)
    present = files(tmp_path)
    line = assert_one_line_error(cli(*command, "--db", db))  # and no hang on the FIFO
    assert str(db) in line and ("directory" in line or "regular file" in line), line
    assert files(tmp_path) == present


def test_state_at_past_the_end_says_how_many_events(log: Path) -> None:
    line = assert_one_line_error(cli("state", CASE, "--db", log, "--at", 99))
    assert "9 events" in line and "99" in line
    assert cli("state", CASE, "--db", log, "--at", 9).code == 0


@pytest.mark.parametrize("command", [
    ["state", CASE, "--at", str(10**30)],
    ["votes", "--session", str(10**30)],
    ["what-if", CASE, "--at", str(10**30)],
    ["replay", CASE, "--to", str(10**30)],
], ids=lambda c: c[0])
def test_huge_numbers_are_one_line(log: Path, command: list[str]) -> None:
    assert cli("project", "--db", log).code == 0
    result: Result = cli(*command, "--db", log)
    assert not result.traceback, result.err
    if command[0] != "replay":  # replay --to stops after event N: past the end is all
        assert_one_line_error(result)


@pytest.mark.parametrize(("text", "message"), [
    ("[" * 200_000, "nested too deeply to be a Popolo document"),
    ('{"motions": 5, "vote_events": "x"}', "motions must be an array, not int"),
    ('{"motions": [{"id": 5}], "vote_events": [{}]}', "motions[0].id must be a string"),
    ("\xff\xfe not text", "not JSON"),
])
def test_a_hostile_popolo_document_is_one_line(tmp_path: Path, text: str, message: str) -> None:
    document = tmp_path / "doc.json"
    document.write_bytes(text.encode("latin-1") if text.startswith("\xff") else text.encode())
    db = tmp_path / "log.db"
    assert message in assert_one_line_error(cli("import", "popolo", document, "--db", db))
    assert files(tmp_path) <= {"doc.json", "log.db", "log.db-wal", "log.db-shm"}
