"""Retake the screenshots of the live pages in docs/img/: ``python docs/screenshots.py``.

Starts ``procedura serve`` on a free port over a log in a temporary folder, records a
short Model UN session through the JSON API (a draft, an amendment voted on, a vote open
on the draft with two ballots cast), then photographs the chair console, a delegation's
view and the projector in Chromium (Playwright), each once it shows the live data. The
server is stopped at the end whatever happens; only docs/img/*.png is written.
"""

from __future__ import annotations

import json
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import expect, sync_playwright

IMG = Path(__file__).resolve().parent / "img"
CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 800}
TIMEOUT = 15_000  # ms, for each wait on a page
CASE = "water"
MUN = {"id": "mun-committee", "name": "Model UN Committee", "rules": "committee",
       "members": ["Atlantis", "Freedonia", "Ruritania", "Genovia", "Wakanda"]}
COMMAND = [sys.executable, "-c",
           "import sys; sys.argv[0] = 'procedura'; from engine.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base: str, path: str, body: Any, token: str) -> Any:
    request = urllib.request.Request(
        f"{base}{path}", method="POST", data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as r:
        return json.loads(r.read())


def wait_for(base: str, process: subprocess.Popen[str], seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"procedura serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/api/cases", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"procedura serve did not answer within {seconds:.0f} s")


def record_session(base: str, chair: str) -> dict[str, str]:
    """The session the pages show; the delegations' tokens, by member."""
    call(base, "/api/cases", {"id": CASE, "title": "Access to clean water",
                              "bodies": [MUN]}, chair)

    def act(action: str, **keys: Any) -> Any:
        return call(base, f"/api/cases/{CASE}/actions", {"action": action, **keys}, chair)

    act("submit_draft", body="mun-committee", symbol="MUN/1",
        title="Access to clean water", sponsors=["Genovia"])
    for member in ("Atlantis", "Freedonia", "Ruritania"):
        act("inscribe", member=member)
    act("limit_speeches", minutes=3)
    act("speak")
    act("submit_amendment", symbol="MUN/1/Amend.1", proposers=["Wakanda"],
        text="Insert 'and sanitation' after 'clean water' in operative paragraph 1.")
    act("vote", on="MUN/1/Amend.1", yes_members=["Wakanda", "Ruritania"],
        no_members=["Atlantis", "Freedonia"], abstain_members=["Genovia"])
    tokens = {m: call(base, f"/api/cases/{CASE}/delegations", {"member": m}, chair)["token"]
              for m in MUN["members"]}
    act("open_vote", on="MUN/1")
    for member, vote in [("Atlantis", "yes"), ("Genovia", "yes")]:
        call(base, f"/api/cases/{CASE}/ballots", {"vote": vote}, tokens[member])
    return tokens


def photograph(base: str, chair: str, tokens: dict[str, str]) -> None:
    IMG.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        try:
            def tab(url: str) -> Any:
                page = browser.new_context(viewport=VIEWPORT).new_page()
                page.goto(url)
                return page

            page = tab(f"{base}/chair?case={CASE}&token={chair}")
            expect(page.locator("#state")).to_have_text("committee.voting", timeout=TIMEOUT)
            expect(page.locator("#in-order")).to_contain_text("close_vote", timeout=TIMEOUT)
            expect(page.locator("#ballot-count")).to_contain_text("2 of 5", timeout=TIMEOUT)
            page.screenshot(path=IMG / "chair.png")

            page = tab(f"{base}/delegation?case={CASE}&member=Atlantis"
                       f"&token={tokens['Atlantis']}")
            expect(page.locator("#own")).to_have_text("Your ballot: yes", timeout=TIMEOUT)
            expect(page.locator("#member-name")).to_have_text("Atlantis", timeout=TIMEOUT)
            page.screenshot(path=IMG / "delegation.png")

            page = tab(f"{base}/projector?case={CASE}")
            expect(page.locator("#narration")).not_to_be_empty(timeout=TIMEOUT)
            expect(page.locator("#tally .bar.yes .count")).to_have_text("2", timeout=TIMEOUT)
            expect(page.locator("#diagram g.node.current")).to_have_attribute(
                "data-node", "committee.voting", timeout=TIMEOUT)
            page.screenshot(path=IMG / "projector.png")
        finally:
            browser.close()


def main() -> None:
    chair = secrets.token_urlsafe(16)
    with tempfile.TemporaryDirectory(prefix="procedura-shots-") as tmp:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        process = subprocess.Popen(
            [*COMMAND, "serve", "--db", str(Path(tmp) / "class.db"), "--port", str(port),
             "--chair-token", chair],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp, text=True)
        try:
            wait_for(base, process)
            tokens = record_session(base, chair)
            photograph(base, chair, tokens)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    for name in ("chair", "delegation", "projector"):
        png = IMG / f"{name}.png"
        print(f"{png.relative_to(IMG.parent.parent)}: {png.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
