"""The case browser: any case of the log as `procedura export --format html` writes it
(the time-travel slider over its events), following the log live."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from serve_helpers import DRAFT, MUN, call

CHROMIUM = Path("/usr/bin/chromium")


def test_the_case_page_follows_the_log_under_its_policy(server: tuple[str, Path]) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    base, _ = server
    call(base, "/api/cases", {"id": "mun", "title": "<i>Water</i>", "bodies": [MUN]})
    call(base, "/api/cases/mun/actions", DRAFT)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM),
                                    args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        try:
            page: Any = browser.new_page()
            problems: list[str] = []
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.goto(f"{base}/case?case=mun")
            slider = page.locator("#slider")
            sync_api.expect(slider).to_be_enabled(timeout=10_000)  # the page's script ran
            last = int(slider.get_attribute("max") or 0)
            assert last >= 1 and "<i>Water</i>" in page.inner_text("body")  # shown as text
            call(base, "/api/cases/mun/actions", {"action": "open_vote", "on": "MUN/1"})
            sync_api.expect(slider).to_have_attribute("max", str(last + 1), timeout=10_000)
            assert not problems, problems  # nothing refused by the Content-Security-Policy
        finally:
            browser.close()
