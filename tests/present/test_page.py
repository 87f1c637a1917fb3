"""The case page (engine.present.page): static checks on the HTML, and a real browser stepping it.

The browser tests drive Debian's Chromium (`/usr/bin/chromium`, packages `chromium` and
`chromium-driver`) through Playwright for Python, never a browser Playwright downloads.
They skip, saying why, when either is missing.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import engine
from engine import ProcedureLog, UnknownCaseError
from engine.app.scenarios import load_scenario, run_scenario
from engine.present.narrate import describe, explain
from engine.present.page import render_html
from engine.procedure.graph import STATES
from events import VoteTaken

CASE = "dprk-2014"
HOSTILE = "</script><script>alert(1)</script>"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
COUNCIL_2005 = ["Algeria", "Argentina", "Benin", "Brazil", "Denmark", "Greece", "Japan",
                "Philippines", "Romania", "United Republic of Tanzania"]


@pytest.fixture
def log(tmp_path: Path) -> Iterator[ProcedureLog]:
    """A log file holding the bundled 2014 DPRK case."""
    with engine.open(tmp_path / "un.db") as opened:
        run_scenario(opened, load_scenario(CASE))
        yield opened


@pytest.fixture
def page(log: ProcedureLog) -> str:
    return render_html(log, CASE)


def case_data(page: str) -> tuple[str, Any]:
    """The raw text of the embedded JSON and its parsed value."""
    found = re.search(r'<script type="application/json" id="case-data">(.*?)</script>', page,
                      re.S)
    assert found, "no embedded case data"
    return found.group(1), json.loads(found.group(1))


def element(page: str, tag: str, id: str) -> str:
    """The HTML of the element with this id (elements of that tag do not nest here)."""
    found = re.search(rf'<{tag}\b[^>]*\bid="{re.escape(id)}".*?</{tag}>', page, re.S)
    assert found, f"no <{tag} id={id!r}>"
    return found.group(0)


def votes(log: ProcedureLog, case_id: str = CASE) -> list[tuple[int, VoteTaken]]:
    return [(rec.version, rec.event) for rec, _ in log.history(case_id)
            if isinstance(rec.event, VoteTaken)]


# -- the HTML, without a browser ----------------------------------------------------------


def test_page_is_one_self_contained_document(page: str) -> None:
    assert page.startswith("<!doctype html>")
    refs = re.findall(r"""\b(?:src|href|action|xlink:href)\s*=\s*["']?\s*([^"'\s>]*)""", page,
                      re.I)
    assert refs, "expected in-page links"
    assert [r for r in refs if r.startswith(("http:", "https:", "//", "file:"))] == []
    assert all(r.startswith("#") for r in refs)
    assert "http://" not in page and "https://" not in page
    assert not re.search(r"<(?:link|iframe|img|object|embed)\b", page, re.I)
    assert not re.search(r"<script\b[^>]*\bsrc", page, re.I)
    assert "@import" not in page and "url(http" not in page


def test_page_shows_title_id_and_current_state(log: ProcedureLog, page: str) -> None:
    title = html.escape(log.case(CASE).title)
    assert f"<title>{title} · procedura</title>" in page
    assert f"<h1>{title}</h1>" in page
    assert f"<code>{CASE}</code>" in page
    assert element(page, "code", "state") == '<code id="state">council.on_agenda</code>'
    assert element(page, "strong", "step") == '<strong id="step">9</strong>'
    assert 'type="range" id="slider" min="1" max="9" value="9"' in page


def test_timeline_has_every_event_with_its_sentence_and_state(log: ProcedureLog,
                                                              page: str) -> None:
    timeline = page[page.index('<ol class="timeline">'):page.index("</ol>")]
    history = [(rec, state.state) for rec, state in log.history(CASE)]  # read before advancing
    assert timeline.count('<li class="event') == len(history) == 9
    for rec, state in history:
        item = element(timeline, "li", f"ev-{rec.version}")
        assert html.escape(describe(rec.event)) in item
        assert f"State after: <code>{state}</code>" in item
    assert "(via <code>plenary.voting</code>)" in element(timeline, "li", "ev-7")
    assert 'datetime="2014-12-22">22 December 2014</time>' in element(timeline, "li", "ev-9")


