"""Old logs are read through upcasters, never rewritten (the fixture is a version-1 log)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

import engine
from engine.app.scenarios import load_scenario, run_scenario
from engine.app.verify import verify
from events import VoteTaken

FIXTURE = Path(__file__).parents[1] / "fixtures" / "v1-log.db"
CASES = ("dprk-2014", "executions-2010", "uzbekistan-2006")


@pytest.fixture
def old_log(tmp_path: Path) -> Path:
    copy = tmp_path / "v1-log.db"
    shutil.copy(FIXTURE, copy)
    return copy


def test_the_fixture_really_holds_version_1_events() -> None:
    con = sqlite3.connect(f"{FIXTURE.resolve().as_uri()}?mode=ro", uri=True)
    versions = dict(con.execute("select type, max(schema_version) from events group by type"))
    con.close()
    assert versions["VoteTaken"] == 1
    assert VoteTaken.version == 2  # what this code writes today


@pytest.mark.parametrize("case_id", CASES)
def test_a_version_1_log_replays_to_the_state_recorded_today(old_log: Path, case_id: str) -> None:
    old = engine.open(old_log, readonly=True)
    today = engine.open(":memory:")
    run_scenario(today, load_scenario(case_id))
    before, after = old.case(case_id).data.as_dict(), today.case(case_id).data.as_dict()
    assert before["state"] == after["state"]
    assert [d["decision"] for d in before["decisions"]] == \
        [d["decision"] for d in after["decisions"]]


def test_upcast_decisions_split_their_citations(old_log: Path) -> None:
    log = engine.open(old_log, readonly=True)
    amendment_vote = log.case("dprk-2014").data.decisions[0].decision
    assert (amendment_vote.rule, amendment_vote.also) == ("rule 125", ("rule 126",))


def test_verify_passes_on_a_version_1_log_and_changes_nothing(old_log: Path) -> None:
    digest = hashlib.sha256(old_log.read_bytes()).hexdigest()
    with engine.open(old_log, readonly=True) as log:
        report = verify(log)
    assert report.ok, report.problem
    assert report.cases == len(CASES)
    assert hashlib.sha256(old_log.read_bytes()).hexdigest() == digest
