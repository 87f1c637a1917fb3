"""Concurrency: several writers at once lose nothing, duplicate nothing, and never crash.

Appends carry the stream version the writer last saw; a writer that lost the race gets
`ConcurrencyError` (nothing appended) and retries after reloading. Writers wait for each
other's transactions (BEGIN IMMEDIATE with a busy timeout), so SQLITE_BUSY ("database is
locked") never reaches a user; a writer kept waiting longer than the timeout gets a
clear `LogError`.

Figures: run `pytest tests/store/test_concurrency.py -q -s` and read the FIGURES line.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from reliability_helpers import PYTHON, ROOT, cli, sample_log

import engine
import events.log
from engine.app.verify import verify
from events import CaseOpened, EventLog, LogError, NewEvent

WORKER = Path(__file__).parents[1] / "concurrent_worker.py"
WORKERS = 4
ROUNDS = 150  # per worker: one shared-case command and one own-case command each


def _open_shared(db: Path) -> None:
    with engine.open(db) as log:
        case = log.new_case("shared", title="the case every worker appends to")
        case.submit_draft(body="third-committee", symbol="S/1", title="draft",
                          sponsors=["Japan"], date="2014-11-18")


def test_four_processes_append_to_the_same_and_to_different_cases(tmp_path: Path) -> None:
    db, go = tmp_path / "busy.db", tmp_path / "go"
    _open_shared(db)
    procs = [subprocess.Popen([PYTHON, str(WORKER), str(db), str(w), str(ROUNDS), str(go)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
             for w in range(WORKERS)]
    try:
        for p in procs:  # every worker has the log open before any starts writing
            assert p.stdout is not None and p.stdout.readline().strip() == "ready"
        began = time.monotonic()
        go.touch()
        outputs = [p.communicate(timeout=120) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    elapsed = time.monotonic() - began
    results = []
    for p, (out, err) in zip(procs, outputs, strict=True):
        assert "database is locked" not in err and "SQLITE_BUSY" not in err, err
        assert p.returncode == 0, err[-3000:]
        results.append(json.loads(out.strip().splitlines()[-1]))

    shared = [v for r in results for v in r["shared"]]
    own = [c for r in results for c in r["own"]]
    retries = sum(r["retries"] for r in results)
    # Each acknowledged shared-case command got its own version: none lost, none twice.
    assert sorted(shared) == list(range(3, 3 + WORKERS * ROUNDS)), Counter(shared).most_common(3)
    assert len(set(own)) == len(own) == WORKERS * ROUNDS
    with engine.open(db, readonly=True) as log:
        versions = [r.version for r in log.events.select("shared")]
        assert versions == list(range(1, 3 + WORKERS * ROUNDS))  # contiguous, from 1
        actors = Counter(r.actor for r in log.events.select("shared") if r.actor)
        assert actors == {f"worker {r['worker']}": ROUNDS for r in results}
        streams = dict(log.events.streams())
        assert set(streams) == {"shared", *own}
        assert all(streams[c] == 2 for c in own)
        total = log.events.count()
        assert total == 2 + WORKERS * ROUNDS + 2 * WORKERS * ROUNDS
        positions = [r.position for r in log.events.select()]
        assert positions == list(range(1, total + 1))
        report = verify(log)
        assert report.ok, report.problem
        assert log.case("shared").state == "committee.tabled"
    assert cli("verify", "--db", db).code == 0

    print(f"\nFIGURES concurrency: {WORKERS} processes, {WORKERS * ROUNDS * 2} commands "
          f"acknowledged ({WORKERS * ROUNDS} on one shared case, {WORKERS * ROUNDS} new "
          f"cases), {total} events appended and verified, {retries} ConcurrencyError "
          f"retries, 0 lost, 0 duplicated, 0 'database is locked'; slowest command "
          f"{max(r['slowest_s'] for r in results):.3f} s; {elapsed:.1f} s")


def test_writers_racing_on_one_expected_version_exactly_one_wins(tmp_path: Path) -> None:
    db = tmp_path / "race.db"
    EventLog(db).close()
    threads, rounds = 6, 15
    for version in range(rounds):
        barrier = threading.Barrier(threads)
        outcomes: list[str] = []

        def append(i: int, version: int = version, barrier: threading.Barrier = barrier,
                   outcomes: list[str] = outcomes) -> None:
            with EventLog(db) as log:  # a connection of its own, as another process has
                barrier.wait()
                try:
                    log.append("race", [NewEvent(CaseOpened(title=f"{version}/{i}"))], version)
                    outcomes.append("won")
                except engine.ConcurrencyError:
                    outcomes.append("stale")
                except Exception as e:  # anything else breaks the guarantee
                    outcomes.append(f"{type(e).__name__}: {e}")

        workers = [threading.Thread(target=append, args=(i,)) for i in range(threads)]
        for t in workers:
            t.start()
        for t in workers:
            t.join(timeout=60)
        assert sorted(outcomes) == ["stale"] * (threads - 1) + ["won"], outcomes
    with EventLog(db, readonly=True) as log:
        assert [r.version for r in log.select("race")] == list(range(1, rounds + 1))
        assert log.count() == rounds


@pytest.fixture
def locked(tmp_path: Path):
    """A log, and another connection holding its write lock with an uncommitted event."""
    db = sample_log(tmp_path / "locked.db")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("begin immediate")
    holder.execute("insert into meta values ('holding', 'the write lock')")
    yield db
    holder.execute("rollback")
    holder.close()


def test_a_writer_kept_waiting_past_the_busy_timeout_gets_a_clear_error(
    locked: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(events.log, "BUSY_TIMEOUT_S", 0.5)
    with engine.open(locked) as log:
        case = log.new_case("late", title="kept waiting")
        before = log.events.count()
        began = time.monotonic()
        with pytest.raises(LogError, match="busy") as info:
            case.submit_draft(body="third-committee", symbol="L/1", title="draft")
        waited = time.monotonic() - began
        assert isinstance(info.value, engine.ProcedureError)
        assert str(info.value).startswith(f"{locked} is busy"), info.value
        assert 0.4 <= waited < 5, f"waited {waited:.2f} s for a 0.5 s timeout"
        assert log.events.count() == before


def test_a_writer_waits_for_another_writer_instead_of_failing(tmp_path: Path) -> None:
    db = sample_log(tmp_path / "wait.db")
    outcome: list[object] = []
    opened = threading.Event()

    def write() -> None:
        try:
            with engine.open(db) as log:
                case = log.new_case("patient", title="waits its turn")
                opened.set()
                case.submit_draft(body="third-committee", symbol="P/1", title="draft")
                outcome.append(time.monotonic())
        except Exception as e:  # reported below
            outcome.append(e)
        finally:
            opened.set()

    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("begin immediate")
    writer = threading.Thread(target=write)
    writer.start()
    assert opened.wait(30)
    time.sleep(0.3)
    assert not outcome, "the writer did not wait for the lock"
    released = time.monotonic()
    holder.execute("commit")
    holder.close()
    writer.join(timeout=30)
    (finished,) = outcome
    assert isinstance(finished, float), finished
    assert finished >= released
    with engine.open(db, readonly=True) as log:
        assert log.case("patient").version == 2


def test_readers_are_not_blocked_by_a_writer_holding_the_lock(locked: Path) -> None:
    began = time.monotonic()
    with engine.open(locked, readonly=True) as log:
        assert log.state("dprk-2014") == "council.on_agenda"
    result = cli("state", "--db", locked, "dprk-2014", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["state"] == "council.on_agenda"
    assert cli("verify", "--db", locked).code == 0
    assert time.monotonic() - began < 5  # a blocked reader would wait the 10 s timeout
