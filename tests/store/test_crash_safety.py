"""Crash safety: a writer killed with SIGKILL at random moments loses nothing it acknowledged.

The writer (tests/writer_process.py) appends commands in a loop, each a new case and its
`submit_draft` (two events in one append), every seventh a transaction of three such
commands, and prints each acknowledged command. The test kills it at random moments,
some while it is still starting, most while it is writing, and after every kill checks
the log as a reader would find it (opened read-only, straight after the crash):
- every acknowledged case is there with exactly its two events;
- no command is half-written: every case in the log has exactly CaseOpened and
  DraftSubmitted, and every three-command transaction is there whole or not at all;
- at most the one command in flight when the writer died is there unacknowledged;
- `engine.app.verify.verify` passes and every case replays.

Figures: run `pytest tests/store/test_crash_safety.py -q -s` and read the FIGURES line.
Set PROCEDURA_CRASH_SEED to replay a run's kill moments.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import threading
import time
from collections import defaultdict
from pathlib import Path

import pytest
from reliability_helpers import PYTHON, ROOT, procedura, sha256

import engine
from engine.app.verify import verify

WRITER = Path(__file__).parents[1] / "writer_process.py"
KILLS = 32  # at least 30
MIN_KILLS = 30
BUDGET_S = 60.0  # stop starting writers after this long, whatever the count
READY_TIMEOUT_S = 30.0

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


class Writer:
    """A writer subprocess whose output lines are collected as they come."""

    def __init__(self, db: Path, start: int) -> None:
        self.proc = subprocess.Popen(
            [PYTHON, str(WRITER), str(db), str(start)], stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, cwd=ROOT)
        self.lines: list[str] = []
        self.ready = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if not line.endswith("\n"):
                break  # cut off by the kill: not an acknowledgement
            self.lines.append(line.strip())
            if line.strip() == "ready":
                self.ready.set()
        self.ready.set()

    def kill(self) -> tuple[list[list[str]], str]:
        """SIGKILL the writer; the commands it acknowledged, and its stderr."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self._reader.join(timeout=30)
        assert self.proc.stderr is not None
        err = self.proc.stderr.read()
        self.proc.stdout.close()  # type: ignore[union-attr]
        self.proc.stderr.close()
        acks = [line.split()[1:] for line in self.lines if line.startswith("ack ")]
        return acks, err


def _index(case_id: str) -> int:
    match = re.fullmatch(r"[kb](\d+)(?:-\d)?", case_id)
    assert match, f"a case the writer never writes: {case_id!r}"
    return int(match[1])


def check_after_crash(db: Path, acked: set[str]) -> tuple[set[str], int]:
    """Check the log as found after a kill; return its cases and its event count."""
    if not db.exists():
        assert not acked, "acknowledged commands, but no log"
        return set(), 0
    with engine.open(db, readonly=True) as log:
        rows = log.events.conn.execute(
            "select stream_id, group_concat(type, ',') from"
            " (select stream_id, type from events order by position) group by stream_id"
        ).fetchall()
        types = dict(rows)
        missing = sorted(acked - types.keys())
        assert not missing, f"acknowledged but lost: {missing[:10]}"
        half = {c: t for c, t in types.items() if t != "CaseOpened,DraftSubmitted"}
        assert not half, f"half-written or duplicated commands: {dict(list(half.items())[:5])}"
        batches: dict[int, int] = defaultdict(int)
        for case_id in types:
            if case_id.startswith("b"):
                batches[_index(case_id)] += 1
        torn = {i: n for i, n in batches.items() if n != 3}
        assert not torn, f"a three-command transaction was torn: {torn}"
        report = verify(log)
        assert report.ok, report.problem
        assert report.events == 2 * len(types) == log.events.count()
        for case_id in types:
            case = log.case(case_id)
            assert (case.state, case.version) == ("committee.tabled", 2), case_id
        return set(types), report.events


def test_sigkill_at_random_moments_loses_no_acknowledged_command(tmp_path: Path) -> None:
    seed = int(os.environ.get("PROCEDURA_CRASH_SEED") or random.SystemRandom().randrange(10**9))
    rnd = random.Random(seed)
    db = tmp_path / "crash.db"
    acked: set[str] = set()
    in_log: set[str] = set()
    kills = early = in_flight = events = 0
    start = 0
    began = time.monotonic()
    while kills < KILLS and time.monotonic() - began < BUDGET_S:
        writer = Writer(db, start)
        if kills % 5 == 4 and db.exists():
            time.sleep(rnd.uniform(0.0, 0.6))  # any moment: starting, opening or writing
        else:
            assert writer.ready.wait(READY_TIMEOUT_S), "the writer never opened the log"
            time.sleep(rnd.uniform(0.0, 0.3))  # a moment while it is writing
        acks, err = writer.kill()
        assert writer.proc.returncode == -signal.SIGKILL, (
            f"the writer died by itself (exit {writer.proc.returncode}): {err[-2000:]}")
        assert "Traceback" not in err, err[-2000:]
        kills += 1
        early += not acks
        new = {case for ack in acks for case in ack}
        assert not new & acked, "a case acknowledged twice"
        acked |= new
        found, events = check_after_crash(db, acked)
        unacked_new = found - in_log - new
        assert len(unacked_new) in (0, 1, 3), (
            f"more than the one command in flight is unacknowledged: {sorted(unacked_new)}")
        if unacked_new:
            assert len({_index(c) for c in unacked_new}) == 1, sorted(unacked_new)
            in_flight += 1
        in_log = found
        start = max((_index(c) for c in found), default=-1) + 1
    elapsed = time.monotonic() - began
    assert kills >= MIN_KILLS, f"only {kills} kills in {elapsed:.0f} s"
    assert len(acked) > kills, f"the writer made little progress: {len(acked)} cases"

    # The log the crashes left behind, through the command line: verify, state, replay.
    result = procedura("verify", "--db", db)
    assert result.code == 0, result.err
    assert f"OK: {events} events in {len(in_log)} cases verified" in result.out
    digest = sha256(db)
    last = max(acked, key=_index)
    state = procedura("state", "--db", db, last, "--json")
    assert state.code == 0, state.err
    assert '"state": "committee.tabled"' in state.out
    replay = procedura("replay", last, "--db", db)
    assert replay.code == 0, replay.err
    assert "Final state: committee.tabled" in replay.out
    assert sha256(db) == digest, "inspecting the log after the crashes changed it"

    print(f"\nFIGURES crash-safety: {kills} SIGKILLs survived, {len(acked)} acknowledged "
          f"cases ({events} events in the log), {in_flight} kills left one unacknowledged "
          f"command committed, {early} kills before the first acknowledgement, 0 lost, "
          f"0 half-written; {elapsed:.1f} s; seed {seed}")
