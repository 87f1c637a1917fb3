"""What the tests of `procedura serve` share: the chair's token, a Model UN body and its
draft, and `procedura serve` run in a process of its own (tests/serve/conftest.py makes a
fixture of it)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHAIR = "the-chair-token"
MUN = {"id": "mun-committee", "name": "Model UN Committee", "rules": "committee",
       "members": ["Atlantis", "Freedonia", "Ruritania", "Genovia", "Wakanda"]}
DRAFT = {"action": "submit_draft", "body": "mun-committee", "symbol": "MUN/1",
         "title": "Clean water", "sponsors": ["Genovia"]}


def bearer(token: str) -> dict[str, str]:
    """The header that carries a token."""
    return {"Authorization": f"Bearer {token}"}


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(folder: Path) -> Iterator[tuple[str, Path]]:
    """`procedura serve` in a process of its own, on a log in `folder`: its address and
    its log. It must answer within 10 s and end without a traceback."""
    port, db = free_port(), folder / "live.db"
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-c",
               "import sys; sys.argv[0] = 'procedura'; from engine.cli import main; main()",
               "serve", "--db", str(db), "--port", str(port), "--chair-token", CHAIR]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, cwd=folder)
    try:
        deadline, status = time.monotonic() + 10, None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"{base}/api/cases", timeout=1) as r:
                    status = r.status
                    break
            except OSError:
                time.sleep(0.05)
        assert status == 200, f"no answer within 10 s (exit {process.poll()})"
        yield base, db
    finally:
        process.terminate()
        try:
            out, _ = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            out, _ = process.communicate()
    assert "Traceback" not in out


def call(base: str, path: str, body: Any, token: str = CHAIR) -> Any:
    """POST `body` as JSON to the running server; the JSON it answers."""
    request = urllib.request.Request(f"{base}{path}", method="POST",
                                     headers={**bearer(token),
                                              "Content-Type": "application/json"},
                                     data=json.dumps(body).encode())
    with urllib.request.urlopen(request, timeout=10) as r:
        return json.loads(r.read())
