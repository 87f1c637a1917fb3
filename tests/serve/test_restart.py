"""`procedura serve` started again on the same log: every delegation's token still works
and every case opened is still there; tokens are kept as digests only, outside the events.
"""

from __future__ import annotations

import hashlib
import json
import logging
import urllib.request
import warnings
from pathlib import Path
from typing import Any

import pytest
from serve_helpers import CHAIR, DRAFT, MUN, bearer, call, served

import engine
from engine.app.verify import verify
from engine.serve import create_app
from engine.serve.store import PENDING, TOKENS, ServerTables

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


def post(client: TestClient, path: str, body: Any, token: str = CHAIR) -> Any:
    return client.post(path, json=body, headers=bearer(token))


def ready(client: TestClient) -> str:
    """A case `mun` before the committee, and Atlantis's token in it."""
    assert post(client, "/api/cases", {"id": "mun", "title": "Model UN",
                                       "bodies": [MUN]}).status_code == 201
    assert post(client, "/api/cases/mun/actions", DRAFT).status_code == 200
    r = post(client, "/api/cases/mun/delegations", {"member": "Atlantis"})
    assert r.status_code == 201, r.text
    return r.json()["token"]


def test_a_restart_keeps_the_delegations_tokens_and_the_cases_opened(tmp_path: Path
                                                                      ) -> None:
    db = tmp_path / "session.db"
    with TestClient(create_app(db, CHAIR)) as before:
        atlantis = ready(before)
        freedonia = post(before, "/api/cases/mun/delegations",
                         {"member": "Freedonia"}).json()["token"]
        assert post(before, "/api/cases", {"id": "later", "title": "Later",
                                           "bodies": [MUN]}).status_code == 201
        assert post(before, "/api/cases/mun/fork", {"at": 1, "id": "mun-c"}).status_code == 201
        listed = before.get("/api/cases").json()
    events = count(db)
    # Only digests are kept, never a token; the events table holds proceedings only.
    kept = {digest: member for digest, _, member in rows(db, TOKENS)}
    assert kept == {hashlib.sha256(atlantis.encode()).digest(): "Atlantis",
                    hashlib.sha256(freedonia.encode()).digest(): "Freedonia"}
    assert atlantis.encode() not in db.read_bytes()
    assert sorted(id for id, _ in rows(db, PENDING)) == ["later", "mun-c"]

    with TestClient(create_app(db, "a-new-chair-token")) as after:
        assert after.get("/api/cases").json() == listed  # the cases opened are there
        assert after.get("/api/cases/later").json()["state"] == "new"
        assert post(after, "/api/cases", {"id": "later", "title": "Again"}
                    ).status_code == 401  # the old chair token: not given this time
        chair = "a-new-chair-token"
        assert post(after, "/api/cases", {"id": "later", "title": "Again"},
                    chair).status_code == 409  # taken: it is still opened
        assert post(after, "/api/cases/mun/actions", {"action": "open_vote", "on": "MUN/1"},
                    chair).status_code == 200
        r = post(after, "/api/cases/mun/ballots", {"vote": "yes"}, atlantis)
        assert r.status_code == 200, r.text
        assert post(after, "/api/cases/mun/ballots", {"vote": "no"}, freedonia
                    ).status_code == 200
        # Issued again after the restart: the earlier token ends, here and in the file.
        newer = post(after, "/api/cases/mun/delegations", {"member": "Atlantis"},
                     chair).json()["token"]
        assert post(after, "/api/cases/mun/ballots", {"vote": "no"}, atlantis
                    ).status_code == 401
        assert post(after, "/api/cases/later/actions", DRAFT, chair).status_code == 200
        assert after.get("/api/cases/later").json()["version"] == 2
    assert count(db) == events + 5  # the vote opened, two ballots, the opening and draft
    assert [id for id, _ in rows(db, PENDING)] == ["mun-c"]  # "later" is recorded now
    with TestClient(create_app(db, CHAIR)) as again:
        assert post(again, "/api/cases/mun/ballots", {"vote": "abstain"}, newer
                    ).status_code == 200
        assert post(again, "/api/cases/mun/ballots", {"vote": "abstain"}, atlantis
                    ).status_code == 401
        assert post(again, "/api/cases/mun-c/actions", DRAFT).json()["version"] == 2
    assert rows(db, PENDING) == []
    with engine.open(db, readonly=True) as log:
        assert verify(log).ok
        assert [e.event.type for e in log.events.select("later")] == ["CaseOpened",
                                                                      "DraftSubmitted"]


def test_a_restarted_server_keeps_a_delegation_s_token(tmp_path: Path) -> None:
    with served(tmp_path) as (base, db):
        call(base, "/api/cases", {"id": "mun", "title": "Model UN", "bodies": [MUN]})
        call(base, "/api/cases/mun/actions", DRAFT)
        token = call(base, "/api/cases/mun/delegations", {"member": "Atlantis"})["token"]
        call(base, "/api/cases", {"id": "opened", "title": "Opened only"})
    with served(tmp_path) as (base, again):
        assert again == db
        call(base, "/api/cases/mun/actions", {"action": "open_vote", "on": "MUN/1"})
        assert call(base, "/api/cases/mun/ballots", {"vote": "yes"}, token)["version"] == 4
        with urllib.request.urlopen(f"{base}/api/cases", timeout=10) as r:
            cases = {c["id"]: c for c in json.loads(r.read())}
        assert cases["opened"] == {"id": "opened", "title": "Opened only", "state": "new",
                                   "version": 0}
    assert count(db) == 4


def test_an_opening_this_version_cannot_make_again_is_left_out(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "session.db"
    with engine.open(db) as log:
        tables = ServerTables(log.events)
        tables.keep_opening("odd", {"title": "Odd", "council": None,
                                    "bodies": [{"id": "b", "name": "B", "rules": "chaos"}]})
        tables.keep_opening("unknown-key", {"title": "T", "colour": "red"})
        tables.keep_opening("fine", {"title": "Fine", "council": None, "bodies": [MUN]})
    with caplog.at_level(logging.WARNING, "procedura.serve"), \
            TestClient(create_app(db, CHAIR)) as client:
        assert [c["id"] for c in client.get("/api/cases").json()] == ["fine"]
    assert "'odd'" in caplog.text and "'unknown-key'" in caplog.text
    assert count(db) == 0
