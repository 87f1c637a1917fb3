"""Notebooks (engine.present.notebook): cases, decisions and tallies as HTML, and the example
notebook docs/notebook.ipynb executed in a real kernel (nbclient + ipykernel, no network).
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import engine
from engine import ProcedureLog
from engine.app.scenarios import load_scenario, run_scenario
from engine.present import notebook
from events import Decision

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "docs" / "notebook.ipynb"
HOSTILE = "</script><script>alert(\"x\")</script> & <b>'DPRK'</b>"
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def log() -> Iterator[ProcedureLog]:
    with engine.open(":memory:") as opened:
        run_scenario(opened, load_scenario("dprk-2014"))
        yield opened


def no_external_resources(markup: str) -> None:
    """Nothing is fetched: no script, no src or href, no url(); only the SVG namespace."""
    assert "<script" not in markup.lower()
    assert not re.search(r"\b(src|href)\s*=", markup)
    assert "url(" not in markup
    assert set(re.findall(r"https?://[^\s\"'<>]+", markup)) <= {"http://www.w3.org/2000/svg"}


# -- the rendering functions -------------------------------------------------------------


def test_tally_svg_is_well_formed_and_marks_the_majority() -> None:
    svg = notebook.tally_svg(116, 20, 53, needed=69, title=HOSTILE)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    bars = {r.get("class"): float(r.get("width") or 0) for r in root.iter(f"{SVG_NS}rect")
            if r.get("class")}
    assert bars["bar-yes"] > bars["bar-abstain"] > bars["bar-no"] > 0
    assert bars["bar-yes"] == 220  # the largest figure fills the track
    texts = [t.text for t in root.iter(f"{SVG_NS}text")]
    assert [t for t in texts if t and t[0].isdigit()] == ["116", "20", "53", "69 needed"]
    assert root.find(f"{SVG_NS}title").text.startswith(HOSTILE)  # escaped, so intact
    assert HOSTILE not in svg
    no_external_resources(svg)


def test_tally_svg_of_an_empty_vote() -> None:
    root = ET.fromstring(notebook.tally_svg(0, 0, 0))
    assert all(float(r.get("width")) >= 0 for r in root.iter(f"{SVG_NS}rect"))


def test_case_html_shows_id_title_state_and_every_decision(log: ProcedureLog) -> None:
    case = log.case("dprk-2014")
    page = notebook.case_html(case)
    assert 'class="procedura-case"' in page
    for text in ("dprk-2014", "council.on_agenda", html.escape(case.title),
                 "A/C.3/69/L.28/Rev.1", "Third Committee", "Security Council", "Rejected",
                 "40 in favour, 77 against", "59 needed", "Charter Art. 27(2)"):
        assert text in page, text
    assert page.count("<svg") == 4  # one tally per vote
    assert page.count("<tr>") == 6 + 1 + 4  # six facts, a header, four decisions
    no_external_resources(page)


def test_a_hostile_title_is_escaped(log: ProcedureLog) -> None:
    case = log.new_case("hostile", title=HOSTILE)
    case.submit_draft(body="third-committee", symbol=HOSTILE, title=HOSTILE, date="2014-11-14")
    case.vote(on=HOSTILE, yes=90, no=60, abstain=10, date="2014-11-18")
    page = notebook.case_html(case)
    assert HOSTILE not in page and "<b>" not in page
    assert html.escape(HOSTILE) in page
    for vote in notebook.votes(case):
        shown = vote._repr_html_() + str(vote.chart())
        assert "<b>" not in shown and html.escape(HOSTILE) in shown
    table = notebook.Table(["x"], [[HOSTILE]])._repr_html_()
    assert "<b>" not in table and html.escape(HOSTILE) in table
    assert "<b>" not in notebook.log_html(log)


def test_decision_html_has_the_arithmetic(log: ProcedureLog) -> None:
    vote = notebook.votes(log.case("dprk-2014"))[2]
    shown = vote._repr_html_()
    assert "[7] 2014-12-18, General Assembly (plenary): draft A/C.3/69/L.28/Rev.1" in shown
    assert "simple majority of members present and voting" in shown
    assert "116 in favour, 20 against: 136 members present and voting" in shown
    assert "69 needed" in shown
    alone = notebook.decision_html(vote.decision)  # without figures: no chart
    assert "<svg" not in alone and "Adopted" in alone and "rule 85, rule 86" in alone
    members = vote.members()
    assert len(members.rows) == 189 and ["Japan", "yes"] in members.rows


def test_a_veto_and_an_adoption_without_a_vote() -> None:
    veto = Decision("vetoed", "nine-votes-no-veto", 9, 15, "Charter Art. 27(3)",
                    vetoed_by=("Russian Federation",))
    shown = notebook.decision_html(veto)
    assert "Vetoed" in shown and "Vetoed by Russian Federation." in shown
    consensus = Decision("adopted", "consensus", 0, 0, "adopted without a vote")
    shown = notebook.decision_html(consensus)
    assert "Adopted without a vote" in shown and "<svg" not in shown


def test_a_case_without_a_decision() -> None:
    with engine.open(":memory:") as log:
        case = log.new_case("new", title="Nothing yet")
        assert "No decision yet." in notebook.case_html(case)
        assert notebook.votes(case) == []


def test_table_has_a_text_repr_too() -> None:
    table = notebook.Table(["a", "b"], [[1, "x"]])
    assert repr(table) == "a\tb\n1\tx"


class _Formatter:
    def __init__(self) -> None:
        self.printers: dict[type, Any] = {}

    def for_type(self, cls: type, func: Any) -> None:
        self.printers[cls] = func


class _Shell:
    def __init__(self) -> None:
        self.display_formatter = type("D", (), {"formatters": {"text/html": _Formatter()}})()


def test_register_installs_html_formatters(log: ProcedureLog) -> None:
    shell = _Shell()
    notebook.load_ipython_extension(shell)
    printers = shell.display_formatter.formatters["text/html"].printers
    assert set(printers) == {Decision, engine.Case, engine.ProcedureLog}
    decision = log.case("dprk-2014").data.decisions[0].decision
    assert 'class="procedura-decision"' in printers[Decision](decision)
    assert 'class="procedura-case"' in printers[engine.Case](log.case("dprk-2014"))
    assert "dprk-2014" in printers[engine.ProcedureLog](log)
    assert notebook.register() is False  # outside IPython: nothing to do


# -- the example notebook ------------------------------------------------------------------


def _html(outputs: list[dict[str, Any]]) -> str:
    return "".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)


def test_the_example_notebook_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ipykernel  # noqa: F401 - the kernel the notebook runs in
    import nbclient
    import nbformat

    # A kernel spec of our own, so that the kernel is this interpreter whatever "python3"
    # spec the machine has, importing procedura from this checkout; state stays in tmp.
    spec = tmp_path / "jupyter" / "kernels" / "procedura-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "procedura test", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    path = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), *([path] if path else [])]))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")  # kept clean
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="procedura-test",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(o.get("output_type") != "error" for c in code for o in c.outputs)
    outputs = [c.outputs for c in code]
    case, decision, vote, chart, table, permanent = (_html(o) for o in outputs[:6])
    assert 'class="procedura-case"' in case and "council.on_agenda" in case
    assert "Democratic People&#x27;s Republic of Korea" in case and case.count("<svg") == 4
    assert 'class="procedura-decision"' in decision and "Charter Art. 27(2)" in decision
    assert "116 in favour, 20 against" in vote and "<svg" in vote
    assert chart.startswith("<svg") and "59 needed" in chart
    assert 'class="procedura-table"' in table and table.count("<tr>") == 5
    assert "<td" in permanent and ">no<" in permanent and ">yes<" in permanent
    popolo = outputs[6][0]["data"]["text/plain"]
    assert "'dprk-2014:vote:7', 'pass', [116, 20, 53]" in popolo
    for markup in (case, decision, vote, chart, table, permanent):
        no_external_resources(markup)
