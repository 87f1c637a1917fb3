"""The benchmark harness runs end to end (`python -m benchmarks --quick`).

A smoke test: it checks that every workload ran and reported figures, that the Markdown
tables and the JSON are written, and that the JSON agrees with the table. It never
asserts a speed: timings on a shared machine are not a test's business.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
WORKLOADS = ["W1", "W2", "W3", "W4", "W5", "W6", "W7", "W9"]


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str],
                                                                 Path, Path]:
    """One quick run of the whole suite, shared by the tests of this module."""
    out = tmp_path_factory.mktemp("bench")
    results, markdown = out / "results.json", out / "report.md"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--output", str(results),
         "--markdown", str(markdown), "--workdir", str(out / "work")],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=600, check=False)
    return done, results, markdown


def test_the_quick_run_succeeds_and_prints_the_tables(quick_run) -> None:
    done, _, markdown = quick_run
    assert done.returncode == 0, done.stderr[-3000:]
    for heading in ("# procedura benchmarks", "## Ratios and targets (issue 5)", "## Medians",
                    "| workload | figure | median | min – max | target | result |"):
        assert heading in done.stdout
    assert markdown.read_text(encoding="utf-8") == done.stdout.rstrip("\n") + "\n"


def test_every_workload_reports_figures(quick_run) -> None:
    done, results, _ = quick_run
    assert done.returncode == 0, done.stderr[-3000:]
    data = json.loads(results.read_text(encoding="utf-8"))
    by_key = {w["key"]: w for w in data["workloads"]}
    assert list(by_key) == WORKLOADS
    for key, workload in by_key.items():
        if key == "W5" and not workload["medians"]:
            assert any("skipped" in note for note in workload["notes"])  # no data here
            continue
        assert workload["medians"], f"{key} reported no figures"
        for figure in [*workload["medians"], *workload["ratios"]]:
            assert figure["values"], f"{key} {figure['name']} has no values"
            assert all(math.isfinite(v) and v > 0 for v in figure["values"]), figure
        assert f"| {key} |" in done.stdout


def test_the_contenders_are_paired_and_interleaved(quick_run) -> None:
    done, results, _ = quick_run
    data = json.loads(results.read_text(encoding="utf-8"))
    reps = data["sizes"]["reps"]
    w1 = next(w for w in data["workloads"] if w["key"] == "W1")
    names = [f["name"] for f in w1["medians"]]
    assert names[:2] == ["procedura", "raw sqlite3"]
    assert all(len(f["values"]) == reps for f in w1["medians"])
    ratio = w1["ratios"][0]
    assert len(ratio["values"]) == reps and ratio["goal"] == ">= 0.5x"
    assert ratio["passed"] in (True, False)
    # Each repetition runs every contender once, in a rotating order.
    assert "W1 rep 1/3 procedura" in done.stderr and "W1 rep 3/3 procedura" in done.stderr


def test_targets_are_listed_with_a_verdict(quick_run) -> None:
    _, results, _ = quick_run
    data = json.loads(results.read_text(encoding="utf-8"))
    targets = data["targets"]
    assert {t["workload"] for t in targets} >= {"W1", "W2", "W3", "W4", "W6"}
    assert all(t["passed"] in (True, False) and t["goal"] for t in targets)


def test_bad_arguments_are_refused() -> None:
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--only", "W99"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2 and "unknown workloads W99" in done.stderr
