"""W8: W1-W3 on PostgreSQL, procedura against the eventsourcing library's PostgreSQL recorder.

    python -m benchmarks --only W8 [--quick] [--reps N]      # with W7 on two servers
    python -m benchmarks.w8_postgres [--url postgresql://postgres@127.0.0.1:5432/postgres]
                                     [--reps 3] [--scale 1.0] [--markdown FILE]

The same commands as W1-W3 (benchmarks.recipe; eventsourcing's aggregate in
benchmarks.es), each contender in a fresh database of its own on the same server,
created and dropped here, in the same run; the contenders take turns, repetition by
repetition, and the median of the repetitions is reported.
- W1: durable commands, one transaction each: `new_case` + `submit_draft` (2 events)
  against creating an aggregate, submitting its draft and `save`.
- W2: bulk, 1,000 commands a transaction, cases written whole one after another.
- W3: every case rebuilt to its state: `log.case(id)` against `repository.get(id)`.
Targets (issue 15): W1 >= 1.0x, W3 >= 3x, W2 >= 1.0x.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlsplit

import engine
from benchmarks import es, recipe, w7_serve, w8_serve
from benchmarks.harness import ES, PROCEDURA, QUICK, Figure, Goal, Settings, WorkloadResult, say

ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"  # a role that may create databases
TARGETS = {"W1": 1.0, "W2": 1.0, "W3": 3.0}


def _database(admin: str) -> tuple[str, Callable[[], None]]:
    """A new database on the server; its URL and how to drop it."""
    import psycopg

    name = f"procedura_w8_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"create database {name}")

    def drop() -> None:
        from events.postgres import close_pools

        close_pools()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"drop database if exists {name} with (force)")

    return admin.rsplit("/", 1)[0] + "/" + name, drop


def _es_app(url: str) -> es.Application:
    parts = urlsplit(url)
    return es.Application(env={
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": parts.path.lstrip("/"), "POSTGRES_HOST": parts.hostname or "",
        "POSTGRES_PORT": str(parts.port or 5432), "POSTGRES_USER": parts.username or "",
        "POSTGRES_PASSWORD": parts.password or "",
    })


def _timed(admin: str, work: Callable[[str], float]) -> float:
    url, drop = _database(admin)
    try:
        return work(url)
    finally:
        drop()


# -- W1 --------------------------------------------------------------------------------


def w1_procedura(url: str, n: int) -> float:
    """Commands a second: one command, one transaction."""
    with engine.open(url) as log:
        began = time.perf_counter()
        for i in range(n):
            recipe.open_case(log, i)
        return n / (time.perf_counter() - began)


def w1_es(url: str, n: int) -> float:
    """The same through eventsourcing: an aggregate and its draft, saved."""
    app = _es_app(url)
    try:
        began = time.perf_counter()
        for i in range(n):
            app.save(es.perform({}, i, recipe.OPEN))
        return n / (time.perf_counter() - began)
    finally:
        app.close()


# -- W2 and W3 -------------------------------------------------------------------------


def _commands(cases: int, per_case: int) -> list[tuple[int, str]]:
    return list(recipe.commands(cases, per_case, interleaved=False))


def w23_procedura(url: str, cases: int, per_case: int) -> tuple[float, float]:
    """(events a second written, 1,000 commands a transaction; events a second replayed)."""
    commands = _commands(cases, per_case)
    events = sum(recipe.events_in(k) for _, k in commands)
    with engine.open(url) as log:
        began, open_cases = time.perf_counter(), {}
        for start in range(0, len(commands), 1000):
            with log.transaction():
                for index, kind in commands[start:start + 1000]:
                    recipe.perform(log, open_cases, index, kind)
        written = events / (time.perf_counter() - began)
    with engine.open(url, readonly=True) as log:
        began = time.perf_counter()
        for i in range(cases):
            log.case(recipe.case_id(i))
        return written, events / (time.perf_counter() - began)


def w23_es(url: str, cases: int, per_case: int) -> tuple[float, float]:
    """The same through eventsourcing: one `save` of the aggregates 1,000 commands touched."""
    commands = _commands(cases, per_case)
    events = sum(recipe.events_in(k) for _, k in commands)
    app = _es_app(url)
    try:
        began, open_cases = time.perf_counter(), {}
        for start in range(0, len(commands), 1000):
            touched = {index: es.perform(open_cases, index, kind)
                       for index, kind in commands[start:start + 1000]}
            app.save(*touched.values())
        written = events / (time.perf_counter() - began)
        ids = es.ids(open_cases)
        began = time.perf_counter()
        for aggregate_id in ids:
            app.repository.get(aggregate_id)
        return written, events / (time.perf_counter() - began)
    finally:
        app.close()


def measure(admin: str, reps: int, scale: float,
            eventsourcing: bool = True) -> dict[str, list[tuple[float, float]]]:
    """Each repetition's figures per workload: (procedura, eventsourcing); eventsourcing's
    are NaN when it is not run. The contenders take turns going first."""
    n1, cases, per_case = int(1000 * scale), int(200 * scale), 100
    got: dict[str, list[tuple[float, float]]] = {"W1": [], "W2": [], "W3": []}
    for rep in range(reps):
        order = ([0, 1] if rep % 2 == 0 else [1, 0]) if eventsourcing else [0]
        w1 = [math.nan, math.nan]
        w23 = [(math.nan, math.nan), (math.nan, math.nan)]
        for who in order:
            w1[who] = _timed(admin, lambda u, w=who: (w1_procedura, w1_es)[w](u, n1))
            w23[who] = _timed(admin, lambda u, w=who: (w23_procedura, w23_es)[w](u, cases,
                                                                                  per_case))
        got["W1"].append((w1[0], w1[1]))
        got["W2"].append((w23[0][0], w23[1][0]))
        got["W3"].append((w23[0][1], w23[1][1]))
        say(f"  W8 rep {rep + 1}/{reps}: " + ", ".join(
            f"{w} {v[-1][0]:,.0f} / {v[-1][1]:,.0f}" for w, v in got.items()))
    return got


def _what(scale: float) -> dict[str, str]:
    return {"W1": f"{int(1000 * scale):,} durable commands (commands/s)",
            "W2": f"{int(200 * scale) * 100:,} events, 1,000 commands a transaction "
                  "(events/s)",
            "W3": f"{int(200 * scale) * 100:,} events rebuilt case by case (events/s)"}


def run(settings: Settings) -> WorkloadResult:
    """W8 for `python -m benchmarks`: W1-W3 on PostgreSQL against eventsourcing, then
    W7 with two servers on PostgreSQL (benchmarks.w8_serve). The server is
    $PROCEDURA_BENCH_POSTGRES (default ADMIN); without one, W8 reports why and no figures."""
    admin = os.environ.get("PROCEDURA_BENCH_POSTGRES", ADMIN)
    quick = replace(settings.sizes, reps=QUICK.reps) == QUICK
    scale = 0.1 if quick else 1.0
    reps = settings.sizes.reps
    result = WorkloadResult("W8", "PostgreSQL: W1-W3 against eventsourcing's PostgreSQL "
                                  "recorder, and W7 with two servers on one log")
    try:
        import psycopg

        psycopg.connect(admin, connect_timeout=3).close()
    except Exception as e:  # no psycopg, or no server: say so, measure nothing
        result.notes.append(f"not run: no PostgreSQL server at {admin} ({e}); set "
                            "PROCEDURA_BENCH_POSTGRES to a server's URL")
        return result
    got = measure(admin, reps, scale, settings.eventsourcing)
    for w, what in _what(scale).items():
        unit = "commands/s" if w == "W1" else "events/s"
        result.medians.append(Figure(f"{w} {what}: {PROCEDURA}", [p for p, _ in got[w]], unit))
        if settings.eventsourcing:
            result.medians.append(Figure(f"{w} {what}: {ES}", [e for _, e in got[w]], unit))
            result.ratios.append(Figure(f"{w} on PostgreSQL: {PROCEDURA} / {ES}",
                                        [p / e for p, e in got[w]], "x",
                                        Goal(">=", TARGETS[w])))
    subscribers, actions = w7_serve.QUICK_SIZE if quick else w8_serve.FULL_SIZE
    rounds = []
    for rep in range(reps):
        rounds.append(w8_serve.one_round(admin, settings.workdir, rep, subscribers, actions))
        say(f"  W8 two servers rep {rep + 1}/{reps}: action p99 "
            f"{w7_serve.percentile(rounds[-1].actions, 99) * 1e3:.1f} ms, arrival p99 "
            f"{w7_serve.percentile(rounds[-1].arrivals, 99) * 1e3:.1f} ms, "
            f"{rounds[-1].exact}/{subscribers} exact")
    medians, ratios = w8_serve.figures(rounds, subscribers)
    result.medians += medians
    result.ratios += ratios
    result.extra.update(scale=scale, subscribers=subscribers, actions_per_chair=actions,
                        missing_events=[r.missing for r in rounds])
    if settings.eventsourcing:
        result.notes.append(f"eventsourcing {es.version()}")
    return result


def markdown(figures: dict[str, tuple[float, float]], reps: int, scale: float) -> str:
    """The table docs/performance.md shows, from the medians of `measure`."""
    what = _what(scale)
    lines = ["| workload | procedura | eventsourcing | ratio | target | |",
             "|---|---:|---:|---:|---:|---|"]
    for w, (p, e) in figures.items():
        ratio = p / e
        mark = "pass" if ratio >= TARGETS[w] else "**FAIL**"
        lines.append(f"| {w} {what[w]} | {p:,.0f} | {e:,.0f} | {ratio:.2f}x | "
                     f">= {TARGETS[w]:g}x | {mark} |")
    lines.append(f"\nMedian of {reps} repetitions; eventsourcing {es.version()}.")
    return "\n".join(lines)


def main() -> None:
    """Run W8 and print (or write) its table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", default=ADMIN,
                    help="A server's URL with a role that may create databases.")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--markdown", help="Write the table to this file too.")
    a = ap.parse_args()
    got = measure(a.url, a.reps, a.scale)
    table = markdown({w: (statistics.median(p for p, _ in v), statistics.median(e for _, e in v))
                      for w, v in got.items()}, a.reps, a.scale)
    print(table)
    if a.markdown:
        with open(a.markdown, "w", encoding="utf-8") as f:
            f.write(table + "\n")


if __name__ == "__main__":
    main()
