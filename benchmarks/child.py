"""Measurements in a fresh process, for peak memory: `python -m benchmarks.child TARGET ARGS`.

TARGET is "module:function"; the function takes the remaining arguments as strings and
returns a JSON-able dict. The child prints that dict with three more keys:
`rss_start_mb` (resident memory after the imports, before the call), `rss_peak_mb` (the
process's peak resident memory) and `seconds` (the call's wall time). `measure` runs a
child and returns its dict.

The peak is read from /proc/self/status (VmHWM, the high-water mark of this process's
own address space). `getrusage(...).ru_maxrss` is not used on Linux: the kernel carries
the parent's high-water mark over `fork`/`vfork` + `exec` into the child's `ru_maxrss`
(and so into `RUSAGE_CHILDREN` and `/usr/bin/time`), so a child of a large parent would
report the parent's peak instead of its own.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["measure"]

ROOT = Path(__file__).resolve().parents[1]


def _status_mb(field: str) -> float | None:
    """A memory figure of /proc/self/status (Linux), in MB; None where there is none."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1]) / 1024  # kB
    except (OSError, ValueError):
        pass
    return None


def _rss_now_mb() -> float:
    """Resident memory now (the peak so far where /proc is missing)."""
    now = _status_mb("VmRSS")
    return now if now is not None else _rss_peak_mb()


def _rss_peak_mb() -> float:
    """This process's peak resident memory (see the module's docstring)."""
    peak = _status_mb("VmHWM")
    if peak is not None:
        return peak
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss / 2**20 if sys.platform == "darwin" else maxrss / 1024  # bytes vs KiB


def measure(target: str, *args: object, timeout: float = 1800) -> dict[str, Any]:
    """Run `target(*args)` in a fresh Python process; return what it reported."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.child", target, *map(str, args)],
        capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{target} failed in a child process:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> None:
    """Run the target named on the command line and print its report as JSON."""
    module, _, name = argv[0].partition(":")
    function = getattr(importlib.import_module(module), name)
    start_mb = _rss_now_mb()
    began = time.perf_counter()
    report = function(*argv[1:])
    seconds = time.perf_counter() - began
    report.update(rss_start_mb=start_mb, rss_peak_mb=_rss_peak_mb(), seconds=seconds)
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1:])