def test_every_vote_has_its_figures_decision_arithmetic_and_rule(log: ProcedureLog,
                                                               page: str) -> None:
    found = votes(log)
    assert [(e.yes, e.no, e.abstain) for _, e in found] == [
        (40, 77, 50), (111, 19, 55), (116, 20, 53), (11, 2, 2)]
    for version, e in found:
        card = element(page, "article", f"vote-{version}")
        for option, count in (("yes", e.yes), ("no", e.no), ("abstain", e.abstain)):
            assert re.search(rf'<div class="bar-row {option}">.*?<span class="num">{count}</span>',
                             card), (version, option)
        assert f'<span class="outcome {e.decision.outcome}">' in card
        assert html.escape(explain(e.decision, e)) in card
        assert f"<strong>Rule:</strong> {html.escape(e.decision.rule)}" in card
        assert f"{e.decision.needed} needed" in card
        members = e.yes_members + e.no_members + e.abstain_members
        assert ("<details" in card) == bool(members)
        for name in members:
            assert f"<li>{html.escape(name)}</li>" in card
    council = element(page, "article", f"vote-{found[-1][0]}")
    assert "<h4>No (2)</h4><ul><li>China</li><li>Russian Federation</li></ul>" in council


def test_diagram_has_every_state_and_highlights_the_path(page: str) -> None:
    svg = page[page.index("<svg"):page.index("</svg>")]
    for state in STATES:
        assert f'data-node="{state}"' in svg
    assert '<g class="node visited current" data-node="council.on_agenda">' in svg
    assert '<g class="node visited" data-node="committee.voting">' in svg
    assert '<g class="node" data-node="council.vetoed">' in svg
    for source, dest in [("new", "committee.tabled"), ("committee.voting", "committee.approved"),
                         ("plenary.tabled", "plenary.voting"),
                         ("council.seized", "council.on_agenda")]:
        assert re.search(rf'<g class="edge \w+ taken" data-edge="{source}&gt;{dest}">', svg)
    assert not re.search(r'taken" data-edge="council.tabled&gt;', svg)
    assert "submit_to_committee" in svg and "transmit_to_council" in svg


def test_embedded_data_gives_the_state_at_every_step(log: ProcedureLog, page: str) -> None:
    _, data = case_data(page)
    assert data["case"] == CASE
    steps = data["steps"]
    assert [s["version"] for s in steps] == list(range(1, 10))
    for step in steps:
        assert step["state"] == log.state(CASE, at=step["version"])
        assert step["hops"][-1] == step["state"]
    assert steps[3]["hops"] == ["committee.tabled", "committee.voting"]
    assert steps[6]["hops"] == ["plenary.tabled", "plenary.voting", "plenary.adopted"]


def test_hostile_text_is_escaped_in_the_html_and_the_json() -> None:
    with engine.open(":memory:") as log:
        case = log.new_case("evil & co", title=HOSTILE)
        case.submit_draft(body="third-committee", symbol="L.1", title=f"<b>{HOSTILE}",
                          sponsors=["Japan"], note=HOSTILE, date="2024-11-01")
        page = render_html(log, "evil & co")
    assert "alert(1)</script>" not in page.replace("\\u003c", "")
    assert "<script>alert" not in page and "<b>" not in page
    assert page.count("<script") == 2 and page.count("</script>") == 2
    escaped = html.escape(HOSTILE)
    assert f"<h1>{escaped}</h1>" in page
    assert f"<title>{escaped} · procedura</title>" in page
    assert f'<p class="ev-note">{escaped}</p>' in page
    assert "<code>evil &amp; co</code>" in page
    raw, data = case_data(page)
    assert not set("<>&") & set(raw)
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in raw
    assert "evil \\u0026 co" in raw
    assert data["title"] == HOSTILE
    assert data["case"] == "evil & co"
    assert HOSTILE in data["steps"][0]["text"]


def test_a_veto_and_a_decision_without_a_vote() -> None:
    with engine.open(":memory:") as log:
        case = log.new_case("darfur", title="Darfur (2005)", council=COUNCIL_2005)
        case.submit_draft(body="security-council", symbol="S/2005/218", title="Sudan",
                          chapter="VII", referral="International Criminal Court",
                          date="2005-03-31")
        case.vote(on="S/2005/218", yes=13, no=2, abstain=0, no_members=["China", "Russia"])
        calm = log.new_case("calm", title="A quiet draft")
        calm.submit_draft(body="third-committee", symbol="L.9", title="Quiet", date="2024-11-01")
        calm.adopt_without_vote(on="L.9")
        vetoed, consensus = render_html(log, "darfur"), render_html(log, "calm")
    assert '<span class="outcome vetoed">Vetoed</span>' in vetoed
    assert "Vetoed by: China, Russian Federation" in vetoed
    assert "negative vote of a permanent member" in vetoed
    assert '<code id="state">council.vetoed</code>' in vetoed
    card = element(consensus, "article", "vote-3")
    assert "Adopted without a vote" in card and 'class="bars"' not in card
    assert '<code id="state">committee.approved</code>' in consensus


