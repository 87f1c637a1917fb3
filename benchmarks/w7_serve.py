"""W7 the live session: `procedura serve` with chairs acting and subscribers following.

Each repetition starts one `procedura serve --db <tmp> --port P --chair-token T`
subprocess on 127.0.0.1, opens 10 cases (a Model UN committee, a submitted draft each),
connects S subscribers to `GET /api/stream?after=<the log's position>`, and then lets 10
chairs act at once, each on its own case, N `add_sponsors` actions each. Every action's
round trip is timed; between two actions each chair times a no-op request on the same
server, `GET /api/cases/<id>/events?after=<far beyond the case>` (it goes through the
log's thread like an action but reads nothing and writes nothing; the app has no cheaper
route through that thread), and `GET /api/actions` (which never touches the log) as a
second floor. Each subscriber notes when each event arrives; an event is matched to the
action that recorded it by its case and version, and its arrival is counted from the
moment that action was sent. At the end the server's peak RSS (VmHWM) is read from
/proc, and every subscriber is checked to have seen every event exactly once, in order.

Everything is bounded: the loops run a fixed number of times, every request has a
time-out, each repetition has a deadline, and the server is stopped at the end of it.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from benchmarks.harness import QUICK, Figure, Goal, Settings, WorkloadResult, say

__all__ = ["COMMITTEE", "Round", "percentile", "run"]

HOST = "127.0.0.1"
TOKEN = "w7-benchmark-chair"
CHAIR = {"Authorization": f"Bearer {TOKEN}"}
CASES = 10
COMMITTEE = {"id": "mun-committee", "name": "Model UN Committee", "rules": "committee",
             "members": ["Atlantis", "Freedonia", "Ruritania", "Genovia", "Wakanda"]}
FULL_SIZE = (150, 30)  # subscribers, actions per chair
QUICK_SIZE = (10, 5)
FAR = 10**9  # an `after` beyond any case: the no-op reads nothing
REQUEST_TIMEOUT = 30.0  # seconds, for any one request
START_TIMEOUT = 20.0  # for the server to answer its first request
DRAIN_TIMEOUT = 20.0  # for the subscribers to receive the last events after the last action


@dataclass
class Round:
    """What one repetition measured (seconds, and the server's peak RSS in kB)."""

    actions: list[float] = field(default_factory=list)
    noops: list[float] = field(default_factory=list)
    floors: list[float] = field(default_factory=list)  # GET /api/actions
    arrivals: list[float] = field(default_factory=list)
    exact: int = 0  # subscribers that saw every event exactly once, in order
    missing: int = 0  # events some subscriber never received (summed over subscribers)
    peak_kb: int = 0


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank q-th percentile (0 < q <= 100) of the values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def free_port() -> int:
    """A port on 127.0.0.1 nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def server_command(db: Path | str, port: int) -> list[str]:
    """`procedura serve` on loopback (the installed script, else `python -m engine.cli`)."""
    beside = Path(sys.executable).with_name("procedura")
    script = str(beside) if beside.exists() else shutil.which("procedura")
    head = [script] if script else [sys.executable, "-c",
                                    "from engine.cli import main; main()"]
    return [*head, "serve", "--db", str(db), "--host", HOST, "--port", str(port),
            "--chair-token", TOKEN]


def peak_rss_kb(pid: int) -> int:
    """The process's peak resident set (VmHWM), in kB; 0 when /proc does not say."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


async def wait_ready(client, process: subprocess.Popen) -> None:
    """Until the server answers (bounded by START_TIMEOUT)."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"procedura serve exited with {process.returncode}")
        try:
            if (await client.get("/api/actions", timeout=1.0)).status_code == 200:
                return
        except Exception:  # not listening yet
            pass
        await asyncio.sleep(0.05)
    raise RuntimeError(f"procedura serve did not answer within {START_TIMEOUT:g} s")


def _ok(response, what: str) -> dict:
    if response.status_code not in (200, 201):
        raise RuntimeError(f"{what}: {response.status_code} {response.text[:300]}")
    return response.json()


async def open_cases(client) -> int:
    """The 10 cases with their drafts; the log's position after them."""
    for i in range(CASES):
        _ok(await client.post("/api/cases", headers=CHAIR, json={
            "id": f"case-{i}", "title": f"Agenda item {i}", "bodies": [COMMITTEE]}), "open")
        _ok(await client.post(f"/api/cases/case-{i}/actions", headers=CHAIR, json={
            "action": "submit_draft", "body": "mun-committee", "symbol": f"MUN/{i}",
            "title": f"Draft resolution {i}", "sponsors": ["Genovia"]}), "submit_draft")
    position = 0
    async with client.stream("GET", "/api/stream", params={"after": 0, "follow": 0},
                             timeout=REQUEST_TIMEOUT) as response:
        async for line in response.aiter_lines():
            if line.startswith("id:"):
                position = int(line[3:])
    return position


async def subscribe(client, after: int, expected: int, connected: asyncio.Event,
                    counter: list[int], total: int, done: asyncio.Event,
                    seen: list[tuple[float, int, str, int]]) -> None:
    """Follow the stream until `expected` events came (or the task is cancelled)."""
    async with client.stream("GET", "/api/stream", params={"after": after},
                             timeout=REQUEST_TIMEOUT) as response:
        counter[0] += 1
        if counter[0] == total:
            connected.set()
        async for line in response.aiter_lines():
            if line.startswith("data:"):
                now = time.perf_counter()
                event = json.loads(line[5:])
                seen.append((now, event["position"], event["case"], event["version"]))
                if len(seen) >= expected:
                    break
    done.set()


async def chair(client, case: str, actions: int, sent: dict[tuple[str, int], float],
                result: Round) -> None:
    """N actions on one case, each followed by the two no-ops, all timed."""
    version = None
    for _ in range(actions):
        start = time.perf_counter()
        answer = _ok(await client.post(f"/api/cases/{case}/actions", headers=CHAIR, json={
            "action": "add_sponsors", "sponsors": ["Atlantis"]}), "add_sponsors")
        result.actions.append(time.perf_counter() - start)
        if version is None:
            version = answer["version"] - 1
        for v in range(version + 1, answer["version"] + 1):
            sent[(case, v)] = start
        version = answer["version"]
        start = time.perf_counter()
        _ok(await client.get(f"/api/cases/{case}/events", params={"after": FAR}), "no-op")
        result.noops.append(time.perf_counter() - start)
        start = time.perf_counter()
        _ok(await client.get("/api/actions"), "GET /api/actions")
        result.floors.append(time.perf_counter() - start)


async def session(base: str, process: subprocess.Popen, subscribers: int,
                  actions: int, stream: tuple[str, subprocess.Popen] | None = None) -> Round:
    """One repetition against a running server (the subscribers on the server `stream`,
    (its URL, its process), when another one serves them: see benchmarks.w8_serve)."""
    import httpx

    result = Round()
    stream_base, stream_process = stream or (base, process)
    limits = httpx.Limits(max_connections=subscribers + 5, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT) as chairs, \
            httpx.AsyncClient(base_url=stream_base, timeout=REQUEST_TIMEOUT,
                              limits=limits) as readers:
        await wait_ready(chairs, process)
        await wait_ready(readers, stream_process)
        after = await open_cases(chairs)
        expected = CASES * actions  # one event per add_sponsors (checked below)
        connected, counter = asyncio.Event(), [0]
        seen: list[list[tuple[float, int, str, int]]] = [[] for _ in range(subscribers)]
        dones = [asyncio.Event() for _ in range(subscribers)]
        tasks = [asyncio.create_task(subscribe(readers, after, expected, connected, counter,
                                               subscribers, dones[i], seen[i]))
                 for i in range(subscribers)]
        try:
            await asyncio.wait_for(connected.wait(), START_TIMEOUT)
            sent: dict[tuple[str, int], float] = {}
            await asyncio.gather(*(chair(chairs, f"case-{i}", actions, sent, result)
                                   for i in range(CASES)))
            if len(sent) != expected:
                raise RuntimeError(f"{CASES * actions} actions recorded {len(sent)} events, "
                                   f"not {expected}")
            try:
                await asyncio.wait_for(asyncio.gather(*(d.wait() for d in dones)),
                                       DRAIN_TIMEOUT)
            except TimeoutError:
                say(f"  W7: some subscribers had not received every event after "
                    f"{DRAIN_TIMEOUT:g} s")
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        result.peak_kb = max(peak_rss_kb(process.pid), peak_rss_kb(stream_process.pid))
    for events in seen:
        keys = [(case, version) for _, _, case, version in events]
        positions = [p for _, p, _, _ in events]
        in_order = all(a < b for a, b in itertools.pairwise(positions))
        once = len(keys) == len(set(keys)) == expected and set(keys) == set(sent)
        result.exact += in_order and once
        result.missing += len(set(sent) - set(keys))
        result.arrivals += [at - sent[key] for (at, *_), key in zip(events, keys, strict=True)
                            if key in sent]
    return result


def one_round(workdir: Path, rep: int, subscribers: int, actions: int) -> Round:
    """Start the server, run one repetition, stop the server."""
    db = workdir / f"w7-{rep}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    port = free_port()
    log = (workdir / f"w7-{rep}.log").open("wb")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(server_command(db, port), stdout=log, stderr=subprocess.STDOUT,
                               env=env)
    try:
        return asyncio.run(asyncio.wait_for(
            session(f"http://{HOST}:{port}", process, subscribers, actions),
            START_TIMEOUT + 120 + DRAIN_TIMEOUT))
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        log.close()


def run(settings: Settings) -> WorkloadResult:
    """Measure W7."""
    quick = replace(settings.sizes, reps=QUICK.reps) == QUICK
    subscribers, actions = QUICK_SIZE if quick else FULL_SIZE
    reps = settings.sizes.reps
    result = WorkloadResult("W7", f"the live session: {CASES} chairs x {actions} actions, "
                                  f"{subscribers} SSE subscribers, on 127.0.0.1")
    rounds = []
    for rep in range(reps):
        r = one_round(settings.workdir, rep, subscribers, actions)
        rounds.append(r)
        say(f"  W7 rep {rep + 1}/{reps}: action p99 {percentile(r.actions, 99) * 1e3:.1f} ms, "
            f"no-op p99 {percentile(r.noops, 99) * 1e3:.1f} ms, arrival p99 "
            f"{percentile(r.arrivals, 99) * 1e3:.1f} ms, {r.exact}/{subscribers} exact, "
            f"peak RSS {r.peak_kb / 1024:.1f} MB")

    def each(values: str, q: float) -> list[float]:
        return [percentile(getattr(r, values), q) * 1e3 for r in rounds]

    result.medians = [
        Figure("action round trip, p50", each("actions", 50), "ms"),
        Figure("action round trip, p99", each("actions", 99), "ms"),
        Figure("no-op round trip (GET events after 10^9), p50", each("noops", 50), "ms"),
        Figure("no-op round trip (GET events after 10^9), p99", each("noops", 99), "ms"),
        Figure("GET /api/actions round trip, p99", each("floors", 99), "ms"),
        Figure(f"arrival at every subscriber (x{subscribers}), p50", each("arrivals", 50),
               "ms"),
        Figure(f"arrival at every subscriber (x{subscribers}), p99", each("arrivals", 99),
               "ms"),
        Figure("server peak RSS (VmHWM)", [r.peak_kb / 1024 for r in rounds], "MB"),
    ]
    result.ratios = [
        Figure("p99 action round trip / p99 no-op round trip",
               [percentile(r.actions, 99) / percentile(r.noops, 99) for r in rounds], "x",
               Goal("<=", 4)),
        Figure("subscribers that saw every event exactly once, in order",
               [float(r.exact) for r in rounds], "subscribers",
               Goal(">=", subscribers, "subscribers")),
    ]
    result.extra.update(subscribers=subscribers, actions_per_chair=actions, chairs=CASES,
                        missing_events=[r.missing for r in rounds])
    result.notes.append(
        f"one server per repetition; {CASES * actions} add_sponsors actions and as many "
        f"no-ops per repetition, {subscribers} x {CASES * actions} arrivals; the no-op is "
        f"GET /api/cases/ID/events?after=10^9 (through the log's thread, reads nothing)")
    return result
