"""W5 real data: the UN General Assembly roll calls imported, replayed and verified.

Each repetition runs two fresh processes, in alternating order, so each reports its own
peak resident memory:

- procedura: `import_unvotes` into a fresh log, then every case rebuilt with `log.case`
  (the replay), then `verify` over the whole log. Beside the replay, in the same process
  and on the same file, the limit: every payload scanned in position order and decoded
  with `json.loads` (replay and scan alternate three times; medians are kept);
- raw sqlite3: the same CSV files parsed with `csv` and their rows inserted with
  `executemany` into plain tables (10,000 rows per transaction, WAL, synchronous=FULL).

Import rates count the input rows (roll calls plus member positions) for both. Peak
memory of the replay is measured once more in a fresh process at two log sizes (the
first half of the roll calls, and all of them).
"""

from __future__ import annotations

import csv
import gzip
import os
import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import engine
from benchmarks import raw
from benchmarks.child import measure
from benchmarks.harness import (
    PROCEDURA,
    RAW,
    Figure,
    Goal,
    Settings,
    WorkloadResult,
    discard,
    interleave,
    paired,
    say,
)
from engine.app.importers.unvotes import import_unvotes
from engine.app.verify import verify

__all__ = ["child_procedura", "child_raw", "child_replay", "run", "subset"]

FILES = ("roll_calls", "unvotes", "issues")
CHUNK = 10_000


def _reader(folder: Path, name: str) -> Iterator[list[str]]:
    """The rows of one table of the data (header first), from .csv or .csv.gz."""
    plain, packed = folder / f"{name}.csv", folder / f"{name}.csv.gz"
    path = plain if plain.exists() else packed
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as f:  # type: ignore[operator]
        yield from csv.reader(f)


