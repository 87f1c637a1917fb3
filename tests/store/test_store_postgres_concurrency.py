"""PostgreSQL under several processes: nothing lost, nothing twice, nothing skipped.

- Eight writer processes (tests/pg_helpers.py `writer`) append to one case, some of
  their commands three to a transaction; they are SIGKILLed at random moments and
  started again, and each re-sends, under its command id, the command it never saw
  answered. Every acknowledged command is in the log once; no command is there twice.
- A subscriber that follows the log by position, as the live server's stream does,
  while four processes commit, sees every position exactly once, in order: a position
  committed after a later one would be skipped (`events.postgres` says why none is).
  It is woken by NOTIFY from the other processes' commits.

Set PROCEDURA_PG_SEED to replay a run's kill moments.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from reliability_helpers import PYTHON, ROOT

import engine
from engine.app.verify import verify

HELPER = Path(__file__).parents[1] / "pg_helpers.py"
WRITERS = 8
BUDGET_S = 20.0  # of killing and restarting writers

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


class Writer:
    """A writer process whose acknowledgements are collected as they come."""

    def __init__(self, url: str, worker: int, start: int, transactions: bool) -> None:
        self.worker = worker
        self.proc = subprocess.Popen(
            [PYTHON, str(HELPER), url, str(worker), str(start), "1" if transactions else "0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        self.acks: list[str] = []
        self.ready = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if not line.endswith("\n"):
                break  # cut off by the kill: not an acknowledgement
            if line.startswith("ack "):
                self.acks += line.split()[1:]
            elif line.strip() == "ready":
                self.ready.set()
        self.ready.set()

    def kill(self) -> str:
        """SIGKILL it; its stderr."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self._reader.join(timeout=30)
        assert self.proc.stderr is not None
        err = self.proc.stderr.read()
        for stream in (self.proc.stdout, self.proc.stderr):
            stream.close()  # type: ignore[union-attr]
        return err


def _open_shared(url: str) -> None:
    with engine.open(url) as log:
        case = log.new_case("shared", title="the case every writer appends to")
        case.submit_draft(body="third-committee", symbol="S/1", title="draft",
                          sponsors=["Japan"], date="2014-11-18")


def _next(acks: list[str]) -> int:
    return max((int(a.rsplit("-", 1)[1]) for a in acks), default=-1) + 1


def test_eight_writers_killed_and_restarted_lose_nothing_and_duplicate_nothing(
        pg_url: str) -> None:
    _open_shared(pg_url)
    seed = int(os.environ.get("PROCEDURA_PG_SEED", random.randrange(1 << 30)))
    rnd = random.Random(seed)
    acked: dict[int, list[str]] = {w: [] for w in range(WRITERS)}
    writers = {w: Writer(pg_url, w, 0, w % 2 == 0) for w in range(WRITERS)}
    kills, began = 0, time.monotonic()
    try:
        while time.monotonic() - began < BUDGET_S:
            time.sleep(rnd.uniform(0.05, 0.4))
            w = rnd.randrange(WRITERS)
            err = writers[w].kill()
            assert "Traceback" not in err, f"seed {seed}: writer {w}: {err[-2000:]}"
            acked[w] += writers[w].acks
            kills += 1
            writers[w] = Writer(pg_url, w, _next(acked[w]), w % 2 == 0)
    finally:
        for w, writer in writers.items():
            err = writer.kill()
            assert "Traceback" not in err, f"seed {seed}: writer {w}: {err[-2000:]}"
            acked[w] += writer.acks
    acknowledged = [a for w in acked for a in acked[w]]
    with engine.open(pg_url, readonly=True) as log:
        notes = Counter(r.note for r in log.events.select("shared") if r.note)
        lost = [a for a in acknowledged if a not in notes]
        twice = [n for n, times in notes.items() if times > 1]
        assert not lost, f"seed {seed}: acknowledged, not in the log: {lost[:5]}"
        assert not twice, f"seed {seed}: recorded twice: {twice[:5]}"
        unacknowledged = set(notes) - set(acknowledged)
        assert len(unacknowledged) <= 3 * kills + 3 * WRITERS  # only commands in flight
        versions = [r.version for r in log.events.select("shared")]
        assert versions == list(range(1, len(versions) + 1))
        assert verify(log).problem is None
        assert log.events.verify_tree() is None
    assert kills >= 20 and len(acknowledged) > 10 * WRITERS, (kills, len(acknowledged))
    print(f"\nFIGURES postgres-kills: {kills} SIGKILLs of {WRITERS} writers, "
          f"{len(acknowledged)} acknowledged commands, {len(unacknowledged)} committed "
          f"unacknowledged (in flight), 0 lost, 0 twice (seed {seed})")


def test_a_subscriber_following_the_log_sees_every_event_once_in_order(pg_url: str) -> None:
    _open_shared(pg_url)
    writers = [Writer(pg_url, w, 0, True) for w in range(4)]
    seen: list[int] = []
    wakes = 0
    try:
        with engine.open(pg_url, readonly=True) as log:
            for writer in writers:
                assert writer.ready.wait(30)
            log.events.wait(0)  # listening from now on
            ends = time.monotonic() + 6.0
            while time.monotonic() < ends:
                after = seen[-1] if seen else 0
                seen += [p for (p,) in log.events.rows(after=after, columns=("position",))]
                wakes += log.events.wait(0.5)
            for writer in writers:
                writer.kill()
            after = seen[-1] if seen else 0
            seen += [p for (p,) in log.events.rows(after=after, columns=("position",))]
            total = log.events.count()
    finally:
        for writer in writers:
            if writer.proc.poll() is None:
                writer.kill()
    assert total > 100, total
    assert seen == list(range(1, total + 1))  # every one, once, in order: none skipped
    assert wakes > 0  # NOTIFY from the writers' processes woke the subscriber
