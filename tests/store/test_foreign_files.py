"""Foreign and old files: anything that is not a log we can read is refused, and left alone.

Every kind of file below, given to `procedura state/log/verify/replay/export/cases/
diagram --db`, gives exit 2 and one line saying what is wrong with it (never a
traceback), and the file's bytes are the same afterwards. Logs written by an older event
schema are read through upcasters (tests/app/test_old_logs.py, with the committed v1 fixture).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from reliability_helpers import (
    assert_one_line_error,
    cli,
    procedura,
    sample_log,
    sha256,
    unprivileged,
)

import engine
from engine.app.scenarios import load_scenario, run_scenario

CASE = "dprk-2014"
INSPECT = {
    "state": ("state", "--db", "{db}", CASE, "--json"),
    "log": ("log", "--db", "{db}"),
    "log-case": ("log", "--db", "{db}", CASE, "--json"),
    "verify": ("verify", "--db", "{db}"),
    "replay": ("replay", CASE, "--db", "{db}"),
    "export": ("export", CASE, "--db", "{db}"),
    "export-html": ("export", CASE, "--db", "{db}", "--format", "html"),
    "cases": ("cases", "--db", "{db}"),
    "diagram": ("diagram", "--case", CASE, "--db", "{db}"),
}


def args(command: str, db: Path) -> list[str]:
    return [a.format(db=db) for a in INSPECT[command]]


def _sqlite(path: Path, *sql: str) -> Path:
    con = sqlite3.connect(path)
    for statement in sql:
        con.execute(statement)
    con.commit()
    con.close()
    return path


def _newer(path: Path) -> Path:
    sample_log(path)
    return _sqlite(path, "update meta set value = '99' where key = 'schema_version'")


def _cut(size: int) -> Callable[[Path], Path]:
    def make(path: Path) -> Path:
        whole = sample_log(path.with_name("whole.db")).read_bytes()
        path.write_bytes(whole[:size] if size > 0 else whole[:len(whole) // 2])
        return path
    return make


FOREIGN: dict[str, tuple[Callable[[Path], Path], str]] = {
    # kind: (how to make it, what the one-line message must say)
    "newer-schema": (_newer, "newer procedura (log schema 99"),
    "not-sqlite": (lambda p: (p.write_bytes(b"hello, this is not a database\n" * 50), p)[1],
                   "is not a SQLite database"),
    "truncated-1k": (_cut(1024), "is a damaged SQLite database"),
    "truncated-2k": (_cut(2048), "is a damaged SQLite database"),
    "truncated-half": (_cut(0), "is a damaged SQLite database"),
    "zeroes": (lambda p: (p.write_bytes(bytes(8192)), p)[1], "is not a SQLite database"),
    "sqlite-other-tables": (lambda p: _sqlite(p, "create table members (name text)",
                                              "insert into members values ('Japan')"),
                            "without procedura's tables"),
    "sqlite-foreign-events": (lambda p: _sqlite(p, "create table events (id integer, what text)"),
                              "no procedura schema version"),
    # Another program's events and meta, even one that says schema_version 2: refused
    # before a trigger is added (a trigger would break that program's own inserts).
    "sqlite-foreign-events-and-meta": (
        lambda p: _sqlite(p, "create table events (id integer, what text)",
                          "create table meta (key text, value text)",
                          "insert into meta values ('schema_version', '2')"),
        "its events table has the columns (id, what), not a procedura log's"),
    "empty": (lambda p: (p.write_bytes(b""), p)[1], "not a procedura log: it is empty"),
}


@pytest.fixture(params=list(FOREIGN))
def foreign(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    make, message = FOREIGN[request.param]
    return make(tmp_path / f"{request.param}.db"), message


@pytest.mark.parametrize("command", list(INSPECT))
def test_a_foreign_file_gives_one_clear_line_and_exit_2(
    foreign: tuple[Path, str], command: str,
) -> None:
    path, message = foreign
    digest = sha256(path)
    line = assert_one_line_error(cli(*args(command, path)))
    assert message in line, line
    assert str(path) in line, line
    assert sha256(path) == digest, "the file was modified"


@pytest.mark.parametrize("kind", list(FOREIGN))
def test_a_foreign_file_through_a_real_process(tmp_path: Path, kind: str) -> None:
    make, message = FOREIGN[kind]
    path = make(tmp_path / f"{kind}.db")
    digest = sha256(path)
    line = assert_one_line_error(procedura("state", "--db", path, CASE))
    assert message in line
    assert sha256(path) == digest


@pytest.mark.parametrize("command", ["state", "log", "verify", "export", "cases", "diagram"])
def test_a_missing_path_gives_one_clear_line_and_creates_nothing(
    tmp_path: Path, command: str,
) -> None:
    path = tmp_path / "missing.db"
    line = assert_one_line_error(cli(*args(command, path)))
    assert f"no log at {path}" in line
    assert list(tmp_path.iterdir()) == []


def test_replay_of_an_unknown_name_with_a_missing_path_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "missing.db"
    assert_one_line_error(cli("replay", "k0", "--db", path))
    assert list(tmp_path.iterdir()) == []


def test_replay_of_a_bundled_scenario_into_a_missing_path_records_it(tmp_path: Path) -> None:
    """By design (see `procedura replay --help`): a scenario not yet in the log is
    recorded first, so this is the one inspection command that may create a log."""
    path = tmp_path / "new.db"
    result = cli("replay", CASE, "--db", path)
    assert result.code == 0, result.err
    with engine.open(path, readonly=True) as log:
        assert log.state(CASE) == "council.on_agenda"


@pytest.mark.parametrize("command", ["state", "replay"])
def test_a_directory_is_refused_without_a_traceback(tmp_path: Path, command: str) -> None:
    result = cli(*args(command, tmp_path))
    assert not result.traceback, result.err
    assert result.code == 2
    assert "is a directory, so it cannot hold a log" in result.err


def test_a_log_cut_short_by_one_byte_is_refused_on_opening(tmp_path: Path) -> None:
    """SQLite would read the missing byte as zero and say nothing; the header check does."""
    whole = sample_log(tmp_path / "whole.db").read_bytes()
    path = tmp_path / "short.db"
    path.write_bytes(whole[:-1])
    result = cli("verify", "--db", path)
    assert not result.traceback, result.err
    assert result.code == 2, result.out
    assert "damaged SQLite database" in result.err
    assert path.read_bytes() == whole[:-1]


def test_writing_to_a_log_from_a_newer_procedura_is_refused(tmp_path: Path) -> None:
    path = _newer(tmp_path / "newer.db")
    digest = sha256(path)
    scenario = load_scenario("darfur-2005")
    with pytest.raises(engine.LogError, match="newer procedura"):
        run_scenario(engine.open(path), scenario)
    line = assert_one_line_error(cli("run", "darfur-2005", "--db", path))
    assert "newer procedura" in line
    assert sha256(path) == digest


@pytest.mark.parametrize("kind", ["not-sqlite", "truncated-2k", "sqlite-other-tables",
                                  "sqlite-foreign-events-and-meta"])
def test_writing_to_a_foreign_file_is_refused(tmp_path: Path, kind: str) -> None:
    make, _ = FOREIGN[kind]
    path = make(tmp_path / f"{kind}.db")
    digest = sha256(path)
    line = assert_one_line_error(cli("run", "darfur-2005", "--db", path))
    assert str(path) in line
    assert re.search(r"not a (SQLite )?database|damaged SQLite database|malformed|"
                     r"without procedura's tables|not a procedura log's", line)
    assert sha256(path) == digest


@pytest.mark.parametrize("kind", ["truncated-1k", "truncated-half"])
def test_inspecting_a_foreign_file_leaves_nothing_beside_it(tmp_path: Path, kind: str) -> None:
    make, _ = FOREIGN[kind]
    path = make(tmp_path / f"{kind}.db")
    before = sorted(p.name for p in tmp_path.iterdir())
    assert cli("state", "--db", path, CASE).code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == before


# --- a read-only file ------------------------------------------------------------------------


@pytest.fixture
def read_only(tmp_path: Path) -> Path:
    path = sample_log(tmp_path / "ro.db")
    path.chmod(0o444)
    return path


@pytest.mark.parametrize("command", list(INSPECT))
def test_inspecting_a_read_only_file_works_and_changes_nothing(
    read_only: Path, command: str,
) -> None:
    """In this process (root ignores 0o444 here): mode=ro keeps the bytes the same."""
    digest = sha256(read_only)
    result = cli(*args(command, read_only))
    assert result.code == 0, result.err
    assert sha256(read_only) == digest


def test_inspecting_a_read_only_file_as_a_process_that_cannot_write_it(read_only: Path) -> None:
    preexec = unprivileged()
    digest = sha256(read_only)
    for command in ("state", "log-case", "verify", "replay", "export"):
        result = procedura(*args(command, read_only), preexec_fn=preexec)
        assert result.code == 0, (command, result.err)
        assert not result.traceback
    assert sha256(read_only) == digest


def test_recording_into_a_read_only_file_is_a_clear_error(read_only: Path) -> None:
    preexec = unprivileged()
    digest = sha256(read_only)
    result = procedura("run", "darfur-2005", "--db", read_only, preexec_fn=preexec)
    assert sha256(read_only) == digest
    line = assert_one_line_error(result)
    assert str(read_only) in line
