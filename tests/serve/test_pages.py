"""The chair's console, a delegation's view and the projector of `procedura serve`.

TestClient checks each page renders its case escaped, under the page's policy; one test
drives a whole live vote in Chromium against the real server, one browser context per
device (the chair, the projector, three delegations).
"""

from __future__ import annotations

import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serve_helpers import CHAIR, DRAFT, MUN, bearer, call

import engine
from engine.app.scenarios import ACTION_PARAMS
from engine.app.verify import verify
from engine.serve import create_app

with warnings.catch_warnings():  # Starlette 1.x would rather drive httpx2; httpx works
    warnings.filterwarnings("ignore", "Using `httpx`")
    from starlette.testclient import TestClient

HOSTILE = "<script>x</script>"
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(tmp_path / "pages.db", CHAIR, poll=0.02,
                               keepalive=0.2)) as c:
        yield c


def open_hostile(client: TestClient, record: bool = True) -> None:
    r = client.post("/api/cases", headers=bearer(CHAIR),
                    json={"id": "mun", "title": HOSTILE, "bodies": [MUN]})
    assert r.status_code == 201, r.text
    if record:
        r = client.post("/api/cases/mun/actions", headers=bearer(CHAIR), json=DRAFT)
        assert r.status_code == 200, r.text


@pytest.mark.parametrize("record", [False, True])
@pytest.mark.parametrize("page", ["chair", "delegation", "projector"])
def test_each_page_renders_its_case_escaped(client: TestClient, page: str,
                                            record: bool) -> None:
    open_hostile(client, record)
    r = client.get(f"/{page}?case=mun")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert HOSTILE not in r.text and "&lt;script&gt;x&lt;/script&gt;" in r.text
    csp = r.headers["content-security-policy"]
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f"script-src 'nonce-{nonce}'" in csp and "unsafe-inline" not in csp
    assert f'<script nonce="{nonce}" src="/static/live.js"></script>' in r.text
    assert r.text.count("<script") == 1  # no inline script: the one file only
    assert 'data-case="mun"' in r.text and r.headers["referrer-policy"] == "no-referrer"
    if page == "projector":
        assert '<svg xmlns="http://www.w3.org/2000/svg" class="diagram"' in r.text
        assert ('class="node visited current" data-node="committee.tabled"' in r.text) == record


def test_a_page_needs_a_known_case(client: TestClient) -> None:
    assert client.get("/chair").status_code == 400
    r = client.get("/projector?case=nothing")
    assert r.status_code == 404 and "nothing" in r.json()["error"]


