"""Where procedura spends a workload's time: `python -m benchmarks.profile W2 [--quick]`.

Runs procedura's side of one workload once, at the suite's sizes, under cProfile (after
the same untimed set-up the suite does) and prints the functions that take the most
time. W6 is profiled with `python -X importtime -c "import engine"` instead. This is the
tool behind the "what bounds it" column of docs/performance.md.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import engine
from benchmarks import recipe, w1_commands, w2_bulk, w3_replay, w4_time_travel, w5_unvotes
from benchmarks.harness import FULL, QUICK, Sizes, Work

__all__ = ["main", "target"]

ROOT = Path(__file__).resolve().parents[1]


def _exhaust(work: Work) -> Callable[[], None]:
    return lambda: w2_bulk.build(work)


def target(key: str, sizes: Sizes, work: Path, unvotes: Path) -> Callable[[], object]:
    """Set up workload `key` (untimed) and return procedura's part of it."""
    if key == "W1":
        return _exhaust(w1_commands.procedura(work / "w1.db", sizes.w1_commands))
    if key == "W2":
        return _exhaust(w2_bulk.procedura_work(
            work / "w2.db", sizes.w2_cases, sizes.w2_events_per_case, sizes.batch, False))
    if key == "W3":
        path = work / "w3.db"
        w3_replay.build_procedura(path, sizes.w3_cases, sizes.w3_events_per_case, sizes.batch,
                                  interleaved=True)
        log = engine.open(path)
        return lambda: [log.case(recipe.case_id(i)) for i in range(sizes.w3_cases)]
    if key == "W4":
        path = work / "w4.db"
        w4_time_travel.build(path, sizes.w4_long, sizes.w4_append_batch)
        log = engine.open(path)
        log.case(w4_time_travel.CASE)  # makes the snapshots, as the suite's first load does
        at = w4_time_travel.versions(0, 20, sizes.w4_long)
        return lambda: [log.state(w4_time_travel.CASE, at=v) for v in at]
    if key == "W5":
        folder = unvotes
        if sizes.w5_roll_calls is not None:
            folder = work / "unvotes-subset"
            w5_unvotes.subset(unvotes, folder, sizes.w5_roll_calls)
        return lambda: w5_unvotes.child_procedura(str(folder), str(work / "w5.db"))
    raise ValueError(f"no profile for {key}")


def import_time(top: int) -> str:
    """The modules that `import engine` spends the most time on (cumulative, in µs)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import engine"],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    rows = []
    for line in done.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), int(parts[0]), parts[2].rstrip()))
    rows.sort(reverse=True)
    lines = ["cumulative us | self us | module"]
    lines += [f"{c:>13} | {s:>7} | {name}" for c, s, name in rows[:top]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Profile the workloads named on the command line."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__)
    p.add_argument("workloads", nargs="+", help="W1 ... W6")
    p.add_argument("--quick", action="store_true", help="the --quick sizes")
    p.add_argument("--sort", default="tottime", help="pstats sort key (default tottime)")
    p.add_argument("--top", type=int, default=30, help="how many functions to print")
    p.add_argument("--unvotes", type=Path, default=ROOT.parent / "shared" / "data" / "unvotes")
    args = p.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    for key in (w.upper() for w in args.workloads):
        print(f"## {key}")
        if key == "W6":
            print(import_time(args.top))
            continue
        with tempfile.TemporaryDirectory(prefix="procedura-profile-") as folder:
            run = target(key, sizes, Path(folder), args.unvotes)
            profiler = cProfile.Profile()
            profiler.runcall(run)
            pstats.Stats(profiler, stream=sys.stdout).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
