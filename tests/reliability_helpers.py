"""Shared helpers for the reliability tests (crash safety, tampering, foreign files...).

- `cli(...)` runs the `procedura` command in this process (fast; an exception that
  escapes `engine.cli.main` is reported as a traceback, exactly what a user would see);
- `procedura(...)` runs it in a real subprocess;
- `unprivileged()` gives a `preexec_fn` under which a subprocess cannot write to files
  it has no write permission for, even when the tests run as root;
- `sample_log(path)` writes a log with three recorded cases.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import hashlib
import io
import os
import subprocess
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

import engine
from engine.app.scenarios import load_scenario, run_scenario

ROOT = Path(__file__).parents[1]
PYTHON = sys.executable
# The package has no __main__; call main() as the console script does.
COMMAND = [PYTHON, "-c", "from engine.cli import main; main()"]
SAMPLE_CASES = ("dprk-2014", "libya-2011", "uzbekistan-2006")


class Result(NamedTuple):
    """What the CLI did: its exit code, what it printed, and any traceback."""

    code: int
    out: str
    err: str

    @property
    def traceback(self) -> bool:
        return "Traceback" in self.out or "Traceback" in self.err


def cli(*args: object) -> Result:
    """Run `procedura ARGS` in this process, as the console script would."""
    from engine.cli import main

    out, err = io.StringIO(), io.StringIO()
    argv = sys.argv
    sys.argv = ["procedura", *map(str, args)]
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:  # what the user would see as a crash
        code = 1
        err.write(traceback.format_exc())
    finally:
        sys.argv = argv
    return Result(code, out.getvalue(), err.getvalue())


def procedura(*args: object, preexec_fn: Callable[[], None] | None = None,
              cwd: Path | None = None, timeout: float = 120) -> Result:
    """Run `procedura ARGS` in a subprocess; never raises on a non-zero exit."""
    done = subprocess.run([*COMMAND, *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=timeout, check=False, preexec_fn=preexec_fn)
    return Result(done.returncode, done.stdout, done.stderr)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_one_line_error(result: Result, code: int = 2) -> str:
    """A user error: the exit code, no traceback, and exactly one line on stderr."""
    assert not result.traceback, result.err
    assert result.code == code, (result.code, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, f"expected a one-line message, got: {result.err!r}"
    assert lines[0].startswith(("error:", "expectation failed:")), lines[0]
    return lines[0]


@functools.cache
def _template(kind: str) -> bytes:
    """The bytes of a freshly written sample log (built once per test session)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sample.db"
        with engine.open(path) as log:
            for name in SAMPLE_CASES if kind == "full" else SAMPLE_CASES[:1]:
                run_scenario(log, load_scenario(name))
        assert not Path(f"{path}-wal").exists(), "a closed log is one file"
        return path.read_bytes()


def sample_log(path: Path, kind: str = "full") -> Path:
    """Write a closed log with the bundled cases dprk-2014, libya-2011, uzbekistan-2006."""
    path.write_bytes(_template(kind))
    return path


# --- unwritable files, even for root ----------------------------------------------------

_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH, _CAP_FOWNER, _CAP_SETPCAP = 1, 2, 3, 8


def _drop_file_capabilities() -> None:  # runs in the child, between fork and exec
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH, _CAP_FOWNER):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def _effective_capabilities() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("CapEff:"):
            return int(line.split()[1], 16)
    return 0


@functools.cache
def _unprivileged_or_reason() -> tuple[Callable[[], None] | None, str | None]:
    if not hasattr(os, "geteuid") or sys.platform != "linux":
        return None, "needs Linux file permissions"
    if os.geteuid() != 0:
        return None, None  # permissions already apply to this user
    if not _effective_capabilities() >> _CAP_SETPCAP & 1:
        return None, ("the tests run as root without CAP_SETPCAP: root ignores file "
                      "permissions and the capability that lets it cannot be dropped here")
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:  # prove that the drop really works
        probe = Path(tmp) / "probe"
        probe.write_text("x")
        probe.chmod(0o444)
        try:
            done = subprocess.run([PYTHON, "-c", f"open({str(probe)!r}, 'a')"],
                                  preexec_fn=_drop_file_capabilities, capture_output=True,
                                  timeout=60, check=False)
        except (OSError, subprocess.SubprocessError) as e:
            return None, f"cannot drop root's file capabilities here ({e})"
        if done.returncode == 0:
            return None, "dropping root's file capabilities did not make a 0o444 file unwritable"
    return _drop_file_capabilities, None


def unprivileged() -> Callable[[], None] | None:
    """A preexec_fn under which file permissions apply (None: they already do).

    Root ignores permission bits (CAP_DAC_OVERRIDE), so `chmod 0o444` alone would test
    nothing; the subprocess drops those capabilities from its bounding set instead.
    Skips the test where that is not possible.
    """
    preexec, reason = _unprivileged_or_reason()
    if reason:
        pytest.skip(reason)
    return preexec
