"""W6 start-up: wall time of `procedura --help` and of `python -c "import engine"`.

Each is a fresh subprocess, timed from spawn to exit; `python -c pass` runs beside them as
the floor (the interpreter's own start-up). The three commands are interleaved, run
`w6_runs` times, and summarised by their median.

The packages are byte-compiled first, as `pip install` does: in an editable checkout
run with PYTHONDONTWRITEBYTECODE=1 (as on the project's machine) Python would otherwise
compile every module from source at every start, which no installed copy does.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.harness import Figure, Goal, Settings, WorkloadResult, interleave

__all__ = ["byte_compile", "commands", "run"]

HELP = "procedura --help"
IMPORT = "import engine"
FLOOR = "python -c pass"


def commands() -> dict[str, list[str]]:
    """The timed commands; `procedura --help` only when the script is installed."""
    found = {
        IMPORT: [sys.executable, "-c", "import engine"],
        FLOOR: [sys.executable, "-c", "pass"],
    }
    beside = Path(sys.executable).with_name("procedura")
    script = str(beside) if beside.exists() else shutil.which("procedura")
    if script:
        found = {HELP: [script, "--help"], **found}
    return found


def byte_compile() -> str:
    """Write the bytecode of procedura's packages where Python looks for it; say how it went."""
    import engine
    import events
    import replays

    folders = [str(Path(m.__file__).parent) for m in (engine, events, replays)]
    done = subprocess.run([sys.executable, "-m", "compileall", "-q", *folders],
                          capture_output=True, text=True)
    names = ", ".join(Path(f).name for f in folders)
    if done.returncode:  # a read-only checkout, say: time it as it is, and say so
        return f"could not byte-compile {names}: {(done.stdout + done.stderr).strip()[:200]}"
    return f"byte-compiled first, as pip install does: {names}"


def wall(command: list[str]) -> float:
    """Seconds from spawning the command to its exit (which must be 0)."""
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def run(settings: Settings) -> WorkloadResult:
    """Measure W6."""
    runs = settings.sizes.w6_runs
    result = WorkloadResult("W6", f"start-up: wall time of fresh processes ({runs} runs each)")
    found = commands()
    result.notes.append(byte_compile())
    for command in found.values():  # the first run of each warms the file cache
        wall(command)
    seconds = interleave("W6", runs, [(name, lambda _, c=c: wall(c)) for name, c in found.items()])
    result.medians = [Figure(name, [v * 1e3 for v in values], "ms")
                      for name, values in seconds.items()]
    goals = {HELP: 300, IMPORT: 150}
    for name, limit in goals.items():
        if name in seconds:
            result.ratios.append(Figure(name, [v * 1e3 for v in seconds[name]], "ms",
                                        Goal("<=", limit, "ms")))
        else:
            result.notes.append(f"{name}: the procedura script is not installed")
    return result
