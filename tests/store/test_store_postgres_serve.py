"""Two `procedura serve` processes on one PostgreSQL log, as behind one conference.

The chair records on one server and on the other; each server's event stream shows,
live, what was recorded through the other (each commit's NOTIFY wakes the streams of
every process), and a server started again loses nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from serve_helpers import CHAIR, DRAFT, MUN, bearer, free_port


@contextmanager
def _server(url: str) -> Iterator[str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-c", "from engine.cli import main; main()", "serve", "--db", url,
         "--port", str(port), "--chair-token", CHAIR],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"{base}/api/cases", timeout=1):
                    break
            except OSError:
                time.sleep(0.05)
        assert process.poll() is None, process.stdout.read()  # type: ignore[union-attr]
        yield base
    finally:
        process.terminate()
        out = process.communicate(timeout=20)[0]
        assert "Traceback" not in out, out


def _post(base: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{base}{path}", data=json.dumps(body).encode(), method="POST",
        headers={**bearer(CHAIR), "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as r:
        return json.loads(r.read())


class Follower:
    """A reader of a server's event stream, noting when each position arrived."""

    def __init__(self, base: str) -> None:
        self.arrived: dict[int, float] = {}
        self._response = urllib.request.urlopen(f"{base}/api/stream?after=0", timeout=30)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for raw in self._response:
                line = raw.decode()
                if line.startswith("id: "):
                    self.arrived[int(line[4:])] = time.monotonic()
        except (OSError, ValueError, AttributeError):  # closed by `close`
            return

    def until(self, position: int, timeout: float = 10.0) -> float:
        """When `position` arrived (waiting for it up to `timeout` seconds)."""
        deadline = time.monotonic() + timeout
        while position not in self.arrived and time.monotonic() < deadline:
            time.sleep(0.01)
        assert position in self.arrived, f"position {position} never arrived"
        return self.arrived[position]

    def close(self) -> None:
        self._response.close()


def test_two_servers_on_one_log_see_each_other_s_actions_live(pg_url: str) -> None:
    with _server(pg_url) as a, _server(pg_url) as b:
        on_a, on_b = Follower(a), Follower(b)
        try:
            _post(a, "/api/cases", {"id": "c", "title": "Clean water", "bodies": [MUN]})
            sent = time.monotonic()
            assert _post(a, "/api/cases/c/actions", DRAFT)["version"] == 2
            assert on_b.until(2) - sent < 5.0  # recorded on a, shown by b
            lags = []
            for n, member in enumerate(["Atlantis", "Freedonia", "Ruritania"]):
                server, other = (b, on_a) if n % 2 == 0 else (a, on_b)
                sent = time.monotonic()
                done = _post(server, "/api/cases/c/actions",
                             {"action": "add_sponsors", "sponsors": [member]})
                assert done["version"] == 3 + n
                lags.append(other.until(3 + n) - sent)
            assert max(lags) < 5.0, lags
            assert on_a.until(5) and on_b.until(5)  # both streams hold every event
            assert set(on_a.arrived) == set(on_b.arrived) == {1, 2, 3, 4, 5}
        finally:
            on_a.close()
            on_b.close()
    with _server(pg_url) as again, \
            urllib.request.urlopen(f"{again}/api/cases/c", timeout=10) as r:
        assert json.loads(r.read())["version"] == 5  # started again: nothing lost
    print(f"\nFIGURES postgres-serve: an action on one server reached the other's stream "
          f"in {max(lags) * 1000:.0f} ms at most")
