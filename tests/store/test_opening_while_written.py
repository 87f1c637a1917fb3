"""A log can be opened while another process writes to it, checkpoints included.

SQLite copies the -wal file's pages into the log at checkpoints; for a moment the log's
header can announce more pages than the file holds. Opening must not take that moment
for damage (events/log.py, `_check_header`).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import engine

WRITER = Path(__file__).parents[1] / "writer_process.py"


def test_opens_during_a_writers_checkpoints_are_never_refused(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    engine.open(path).close()
    writer = subprocess.Popen([sys.executable, str(WRITER), str(path), "0"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        opens, deadline = 0, time.monotonic() + 4
        while time.monotonic() < deadline:
            for readonly in (True, False):
                log = engine.open(path, readonly=readonly)  # raises LogError if refused
                log.close()
                opens += 1
        written = engine.open(path, readonly=True).events.count()
    finally:
        writer.kill()
        writer.wait()
    assert opens > 100 and written > 1000, (opens, written)  # the two really overlapped
