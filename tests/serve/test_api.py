"""`procedura serve`: every route, each refusal's status, and a whole live session.

The app runs under Starlette's TestClient over a temporary log; one test starts the real
server as a process. A refusal must append nothing: the tests count the log's events
through a connection of their own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from serve_helpers import CHAIR, DRAFT, MUN, bearer, call, free_port

import engine
from engine.app.verify import verify
from engine.cli import cli
from engine.procedure.commands import COMMANDS
from engine.serve import create_app
from engine.serve.app import MAX_BODY

with warnings.catch_warnings():  # Starlette 1.x would rather drive httpx2; httpx works
    warnings.filterwarnings("ignore", "Using `httpx`")
    from starlette.testclient import TestClient



def count(db: Path) -> int:
    with engine.open(db, readonly=True) as log:
        return log.events.count()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "session.db"


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db, CHAIR, poll=0.02, keepalive=0.2)) as c:
        yield c


def post(client: TestClient, path: str, body: Any, token: str | None = CHAIR) -> Any:
    return client.post(path, json=body, headers=bearer(token) if token else {})


def open_mun(client: TestClient, case: str = "mun") -> None:
    assert post(client, "/api/cases", {"id": case, "title": "Model UN",
                                       "bodies": [MUN]}).status_code == 201
    assert post(client, f"/api/cases/{case}/actions", DRAFT).status_code == 200


def delegations(client: TestClient, case: str, *members: str) -> dict[str, str]:
    tokens = {}
    for m in members:
        r = post(client, f"/api/cases/{case}/delegations", {"member": m})
        assert r.status_code == 201, r.text
        tokens[m] = r.json()["token"]
    return tokens


# --- reading ------------------------------------------------------------------------------


def test_the_cases_are_listed_with_their_state_and_version(client: TestClient) -> None:
    assert client.get("/api/cases").json() == []
    post(client, "/api/cases", {"id": "mun", "title": "Model UN", "bodies": [MUN]})
    # Opened, not recorded yet (a case is recorded with its first action): listed all the same.
    assert client.get("/api/cases").json() == [
        {"id": "mun", "title": "Model UN", "state": "new", "version": 0}]
    post(client, "/api/cases/mun/actions", DRAFT)
    assert client.get("/api/cases").json() == [
        {"id": "mun", "title": "Model UN", "state": "committee.tabled", "version": 2}]


def test_a_case_reads_as_procedura_state_json_prints_it(client: TestClient, db: Path) -> None:
    open_mun(client)
    printed = CliRunner().invoke(cli, ["state", "--db", str(db), "mun", "--json"])
    assert printed.exit_code == 0, printed.output
    assert client.get("/api/cases/mun").json() == json.loads(printed.output)
    r = client.get("/api/cases/nothing-here")
    assert r.status_code == 404 and "no case 'nothing-here'" in r.json()["error"]
    assert str(db.parent) not in r.json()["error"]  # the server's folders stay its own


def test_the_events_of_a_case_after_a_version(client: TestClient) -> None:
    open_mun(client)
    events = client.get("/api/cases/mun/events").json()
    assert [e["type"] for e in events] == ["CaseOpened", "DraftSubmitted"]
    assert events[1]["payload"]["symbol"] == "MUN/1" and events[1]["actor"] == "chair"
    assert client.get("/api/cases/mun/events?after=1").json() == events[1:]
    assert client.get("/api/cases/mun/events?after=2").json() == []
    assert client.get("/api/cases/mun/events?after=-1").status_code == 400
    assert client.get("/api/cases/mun/events?after=x").status_code == 400
    assert client.get("/api/cases/nope/events").status_code == 404


def test_unknown_routes_and_methods_answer_json(client: TestClient) -> None:
    r = client.get("/api/nothing")
    assert r.status_code == 404 and r.json() == {"error": "nothing at GET /api/nothing"}
    r = client.delete("/api/cases")
    assert r.status_code == 405 and "error" in r.json()


def test_an_internal_failure_is_logged_not_sent(client: TestClient, monkeypatch) -> None:
    def broken() -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(client.app.state.api.session, "cases", broken)
    r = client.get("/api/cases")
    assert r.status_code == 500
    assert "secret" not in r.text and "Traceback" not in r.text and "error" in r.json()


def test_the_page_lists_the_cases_escaped(client: TestClient) -> None:
    post(client, "/api/cases", {"id": "x", "title": "<script>alert(1)</script>"})
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<script>alert(1)" not in r.text and "&lt;script&gt;alert(1)" in r.text
    assert 'href="/case?case=x"' in r.text and "new EventSource(" in r.text
    nonce = r.headers["content-security-policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in r.text
    assert r.headers["referrer-policy"] == "no-referrer"


# --- the event stream -----------------------------------------------------------------------


def messages(text: str) -> list[dict[str, Any]]:
    return [json.loads(line[len("data: "):]) for line in text.splitlines()
            if line.startswith("data: ")]


def test_the_stream_sends_every_event_after_a_position(client: TestClient) -> None:
    open_mun(client)
    with client.stream("GET", "/api/stream?after=0&follow=0") as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        sent = messages(r.read().decode())
    assert [(m["position"], m["case"], m["version"], m["type"]) for m in sent] == [
        (1, "mun", 1, "CaseOpened"), (2, "mun", 2, "DraftSubmitted")]
    assert sent[1]["payload"]["symbol"] == "MUN/1" and sent[1]["state"] == "committee.tabled"
    assert sent[1]["narration"].startswith("[2] Draft MUN/1") and \
        sent[1]["narration"].endswith("-> committee.tabled")
    with client.stream("GET", "/api/stream?after=1&follow=0") as r:
        assert messages(r.read().decode()) == sent[1:]
    with client.stream("GET", "/api/stream?follow=0", headers={"Last-Event-ID": "2"}) as r:
        assert messages(r.read().decode()) == []
    assert client.get("/api/stream?after=no").status_code == 400


def test_the_stream_follows_the_log_as_other_writers_append(client: TestClient,
                                                            db: Path) -> None:
    open_mun(client)
    with client.stream("GET", "/api/stream?after=0") as r:
        lines = r.iter_lines()
        seen = []
        for line in lines:  # the two events, then silence, kept alive
            seen.append(line)
            if line == ": keep-alive":
                break
        assert sum(line.startswith("data: ") for line in seen) == 2
        with engine.open(db) as other:  # another process's write: the stream sees it
            other.case("mun").add_sponsors(sponsors=["Wakanda"])
        rest = []
        for line in lines:
            rest.append(line)
            if line.startswith("data: "):
                break
    assert messages("\n".join(rest))[0]["type"] == "SponsorsAdded"


# --- opening cases -----------------------------------------------------------------------


def test_only_the_chair_opens_a_case(client: TestClient, db: Path) -> None:
    case = {"id": "mun", "title": "Model UN", "bodies": [MUN]}
    assert post(client, "/api/cases", case, token=None).status_code == 401
    assert post(client, "/api/cases", case, token="wrong").status_code == 401
    r = client.post("/api/cases", json=case, headers={"Authorization": CHAIR})
    assert r.status_code == 401  # not "Bearer ..."
    r = post(client, "/api/cases", case)
    assert r.status_code == 201 and r.json()["case"] == "mun" and r.json()["state"] == "new"
    assert "mun-committee" in r.json()["bodies"]
    r = post(client, "/api/cases", case)
    assert r.status_code == 409 and "already a case 'mun'" in r.json()["error"]
    post(client, "/api/cases/mun/actions", DRAFT)
    token = delegations(client, "mun", "Atlantis")["Atlantis"]
    assert post(client, "/api/cases", {"id": "b", "title": "B"}, token).status_code == 403
    assert post(client, "/api/cases", case).status_code == 409  # recorded now
    assert count(db) == 2


@pytest.mark.parametrize(("body", "status", "says"), [
    ({"title": "no id"}, 400, "needs id"),
    ({"id": "x"}, 400, "needs title; its keys: id, title, council, bodies, scenario"),
    ({"id": 5, "title": "t"}, 400, "id must be a string"),
    ({"id": "a/b", "title": "t"}, 400, "must not hold '/'"),
    ({"id": "x", "title": "t", "colour": "red"}, 400, "no key 'colour'"),
    ({"id": "x", "title": "t", "council": "France"}, 400, "council must be a list"),
    ({"id": "x", "title": "t", "bodies": {"id": "b"}}, 400, "bodies must be a list"),
    ({"id": "x", "title": "t", "bodies": [{"id": "b", "rules": "chaos"}]}, 400, ""),
    ({"id": "x", "scenario": "no-such-scenario"}, 400, "is not a bundled scenario (bundled: "),
    ({"id": "x", "scenario": "../replays/scenarios/dprk-2014.toml"}, 400,
     "is not a bundled scenario"),
    ({"id": "x", "scenario": "dprk-2014", "bodies": [MUN]}, 400, "from the scenario"),
])
def test_a_bad_new_case_is_refused(client: TestClient, db: Path, body: Any, status: int,
                                   says: str) -> None:
    r = post(client, "/api/cases", body)
    assert r.status_code == status, r.text
    assert says in r.json()["error"]
    assert client.get("/api/cases").json() == [] and count(db) == 0


def test_bodies_that_are_not_json_objects_or_too_large(client: TestClient, db: Path) -> None:
    as_json = {**bearer(CHAIR), "Content-Type": "application/json"}
    for raw in (b"{not json", b"[1, 2]", b'"text"', b"", b'{"id": NaN}'):
        r = client.post("/api/cases", content=raw, headers=as_json)
        assert r.status_code == 400, raw
        assert "JSON" in r.json()["error"]
    big = {"id": "x", "title": "x" * MAX_BODY}
    assert post(client, "/api/cases", big).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"id": "x", "title": "'
        for _ in range(80):
            yield b"x" * 1024
        yield b'"}'

    r = client.post("/api/cases", content=chunks(), headers=as_json)
    assert r.status_code == 413
    assert count(db) == 0


def test_a_bundled_scenario_runs_under_the_id_given(client: TestClient) -> None:
    r = post(client, "/api/cases", {"id": "dprk-again", "scenario": "dprk-2014"})
    assert r.status_code == 201, r.text
    assert r.json()["case"] == "dprk-again" and r.json()["state"] == "council.on_agenda"
    events = client.get("/api/cases/dprk-again/events").json()
    assert len(events) == 9 and {e["actor"] for e in events} == {"chair"}
    r = post(client, "/api/cases", {"id": "dprk-again", "scenario": "dprk-2014"})
    assert r.status_code == 409


# --- actions -----------------------------------------------------------------------------


def test_the_chair_runs_actions_by_name(client: TestClient, db: Path) -> None:
    post(client, "/api/cases", {"id": "mun", "title": "Model UN", "bodies": [MUN]})
    r = post(client, "/api/cases/mun/actions", {**DRAFT, "date": "2024-03-01",
                                               "note": "first day"})
    assert r.status_code == 200 and r.json() == {"case": "mun", "state": "committee.tabled",
                                                 "version": 2}
    vote = {"action": "vote", "on": "MUN/1", "yes": 3, "no": 1, "abstain": 1,
            "command_id": "vote-1"}
    r = post(client, "/api/cases/mun/actions", vote)
    assert r.status_code == 200 and r.json()["state"] == "committee.approved"
    assert r.json()["decision"]["outcome"] == "adopted"
    again = post(client, "/api/cases/mun/actions", vote)  # a retry: nothing more recorded
    assert again.status_code == 200 and again.json() == r.json() and count(db) == 3
    events = client.get("/api/cases/mun/events").json()
    assert events[1]["note"] == "first day" and events[1]["occurred_at"] == "2024-03-01"


@pytest.mark.parametrize(("body", "status", "says"), [
    ({"action": "fly"}, 400, "unknown action 'fly'; actions: submit_draft"),
    ({"symbol": "MUN/1"}, 400, "unknown action None"),
    ({"action": "withdraw", "symbol": "MUN/1", "colour": "red"}, 400,
     "withdraw takes no key 'colour'; its keys: symbol"),
    ({"action": "withdraw"}, 400, "withdraw needs symbol"),
    ({"action": "vote", "on": "MUN/1", "yes": "three"}, 400, "yes must be a whole number"),
    ({"action": "vote", "on": "MUN/1", "yes": True}, 400, "yes must be a whole number"),
    ({"action": "add_sponsors", "sponsors": "Wakanda"}, 400, "sponsors must be a list"),
    ({"action": "vote", "on": "MUN/1", "date": "yesterday"}, 400, "YYYY-MM-DD"),
    ({"action": "vote", "on": "MUN/1", "yes": 9, "no": 0, "abstain": 0}, 400, ""),
    ({"action": "add_sponsors", "sponsors": ["Narnia"]}, 400, "unknown member 'Narnia'"),
    ({"action": "vote", "on": "nothing-here", "yes": 1}, 409, "no item 'nothing-here'"),
    ({"action": "transmit", "to": "plenary"}, 409, "transmit is not in order"),
    ({"action": "vote", "on": "MUN/1", "yes": 1, "no": 3, "abstain": 1, "expect": "adopted"},
     409, "adopted"),
])
def test_a_refused_action_says_why_and_appends_nothing(client: TestClient, db: Path,
                                                       body: Any, status: int,
                                                       says: str) -> None:
    open_mun(client)
    before = count(db)
    r = post(client, "/api/cases/mun/actions", body)
    assert r.status_code == status, r.text
    assert says in r.json()["error"]
    assert count(db) == before
    assert client.get("/api/cases/mun").json()["state"] == "committee.tabled"


def test_actions_need_the_chair_and_a_known_case(client: TestClient, db: Path) -> None:
    open_mun(client)
    token = delegations(client, "mun", "Atlantis")["Atlantis"]
    withdraw = {"action": "withdraw", "symbol": "MUN/1"}
    assert post(client, "/api/cases/mun/actions", withdraw, token=None).status_code == 401
    assert post(client, "/api/cases/mun/actions", withdraw, token="nope").status_code == 401
    r = post(client, "/api/cases/mun/actions", withdraw, token=token)
    assert r.status_code == 403 and "only the chair" in r.json()["error"]
    assert post(client, "/api/cases/elsewhere/actions", withdraw).status_code == 404
    assert count(db) == 2


# --- delegations and ballots ---------------------------------------------------------------


def test_the_chair_issues_a_delegation_a_token(client: TestClient, db: Path) -> None:
    post(client, "/api/cases", {"id": "mun", "title": "Model UN", "bodies": [MUN]})
    r = post(client, "/api/cases/mun/delegations", {"member": "Atlantis"})
    assert r.status_code == 409  # before the draft, the case is before no body
    post(client, "/api/cases/mun/actions", DRAFT)
    r = post(client, "/api/cases/mun/delegations", {"member": "atlantis"})
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["member"] == "Atlantis" and len(out["token"]) >= 32
    assert out["url"].endswith(f"/?case=mun&member=Atlantis&token={out['token']}")
    assert out["page"].endswith(f"/delegation?case=mun&member=Atlantis&token={out['token']}")
    assert out["qr"].startswith("data:image/svg+xml")  # the page's link, for a phone to scan
    r = post(client, "/api/cases/mun/delegations", {"member": "Narnia"})
    assert r.status_code == 400 and "unknown member 'Narnia'" in r.json()["error"]
    assert post(client, "/api/cases/mun/delegations", {"member": 3}).status_code == 400
    assert post(client, "/api/cases/mun/delegations", {}).status_code == 400
    assert post(client, "/api/cases/nope/delegations", {"member": "Atlantis"}).status_code == 404
    assert post(client, "/api/cases/mun/delegations", {"member": "Atlantis"},
                token=out["token"]).status_code == 403
    assert post(client, "/api/cases/mun/delegations", {"member": "Atlantis"},
                token=None).status_code == 401
    # A token issued again replaces the member's earlier one.
    newer = post(client, "/api/cases/mun/delegations", {"member": "Atlantis"}).json()["token"]
    ballot = {"vote": "yes"}
    assert post(client, "/api/cases/mun/ballots", ballot, token=out["token"]).status_code == 401
    assert post(client, "/api/cases/mun/ballots", ballot, token=newer).status_code != 401
    assert count(db) == 2


def test_ballots_come_from_the_delegation_of_the_case(client: TestClient, db: Path) -> None:
    open_mun(client)
    open_mun(client, "other")
    mine = delegations(client, "mun", "Atlantis")["Atlantis"]
    theirs = delegations(client, "other", "Atlantis")["Atlantis"]
    ballot = {"vote": "yes"}
    before = count(db)
    assert post(client, "/api/cases/mun/ballots", ballot, token=None).status_code == 401
    r = post(client, "/api/cases/mun/ballots", ballot)  # the chair
    assert r.status_code == 403 and "only a delegation" in r.json()["error"]
    r = post(client, "/api/cases/mun/ballots", ballot, token=theirs)
    assert r.status_code == 403 and "not in 'mun'" in r.json()["error"]
    assert post(client, "/api/cases/mun/ballots", {"vote": 1}, token=mine).status_code == 400
    assert post(client, "/api/cases/mun/ballots", {"vote": "yes", "member": "Genovia"},
                token=mine).status_code == 400
    assert post(client, "/api/cases/mun/ballots", {}, token=mine).status_code == 400
    if "cast_ballot" in COMMANDS:
        r = post(client, "/api/cases/mun/ballots", ballot, token=mine)
        assert r.status_code == 409  # no vote is open
        r = post(client, "/api/cases/mun/ballots", {"vote": "maybe"}, token=mine)
        assert r.status_code == 400
    assert count(db) == before


def test_a_whole_live_session(client: TestClient, db: Path) -> None:
    open_mun(client)
    tokens = delegations(client, "mun", "Atlantis", "Freedonia", "Ruritania", "Genovia")
    before = count(db)
    act = "/api/cases/mun/actions"
    assert post(client, act, {"action": "withdraw", "symbol": "MUN/1"},
                token=tokens["Atlantis"]).status_code == 403
    assert post(client, act, {"action": "vote", "on": "nothing-here", "yes": 1}
                ).status_code in (400, 409)
    assert post(client, act, {"action": "transmit", "to": "plenary"}).status_code == 409
    assert count(db) == before
    r = post(client, act, {"action": "open_vote", "on": "MUN/1"})
    assert r.status_code == 200 and r.json()["state"] == "committee.voting", r.text
    # Nothing interrupts a vote (rule 128 / 88); a member may change its ballot until the close.
    assert post(client, act, {"action": "add_sponsors", "sponsors": ["Wakanda"]}
                ).status_code == 409
    assert post(client, "/api/cases/mun/ballots", {"vote": "abstain"},
                token=tokens["Atlantis"]).status_code == 200
    for member, vote in {"Atlantis": "yes", "Freedonia": "yes", "Ruritania": "no",
                         "Genovia": "yes"}.items():
        r = post(client, "/api/cases/mun/ballots", {"vote": vote}, token=tokens[member])
        assert r.status_code == 200, r.text
    r = post(client, act, {"action": "close_vote", "on": "MUN/1"})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "committee.approved"
    assert r.json()["decision"]["outcome"] == "adopted"
    assert client.get("/api/cases/mun").json()["state"] == "committee.approved"
    ballots = [e for e in client.get("/api/cases/mun/events").json() if e["type"] == "BallotCast"]
    assert [e["actor"] for e in ballots] == ["Atlantis", "Atlantis", "Freedonia", "Ruritania",
                                             "Genovia"]
    live = client.get("/api/cases/mun").json()
    with engine.open(db, readonly=True) as log:
        assert verify(log).ok
        replayed = log.case("mun").data.as_dict()
    assert json.loads(json.dumps({"case": replayed.pop("case_id"), **replayed})) == live


# --- forks -------------------------------------------------------------------------------


def test_a_fork_records_the_first_events_again_under_a_new_id(client: TestClient,
                                                              db: Path) -> None:
    open_mun(client)
    post(client, "/api/cases/mun/actions", {"action": "add_sponsors", "sponsors": ["Wakanda"]})
    post(client, "/api/cases/mun/actions", {"action": "vote", "on": "MUN/1", "yes": 1, "no": 3,
                                           "abstain": 1})
    original = client.get("/api/cases/mun/events").json()
    r = post(client, "/api/cases/mun/fork", {"at": 3, "id": "mun-b"})
    assert r.status_code == 201, r.text
    assert r.json()["case"] == "mun-b" and r.json()["state"] == "committee.tabled"
    forked = client.get("/api/cases/mun-b/events").json()
    assert [e["type"] for e in forked] == [e["type"] for e in original[:3]]
    assert [e["payload"] for e in forked] == [e["payload"] for e in original[:3]]
    assert [e["note"] for e in forked[1:]] == ["fork of mun at 3"] * 2
    assert client.get("/api/cases/mun/events").json() == original
    r = post(client, "/api/cases/mun-b/actions", {"action": "vote", "on": "MUN/1", "yes": 3,
                                                 "no": 1, "abstain": 1})
    assert r.json()["state"] == "committee.approved"  # the other way, this time
    # Only the opening: the fork is opened, and recorded with its first action.
    r = post(client, "/api/cases/mun/fork", {"at": 1, "id": "mun-c"})
    assert r.status_code == 201 and r.json()["version"] == 0
    assert post(client, "/api/cases/mun-c/actions", DRAFT).json()["version"] == 2
    with engine.open(db, readonly=True) as log:
        assert verify(log).ok


def test_a_fork_that_cannot_be_made_is_refused(client: TestClient, db: Path) -> None:
    open_mun(client)
    for symbol, rejects in (("A1", ["A2"]), ("A2", [])):
        r = post(client, "/api/cases/mun/actions", {
            "action": "submit_amendment", "symbol": symbol, "proposers": ["Atlantis"],
            "text": f"Amendment {symbol}", "implies_rejection_of": rejects})
        assert r.status_code == 200, r.text
    r = post(client, "/api/cases/mun/actions", {"action": "vote", "on": "A1", "yes": 3, "no": 1,
                                               "abstain": 1})
    assert r.status_code == 200, r.text
    types = [e["type"] for e in client.get("/api/cases/mun/events").json()]
    assert types[-2:] == ["VoteTaken", "AmendmentLapsed"]  # one action, two events
    before = count(db)
    fork = "/api/cases/mun/fork"
    r = post(client, fork, {"at": 5, "id": "split"})
    assert r.status_code == 400 and "fork at 4 or at 6" in r.json()["error"]
    assert post(client, fork, {"at": 0, "id": "b"}).status_code == 400
    assert post(client, fork, {"at": 99, "id": "b"}).status_code == 400
    assert post(client, fork, {"at": "2", "id": "b"}).status_code == 400
    assert post(client, fork, {"at": 2}).status_code == 400
    assert post(client, fork, {"at": 2, "id": "mun"}).status_code == 409
    assert post(client, "/api/cases/nope/fork", {"at": 1, "id": "b"}).status_code == 404
    token = delegations(client, "mun", "Atlantis")["Atlantis"]
    assert post(client, fork, {"at": 2, "id": "b"}, token=token).status_code == 403
    assert post(client, fork, {"at": 2, "id": "b"}, token=None).status_code == 401
    assert count(db) == before
    assert post(client, fork, {"at": 6, "id": "whole"}).status_code == 201
    assert count(db) == before + 6


# --- the layers and the command ------------------------------------------------------------


def test_the_library_never_imports_the_server() -> None:
    root = Path(__file__).parents[2]
    for folder in ("engine/procedure", "engine/app", "engine/present", "events"):
        for path in (root / folder).rglob("*.py"):
            assert "engine.serve" not in path.read_text(encoding="utf-8"), path
    code = "import sys, engine.cli; assert 'starlette' not in sys.modules and " \
           "'uvicorn' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_procedura_serve_answers_and_streams(server: tuple[str, Path]) -> None:
    base, db = server
    assert call(base, "/api/cases", {"id": "d", "scenario": "dprk-2014"})["version"] == 9
    with urllib.request.urlopen(f"{base}/api/stream?after=0", timeout=5) as r:
        assert "data:" in r.read(400).decode()
    assert count(db) == 9


def test_the_log_path_and_the_chair_url_are_printed(tmp_path: Path) -> None:
    port = free_port()
    with pytest.raises(subprocess.TimeoutExpired) as ran:  # it serves until stopped
        subprocess.run([sys.executable, "-c", "import sys; sys.argv[0] = 'procedura'; "
                        "from engine.cli import main; main()", "serve", "--port", str(port),
                        "--host", "0.0.0.0", "--chair-token", CHAIR],
                       cwd=tmp_path, capture_output=True, text=True, timeout=3)
    out = (ran.value.stdout or b"").decode() + (ran.value.stderr or b"").decode()
    assert f"log: {tmp_path / 'procedura.db'}" in out  # the default: here, procedura.db
    assert f"chair: http://0.0.0.0:{port}/?token={CHAIR}" in out
    assert "warning: listening on 0.0.0.0" in out


CHROMIUM = Path("/usr/bin/chromium")


def test_a_delegation_votes_from_the_page(server: tuple[str, Path]) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    base, db = server
    call(base, "/api/cases", {"id": "mun", "title": "<b>Model</b> UN", "bodies": [MUN]})
    call(base, "/api/cases/mun/actions", DRAFT)
    link = call(base, "/api/cases/mun/delegations", {"member": "Atlantis"})["url"]
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM),
                                    args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        try:
            tab = browser.new_page()
            problems: list[str] = []
            tab.on("pageerror", lambda e: problems.append(str(e)))
            tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            tab.goto(link)
            assert "token" not in tab.url  # taken out of the address bar
            assert tab.inner_text("#cases").startswith("mun: <b>Model</b> UN")
            live = tab.locator("#live li")
            live.nth(1).wait_for()  # locators, not scripts: the page's CSP forbids eval
            assert "Draft MUN/1" in tab.inner_text("#live")
            call(base, "/api/cases/mun/actions", {"action": "open_vote", "on": "MUN/1"})
            live.nth(2).wait_for()
            tab.click("button[data-vote=yes]")
            tab.locator("#reply", has_text="Your ballot is recorded: yes").wait_for()
            live.nth(3).wait_for()
            assert "Atlantis" in live.nth(3).inner_text() and live.count() == 4
            assert not problems, problems
        finally:
            browser.close()
    assert count(db) == 4
