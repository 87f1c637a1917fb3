"""W8's live session: W7 on PostgreSQL, with two `procedura serve` processes sharing it.

Each repetition creates a fresh database on the server, makes the log in it, and starts
two `procedura serve --db postgresql://.../DB` processes on 127.0.0.1: the 10 chairs act
on the first (and time their no-op requests there), the S subscribers follow
`GET /api/stream` on the second. An event reaches the second server's streams only
through the database: the first commits and sends NOTIFY, the second's listener wakes
its streams (engine/serve/notify.py), which read the new rows. The workload is W7's
(benchmarks/w7_serve.py: the same committee, actions, no-ops and checks), so the figures
compare with W7 on one SQLite file. The database is dropped at the end of a repetition.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
from pathlib import Path

from benchmarks import w7_serve
from benchmarks.harness import Figure, Goal
from benchmarks.w7_serve import HOST, Round, percentile

__all__ = ["FULL_SIZE", "figures", "one_round"]

# (subscribers, actions per chair). Fewer subscribers than W7's 150: each event stream
# holds a connection of its own for as long as it is open (engine/serve/app.py opens a
# read-only log per stream), and the server's max_connections is 100 by default, so 150
# streams cannot all connect; 50 leave room for whatever else uses the server.
FULL_SIZE = (50, 30)


def _start(url: str, port: int, log: Path) -> tuple[subprocess.Popen, object]:
    out = log.open("wb")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(w7_serve.server_command(url, port), stdout=out,
                            stderr=subprocess.STDOUT, env=env), out


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


def one_round(admin: str, workdir: Path, rep: int, subscribers: int, actions: int) -> Round:
    """One repetition: a fresh database, two servers on it, W7's session across them."""
    import engine
    from benchmarks.w8_postgres import _database

    url, drop = _database(admin)
    servers: list[tuple[subprocess.Popen, object]] = []
    try:
        # The log is made here, before the servers start, so that they do not both
        # find an empty database and race to make it.
        engine.open(url).close()
        ports = [w7_serve.free_port(), w7_serve.free_port()]
        for k, port in enumerate(ports):
            servers.append(_start(url, port, workdir / f"w8-serve-{rep}-{k}.log"))
        (chairs, _), (streams, _) = servers
        return asyncio.run(asyncio.wait_for(
            w7_serve.session(f"http://{HOST}:{ports[0]}", chairs, subscribers, actions,
                             stream=(f"http://{HOST}:{ports[1]}", streams)),
            w7_serve.START_TIMEOUT + 120 + w7_serve.DRAIN_TIMEOUT))
    finally:
        for process, out in servers:
            _stop(process)
            out.close()  # type: ignore[attr-defined]
        drop()


def figures(rounds: list[Round], subscribers: int) -> tuple[list[Figure], list[Figure]]:
    """(The medians W7 reports, the ratio and the exactly-once count with their goals.)"""
    def each(values: str, q: float) -> list[float]:
        return [percentile(getattr(r, values), q) * 1e3 for r in rounds]

    tag = "2 servers on PostgreSQL:"
    medians = [
        Figure(f"{tag} action round trip, p50", each("actions", 50), "ms"),
        Figure(f"{tag} action round trip, p99", each("actions", 99), "ms"),
        Figure(f"{tag} no-op round trip, p50", each("noops", 50), "ms"),
        Figure(f"{tag} no-op round trip, p99", each("noops", 99), "ms"),
        Figure(f"{tag} arrival at every subscriber of the other server (x{subscribers}), "
               "p50", each("arrivals", 50), "ms"),
        Figure(f"{tag} arrival at every subscriber of the other server (x{subscribers}), "
               "p99", each("arrivals", 99), "ms"),
        Figure(f"{tag} peak RSS of the larger server (VmHWM)",
               [r.peak_kb / 1024 for r in rounds], "MB"),
    ]
    ratios = [
        Figure(f"{tag} p99 action round trip / p99 no-op round trip",
               [percentile(r.actions, 99) / percentile(r.noops, 99) for r in rounds], "x",
               Goal("<=", 4)),
        Figure(f"{tag} p50 action round trip / p50 no-op round trip",
               [percentile(r.actions, 50) / percentile(r.noops, 50) for r in rounds], "x"),
        Figure(f"{tag} subscribers that saw every event exactly once, in order",
               [float(r.exact) for r in rounds], "subscribers",
               Goal(">=", subscribers, "subscribers")),
    ]
    return medians, ratios
