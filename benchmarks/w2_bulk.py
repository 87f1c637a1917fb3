"""W2 bulk: many events, 1,000 per transaction, as a scenario run or an import writes them.

The cases are written one after the other (an import's order), each opened with its
draft and then taken round the recipe's cycle. procedura issues the commands through the
case actions inside `log.transaction()`, committing once 1,000 events are pending: every
command is validated and applied exactly as a live one, which is what scenario runs and
the unvotes importer do. A second procedura row ("procedura append") writes the same
events through `EventLog.append` (one call per case, inside the same transactions), with
no validation: it shows what the log's storage path alone costs. Raw sqlite3 inserts the
same rows with `executemany`, 1,000 per transaction; eventsourcing saves the aggregates
touched by each 1,000 events with one `Application.save` (one transaction).

Within a repetition the contenders take turns in slices of a twentieth of the run, as
in W1, so that load from other processes falls on all of them alike.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from itertools import groupby
from pathlib import Path

import engine
from benchmarks import raw, recipe
from benchmarks.harness import (
    ES,
    PROCEDURA,
    RAW,
    Figure,
    Goal,
    Settings,
    Steps,
    Work,
    WorkloadResult,
    ceiling,
    discard,
    interleave_slices,
    rates,
    ratio,
)
from events import CaseOpened, DraftSubmitted, MotionMoved, NewEvent, SponsorsAdded, Withdrawn

__all__ = [
    "append_work", "batches", "build", "build_procedura", "eventsourcing_work", "procedura_work",
    "raw_work", "run",
]

APPEND = "procedura append"


def batches(cases: int, per_case: int, batch: int, interleaved: bool
            ) -> Iterator[list[tuple[int, str]]]:
    """The recipe's commands in groups that record at least `batch` events each."""
    group: list[tuple[int, str]] = []
    pending = 0
    for index, kind in recipe.commands(cases, per_case, interleaved):
        group.append((index, kind))
        pending += recipe.events_in(kind)
        if pending >= batch:
            yield group
            group, pending = [], 0
    if group:
        yield group


