"""`procedura votes` with its research options, `agreement` and `project --metadata`, over a
small excerpt of the real roll calls (tests/fixtures/unvotes-excerpt, see its README)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

EXCERPT = Path(__file__).parents[1] / "fixtures" / "unvotes-excerpt"
DPRK = "Democratic People's Republic of Korea"


def procedura(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from engine.cli import main; main()", *args],
                          capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("research") / "excerpt.db"
    assert procedura("import", "unvotes", str(EXCERPT), "--db", str(path)).returncode == 0
    done = procedura("project", "--db", str(path), "--metadata", str(path.parent / "meta.json"))
    assert done.returncode == 0, done.stderr
    return path


def test_votes_search_finds_the_dprk_resolutions_with_titles(db: Path) -> None:
    done = procedura("votes", "--db", str(db), "--member", "Japan", "--search", DPRK,
                     "--kind", "whole", "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert {r["case_id"] for r in rows} == {
        "A/RES/60/173", "A/RES/61/174", "A/RES/62/167", "A/RES/63/190", "A/RES/64/175",
        "A/RES/65/225", "A/RES/66/174", "A/RES/69/188", "A/RES/70/172"}
    assert {r["title"] for r in rows} == {f"Situation of human rights in the {DPRK}"}
    assert {r["Japan voted"] for r in rows} == {"yes"}


def test_votes_kind_from_to_and_json(db: Path) -> None:
    done = procedura("votes", "--db", str(db), "--case", "A/RES/65/208", "--format", "json")
    kinds = [(r["kind"], r["yes"], r["no"], r["abstain"]) for r in json.loads(done.stdout)]
    assert kinds == [("amendment", 93, 55, 27), ("whole", 122, 1, 62)]
    done = procedura("votes", "--db", str(db), "--search", DPRK, "--from", "2014", "--to",
                     "2015", "--json")
    assert {r["case_id"] for r in json.loads(done.stdout)} == {"A/RES/69/188", "A/RES/70/172"}


def test_votes_issue(db: Path) -> None:
    done = procedura("votes", "--db", str(db), "--issue", "Human rights", "--json")
    found = json.loads(done.stdout)
    assert found and "A/RES/69/188" in {r["case_id"] for r in found}


def test_votes_of_yugoslavia_in_session_40(db: Path) -> None:
    done = procedura("votes", "--db", str(db), "--member", "Yugoslavia", "--session", "40",
                     "--json")
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) >= 15


def test_agreement_table_and_page(db: Path, tmp_path: Path) -> None:
    page = tmp_path / "jp-kp.html"
    done = procedura("agreement", "Japan", "DPRK", "--db", str(db), "--format", "json",
                     "--html", str(page))
    assert done.returncode == 0, done.stderr
    years = {r["year"]: r for r in json.loads(done.stdout)}
    assert years[2014]["votes"] >= 1 and years[2014]["alike"] == 0
    html = page.read_text(encoding="utf-8")
    assert "<svg" in html and "Democratic People&#x27;s Republic of Korea" in html


def test_agreement_of_a_member_with_itself_is_refused(db: Path) -> None:
    done = procedura("agreement", "Japan", "JPN", "--db", str(db))
    assert done.returncode == 2 and "same member" in done.stderr


def test_datasette_metadata_and_its_canned_queries(db: Path) -> None:
    meta = json.loads((db.parent / "meta.json").read_text(encoding="utf-8"))
    queries = meta["databases"]["*"]["queries"]
    con = sqlite3.connect(db)
    rows = con.execute(queries["member_on_topic"]["sql"],
                       {"member": "Japan", "topic": "Korea"}).fetchall()
    assert len(rows) == 9 and {r[5] for r in rows} == {"yes"}
    adopted = con.execute(queries["amendments_adopted_by_session"]["sql"]).fetchall()
    assert (65, 1, 1) in adopted
    con.close()


def test_the_research_page_runs(tmp_path: Path) -> None:
    """docs/research.md, its transcripts run as tests/test_docs.py runs the other pages."""
    import shutil

    from test_docs import DOCS, blocks, commands, run

    shutil.copytree(EXCERPT, tmp_path / "unvotes-excerpt")
    ran = 0
    for block in blocks(DOCS / "research.md"):
        if block.lang == "console":
            for command in commands(block):
                run(command, tmp_path)
                ran += 1
    assert ran >= 7
