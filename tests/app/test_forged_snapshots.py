"""Snapshots are checked: a row written into the snapshots table by hand never makes the
views disagree unseen. A snapshot that contradicts its digest is not used (the case is
replayed, with a warning); one forged with a consistent digest is found by `verify`."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

import engine
from engine.app.scenarios import load_scenario, run_scenario
from engine.app.snapshots import FORMAT, SnapshotWarning, digest
from engine.app.verify import verify
from engine.cli import cli


def _log_with_snapshots(path: Path) -> tuple[str, int]:
    with engine.open(path, snapshot_every=3) as log:
        case = run_scenario(log, load_scenario("dprk-2014"))
        log.case(case.id)  # reading it writes its snapshots (at 3, 6, 9)
        return case.id, case.version


def _forge(path: Path, case_id: str, version: int, consistent: bool) -> None:
    """Rewrite the snapshot at `version` as a forger would: a false state."""
    db = sqlite3.connect(path)
    state, event_hash = db.execute("select state, hash from snapshots where stream_id = ? "
                                   "and version = ?", (case_id, version)).fetchone()
    forged = json.loads(state)
    forged["state"] = "plenary.rejected"
    text = json.dumps(forged)
    kept = digest(event_hash, text) if consistent else digest(event_hash, state)
    db.execute("update snapshots set state = ?, digest = ? where stream_id = ? and "
               "version = ? and format = ?", (text, kept, case_id, version, FORMAT))
    db.commit()
    db.close()


def test_a_snapshot_that_contradicts_its_digest_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "log.db"
    case_id, _version = _log_with_snapshots(path)
    _forge(path, case_id, 9, consistent=False)
    with engine.open(path, readonly=True) as log, pytest.warns(SnapshotWarning,
                                                                match="digest"):
        assert log.case(case_id).state == "council.on_agenda"
    with pytest.warns(SnapshotWarning, match="digest"):  # the CLI, too, says it once
        result = CliRunner().invoke(cli, ["state", "--db", str(path), case_id])
    assert result.exit_code == 0 and "plenary.rejected" not in result.output
    assert "council.on_agenda" in result.output
    with engine.open(path, readonly=True) as log:
        report = verify(log)
    assert not report.ok and "contradicts its digest" in report.problem.message


def test_a_snapshot_forged_with_a_consistent_digest_is_found_by_verify(tmp_path: Path) -> None:
    path = tmp_path / "log.db"
    case_id, _version = _log_with_snapshots(path)
    _forge(path, case_id, 9, consistent=True)
    result = CliRunner().invoke(cli, ["verify", "--db", str(path)])
    assert result.exit_code == 1, result.output
    assert f"the snapshot of '{case_id}' at version 9 differs" in result.output
    with engine.open(path, readonly=True) as log:  # what is recorded is untouched
        history = [s.state for _, s in log.history(case_id)]
    assert history[-1] == "council.on_agenda"
