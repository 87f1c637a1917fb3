"""The harness: sizes, interleaved repetitions, and the figures a workload reports.

A workload measures each contender once per repetition, in an order that rotates from one
repetition to the next (A B C, B C A, C A B, ...), so a burst of load from another
process falls on every contender alike; `interleave_slices` goes further and lets the
contenders take turns slice by slice within a repetition. Ratios are computed within a
repetition (the procedura run against the raw run of the same repetition) and summarised
by their median.
"""

from __future__ import annotations

import gc
import importlib.util
import math
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

__all__ = [
    "ES",
    "FULL",
    "PROCEDURA",
    "QUICK",
    "RAW",
    "Figure",
    "Goal",
    "Settings",
    "Sizes",
    "Steps",
    "Work",
    "WorkloadResult",
    "discard",
    "has_eventsourcing",
    "interleave",
    "interleave_slices",
    "paired",
    "rates",
    "say",
    "slices",
    "timed",
]

Steps = Iterator[None]  # a contender's work in slices: each `next` does one slice
Work = tuple[Steps, Callable[[], None]]  # the slices, and what tears the contender down

PROCEDURA = "procedura"
RAW = "raw sqlite3"
ES = "eventsourcing"


@dataclass(frozen=True)
class Sizes:
    """How big each workload is, and how often it is repeated."""

    reps: int
    w1_commands: int
    w2_cases: int
    w2_events_per_case: int
    batch: int  # events per transaction in W2 and in the builds of W3
    w3_cases: int
    w3_events_per_case: int
    w4_long: int  # events in the long stream of W4
    w4_short: int  # events in the short one
    w4_queries: int  # random versions asked of procedura per repetition
    w4_raw_queries: int  # of them, how many the raw read+decode (context only) also answers
    w4_append_batch: int  # events per EventLog.append while building W4's streams
    w5_roll_calls: int | None  # None: every roll call of the data
    w6_runs: int

    @property
    def w2_events(self) -> int:
        """Events written by one W2 run."""
        return self.w2_cases * self.w2_events_per_case

    @property
    def w3_events(self) -> int:
        """Events in W3's log."""
        return self.w3_cases * self.w3_events_per_case


FULL = Sizes(
    reps=5, w1_commands=2_000, w2_cases=1_000, w2_events_per_case=200, batch=1_000,
    w3_cases=1_000, w3_events_per_case=200, w4_long=1_000_000, w4_short=10_000,
    w4_queries=200, w4_raw_queries=3, w4_append_batch=10_000, w5_roll_calls=None, w6_runs=10,
)
QUICK = Sizes(
    reps=3, w1_commands=100, w2_cases=50, w2_events_per_case=200, batch=1_000,
    w3_cases=100, w3_events_per_case=100, w4_long=20_000, w4_short=2_000,
    w4_queries=5, w4_raw_queries=2, w4_append_batch=10_000, w5_roll_calls=200, w6_runs=3,
)


@dataclass(frozen=True)
class Settings:
    """What one run of the suite is asked to do."""

    sizes: Sizes
    workdir: Path
    unvotes: Path
    eventsourcing: bool  # whether the eventsourcing yardstick runs

    def with_reps(self, reps: int) -> Settings:
        """The same settings with another number of repetitions."""
        return replace(self, sizes=replace(self.sizes, reps=reps))


@dataclass(frozen=True)
class Goal:
    """A target from issue 5: the median must be `op` `limit` (">=" or "<=")."""

    op: str
    limit: float
    unit: str = "x"

    def met(self, value: float) -> bool:
        """Whether a measured value meets the goal."""
        return value >= self.limit if self.op == ">=" else value <= self.limit

    def __str__(self) -> str:
        unit = "x" if self.unit == "x" else f" {self.unit}"
        return f"{self.op} {self.limit:g}{unit}"


@dataclass
class Figure:
    """One measured quantity, one value per repetition (or per run), with an optional goal."""

    name: str
    values: list[float]
    unit: str
    goal: Goal | None = None
    note: str = ""

    @property
    def median(self) -> float:
        """The median of the values (NaN when there are none)."""
        return statistics.median(self.values) if self.values else math.nan

    @property
    def passed(self) -> bool | None:
        """Whether the median meets the goal; None without a goal or without values."""
        if self.goal is None or not self.values:
            return None
        return self.goal.met(self.median)

    def as_json(self) -> dict[str, Any]:
        """The figure as plain data."""
        return {
            "name": self.name, "unit": self.unit, "values": self.values,
            "median": self.median if self.values else None,
            "min": min(self.values) if self.values else None,
            "max": max(self.values) if self.values else None,
            "goal": str(self.goal) if self.goal else None, "passed": self.passed,
            "note": self.note,
        }


