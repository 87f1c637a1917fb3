"""W1 durable commands: one command, one transaction, WAL, synchronous=FULL.

Each command opens a case with its draft: procedura's `new_case` + `submit_draft` (two
events, validated, in one transaction, as the acceptance check's PERF does); beside it,
for context only, the same through a log opened with `durable=False`; raw sqlite3
inserts the same two rows in one BEGIN IMMEDIATE ... COMMIT; eventsourcing creates an
aggregate, submits its draft and saves it (two events, one transaction). Every run writes
a fresh file, so each commit pays the fsyncs that synchronous=FULL asks for.

The contenders take turns in slices of a twentieth of the commands (A B C, B C A, ...)
within each repetition: fsync latency on a shared disk swings tenfold from one second to
the next, and slicing makes each contender meet the same swings.
"""

from __future__ import annotations

from collections.abc import Callable
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
    slices,
)

__all__ = ["run"]


NOT_DURABLE = "procedura, durable=False (context: not synced)"


def procedura(path: Path, commands: int, durable: bool = True) -> Work:
    """`commands` durable commands through procedura, in slices."""
    log = engine.open(path, durable=durable)

    def steps() -> Steps:
        for part in slices(commands):
            for i in part:
                recipe.open_case(log, i)
            yield

    return steps(), log.close


def raw_sqlite(path: Path, commands: int) -> Work:
    """The same rows, one transaction per command, through sqlite3, in slices."""
    raw.create(path)
    writer = raw.Writer(path)

    def steps() -> Steps:
        for part in slices(commands):
            for i in part:
                writer.write(writer.rows(recipe.case_id(i), recipe.payloads(i, recipe.OPEN)))
            yield

    return steps(), writer.close


def eventsourcing(path: Path, commands: int) -> Work:
    """The same commands as eventsourcing aggregates, one save each, in slices."""
    from benchmarks import es

    app = es.application(path)

    def steps() -> Steps:
        for part in slices(commands):
            for i in part:
                app.save(es.perform({}, i, recipe.OPEN))
            yield

    return steps(), app.close


def run(settings: Settings) -> WorkloadResult:
    """Measure W1 and compare procedura with both yardsticks."""
    n, reps = settings.sizes.w1_commands, settings.sizes.reps
    result = WorkloadResult("W1", f"durable commands: {n:,} commands, one transaction each "
                                  "(WAL, synchronous=FULL)")
    contenders: dict[str, Callable[[Path, int], Work]] = {
        PROCEDURA: procedura, RAW: raw_sqlite,
        NOT_DURABLE: lambda path, commands: procedura(path, commands, durable=False)}
    if settings.eventsourcing:
        contenders[ES] = eventsourcing

    def runner(name: str) -> Callable[[int], Work]:
        def start(rep: int) -> Work:
            path = settings.workdir / f"w1-{''.join(c for c in name if c.isalnum())}-{rep}.db"
            discard(path)
            steps, close = contenders[name](path, n)

            def finish() -> None:
                close()
                discard(path)

            return steps, finish
        return start

    seconds = interleave_slices("W1", reps, [(name, runner(name)) for name in contenders])
    throughput = {name: rates(n, s) for name, s in seconds.items()}
    result.medians = [Figure(name, values, "commands/s") for name, values in throughput.items()]
    result.ratios.append(ratio(
        throughput, PROCEDURA, RAW, "procedura / raw sqlite3 (commands/s)", Goal(">=", 0.5)))
    if ES in throughput:
        result.ratios.append(ratio(
            throughput, PROCEDURA, ES, "procedura / eventsourcing (commands/s)", Goal(">=", 2.0)))
        result.ratios.append(ceiling(throughput, "commands/s"))
        result.notes.append(_eventsourcing_settings(settings.workdir / "w1-probe.db"))
    result.notes.append(
        f"{NOT_DURABLE}: the same commands with synchronous=NORMAL, which commits without "
        "waiting for the disk and may lose the last commits to a power cut; it shows "
        "what the wait for the disk costs, and is no target's figure")
    return result


def _eventsourcing_settings(path: Path) -> str:
    from benchmarks import es

    app = es.application(path)
    try:
        mode, sync = es.synchronous_setting(app)
    finally:
        app.close()
        discard(path)
    names = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}
    return (f"eventsourcing {es.version()} runs with journal_mode={mode}, "
            f"synchronous={names.get(sync, sync)} (its SQLite connections, read back)")
