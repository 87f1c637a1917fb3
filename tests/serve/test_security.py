"""`procedura serve` against a hostile web.

A form or script of another site must not be able to change anything (every state-changing
route wants a JSON body and, when the browser names it, the server's own origin); no
request names a file; the server listens on this machine only unless told otherwise.
Every refusal appends nothing: the tests count the log's events.
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serve_helpers import CHAIR, DRAFT, MUN, bearer, free_port

import engine
from engine.serve import create_app
from engine.serve.store import TOKENS

with warnings.catch_warnings():  # Starlette 1.x would rather drive httpx2; httpx works
    warnings.filterwarnings("ignore", "Using `httpx`")
    from starlette.testclient import TestClient


def count(db: Path) -> int:
    with engine.open(db, readonly=True) as log:
        return log.events.count()


def rows(db: Path, table: str) -> list[tuple[Any, ...]]:
    with engine.open(db, readonly=True) as log:
        if not log.events.has_table(table):
            return []
        return list(log.events.query(f"select * from {table}"))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "session.db"


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db, CHAIR, poll=0.02, keepalive=0.2)) as c:
        yield c


def post(client: TestClient, path: str, body: Any, token: str = CHAIR,
         **headers: str) -> Any:
    return client.post(path, json=body, headers={**bearer(token), **headers})


def ready(client: TestClient) -> str:
    """A case `mun` before the committee, and Atlantis's token in it."""
    assert post(client, "/api/cases", {"id": "mun", "title": "Model UN",
                                       "bodies": [MUN]}).status_code == 201
    assert post(client, "/api/cases/mun/actions", DRAFT).status_code == 200
    r = post(client, "/api/cases/mun/delegations", {"member": "Atlantis"})
    assert r.status_code == 201, r.text
    return r.json()["token"]


# --- cross-site requests -------------------------------------------------------------------

ROUTES = [("/api/cases", {"id": "new", "title": "New"}),
          ("/api/cases/mun/actions", {"action": "open_vote", "on": "MUN/1"}),
          ("/api/cases/mun/delegations", {"member": "Freedonia"}),
          ("/api/cases/mun/ballots", {"vote": "yes"}),
          ("/api/cases/mun/fork", {"at": 2, "id": "fork"})]


@pytest.mark.parametrize(("path", "body"), ROUTES)
@pytest.mark.parametrize("media", [None, "application/x-www-form-urlencoded",
                                   "multipart/form-data; boundary=x", "text/plain",
                                   "application/jsonx"])
def test_a_body_an_html_form_could_send_changes_nothing(client: TestClient, db: Path,
                                                         path: str, body: Any,
                                                         media: str | None) -> None:
    token = ready(client)
    before, tokens = count(db), rows(db, TOKENS)
    headers = bearer(token if path.endswith("ballots") else CHAIR)
    if media is not None:
        headers["Content-Type"] = media
    r = client.post(path, content=json.dumps(body).encode(), headers=headers)
    assert r.status_code == 415, r.text
    assert "Content-Type: application/json" in r.json()["error"]
    assert count(db) == before and rows(db, TOKENS) == tokens
    assert [c["id"] for c in client.get("/api/cases").json()] == ["mun"]


@pytest.mark.parametrize(("path", "body"), ROUTES)
@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://testserver:8001",
                                    "https://testserver.evil.example", "file://",
                                    "http://evil.example/testserver"])
def test_a_request_from_another_origin_changes_nothing(client: TestClient, db: Path,
                                                       path: str, body: Any,
                                                       origin: str) -> None:
    token = ready(client)
    before, tokens = count(db), rows(db, TOKENS)
    r = post(client, path, body, token if path.endswith("ballots") else CHAIR, Origin=origin)
    assert r.status_code == 403, r.text
    assert "another site" in r.json()["error"]
    assert count(db) == before and rows(db, TOKENS) == tokens


def test_the_server_s_own_origin_may_record(client: TestClient, db: Path) -> None:
    own = {"Origin": "http://testserver"}  # what a browser sends from the server's pages
    r = post(client, "/api/cases", {"id": "mun", "title": "M", "bodies": [MUN]}, **own)
    assert r.status_code == 201, r.text
    assert post(client, "/api/cases/mun/actions", DRAFT, Origin="HTTP://TestServer:80"
                ).status_code == 200
    assert client.get("/api/cases", headers={"Origin": "http://evil.example"}
                      ).status_code == 200  # reading is anyone's
    assert count(db) == 2


def test_no_cookie_is_set_or_taken(client: TestClient, db: Path) -> None:
    ready(client)
    for r in (client.get("/"), client.get("/chair?case=mun"), client.get("/api/cases"),
              post(client, "/api/cases/mun/delegations", {"member": "Genovia"})):
        assert "set-cookie" not in r.headers
    before = count(db)
    r = client.post("/api/cases/mun/actions", json={"action": "withdraw", "symbol": "MUN/1"},
                    headers={"Cookie": f"token={CHAIR}"})
    assert r.status_code == 401 and count(db) == before


def test_an_options_request_is_not_answered(client: TestClient) -> None:
    # A script of another site that sends JSON asks first (a CORS preflight): refused.
    r = client.options("/api/cases", headers={"Origin": "http://evil.example",
                                              "Access-Control-Request-Method": "POST"})
    assert r.status_code == 405 and "access-control-allow-origin" not in r.headers


# --- paths ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/cases/..%2F..%2Fetc%2Fpasswd",
                                  "/api/cases/%2Fetc%2Fpasswd/events",
                                  "/static/..%2Fapp.py", "/static/live.js%00.py",
                                  "/templates/chair.html", "/chair?case=../../etc/passwd"])
def test_no_path_reaches_the_file_system(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code in (400, 404) and "error" in r.json()
    assert "root:" not in r.text and "import" not in r.text


@pytest.mark.parametrize("name", ["../replays/scenarios/dprk-2014.toml", "dprk-2014.toml",
                                  "/etc/passwd", "scenario", "dprk_2014"])
def test_a_scenario_is_named_never_a_file(client: TestClient, db: Path, name: str,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(db.parent)
    (db.parent / "scenario").write_text("[case]\n", encoding="utf-8")  # a file by that name
    r = post(client, "/api/cases", {"id": "x", "scenario": name})
    assert r.status_code == 400 and "is not a bundled scenario" in r.json()["error"]
    assert count(db) == 0


def _printed(arguments: list[str], folder: Path) -> str:
    """What `procedura serve` prints until its chair line (then it is stopped)."""
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.argv[0] = 'procedura'; "
         "from engine.cli import main; main()", "serve", *arguments],
        cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            out.append(line)
            if line.startswith("chair:"):
                break
    finally:
        process.terminate()
        process.communicate(timeout=10)
    return "".join(out)


def test_it_listens_on_this_machine_only_and_a_new_chair_token_each_start(
        tmp_path: Path) -> None:
    port = free_port()
    first = _printed(["--port", str(port)], tmp_path)
    assert f"chair: http://127.0.0.1:{port}/?token=" in first and "warning" not in first
    second = _printed(["--port", str(port)], tmp_path)
    assert first.split("token=")[1] != second.split("token=")[1]  # made anew, never stored
