"""Wrong arguments to the library: each an InvalidArgumentError (a ProcedureError) with a
clear message, raised before any file is created or any event appended."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import engine
from engine import InvalidArgumentError, ProcedureError
from engine.app.paths import check_output
from engine.app.projections import member_votes, project
from engine.app.scenarios import load_scenario, run_scenario


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder, the current one: a file made from a bad path would land here."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("path", [None, 5, 5.0, b"un.db", ["un.db"], "", "  ", "un\x00.db",
                                  Path("un\x00.db")], ids=repr)
def test_open_refuses_what_is_no_file_name(folder: Path, path: object) -> None:
    with pytest.raises(InvalidArgumentError, match="log"):
        engine.open(path)  # type: ignore[arg-type]
    assert list(folder.iterdir()) == []  # no file called "None" or "5"


@pytest.mark.parametrize("every", [0, -1, -(10**30), True, 1.5, "10", None], ids=repr)
def test_open_refuses_a_snapshot_interval_below_one(folder: Path, every: object) -> None:
    with pytest.raises(InvalidArgumentError, match="snapshot_every"):
        engine.open(folder / "un.db", snapshot_every=every)  # type: ignore[arg-type]
    assert list(folder.iterdir()) == []


def test_open_refuses_a_readonly_flag_that_is_no_flag(folder: Path) -> None:
    with pytest.raises(InvalidArgumentError, match="readonly"):
        engine.open(folder / "un.db", readonly="no")  # type: ignore[arg-type]
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("kind", ["folder", "fifo", "/dev/null", "sidecar fifo"])
def test_open_refuses_what_is_no_regular_file(folder: Path, kind: str) -> None:
    path: str | Path = folder / "un.db"
    if kind == "folder":
        Path(path).mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "sidecar fifo":
        os.mkfifo(f"{path}-wal")  # SQLite would open it, and block
    else:
        path = kind
    present = sorted(folder.iterdir())
    for readonly in (False, True):
        with pytest.raises(InvalidArgumentError, match=r"directory|regular file"):
            engine.open(path, readonly=readonly)
    assert sorted(folder.iterdir()) == present


def test_a_new_file_and_memory_still_open(folder: Path) -> None:
    with engine.open(folder / "new.db") as log:
        assert log.cases() == []
    with engine.open(str(folder / "new.db"), readonly=True, snapshot_every=1):
        pass
    with engine.open(":memory:"):
        pass


def test_check_output_names_the_log_however_spelled(folder: Path) -> None:
    log = folder / "un.db"
    engine.open(log).close()
    os.symlink("un.db", folder / "link.db")
    for same in ("un.db", "./un.db", "link.db", "un.db-wal", "un.db-shm",
                 f"../{folder.name}/un.db"):
        with pytest.raises(InvalidArgumentError, match="destroy the log"):
            check_output(same, "un.db")
    assert check_output("other.json", "un.db") == Path("other.json")
    assert check_output("un.db", ":memory:") == Path("un.db")


@pytest.fixture
def dprk(tmp_path: Path) -> engine.ProcedureLog:
    log = engine.open(tmp_path / "un.db")
    run_scenario(log, load_scenario("dprk-2014"))
    yield log
    log.close()


@pytest.mark.parametrize("at", [10, 99, 10**30], ids=repr)
def test_case_at_past_its_end_says_how_many_events(dprk: engine.ProcedureLog, at: int) -> None:
    with pytest.raises(InvalidArgumentError, match="has 9 events"):
        dprk.case("dprk-2014", at=at)
    with pytest.raises(InvalidArgumentError, match="has 9 events"):
        dprk.state("dprk-2014", at=at)
    assert dprk.case("dprk-2014", at=9).version == 9


@pytest.mark.parametrize("at", [-1, True, "3", 2.0], ids=repr)
def test_case_at_must_be_a_version(dprk: engine.ProcedureLog, at: object) -> None:
    with pytest.raises(InvalidArgumentError, match="at must be a version"):
        dprk.case("dprk-2014", at=at)  # type: ignore[arg-type]


@pytest.mark.parametrize("session", [0, -1, 10**30, True, "69"], ids=repr)
def test_votes_of_a_session_that_cannot_be(dprk: engine.ProcedureLog, session: object) -> None:
    project(dprk)
    with pytest.raises(ProcedureError, match="session"):
        member_votes(dprk, session=session)  # type: ignore[arg-type]