def test_the_script_is_served_from_the_same_origin(client: TestClient) -> None:
    r = client.get("/static/live.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert "new EventSource(" in r.text and "innerHTML" not in r.text
    assert "replaceState" in r.text and "textContent" in r.text


def test_the_actions_their_keys_and_kinds(client: TestClient) -> None:
    actions = client.get("/api/actions").json()
    assert list(actions) == list(ACTION_PARAMS)
    assert actions["submit_draft"]["symbol"] == {"kind": "str", "required": True}
    assert actions["submit_draft"]["sponsors"] == {"kind": "strings", "required": False}


def test_what_is_in_order_and_the_graph(client: TestClient) -> None:
    open_hostile(client)
    r = client.get("/api/cases/mun/in_order").json()
    assert r["case"] == "mun" and r["version"] == 2 and "add_sponsors" in r["in_order"]
    assert client.get("/api/cases/nope/in_order").status_code == 404
    r = client.get("/api/cases/mun/diagram.svg")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    svg = ET.fromstring(r.text)  # well-formed: the projector parses it as XML
    current = [g.get("data-node") for g in svg.iter("{http://www.w3.org/2000/svg}g")
               if "current" in (g.get("class") or "").split()]
    assert current == ["committee.tabled"]


def put_before_the_body(client: TestClient) -> None:
    """A draft with a hostile amendment, a part asked to be voted on separately and a
    no-action motion, all pending: the case still reads committee.tabled."""
    open_hostile(client, record=False)
    for action in ({**DRAFT, "operative_paragraphs": 8},
                   {"action": "submit_amendment", "symbol": "MUN/1/A<&>",
                    "proposers": ["Atlantis"], "text": HOSTILE},
                   {"action": "request_separate_vote", "parts": ["OP7"], "by": "Freedonia"},
                   {"action": "move", "motion": "adjourn-debate", "by": "Wakanda"}):
        r = client.post("/api/cases/mun/actions", headers=bearer(CHAIR), json=action)
        assert r.status_code == 200, r.text
    assert client.get("/api/cases/mun").json()["state"] == "committee.tabled"


def test_the_projector_lists_what_is_before_the_body(client: TestClient) -> None:
    put_before_the_body(client)
    r = client.get("/projector?case=mun")
    assert r.status_code == 200 and HOSTILE not in r.text and "MUN/1/A<&>" not in r.text
    assert ('<li class="badge motion" data-kind="motion" data-name="adjourn-debate">'
            "motion: adjourn-debate (moved by Wakanda)</li>") in r.text
    assert ('data-name="MUN/1/A&lt;&amp;&gt;">amendment: MUN/1/A&lt;&amp;&gt; (Atlantis)</li>'
            in r.text)
    assert 'data-name="OP7">part: OP7</li>' in r.text
    assert '<p id="pending-none" class="muted" hidden>' in r.text
    assert r.text.count("<script") == 1  # still the one file: the panel is drawn by it
    # the graph, as the page first shows it, carries the label under the current state
    assert 'class="pending" data-pending="3"' in r.text


def test_the_projector_has_nothing_pending_at_first(client: TestClient) -> None:
    open_hostile(client)
    r = client.get("/projector?case=mun")
    assert '<p id="pending-none" class="muted">Nothing is pending.</p>' in r.text
    assert 'class="pending"' not in r.text
    assert 'class="pending"' not in client.get("/api/cases/mun/diagram.svg").text


def test_the_graph_labels_the_current_state_with_what_is_pending(client: TestClient) -> None:
    put_before_the_body(client)
    assert client.get("/api/cases/mun/in_order").json()["in_order"][0] == \
        "vote on adjourn-debate"
    r = client.get("/api/cases/mun/diagram.svg")
    assert r.status_code == 200 and "MUN/1/A<&>" not in r.text
    ns = "{http://www.w3.org/2000/svg}"
    svg = ET.fromstring(r.text)  # still well-formed, the hostile symbol escaped
    node = next(g for g in svg.iter(f"{ns}g") if "current" in (g.get("class") or "").split())
    assert node.get("data-node") == "committee.tabled"
    box = node.find(f"{ns}rect")
    assert box is not None
    label = next(g for g in svg.iter(f"{ns}g") if g.get("class") == "pending")
    text = label.find(f"{ns}text")
    assert text is not None and text.get("x") == f"{float(box.get('x', '')) + 6:g}"
    assert float(text.get("y", "")) > float(box.get("y", "")) + float(box.get("height", ""))
    lines = [(t.get("class"), t.text) for t in text.iter(f"{ns}tspan")]
    assert lines == [
        ("pending-head", "Before the body:"),
        ("pending-next", "motion: adjourn-debate (moved by Wakanda) \u2014 next vote"),
        ("pending-item", "amendment: MUN/1/A<&> (Atlantis)"),
        ("pending-item", "part: OP7")]


def test_the_script_draws_what_is_before_the_body_as_text(client: TestClient) -> None:
    js = client.get("/static/live.js").text
    assert "function pendingDraw(" in js and '"/in_order"' in js
    assert "next.pending" in js and "innerHTML" not in js  # the server's list, as text


def test_in_order_lists_what_is_before_the_body(client: TestClient) -> None:
    """The projector's list comes from the server (`pending_items`), drawn by the script."""
    chair = bearer(CHAIR)
    client.post("/api/cases", json={"id": "p", "title": "t"}, headers=chair)
    for step in ({"action": "submit_draft", "body": "third-committee", "symbol": "L.1",
                  "title": "Draft", "sponsors": ["Japan"]},
                 {"action": "move", "motion": "adjourn-debate", "by": "Cuba"}):
        assert client.post("/api/cases/p/actions", json=step, headers=chair).status_code == 200
    listed = client.get("/api/cases/p/in_order").json()
    assert listed["pending"] == [{"kind": "motion", "name": "adjourn-debate",
                                  "label": "motion: adjourn-debate (moved by Cuba)"}]
    assert listed["next_vote"] == "adjourn-debate"


# --- the whole session in Chromium, against the real server ------------------------------


def test_a_live_vote_across_the_three_pages(server: tuple[str, Path]) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    expect = sync_api.expect
    base, db = server
    call(base, "/api/cases", {"id": "mun", "title": HOSTILE, "bodies": [MUN]})
    call(base, "/api/cases/mun/actions", DRAFT)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM),
                                    args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        problems: list[str] = []

        def tab(url: str) -> Any:
            page = browser.new_context().new_page()
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("console", lambda m: problems.append(m.text) if m.type == "error"
                    and "status of 409" not in m.text else None)  # the refusal shown below
            page.goto(url)
            return page

        try:
            chair = tab(f"{base}/chair?case=mun&token={CHAIR}")
            assert "token" not in chair.url and "case=mun" in chair.url
            expect(chair.locator("#title")).to_have_text(HOSTILE, timeout=10_000)
            expect(chair.locator("#in-order")).to_contain_text("open_vote on MUN/1",
                                                               timeout=10_000)
            projector = tab(f"{base}/projector?case=mun")
            expect(projector.locator("#narration")).to_contain_text("Draft MUN/1",
                                                                    timeout=10_000)

            # a refused action: the library's message inline, the fields kept
            form = chair.locator("form[data-action=transmit]")
            form.locator("input[name=to]").fill("plenary")
            form.locator("button[type=submit]").click()
            expect(form.locator(".reply")).to_contain_text("not in order", timeout=10_000)
            expect(form.locator("input[name=to]")).to_have_value("plenary")

            delegations = {}
            for member in ("Atlantis", "Freedonia", "Ruritania"):
                chair.select_option("#member", member)
                chair.click("#issue")
                link = chair.locator(f"#links a[data-member={member}]")
                expect(link).to_have_count(1, timeout=10_000)
                delegations[member] = tab(link.get_attribute("href") or "")
                assert "token" not in delegations[member].url
                expect(delegations[member].locator("button[data-vote=yes]")).to_be_disabled()

            chair.click("#open-vote")
            expect(chair.locator("#state")).to_have_text("committee.voting", timeout=10_000)
            for page, vote in zip(delegations.values(), ["yes", "yes", "no"],
                                  strict=True):
                button = page.locator(f"button[data-vote={vote}]")
                expect(button).to_be_enabled(timeout=10_000)
                button.click()
                expect(page.locator("#own")).to_have_text(f"Your ballot: {vote}",
                                                         timeout=10_000)
            expect(chair.locator("#ballot-count")).to_contain_text("3 of 5 cast",
                                                                   timeout=10_000)
            expect(projector.locator("#tally .bar.yes .count")).to_have_text("2",
                                                                             timeout=10_000)
            chair.click("#close-vote")
            expect(projector.locator("#outcome")).to_have_text("Adopted", timeout=10_000)
            expect(projector.locator("#state")).to_have_text("committee.approved",
                                                             timeout=10_000)
            expect(projector.locator("#needed")).to_contain_text("2 of 3", timeout=10_000)
            current = projector.locator("#diagram g.node.current")
            expect(current).to_have_attribute("data-node", "committee.approved",
                                              timeout=10_000)
            expect(delegations["Atlantis"].locator("button[data-vote=yes]")).to_be_disabled(
                timeout=10_000)
            assert not problems, problems
        finally:
            browser.close()
    with engine.open(db, readonly=True) as log:
        assert log.case("mun").state == "committee.approved"
    with engine.open(db) as log:
        assert verify(log).ok