@dataclass
class WorkloadResult:
    """What a workload reports: medians per contender, paired ratios, goals, notes."""

    key: str
    title: str
    medians: list[Figure] = field(default_factory=list)  # the contenders' own figures
    ratios: list[Figure] = field(default_factory=list)  # paired ratios and absolute goals
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The result as plain data."""
        return {
            "key": self.key, "title": self.title,
            "medians": [f.as_json() for f in self.medians],
            "ratios": [f.as_json() for f in self.ratios],
            "notes": self.notes, "extra": self.extra,
        }


def has_eventsourcing() -> bool:
    """Whether the eventsourcing library is installed (the `bench` extra)."""
    return importlib.util.find_spec("eventsourcing") is not None


def say(message: str) -> None:
    """Progress on stderr, so that stdout holds only the report."""
    print(message, file=sys.stderr, flush=True)


@contextmanager
def timed() -> Iterator[Callable[[], float]]:
    """Measure the wall time of a block: `with timed() as t: ...; t()` gives seconds."""
    gc.collect()
    start = time.perf_counter()
    end: float | None = None

    def elapsed() -> float:
        return (end if end is not None else time.perf_counter()) - start

    try:
        yield elapsed
    finally:
        end = time.perf_counter()


def interleave(
    key: str, reps: int, runs: Sequence[tuple[str, Callable[[int], float]]]
) -> dict[str, list[float]]:
    """Run each named contender once per repetition, rotating the order each time.

    A run takes the repetition's index and returns its measurement (seconds, or whatever
    the workload measures); the result maps each name to its values in repetition order.
    """
    values: dict[str, list[float]] = {name: [] for name, _ in runs}
    for rep in range(reps):
        shift = rep % len(runs)
        for name, run in [*runs[shift:], *runs[:shift]]:
            value = run(rep)
            values[name].append(value)
            say(f"  {key} rep {rep + 1}/{reps} {name}: {value:.4g}")
    return values


def interleave_slices(
    key: str, reps: int, contenders: Sequence[tuple[str, Callable[[int], Work]]]
) -> dict[str, list[float]]:
    """Run the contenders slice by slice, round-robin, and sum each one's time per repetition.

    A contender is a function of the repetition's index that sets up (untimed) and returns
    its work as an iterator of slices and a function that tears down (untimed). Within a
    repetition the contenders take turns, one slice each, in an order that rotates every
    round, so that a burst of load from another process (a neighbour's fsyncs, say) falls
    on all of them alike instead of on whichever was running at the time.
    """
    values: dict[str, list[float]] = {name: [] for name, _ in contenders}
    for rep in range(reps):
        gc.collect()
        started = [(name, *make(rep)) for name, make in contenders]
        spent = dict.fromkeys(values, 0.0)
        active = list(started)
        turn = rep
        try:
            while active:
                shift = turn % len(active)
                for entry in [*active[shift:], *active[:shift]]:
                    name, steps, _ = entry
                    start = time.perf_counter()
                    finished = next(steps, StopIteration) is StopIteration
                    spent[name] += time.perf_counter() - start
                    if finished:
                        active.remove(entry)
                turn += 1
        finally:
            for _, _, close in started:
                close()
        for name, seconds in spent.items():
            values[name].append(seconds)
            say(f"  {key} rep {rep + 1}/{reps} {name}: {seconds:.4g}")
    return values


def slices(total: int, count: int = 20) -> list[range]:
    """`range(total)` cut into about `count` consecutive slices."""
    size = max(1, -(-total // count))
    return [range(start, min(start + size, total)) for start in range(0, total, size)]


def discard(path: Path) -> None:
    """Remove a SQLite file with its WAL and shared-memory files."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def paired(numerator: Sequence[float], denominator: Sequence[float]) -> list[float]:
    """Per-repetition ratios numerator[i] / denominator[i]."""
    return [n / d for n, d in zip(numerator, denominator, strict=True) if d]


def ratio(throughput: dict[str, list[float]], numerator: str, denominator: str, label: str,
          goal: Goal | None = None) -> Figure:
    """The figure `label`: one contender's rate over another's, paired per repetition."""
    return Figure(label, paired(throughput[numerator], throughput[denominator]), "x", goal)


def ceiling(throughput: dict[str, list[float]], unit: str) -> Figure:
    """Raw sqlite3 against eventsourcing: the most any library storing procedura's rows
    could gain over eventsourcing, since raw sqlite3 stores them and does nothing else."""
    return ratio(throughput, RAW, ES,
                 f"raw sqlite3 / eventsourcing ({unit}): the ceiling on this schema")


def rates(work: float, seconds: Sequence[float]) -> list[float]:
    """Throughputs (work per second) from durations."""
    return [work / s for s in seconds]
