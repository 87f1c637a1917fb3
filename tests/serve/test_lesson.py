"""A whole lesson in Chromium, through the pages only, against the real server.

The chair opens a case from the first page and works from the console; three
delegations join by their links, each in its own browser context; a projector follows.
The lesson: a draft, the list of speakers, an amendment, a no-action motion moved by a
delegation that fails, the amendment adopted, a recorded vote by ballots, the decision on
the projector. Afterwards the log replays to the live state and `verify` holds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from serve_helpers import CHAIR

import engine
from engine.app.verify import verify

CHROMIUM = Path("/usr/bin/chromium")
WAIT = {"timeout": 10_000}


def chair_act(chair: Any, expect: Any, action: str, **fields: str) -> None:
    """Fill the chair's form for `action` and submit it; wait for it to be recorded."""
    form = chair.locator(f"form[data-action={action}]")
    for name, value in fields.items():
        form.locator(f"input[name={name}]").fill(value)
    form.locator("button[type=submit]").click()
    expect(form.locator(".reply")).to_contain_text("Recorded", **WAIT)


def test_a_lesson_run_entirely_in_the_browser(server: tuple[str, Path]) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    expect = sync_api.expect
    base, db = server
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM),
                                    args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        problems: list[str] = []

        def tab(url: str) -> Any:
            page = browser.new_context().new_page()
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("console", lambda m: problems.append(m.text) if m.type == "error"
                    and "status of 4" not in m.text else None)  # refusals are shown
            page.goto(url)
            return page

        try:
            chair = tab(f"{base}/?token={CHAIR}")  # the link procedura serve prints
            form = chair.locator("#open-form")
            form.locator("input[name=id]").fill("lesson")
            form.locator("input[name=title]").fill("Clean water")
            form.locator("button[type=submit]").click()  # the Model UN committee suggested
            chair.wait_for_url("**/chair?case=lesson*", **WAIT)
            expect(chair.locator("#title")).to_have_text("Clean water", **WAIT)
            chair_act(chair, expect, "submit_draft", body="mun-committee", symbol="MUN/1",
                      title="Clean water", sponsors="Genovia")
            expect(chair.locator("#in-order")).to_contain_text("open_vote on MUN/1 (rule 128)",
                                                               **WAIT)
            expect(chair.locator("#out-of-order")).to_contain_text("transmit", **WAIT)
            projector = tab(f"{base}/projector?case=lesson")

            delegations = {}
            for member in ("Atlantis", "Freedonia", "Ruritania"):
                chair.select_option("#member", member)
                chair.click("#issue")
                link = chair.locator(f"#links a[data-member={member}]")
                expect(link).to_have_count(1, **WAIT)
                qr = chair.locator(f"#links li:has(a[data-member={member}]) img.qr")
                expect(qr).to_have_count(1, **WAIT)  # drawn: the policy lets data: images in
                assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
                delegations[member] = tab(link.get_attribute("href") or "")
            atlantis, freedonia, ruritania = delegations.values()

            # the list of speakers: asked for from the delegations' own devices
            for page in (atlantis, freedonia):
                page.click("#ask-to-speak")
                expect(page.locator("#floor-reply")).to_have_text("Recorded.", **WAIT)
            expect(freedonia.locator("#place")).to_have_text("You are number 2 on the list.",
                                                             **WAIT)
            expect(projector.locator("#speakers li")).to_have_count(2, **WAIT)
            chair_act(chair, expect, "limit_speeches", minutes="3")
            chair_act(chair, expect, "speak")
            expect(projector.locator("#speaking")).to_have_text("Atlantis has the floor", **WAIT)
            expect(projector.locator("#speaker-time")).to_contain_text("of 3:00", **WAIT)

            chair_act(chair, expect, "submit_amendment", symbol="MUN/1/A",
                      proposers="Ruritania", text="Add a paragraph on wells")
            pending = projector.locator("#pending li[data-kind=amendment]")
            expect(pending).to_have_attribute("data-name", "MUN/1/A", **WAIT)

            # a no-action motion, moved by Freedonia from its page, voted at once: it fails
            freedonia.click("button[data-motion=adjourn-debate]")
            expect(freedonia.locator("#floor-reply")).to_have_text("Recorded.", **WAIT)
            expect(projector.locator("#pending li[data-kind=motion]")).to_contain_text(
                "moved by Freedonia", **WAIT)
            chair_act(chair, expect, "vote", on="adjourn-debate", yes="1", no="3", abstain="1")
            expect(projector.locator("#pending li[data-kind=motion]")).to_have_count(0, **WAIT)
            expect(projector.locator("#state")).to_have_text("committee.tabled", **WAIT)
            chair_act(chair, expect, "vote", on="MUN/1/A", yes="3", no="1", abstain="1")
            expect(projector.locator("#state")).to_have_text("committee.voting", **WAIT)

            # the draft, as amended, by ballots from the delegations' devices
            chair.locator("#vote-on").fill("MUN/1")
            chair.click("#open-vote")
            for page, vote in ((atlantis, "yes"), (freedonia, "no"), (ruritania, "yes")):
                button = page.locator(f"button[data-vote={vote}]")
                expect(button).to_be_enabled(**WAIT)
                button.click()
                expect(page.locator("#own")).to_have_text(f"Your ballot: {vote}", **WAIT)
            expect(chair.locator("#ballot-count")).to_contain_text("3 of 5 cast", **WAIT)
            chair.click("#close-vote")
            expect(projector.locator("#outcome")).to_have_text("Adopted", **WAIT)
            expect(projector.locator("#state")).to_have_text("committee.approved", **WAIT)
            expect(projector.locator("#needed")).to_contain_text("2 of 3", **WAIT)
            expect(projector.locator("#diagram g.node.current")).to_have_attribute(
                "data-node", "committee.approved", **WAIT)

            # after the vote, an explanation: Atlantis may; the sponsor's own text is not
            # Ruritania's, but the amendment was, and rule 128 refuses that explanation
            atlantis.locator("#explain select[name=when]").select_option("after")
            atlantis.locator("#explain button[type=submit]").click()
            expect(atlantis.locator("#floor-reply")).to_have_text("Recorded.", **WAIT)
            ruritania.locator("#explain input[name=on]").fill("MUN/1/A")
            ruritania.locator("#explain select[name=when]").select_option("after")
            ruritania.locator("#explain button[type=submit]").click()
            expect(ruritania.locator("#floor-reply")).to_contain_text("rule 128", **WAIT)
            assert not problems, problems
        finally:
            browser.close()
    with engine.open(db, readonly=True) as log:
        live = log.case("lesson")
        assert live.state == "committee.approved" and live.data.amended
        kinds = [type(r.event).__name__ for r in log.events.select("lesson")]
        assert kinds.count("BallotCast") == 3 and "SpeakerInscribed" in kinds
        assert log.case("lesson").data.as_dict() == live.data.as_dict()
    with engine.open(db) as log:
        assert verify(log).ok
