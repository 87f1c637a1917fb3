"""W3 full replay: interleaved cases rebuilt to state from their events.

The log is built once (untimed) from the recipe, the cases taking turns, so each case's
events are spread over the whole file. Then each repetition rebuilds every case:

- procedura: `log.case(id)` for each case (the library's way to load a case);
- procedura fold: `log.states()`, every case rebuilt in one pass over the log (the way
  to rebuild a whole log; one query, no query per case);
- raw sqlite3 (the limit): for each case, its payloads in version order through a cursor,
  each decoded with `json.loads`;
- eventsourcing: `repository.get(id)` for each aggregate (its reconstruction).

Peak memory of both procedura paths is measured in a fresh process at two log sizes (the
same cases with half and all of their events): it must not grow with the log.

Within a repetition the contenders take turns in slices of a twentieth of the work, so
that load from other processes falls on all of them alike.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import engine
from benchmarks import raw, recipe
from benchmarks.child import measure
from benchmarks.harness import (
    ES,
    PROCEDURA,
    RAW,
    Figure,
    Goal,
    Settings,
    Steps,
    WorkloadResult,
    discard,
    interleave_slices,
    rates,
    ratio,
    say,
    slices,
)
from benchmarks.w2_bulk import build, build_procedura, eventsourcing_work
from engine.procedure.state import CaseState, fold
from events import decode

__all__ = ["child_replay", "load_cases", "run"]

FOLD = "procedura fold"
EXPECTED_STATE = "committee.tabled"


def load_cases(log: engine.ProcedureLog, cases: int) -> int:
    """Rebuild every case with `log.case`; return the events folded."""
    folded = 0
    for i in range(cases):
        case = log.case(recipe.case_id(i))
        folded += case.version
    return folded


def child_replay(path: str, cases: str, how: str) -> dict[str, Any]:
    """In a child process: rebuild the log's cases (`how`: "cases" or "fold")."""
    with engine.open(path) as log:
        if how == "cases":
            return {"events": load_cases(log, int(cases))}
        return {"events": sum(s.version for s in log.states().values())}


def _check(log: engine.ProcedureLog, cases: int, per_case: int) -> None:
    """The two procedura paths give the expected state for every case."""
    states = log.states()
    for i in range(cases):
        case = log.case(recipe.case_id(i))
        again = states[recipe.case_id(i)]
        if (case.state, case.version) != (EXPECTED_STATE, per_case) or \
                case.data.as_dict() != again.as_dict():
            raise AssertionError(f"case {case.id} rebuilt to {case!r}, folded to {again.state}")


def _memory(settings: Settings, full: Path) -> list[Figure]:
    """Peak RSS of both procedura paths at half and at all of each case's events."""
    s = settings.sizes
    half = settings.workdir / "w3-procedura-half.db"
    if not half.exists():
        say("  W3 building the half-size log for the memory comparison")
        build_procedura(half, s.w3_cases, s.w3_events_per_case // 2, s.batch, interleaved=True)
    figures = []
    for how in ("cases", "fold"):
        small = measure("benchmarks.w3_replay:child_replay", half, s.w3_cases, how)
        large = measure("benchmarks.w3_replay:child_replay", full, s.w3_cases, how)
        name = "procedura" if how == "cases" else FOLD
        figures.append(Figure(
            f"{name}: peak RSS at {large['events']:,} / at {small['events']:,} events",
            [large["rss_peak_mb"] / small["rss_peak_mb"]], "x", Goal("<=", 1.1),
            note=f"{small['rss_peak_mb']:.1f} MB → {large['rss_peak_mb']:.1f} MB; "
                 f"{small['rss_start_mb']:.1f} MB after the imports"))
    return figures


def _per_case(load: Callable[[int], object], cases: int) -> Callable[[], Steps]:
    """Rebuild the cases one by one with `load`, a twentieth of them per slice."""
    def steps() -> Steps:
        for part in slices(cases):
            for i in part:
                load(i)
            yield
    return steps


def _fold(log: engine.ProcedureLog, events: int) -> Callable[[], Steps]:
    """`log.states()`, a twentieth of the events per slice."""
    every = max(1, events // 20)

    def steps() -> Steps:
        # `log.states()`, taken apart to be sliced
        states: dict[str, CaseState] = {}
        for n, (stream_id, version, occurred_at, type_name, schema, payload) in enumerate(
                log.events.rows(columns=log.events.FOLD), start=1):
            fold(states, stream_id, decode(type_name, schema, payload), version, occurred_at)
            if n % every == 0:
                yield
    return steps


def run(settings: Settings) -> WorkloadResult:
    """Measure W3 and compare procedura with both yardsticks."""
    s = settings.sizes
    n, cases = s.w3_events, s.w3_cases
    result = WorkloadResult("W3", f"full replay: {n:,} events in {cases:,} interleaved cases "
                                  "rebuilt to state")
    path = settings.workdir / "w3-procedura.db"
    if not path.exists():
        say(f"  W3 building the log ({n:,} events through the actions)")
        build_procedura(path, cases, s.w3_events_per_case, s.batch, interleaved=True)
    log = engine.open(path)  # writable, as an application opens it
    conn = raw.connect(path)
    _check(log, cases, s.w3_events_per_case)
    closers = [log.close, conn.close]
    contenders = {
        PROCEDURA: _per_case(lambda i: log.case(recipe.case_id(i)), cases),
        FOLD: _fold(log, n),
        RAW: _per_case(lambda i: raw.decode_stream(conn, recipe.case_id(i)), cases),
    }
    try:
        if settings.eventsourcing:
            contenders[ES] = _eventsourcing(settings, cases, s.w3_events_per_case, s.batch,
                                            closers)
        for steps in contenders.values():  # warm the page cache and SQLite's, for each
            for _ in steps():
                pass
        seconds = interleave_slices(
            "W3", s.reps,
            [(name, lambda _, steps=steps: (steps(), lambda: None))
             for name, steps in contenders.items()])
    finally:
        for close in closers:
            close()
    throughput = {name: rates(n, v) for name, v in seconds.items()}
    result.medians = [Figure(name, values, "events/s") for name, values in throughput.items()]
    result.ratios.append(ratio(
        throughput, PROCEDURA, RAW, "procedura / raw read+decode (events/s)", Goal(">=", 0.5)))
    result.ratios.append(ratio(
        throughput, FOLD, RAW, "procedura fold / raw read+decode (events/s)"))
    if ES in throughput:
        result.ratios.append(ratio(
            throughput, PROCEDURA, ES, "procedura / eventsourcing (events/s)", Goal(">=", 3.0)))
    result.ratios.extend(_memory(settings, path))
    return result


def _eventsourcing(settings: Settings, cases: int, per_case: int, batch: int,
                   closers: list[Callable[[], None]]) -> Callable[[], Steps]:
    """Build the eventsourcing store once; return the reconstruction of every case."""
    from benchmarks import es

    path = settings.workdir / "w3-eventsourcing.db"
    discard(path)
    say(f"  W3 building the eventsourcing store ({cases * per_case:,} events)")
    aggregates: dict[int, es.Case] = {}
    build(eventsourcing_work(path, cases, per_case, batch, True, aggregates))
    ids = es.ids(aggregates)
    del aggregates
    app = es.application(path)
    closers.append(app.close)
    if sum(app.repository.get(i).version for i in ids) != cases * per_case:
        raise AssertionError("eventsourcing rebuilt a different number of events")
    return _per_case(lambda i: app.repository.get(ids[i]), cases)