def subset(source: Path, target: Path, roll_calls: int) -> None:
    """Write the first `roll_calls` roll calls (by rcid) and their rows as plain CSV."""
    target.mkdir(parents=True, exist_ok=True)
    rows = _reader(source, "roll_calls")
    header = next(rows)
    column = header.index("rcid")
    kept = sorted(rows, key=lambda r: int(r[column]))[:roll_calls]
    wanted = {r[column] for r in kept}
    for name in FILES:
        rows = _reader(source, name)
        header = next(rows)
        column = header.index("rcid")
        with open(target / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
            out = csv.writer(f)
            out.writerow(header)
            out.writerows(r for r in rows if r[column] in wanted)


def input_rows(folder: Path) -> int:
    """Roll calls plus member positions in the data."""
    return sum(sum(1 for _ in _reader(folder, name)) - 1 for name in ("roll_calls", "unvotes"))


def replay(log: engine.ProcedureLog) -> int:
    """Rebuild every case of the log; return how many events were folded."""
    return sum(log.case(stream_id).version for stream_id, _ in log.events.streams())


def scan(path: str) -> int:
    """The limit of a replay: every payload read in position order and decoded."""
    conn = raw.connect(Path(path))
    try:
        return sum(1 for _ in raw.scan_decode(conn))
    finally:
        conn.close()


def _seconds(function, *args: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    value = function(*args)
    return time.perf_counter() - start, value


def child_procedura(folder: str, path: str) -> dict[str, Any]:
    """In a child process: import, replay (against the raw scan) and verify."""
    with engine.open(path) as log:
        import_s, report = _seconds(import_unvotes, log, folder)
        replays, scans = [], []
        for _ in range(3):
            seconds, events = _seconds(replay, log)
            replays.append(seconds)
            scans.append(_seconds(scan, path)[0])
        verify_s, checked = _seconds(verify, log)
        if not checked.ok:
            raise AssertionError(f"verify found a problem: {checked.problem}")
    return {
        "import_s": import_s, "replay_s": statistics.median(replays),
        "scan_s": statistics.median(scans), "verify_s": verify_s, "events": events,
        "cases": report.cases, "roll_calls": report.roll_calls,
        "positions": report.positions, "bytes": os.path.getsize(path),
    }


def child_raw(folder: str, path: str) -> dict[str, Any]:
    """In a child process: parse the CSV files and insert their rows with executemany."""
    conn = raw.connect(Path(path))
    start = time.perf_counter()
    inserted = 0
    for name in FILES:
        rows = _reader(Path(folder), name)
        header = next(rows)
        columns = ", ".join(f'"{c}"' for c in header)
        conn.execute(f"create table {name} ({columns})")
        insert = f"insert into {name} values ({', '.join('?' * len(header))})"
        chunk: list[list[str]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == CHUNK:
                inserted += _insert(conn, insert, chunk)
                chunk = []
        inserted += _insert(conn, insert, chunk)
    seconds = time.perf_counter() - start
    conn.close()
    return {"import_s": seconds, "rows": inserted, "bytes": os.path.getsize(path)}


def _insert(conn, sql: str, rows: list[list[str]]) -> int:
    conn.execute("begin immediate")
    conn.executemany(sql, rows)
    conn.execute("commit")
    return len(rows)


def child_replay(path: str) -> dict[str, Any]:
    """In a child process: replay every case of an existing log (for peak memory)."""
    with engine.open(path) as log:
        return {"events": replay(log)}


def _data(settings: Settings) -> tuple[Path, Path]:
    """The data folder for this run, and one with the first half of its roll calls."""
    s, work = settings.sizes, settings.workdir
    total = s.w5_roll_calls
    if total is None:
        full = settings.unvotes
        total = sum(1 for _ in _reader(full, "roll_calls")) - 1
    else:
        full = work / "unvotes-subset"
        if not full.exists():
            subset(settings.unvotes, full, total)
    half = work / "unvotes-half"
    if not half.exists():
        subset(settings.unvotes, half, total // 2)
    return full, half


def run(settings: Settings) -> WorkloadResult:
    """Measure W5: import, replay and verify the unvotes data against the raw baseline."""
    s = settings.sizes
    result = WorkloadResult("W5", "real data: the unvotes roll calls imported into a fresh "
                                  "log, replayed and verified")
    if not any((settings.unvotes / f"roll_calls{x}").exists() for x in (".csv", ".csv.gz")):
        result.notes.append(f"skipped: no unvotes data at {settings.unvotes}")
        return result
    folder, half = _data(settings)
    rows = input_rows(folder)
    result.title += f" ({rows:,} input rows" + (
        ", all of the data)" if s.w5_roll_calls is None else f", first {s.w5_roll_calls} "
                                                               "roll calls)")
    reports: dict[str, list[dict[str, Any]]] = {PROCEDURA: [], RAW: []}
    log_path = settings.workdir / "w5-procedura.db"
    targets = {PROCEDURA: ("benchmarks.w5_unvotes:child_procedura", log_path),
               RAW: ("benchmarks.w5_unvotes:child_raw", settings.workdir / "w5-raw.db")}

    def runner(name: str):
        def once(rep: int) -> float:
            target, path = targets[name]
            discard(path)
            report = measure(target, folder, path)
            reports[name].append(report)
            return report["import_s"]
        return once

    interleave("W5", s.reps, [(name, runner(name)) for name in targets])
    discard(targets[RAW][1])
    _figures(result, reports, rows)
    result.ratios.append(_replay_memory(log_path, half, settings.workdir))
    result.extra["runs"] = reports
    return result


def _figures(result: WorkloadResult, reports: dict[str, list[dict[str, Any]]],
             rows: int) -> None:
    p, r = reports[PROCEDURA], reports[RAW]
    events = p[0]["events"]
    imports = {name: [rows / x["import_s"] for x in reps] for name, reps in reports.items()}
    replay_rate = [events / x["replay_s"] for x in p]
    scan_rate = [events / x["scan_s"] for x in p]
    result.medians = [
        Figure("procedura import", imports[PROCEDURA], "rows/s"),
        Figure("raw sqlite3 csv + executemany", imports[RAW], "rows/s"),
        Figure("procedura replay (log.case for every case)", replay_rate, "events/s"),
        Figure("raw scan + json.loads of the same log", scan_rate, "events/s"),
        Figure("procedura verify", [events / x["verify_s"] for x in p], "events/s"),
        Figure("procedura import + replay + verify",
               [x["import_s"] + x["replay_s"] + x["verify_s"] for x in p], "s"),
        Figure("procedura log file", [x["bytes"] / 2**20 for x in p], "MB"),
        Figure("raw sqlite3 file", [x["bytes"] / 2**20 for x in r], "MB"),
        Figure("procedura peak RSS (import, replay, verify)", [x["rss_peak_mb"] for x in p],
               "MB"),
        Figure("raw sqlite3 peak RSS", [x["rss_peak_mb"] for x in r], "MB"),
    ]
    result.ratios += [
        Figure("import: procedura / raw sqlite3 (rows/s)",
               paired(imports[PROCEDURA], imports[RAW]), "x", Goal(">=", 0.4)),
        Figure("replay: procedura / raw scan+decode (events/s)",
               paired(replay_rate, scan_rate), "x", Goal(">=", 0.5)),
        Figure("procedura peak RSS", [x["rss_peak_mb"] for x in p], "MB", Goal("<=", 300, "MB")),
    ]
    result.notes.append(
        f"{p[0]['roll_calls']:,} roll calls, {p[0]['positions']:,} member positions recorded "
        f"as {events:,} events in {p[0]['cases']:,} cases")


def _replay_memory(full: Path, half_data: Path, work: Path) -> Figure:
    """Peak RSS of a replay at half and at all of the data."""
    half = work / "w5-procedura-half.db"
    if not half.exists():
        say("  W5 importing the first half of the roll calls for the memory comparison")
        with engine.open(half) as log:
            import_unvotes(log, half_data)
    small = measure("benchmarks.w5_unvotes:child_replay", half)
    large = measure("benchmarks.w5_unvotes:child_replay", full)
    return Figure(f"replay peak RSS at {large['events']:,} / at {small['events']:,} events",
                  [large["rss_peak_mb"] / small["rss_peak_mb"]], "x", Goal("<=", 1.1),
                  note=f"{small['rss_peak_mb']:.1f} MB → {large['rss_peak_mb']:.1f} MB; "
                       f"{small['rss_start_mb']:.1f} MB after the imports")
