"""The report: Markdown tables for people, JSON for tools.

The targets table lists every figure that has a goal from issue 5 (paired ratios and
absolute limits) with its median, its range over the repetitions and pass or fail; the
medians table lists each contender's own figures; notes say what was checked on the way.
"""

from __future__ import annotations

import json
import math
import platform
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from benchmarks.harness import Figure, Settings, WorkloadResult, has_eventsourcing

__all__ = ["machine", "markdown", "number", "write_json"]

ROOT = Path(__file__).resolve().parents[1]


def number(value: float, unit: str, bare: bool = False) -> str:
    """A value with its unit (without it if `bare`), rounded for reading.

    Ratios keep three significant digits, so that 0.497x is not shown as a passing 0.50x.
    """
    if math.isnan(value):
        return "-"
    if unit == "x":
        text = f"{value:#.3g}"
    elif unit in ("ms", "s", "MB"):
        digits = 2 if abs(value) < 10 else 1 if abs(value) < 100 else 0
        text = f"{value:,.{digits}f}"
    else:
        text = f"{value:,.0f}"
    if bare:
        return text
    return f"{text}x" if unit == "x" else f"{text} {unit}"


def _range(figure: Figure) -> str:
    if len(figure.values) < 2:
        return ""
    low, high = min(figure.values), max(figure.values)
    return f"{number(low, figure.unit, bare=True)} – {number(high, figure.unit, bare=True)}"


def _verdict(figure: Figure) -> str:
    return {True: "pass", False: "**FAIL**", None: "-"}[figure.passed]


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    import os

    info: dict[str, Any] = {
        "platform": platform.platform(), "cpus": os.cpu_count(),
        "python": sys.version.split()[0], "sqlite": sqlite3.sqlite_version,
        "eventsourcing": None, "procedura_commit": None,
    }
    if has_eventsourcing():
        from importlib.metadata import version

        info["eventsourcing"] = version("eventsourcing")
    try:
        info["procedura_commit"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
            check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=ROOT, capture_output=True, text=True, check=True).stdout
        if dirty.strip():
            info["procedura_commit"] += " (with uncommitted changes)"
    except (OSError, subprocess.CalledProcessError):
        pass
    return info


def markdown(results: Sequence[WorkloadResult], settings: Settings, command: str,
             seconds: float) -> str:
    """The whole report as Markdown."""
    m = machine()
    lines = [
        "# procedura benchmarks", "",
        f"Command: `{command}` ({seconds:,.0f} s). "
        f"{settings.sizes.reps} repetitions, contenders interleaved; ratios are paired "
        "within each repetition, and every figure is the median over the repetitions.", "",
        f"Machine: {m['platform']}, {m['cpus']} CPUs, Python {m['python']}, SQLite "
        f"{m['sqlite']}, eventsourcing {m['eventsourcing'] or 'not installed'}; procedura "
        f"{m['procedura_commit'] or 'at an unknown commit'}.", "",
        "## Workloads", "",
        *(f"- **{r.key}** {r.title}" for r in results), "",
        "## Ratios and targets (issue 5)", "",
        "| workload | figure | median | min – max | target | result |",
        "|---|---|--:|--:|--:|---|",
    ]
    for r in results:
        for f in r.ratios:
            name = f"{f.name} ({f.note})" if f.note else f.name
            lines.append(f"| {r.key} | {name} | {number(f.median, f.unit)} | {_range(f)} | "
                         f"{f.goal or '-'} | {_verdict(f)} |")
    lines += ["", "## Medians", "", "| workload | contender | median | min – max |",
              "|---|---|--:|--:|"]
    for r in results:
        for f in r.medians:
            lines.append(f"| {r.key} | {f.name} | {number(f.median, f.unit)} | {_range(f)} |")
    notes = [f"- {r.key}: {note}" for r in results for note in r.notes]
    if notes:
        lines += ["", "## Notes", "", *notes]
    return "\n".join(lines) + "\n"


def write_json(path: Path, results: Sequence[WorkloadResult], settings: Settings,
               command: str, seconds: float) -> None:
    """Write every figure, with the run's settings and machine, as JSON."""
    data = {
        "command": command, "seconds": seconds, "machine": machine(),
        "sizes": asdict(settings.sizes), "eventsourcing": settings.eventsourcing,
        "workloads": [r.as_json() for r in results],
        "targets": [{"workload": r.key, **f.as_json()} for r in results for f in r.ratios
                    if f.goal is not None],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=_plain) + "\n", encoding="utf-8")


def _plain(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
