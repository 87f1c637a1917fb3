"""`python -m benchmarks`: run the workloads, print the Markdown report, write the JSON.

    python -m benchmarks                      # full sizes, 5 repetitions
    python -m benchmarks --quick              # CI smoke run, under a minute
    python -m benchmarks --only W3,W4 --reps 7 --output /tmp/w34.json
    python -m benchmarks --only W8            # on PostgreSQL (a server must answer)

The exit status is 0 when the suite ran (whatever the figures), 1 with `--strict` when a
target is missed, and 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import importlib
import shlex
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import report
from benchmarks.harness import FULL, QUICK, Settings, WorkloadResult, has_eventsourcing, say

ROOT = Path(__file__).resolve().parents[1]
WORKLOADS = {
    "W1": "benchmarks.w1_commands",
    "W2": "benchmarks.w2_bulk",
    "W3": "benchmarks.w3_replay",
    "W4": "benchmarks.w4_time_travel",
    "W5": "benchmarks.w5_unvotes",
    "W6": "benchmarks.w6_startup",
    "W7": "benchmarks.w7_serve",
    "W8": "benchmarks.w8_postgres",
    "W9": "benchmarks.w9_integrity",
}
# Run only when named in --only: W8 needs a PostgreSQL server (PROCEDURA_BENCH_POSTGRES).
ON_REQUEST = {"W8"}


def parse(argv: list[str]) -> argparse.Namespace:
    """The command line."""
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true",
                   help="small sizes and 3 repetitions (a smoke run for CI)")
    p.add_argument("--reps", type=int, help="repetitions (default 5, or 3 with --quick)")
    p.add_argument("--only", default=",".join(k for k in WORKLOADS if k not in ON_REQUEST),
                   help="workloads to run, comma-separated (default: all but W8, which "
                        "needs a PostgreSQL server)")
    p.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results.json",
                   help="where to write the JSON (default: benchmarks/results.json)")
    p.add_argument("--markdown", type=Path, help="also write the Markdown report here")
    p.add_argument("--workdir", type=Path,
                   help="folder for the logs (default: a temporary folder, removed after)")
    p.add_argument("--unvotes", type=Path, default=ROOT.parent / "shared" / "data" / "unvotes",
                   help="the unvotes data folder for W5 (default: ../shared/data/unvotes)")
    p.add_argument("--no-eventsourcing", action="store_true",
                   help="skip the eventsourcing yardstick even if it is installed")
    p.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = p.parse_args(argv)
    unknown = sorted({w.strip().upper() for w in args.only.split(",")} - set(WORKLOADS))
    if unknown:
        p.error(f"unknown workloads {', '.join(unknown)}; known: {', '.join(WORKLOADS)}")
    if args.reps is not None and args.reps < 1:
        p.error("--reps must be at least 1")
    return args


def settings_from(args: argparse.Namespace, workdir: Path) -> Settings:
    """The run's settings from the command line."""
    settings = Settings(
        sizes=QUICK if args.quick else FULL, workdir=workdir, unvotes=args.unvotes.resolve(),
        eventsourcing=has_eventsourcing() and not args.no_eventsourcing,
    )
    return settings.with_reps(args.reps) if args.reps else settings


def run_all(keys: list[str], settings: Settings) -> list[WorkloadResult]:
    """Run the chosen workloads in order."""
    results = []
    for key in keys:
        say(f"{key} ...")
        started = time.perf_counter()
        result = importlib.import_module(WORKLOADS[key]).run(settings)
        result.extra["wall_seconds"] = time.perf_counter() - started
        say(f"{key} done in {result.extra['wall_seconds']:.1f} s")
        results.append(result)
    return results


def main(argv: list[str] | None = None) -> int:
    """Run the suite; print the report; write the JSON."""
    argv = sys.argv[1:] if argv is None else argv
    args = parse(argv)
    keys = [k for k in WORKLOADS if k in {w.strip().upper() for w in args.only.split(",")}]
    command = shlex.join(["python", "-m", "benchmarks", *argv])
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="procedura-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    settings = settings_from(args, workdir.resolve())
    if not settings.eventsourcing:
        say("eventsourcing is not installed (or --no-eventsourcing): its rows are left out")
    started = time.perf_counter()
    try:
        results = run_all(keys, settings)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    seconds = time.perf_counter() - started
    text = report.markdown(results, settings, command, seconds)
    print(text)
    report.write_json(args.output, results, settings, command, seconds)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    say(f"JSON written to {args.output}")
    missed = [f for r in results for f in r.ratios if f.passed is False]
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
