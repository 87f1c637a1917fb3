"""W4 time travel: the state of one case at a random version, in a long and a short stream.

Two logs, each holding one case: opened with its draft through the actions (validated),
then extended to its length by `EventLog.append` in batches of `w4_append_batch` events
(not through a million validated actions, which would only make the build slow): the
adjournment of debate moved and withdrawn, again and again, so the state does not grow.
Each repetition asks `log.state(case, at=v)` at the same random fractions of each
stream's length, so the two streams are compared at matching points, the contenders
taking turns call by call; the figure is the latency of one such call. Whatever
`log.state` does (fold the stream up to `v`, or start from the nearest snapshot) is what
is measured. Snapshots are made on demand, as a long stream is read from a writable log:
the first full load after the build, which makes them, is timed on its own and reported
beside the figures.

Raw sqlite3 (context, not a target): the stream's payloads up to `v` read and decoded,
which is what a fold without snapshots must at least do; being slow on the long stream,
it answers only the first `w4_raw_queries` versions of each repetition.
"""

from __future__ import annotations

import math
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import engine
from benchmarks import raw, recipe
from benchmarks.harness import (
    Figure,
    Goal,
    Settings,
    Steps,
    Work,
    WorkloadResult,
    interleave_slices,
    paired,
    say,
    timed,
)
from events import MotionMoved, NewEvent, Withdrawn

__all__ = ["build", "run"]

CASE = "long-roll-call"


def build(path: Path, events: int, batch: int) -> None:
    """A log with one case of `events` events (see the module's docstring)."""
    with engine.open(path) as log:
        case = log.new_case(CASE, title="A long roll call")
        case.submit_draft(body=recipe.BODY, symbol="X/1", title="d", sponsors=[recipe.SPONSOR])
        version = case.version
        pair = (NewEvent(MotionMoved(recipe.MOTION, recipe.MOVER)),
                NewEvent(Withdrawn(recipe.MOTION, "motion")))
        while version < events:
            size = min(batch, events - version)
            log.events.append(CASE, [pair[(version + k) % 2] for k in range(size)], version)
            version += size


def versions(rep: int, count: int, length: int) -> list[int]:
    """The repetition's random versions, as the same fractions of any stream's length."""
    rng = random.Random(1000 + rep)
    return [max(1, math.ceil(rng.random() * length)) for _ in range(count)]


def queries(ask: Callable[[int], object], at: list[int], calls: list[float]) -> Steps:
    """Ask for the state at each version in turn, one per slice; record each call's time."""
    for v in at:
        start = time.perf_counter()
        ask(v)
        calls.append(time.perf_counter() - start)
        yield


def run(settings: Settings) -> WorkloadResult:
    """Measure W4: latency at a random version, long stream against short."""
    s = settings.sizes
    lengths = {"long": s.w4_long, "short": s.w4_short}
    result = WorkloadResult("W4", f"time travel: state at a random version of one case, "
                                  f"{s.w4_long:,}-event stream vs {s.w4_short:,}-event stream")
    logs, conns = {}, {}
    for label, length in lengths.items():
        path = settings.workdir / f"w4-{label}.db"
        if not path.exists():
            say(f"  W4 building a {length:,}-event stream (EventLog.append, "
                f"{s.w4_append_batch:,} per call)")
            with timed() as elapsed:
                build(path, length, s.w4_append_batch)
            result.extra[f"build_{label}_seconds"] = elapsed()
        logs[label] = engine.open(path)  # writable: snapshots may be made on demand
        with timed() as elapsed:
            logs[label].case(CASE)
        result.extra[f"first_load_{label}_ms"] = elapsed() * 1e3
        conns[label] = raw.connect(path)
        raw.decode_stream(conns[label], CASE)  # warm the page cache for the raw reads too
    askers: dict[str, Callable[[int], object]] = {}
    for label in lengths:
        askers[f"procedura {label}"] = lambda v, log=logs[label]: log.state(CASE, at=v)
        askers[f"raw {label}"] = lambda v, c=conns[label]: raw.decode_stream(c, CASE, upto=v)
    calls: dict[str, list[list[float]]] = {name: [] for name in askers}

    def runner(name: str) -> Callable[[int], Work]:
        def start(rep: int) -> Work:
            calls[name].append([])
            at = versions(rep, s.w4_queries, lengths[name.split()[-1]])
            if name.startswith("raw"):  # slow without snapshots, and only context
                at = at[:s.w4_raw_queries]
            return queries(askers[name], at, calls[name][-1]), lambda: None
        return start

    try:
        interleave_slices("W4", s.reps, [(name, runner(name)) for name in askers])
    finally:
        for handle in [*logs.values(), *conns.values()]:
            handle.close()
    every = {name: [x for rep in reps for x in rep] for name, reps in calls.items()}
    per_rep = {name: [statistics.median(rep) for rep in reps] for name, reps in calls.items()}
    names = {"long": f"{s.w4_long:,} events", "short": f"{s.w4_short:,} events"}
    for who, title in (("procedura", "procedura log.state(at=v)"),
                       ("raw", "raw read+decode to v (no snapshot)")):
        for label in lengths:
            result.medians.append(Figure(f"{title}, {names[label]}",
                                         [x * 1e3 for x in every[f"{who} {label}"]], "ms"))
    result.ratios.append(Figure(f"procedura latency at a random version, {names['long']}",
                                [x * 1e3 for x in every["procedura long"]], "ms",
                                Goal("<=", 50, "ms")))
    result.ratios.append(Figure(f"procedura latency, {names['long']} / {names['short']}",
                                paired(per_rep["procedura long"], per_rep["procedura short"]),
                                "x", Goal("<=", 1.5)))
    result.notes.append(
        f"first full load after the build (it makes any snapshots on demand): "
        f"{result.extra['first_load_long_ms']:,.0f} ms (long), "
        f"{result.extra['first_load_short_ms']:,.0f} ms (short); then {s.w4_queries} random "
        f"versions per repetition ({s.w4_raw_queries} of them for raw sqlite3); medians over "
        "all the calls")
    return result