def test_unknown_case_is_an_error(log: ProcedureLog) -> None:
    with pytest.raises(UnknownCaseError):
        render_html(log, "no-such-case")


# -- the page in a real browser -----------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium under Playwright; skips when either is missing."""
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="Playwright for Python is not installed (pip install playwright)")
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} "
                    "(apt-get install chromium chromium-driver)")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def open_page(browser: Any, path: Path, **context: Any) -> tuple[Any, list[str]]:
    """Open a file:// page; the list collects script errors, dialogs and any network use."""
    problems: list[str] = []
    tab = browser.new_context(viewport={"width": 1280, "height": 900}, **context).new_page()
    tab.on("pageerror", lambda e: problems.append(f"error: {e}"))
    tab.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    tab.on("request", lambda r: None if r.url.startswith("file:") else
           problems.append(f"request: {r.url}"))
    tab.goto(path.as_uri())
    return tab, problems


def shown(tab: Any) -> tuple[str, str]:
    return tab.text_content("#state"), tab.text_content("#step")


def test_browser_steps_through_the_2014_case(browser: Any, log: ProcedureLog, page: str,
                                             tmp_path: Path) -> None:
    file = tmp_path / "dprk-2014.html"
    file.write_text(page, encoding="utf-8")
    last = log.case(CASE).version
    tab, problems = open_page(browser, file)
    assert shown(tab) == (log.state(CASE), str(last))  # opens on the case as it stands
    assert tab.is_disabled("#next") and not tab.is_disabled("#prev")

    tab.focus("#slider")
    tab.keyboard.press("Home")  # the slider's own keys
    for n in range(1, last + 1):
        if n > 1:
            tab.click("#next")
        state = log.state(CASE, at=n)
        assert shown(tab) == (state, str(n)), f"after event {n}"
        assert "current" in tab.get_attribute(f'[data-node="{state}"]', "class")
        assert tab.locator(".node.current").count() == 1
        assert "current" in tab.get_attribute(f"#ev-{n}", "class")
        assert tab.get_attribute(f"#ev-{n}", "aria-current") == "step"
        assert tab.locator(".event.future").count() == last - n
    assert tab.is_disabled("#next")
    assert tab.locator(".edge.taken").count() == 8  # new ... council.seized -> on_agenda

    for n in range(last - 1, 0, -1):
        tab.click("#prev")
        assert shown(tab) == (log.state(CASE, at=n), str(n)), f"back to event {n}"
    assert tab.is_disabled("#prev")
    assert tab.locator(".edge.taken").count() == 0
    assert "future" in tab.get_attribute("#vote-4", "class")

    tab.keyboard.press("ArrowRight")
    tab.keyboard.press("ArrowRight")
    assert shown(tab) == (log.state(CASE, at=3), "3")
    tab.keyboard.press("ArrowLeft")
    assert shown(tab) == (log.state(CASE, at=2), "2")

    tab.fill("#slider", str(last))  # jump to the end
    assert shown(tab) == ("council.on_agenda", str(last))
    tab.fill("#slider", "5")
    assert shown(tab) == ("committee.approved", "5")
    tab.click("#ev-7 .ver")  # a timeline number jumps to its event
    assert shown(tab) == ("plenary.adopted", "7")

    tab.evaluate("window.scrollTo(0, 0)")  # the sticky stepper then sits under the header
    shot = tmp_path / "page-dprk-2014.png"
    tab.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000
    assert problems == []


def test_browser_without_javascript_shows_the_case_as_it_stands(
        browser: Any, log: ProcedureLog, page: str, tmp_path: Path) -> None:
    file = tmp_path / "dprk-2014.html"
    file.write_text(page, encoding="utf-8")
    tab, problems = open_page(browser, file, java_script_enabled=False)
    assert shown(tab) == ("council.on_agenda", "9")
    assert tab.locator(".timeline li").count() == 9
    assert tab.locator("article.vote").count() == 4
    assert tab.is_visible("#vote-7 details summary")
    assert tab.is_disabled("#next")
    assert problems == []


def test_browser_runs_no_hostile_script(browser: Any, tmp_path: Path) -> None:
    with engine.open(":memory:") as log:
        case = log.new_case("evil", title=HOSTILE)
        case.submit_draft(body="third-committee", symbol="L.1", title=HOSTILE, note=HOSTILE)
        file = tmp_path / "evil.html"
        file.write_text(render_html(log, "evil"), encoding="utf-8")
    tab, problems = open_page(browser, file)
    assert tab.text_content("h1") == HOSTILE
    tab.click("#prev")
    assert tab.text_content("#caption").endswith(f"The case opens: {HOSTILE}.")
    assert problems == []
