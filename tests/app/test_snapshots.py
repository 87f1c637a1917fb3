"""Snapshots are derived: time travel through them gives exactly what a full replay gives."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import hypothesis.strategies as st
from hypothesis import HealthCheck, given, settings

import engine
from engine.app.scenarios import load_scenario, run_scenario
from engine.app.snapshots import state_from_dict
from engine.procedure.state import replay


def _full_replay(log: engine.ProcedureLog, case_id: str, at: int) -> dict:
    events = ((r.version, r.occurred_at, r.event) for r in log.events.select(case_id, upto=at))
    return replay(case_id, events).as_dict()


def test_a_state_survives_the_json_round_trip_of_a_snapshot() -> None:
    log = engine.open(":memory:")
    for name in ("dprk-2014", "executions-2010", "darfur-2005"):
        case = run_scenario(log, load_scenario(name))
        data = case.data.as_dict()
        assert state_from_dict(json.loads(json.dumps(data))).as_dict() == data


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(every=st.integers(1, 5), name=st.sampled_from(["dprk-2014", "executions-2010"]))
def test_time_travel_through_snapshots_equals_a_full_replay(every: int, name: str) -> None:
    log = engine.open(":memory:", snapshot_every=every)
    case = run_scenario(log, load_scenario(name))
    log.case(case.id)  # reading the whole case writes its snapshots
    assert log.events.conn.execute("select count(*) from snapshots").fetchone()[0] == \
        case.version // every
    for at in range(1, case.version + 1):
        assert log.case(case.id, at=at).data.as_dict() == _full_replay(log, case.id, at)


def test_snapshots_are_discardable(tmp_path: Path) -> None:
    path = tmp_path / "log.db"
    log = engine.open(path, snapshot_every=2)
    case = run_scenario(log, load_scenario("dprk-2014"))
    log.case(case.id)
    before = log.case(case.id, at=7).data.as_dict()
    log.close()
    con = sqlite3.connect(path)
    con.execute("drop table snapshots")
    con.commit()
    con.close()
    again = engine.open(path, readonly=True)
    assert again.case(case.id, at=7).data.as_dict() == before


def test_a_stale_snapshot_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "log.db"
    log = engine.open(path, snapshot_every=2)
    case = run_scenario(log, load_scenario("dprk-2014"))
    log.case(case.id)
    truth = log.case(case.id, at=8).data.as_dict()
    # A snapshot whose recorded event hash no longer matches the log is not used.
    log.events.conn.execute("update snapshots set hash = 'x', state = replace(state, "
                            "'plenary.adopted', 'committee.rejected')")
    assert log.case(case.id, at=8).data.as_dict() == truth
