"""Read-only inspection: looking at a log can never change it.

`replay` (of a case already in the log), `log`, `state`, `verify`, `export`, `diagram`,
`cases` and `what-if` open the database with SQLite's `mode=ro`: the file's bytes are the
same after each, no write-ahead frames are left behind, and they still work where the
process cannot write at all: a 0o444 file, a read-only directory.

Root ignores permission bits, so the tests that need an unwritable file run the command
in a subprocess that has dropped root's file capabilities (see
`reliability_helpers.unprivileged`), and skip where that is impossible.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from reliability_helpers import Result, cli, procedura, sample_log, sha256, unprivileged

import engine

CASE = "dprk-2014"
COMMANDS = {
    "replay": ("replay", CASE, "--db", "{db}"),
    "replay-to": ("replay", "libya-2011", "--db", "{db}", "--to", "2"),
    "log": ("log", "--db", "{db}"),
    "log-json": ("log", "--db", "{db}", CASE, "--json"),
    "state": ("state", "--db", "{db}", CASE),
    "state-at-json": ("state", "--db", "{db}", CASE, "--at", "4", "--json"),
    "verify": ("verify", "--db", "{db}"),
    "export-json": ("export", CASE, "--db", "{db}"),
    "export-html": ("export", CASE, "--db", "{db}", "--format", "html"),
    "diagram": ("diagram", "--case", CASE, "--db", "{db}"),
    "diagram-dot": ("diagram", "--case", "uzbekistan-2006", "--db", "{db}", "--format", "dot"),
    "cases": ("cases", "--db", "{db}"),
    "what-if": ("what-if", CASE, "--db", "{db}", "--at", "4", "--set", "yes=80"),
}


def args(command: str, db: Path) -> list[str]:
    return [a.format(db=db) for a in COMMANDS[command]]


def check_output(command: str, result: Result) -> None:
    """Each command really did its work (not just exited 0)."""
    assert result.code == 0, (command, result.err)
    assert not result.traceback
    expected = {
        "replay": "Final state: council.on_agenda", "replay-to": "State after event 2",
        "log": "uzbekistan-2006", "state": "council.on_agenda",
        "verify": "OK: 16 events in 3 cases verified", "export-html": "<html",
        "diagram": "council.on_agenda", "cases": "libya-2011", "what-if": "Final state",
    }
    if command in expected:
        assert expected[command] in result.out, (command, result.out[-500:])
    if command in ("log-json", "state-at-json", "export-json"):
        json.loads(result.out)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return sample_log(tmp_path / "un.db")


def no_frames_written(db: Path) -> bool:
    wal = Path(f"{db}-wal")
    return not wal.exists() or wal.stat().st_size == 0


@pytest.mark.parametrize("command", list(COMMANDS))
def test_inspection_leaves_the_bytes_unchanged(db: Path, command: str) -> None:
    digest = sha256(db)
    check_output(command, cli(*args(command, db)))
    assert sha256(db) == digest
    assert no_frames_written(db)


def test_all_inspection_commands_in_turn_in_real_processes(db: Path) -> None:
    digest = sha256(db)
    for command in ("replay", "state", "verify", "export-json"):
        check_output(command, procedura(*args(command, db)))
        assert sha256(db) == digest, command
    assert no_frames_written(db)


def test_export_to_a_file_writes_only_that_file(db: Path, tmp_path: Path) -> None:
    digest = sha256(db)
    out = tmp_path / "out" / "dprk.json"
    out.parent.mkdir()
    result = cli("export", CASE, "--db", db, "--output", out)
    assert result.code == 0, result.err
    assert json.loads(out.read_text())["case"] == CASE
    assert sha256(db) == digest


def test_the_library_refuses_to_write_through_a_read_only_log(db: Path) -> None:
    digest = sha256(db)
    with engine.open(db, readonly=True) as log:
        case = log.case(CASE)  # council.on_agenda: a Council draft is in order
        with pytest.raises(engine.LogError, match="read-only"):
            case.submit_draft(body="security-council", symbol="S/1", title="draft",
                              chapter="VII")
        with pytest.raises(engine.LogError, match="read-only"):
            log.new_case("fresh", title="t").submit_draft(
                body="third-committee", symbol="F/1", title="draft")
        assert log.events.count() == 16
    assert sha256(db) == digest


UNWRITABLE = ("replay", "log-json", "state-at-json", "verify", "export-json", "export-html",
              "diagram", "what-if")


@pytest.mark.parametrize("command", UNWRITABLE)
def test_inspection_works_on_a_file_the_process_cannot_write(db: Path, command: str) -> None:
    preexec = unprivileged()
    db.chmod(0o444)
    digest = sha256(db)
    check_output(command, procedura(*args(command, db), preexec_fn=preexec))
    assert sha256(db) == digest


@pytest.mark.parametrize("command", ["state", "verify", "replay"])
def test_inspection_works_in_a_read_only_directory(tmp_path: Path, command: str) -> None:
    preexec = unprivileged()
    folder = tmp_path / "archive"
    folder.mkdir()
    db = sample_log(folder / "un.db")
    db.chmod(0o444)
    folder.chmod(0o555)
    try:
        digest = sha256(db)
        result = procedura(*args(command, db), preexec_fn=preexec)
        assert sha256(db) == digest
        assert sorted(p.name for p in folder.iterdir()) == ["un.db"]
        check_output(command, result)
    finally:
        folder.chmod(0o755)
