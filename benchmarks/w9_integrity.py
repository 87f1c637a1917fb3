"""W9 integrity: `verify` against a raw scan that hashes the same rows, and `prove`.

Two logs, built untimed:

- W2's log (the recipe's cases, written through procedura's actions). Each repetition
  runs, the contenders taking turns:
  - procedura verify (one pass, run whole in its turn): `engine.app.verify.verify(log)`,
    everything `procedura verify` checks (the chain, the versions, every event through
    the state machine, every vote decided again, the snapshots);
  - procedura tree: `log.events.verify_tree()`, the Merkle tree recomputed from the rows
    and compared with the stored nodes (what `verify --checkpoint` adds);
  - raw sqlite3 (the limit): every row read through a cursor and its twelve columns
    SHA-256-hashed, and nothing else.
  The targets: procedura verify >= 0.5x the raw scan's events per second.
- W4's long stream (`w4_long` events, a million at full size): `prove` of one event (the
  first of the case) against a checkpoint of the whole log, through the library call
  `engine.app.integrity.prove`, and `verify_bundle` of what it wrote. Target: prove
  <= 50 ms.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path

import engine
from benchmarks.harness import (
    PROCEDURA,
    RAW,
    Figure,
    Goal,
    Settings,
    Steps,
    Work,
    WorkloadResult,
    discard,
    interleave_slices,
    rates,
    ratio,
    say,
)
from benchmarks.w2_bulk import build_procedura
from benchmarks.w4_time_travel import CASE
from benchmarks.w4_time_travel import build as build_stream
from engine.app.integrity import checkpoint, prove, verify_bundle
from engine.app.verify import verify

__all__ = ["run"]

TREE = "procedura tree"
_ROW = ("select position, event_id, stream_id, version, type, schema_version, occurred_at,"
        " recorded_at, actor, note, payload, hash from events order by position")


def _raw_scan(path: Path) -> Work:
    conn = sqlite3.connect(path)

    def steps() -> Steps:
        sha256 = hashlib.sha256
        for row in conn.execute(_ROW):
            sha256("\x1f".join(map(str, row)).encode()).digest()
        yield

    return steps(), conn.close


def _verify(path: Path) -> Work:
    log = engine.open(path, readonly=True)

    def steps() -> Steps:  # one pass that cannot be cut: the whole of it is one turn
        report = verify(log)
        assert report.ok, report
        yield

    return steps(), log.close


def _tree(path: Path) -> Work:
    log = engine.open(path, readonly=True)

    def steps() -> Steps:
        assert log.events.verify_tree() is None
        yield

    return steps(), log.close


def run(settings: Settings) -> WorkloadResult:
    """Measure W9."""
    s = settings.sizes
    n = s.w2_events
    result = WorkloadResult("W9", f"integrity: verify of {n:,} events against a raw scan "
                                  f"that hashes them; prove in a {s.w4_long:,}-event log")
    path = settings.workdir / "w9.db"
    discard(path)
    say(f"  W9 building a {n:,}-event log through the actions")
    build_procedura(path, s.w2_cases, s.w2_events_per_case, s.batch, interleaved=True)
    contenders = [(PROCEDURA, lambda _: _verify(path)), (TREE, lambda _: _tree(path)),
                  (RAW, lambda _: _raw_scan(path))]
    seconds = interleave_slices("W9", s.reps, contenders)
    throughput = {name: rates(n, values) for name, values in seconds.items()}
    result.medians = [Figure(f"{name}, events/s", values, "events/s")
                      for name, values in throughput.items()]
    result.ratios.append(ratio(throughput, PROCEDURA, RAW, "procedura verify / raw hash scan",
                               Goal(">=", 0.5)))
    result.ratios.append(ratio(throughput, TREE, RAW, "procedura tree check / raw hash scan",
                               None))
    discard(path)

    long = settings.workdir / "w9-long.db"
    discard(long)
    say(f"  W9 building a {s.w4_long:,}-event stream for prove")
    build_stream(long, s.w4_long, s.w4_append_batch)
    with engine.open(long) as log:
        log.events.extend_tree()
        note = checkpoint(log)
    times, checks = [], []
    with engine.open(long, readonly=True) as log:
        for _ in range(max(s.reps, 5)):
            start = time.perf_counter()
            bundle = prove(log, CASE, note, version=1)
            times.append((time.perf_counter() - start) * 1e3)
            start = time.perf_counter()
            assert verify_bundle(bundle).ok
            checks.append((time.perf_counter() - start) * 1e3)
    result.ratios.append(Figure(f"prove one event of {s.w4_long:,}", times, "ms",
                                Goal("<=", 50, "ms")))
    result.medians.append(Figure("verify-proof of that bundle", checks, "ms"))
    result.notes.append(f"the proof of one event in {s.w4_long:,} holds "
                        f"{len(bundle['events'][0]['proof'])} hashes")
    discard(long)
    return result