def _slice_every(cases: int, per_case: int, batch: int) -> int:
    """How many transactions make one slice (a twentieth of the run)."""
    return max(1, -(-cases * per_case // batch) // 20)


def procedura_work(path: Path, cases: int, per_case: int, batch: int,
                   interleaved: bool) -> Work:
    """The recipe's commands through procedura's actions, `batch` events a transaction."""
    log = engine.open(path)
    every = _slice_every(cases, per_case, batch)

    def steps() -> Steps:
        open_cases: dict[int, engine.Case] = {}
        for n, group in enumerate(batches(cases, per_case, batch, interleaved), start=1):
            with log.transaction():
                for index, kind in group:
                    recipe.perform(log, open_cases, index, kind)
            if n % every == 0:
                yield

    return steps(), log.close


def raw_work(path: Path, cases: int, per_case: int, batch: int, interleaved: bool) -> Work:
    """The same rows through sqlite3, `batch` events a transaction."""
    raw.create(path)
    writer = raw.Writer(path)
    every = _slice_every(cases, per_case, batch)

    def steps() -> Steps:
        for n, group in enumerate(batches(cases, per_case, batch, interleaved), start=1):
            rows = []
            for index, kind in group:
                rows.extend(writer.rows(recipe.case_id(index), recipe.payloads(index, kind)))
            writer.write(rows)
            if n % every == 0:
                yield

    return steps(), writer.close


def eventsourcing_work(path: Path, cases: int, per_case: int, batch: int, interleaved: bool,
                       aggregates: dict | None = None) -> Work:
    """The same commands as eventsourcing aggregates, one `save` per `batch` events.

    `aggregates`, if given, is filled with the aggregates by case index.
    """
    from benchmarks import es

    app = es.application(path)
    every = _slice_every(cases, per_case, batch)
    made: dict[int, es.Case] = {} if aggregates is None else aggregates

    def steps() -> Steps:
        for n, group in enumerate(batches(cases, per_case, batch, interleaved), start=1):
            touched = {index: es.perform(made, index, kind) for index, kind in group}
            app.save(*touched.values())
            if n % every == 0:
                yield

    return steps(), app.close


def build(work: Work) -> None:
    """Do all of a contender's work at once, untimed (to build a log for reading)."""
    steps, close = work
    try:
        for _ in steps:
            pass
    finally:
        close()


def build_procedura(path: Path, cases: int, per_case: int, batch: int,
                    interleaved: bool) -> None:
    """A log of the recipe's commands written through procedura's actions."""
    build(procedura_work(path, cases, per_case, batch, interleaved))


_EVENTS = {
    "sponsor": lambda i: SponsorsAdded(recipe.symbol(i), (recipe.ADDED,)),
    "move": lambda i: MotionMoved(recipe.MOTION, recipe.MOVER),
    "withdraw": lambda i: Withdrawn(recipe.MOTION, "motion"),
}


def _new_events(index: int, kinds: list[str]) -> list[NewEvent]:
    out = []
    for kind in kinds:
        if kind == recipe.OPEN:
            out.append(NewEvent(CaseOpened(recipe.TITLE)))
            out.append(NewEvent(DraftSubmitted(recipe.BODY, recipe.symbol(index), "d",
                                               (recipe.SPONSOR,))))
        else:
            out.append(NewEvent(_EVENTS[kind](index)))
    return out


def append_work(path: Path, cases: int, per_case: int, batch: int) -> Work:
    """The same events through `EventLog.append` (unvalidated), one call per case and batch."""
    log = engine.open(path)
    every = _slice_every(cases, per_case, batch)

    def steps() -> Steps:
        versions: dict[int, int] = {}
        for n, group in enumerate(batches(cases, per_case, batch, interleaved=False), start=1):
            with log.transaction():
                for index, commands in groupby(group, key=lambda c: c[0]):
                    new = _new_events(index, [kind for _, kind in commands])
                    log.events.append(recipe.case_id(index), new, versions.get(index, 0))
                    versions[index] = versions.get(index, 0) + len(new)
            if n % every == 0:
                yield

    return steps(), log.close


def _footprint(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path) as conn:
        return conn.execute("select count(*), sum(length(payload)) from events").fetchone()


def run(settings: Settings) -> WorkloadResult:
    """Measure W2 and compare procedura with both yardsticks."""
    s = settings.sizes
    n = s.w2_events
    result = WorkloadResult("W2", f"bulk: {n:,} events in {s.w2_cases:,} cases, "
                                  f"{s.batch:,} events per transaction")
    args = (s.w2_cases, s.w2_events_per_case, s.batch)
    contenders: dict[str, Callable[[Path], Work]] = {
        PROCEDURA: lambda p: procedura_work(p, *args, interleaved=False),
        APPEND: lambda p: append_work(p, *args),
        RAW: lambda p: raw_work(p, *args, interleaved=False),
    }
    if settings.eventsourcing:
        contenders[ES] = lambda p: eventsourcing_work(p, *args, interleaved=False)
    footprints: dict[str, tuple[int, int]] = {}

    def runner(name: str) -> Callable[[int], Work]:
        def start(rep: int) -> Work:
            path = settings.workdir / f"w2-{name.replace(' ', '-')}-{rep}.db"
            discard(path)
            steps, close = contenders[name](path)

            def finish() -> None:
                close()
                if name != ES:
                    footprints[name] = _footprint(path)
                discard(path)

            return steps, finish
        return start

    seconds = interleave_slices("W2", s.reps, [(name, runner(name)) for name in contenders])
    throughput = {name: rates(n, v) for name, v in seconds.items()}
    result.medians = [Figure(name, values, "events/s") for name, values in throughput.items()]
    result.ratios.append(ratio(
        throughput, PROCEDURA, RAW, "procedura / raw sqlite3 (events/s)", Goal(">=", 0.4)))
    result.ratios.append(ratio(
        throughput, APPEND, RAW, "procedura append / raw sqlite3 (events/s, unvalidated)"))
    if ES in throughput:
        result.ratios.append(ratio(
            throughput, PROCEDURA, ES, "procedura / eventsourcing (events/s)", Goal(">=", 1.5)))
        result.ratios.append(ceiling(throughput, "events/s"))
    same = len(set(footprints.values())) == 1
    result.notes.append(
        "procedura, procedura append and raw sqlite3 wrote the same rows "
        f"({footprints[RAW][0]:,} events, {footprints[RAW][1]:,} payload bytes)" if same else
        f"the logs differ: {footprints} (events, payload bytes)")
    result.extra["footprints"] = {k: list(v) for k, v in footprints.items()}
    return result
