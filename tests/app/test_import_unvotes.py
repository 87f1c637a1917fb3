"""Importing the real UN General Assembly roll calls, and the projections built from them.

Reads the shared data (../shared/data/unvotes, see its README); skipped where it is absent.
"""

from __future__ import annotations

import gzip
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import engine
from engine.app.importers.unvotes import import_unvotes
from engine.app.projections import project, session_of
from engine.app.verify import verify

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "unvotes"
pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"no unvotes data at {DATA}")


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("unvotes") / "unvotes.db"
    with engine.open(path) as log:
        report = import_unvotes(log, DATA)
        assert (report.roll_calls, report.positions) == (6203, 870109)
        assert not report.unmapped  # every position maps to a Member State
        project(log)
    return path


def test_the_whole_data_set_is_imported(imported: Path) -> None:
    con = sqlite3.connect(imported)
    assert con.execute("select count(*) from votes where rcid is not null").fetchone()[0] == 6203
    assert con.execute("select count(*) from member_votes").fetchone()[0] == 870109
    con.close()


def test_a_res_69_188_as_the_record_has_it(imported: Path) -> None:
    """rcid 5377 (the data's README): 116 yes, 20 no, 53 abstentions."""
    with engine.open(imported, readonly=True) as log:
        case = log.case("A/RES/69/188")
        assert case.state == "plenary.adopted"
        rec = next(r for r in log.events.select(case.id) if r.type == "VoteTaken")
    vote = rec.event
    assert (vote.yes, vote.no, vote.abstain) == (116, 20, 53)
    assert "Japan" in vote.yes_members
    assert "China" in vote.no_members
    assert "India" in vote.abstain_members
    assert rec.note is not None and rec.note.startswith("rcid 5377")


def test_a_second_import_adds_nothing(imported: Path) -> None:
    with engine.open(imported) as log:
        before = log.events.count()
        report = import_unvotes(log, DATA)
        assert log.events.count() == before
    assert report.roll_calls == 0 and report.cases == 0 and report.skipped_cases > 5800


def test_the_imported_log_verifies(imported: Path) -> None:
    with engine.open(imported, readonly=True) as log:
        report = verify(log)
    assert report.ok, report.problem


def test_former_members_and_renamed_seats(imported: Path) -> None:
    con = sqlite3.connect(imported)
    members = {m for (m,) in con.execute("select distinct member from member_votes")}
    con.close()
    assert {"Czechoslovakia", "German Democratic Republic", "Yugoslavia", "Serbia",
            "Democratic Yemen", "Zanzibar", "Namibia"} <= members
    assert "Taiwan" not in members and "Federal Republic of Germany" not in members


def test_votes_command_answers_from_the_projections(imported: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from engine.cli import main; main()", "votes", "--db",
         str(imported), "--member", "Japan", "--session", "69"],
        capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if "A/RES/69/188" in x)
    assert line.split()[-1] == "yes"


def test_the_importer_reads_plain_csv_too(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    keep = {"5377"}
    for name in ("roll_calls", "unvotes", "issues"):
        with gzip.open(DATA / f"{name}.csv.gz", "rt", encoding="utf-8") as f:
            lines = f.read().splitlines()
        rows = [lines[0]] + [x for x in lines[1:] if x.split(",", 1)[0] in keep]
        (folder / f"{name}.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    with engine.open(":memory:") as log:
        report = import_unvotes(log, folder)
        assert (report.roll_calls, report.positions) == (1, 189)


def test_a_folder_without_the_data_is_a_clear_error(tmp_path: Path) -> None:
    with engine.open(":memory:") as log, pytest.raises(engine.ProcedureError, match="roll_calls"):
        import_unvotes(log, tmp_path)


def test_sessions_open_on_the_third_tuesday_of_september() -> None:
    assert session_of("2014-09-15") == 68
    assert session_of("2014-09-16") == 69
    assert session_of("2014-12-18") == 69
    assert session_of("1946-01-10") == 1


BESIDE = Path(sys.executable).parent / "datasette"
DATASETTE = shutil.which("datasette") or (str(BESIDE) if BESIDE.exists() else None)


@pytest.mark.skipif(DATASETTE is None, reason="datasette is not installed")
def test_datasette_opens_the_projected_file(imported: Path) -> None:
    assert DATASETTE is not None
    done = subprocess.run([DATASETTE, "inspect", str(imported)], capture_output=True,
                          text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "member_votes" in done.stdout


def test_no_resolution_is_left_undecided(imported: Path) -> None:
    con = sqlite3.connect(imported)
    undecided = con.execute("select count(*) from cases where case_id like 'A/RES/%' and state "
                            "in ('plenary.tabled', 'plenary.voting')").fetchone()[0]
    inferred = con.execute("select count(*) from votes where rcid is null and note like "
                           "'%inferred from the resolution''s symbol%'").fetchone()[0]
    con.close()
    assert undecided == 0
    assert inferred > 700  # resolutions whose only recorded votes are on amendments or parts


def test_a_res_65_208_holds_its_amendment_and_is_adopted_as_amended(imported: Path) -> None:
    """rcid 5885 (the amendment A/65/L.53, 93-55-27) comes after rcid 5101 (the whole) in
    the data; the rules put it first, and the whole is adopted as amended."""
    con = sqlite3.connect(imported)
    rows = con.execute("select rcid, kind, yes, no, abstain, outcome, as_amended from votes "
                       "where case_id = 'A/RES/65/208' order by version").fetchall()
    state, title = con.execute("select state, title from cases where case_id = "
                               "'A/RES/65/208'").fetchone()
    con.close()
    assert rows == [(5885, "amendment", 93, 55, 27, "adopted", 0),
                    (5101, "draft", 122, 1, 62, "adopted", 1)]
    assert state == "plenary.adopted"
    assert title == "Extrajudicial, summary or arbitrary executions"


def test_every_continuation_is_explained_and_few(tmp_path: Path) -> None:
    with engine.open(tmp_path / "u.db") as log:
        report = import_unvotes(log, DATA)
    assert len(report.continuations) <= 25
    assert all(why.startswith("rcid ") for _, why in report.continuations)
    assert "A/RES/65/208 #2" not in {case for case, _ in report.continuations}


def test_imported_votes_carry_no_circulation_warning(imported: Path) -> None:
    con = sqlite3.connect(imported)
    warned = con.execute("select count(*) from events where type = 'VoteTaken' and payload "
                         "like '%circulation%'").fetchone()[0]
    con.close()
    assert warned == 0


def test_titles_come_from_descriptions_with_mojibake_repaired(imported: Path) -> None:
    con = sqlite3.connect(imported)
    # rcid 4604 (A/RES/60/173) reads "People?Ãƒâ€ s" in the data, rcid 5377 "People's".
    rows = dict(con.execute("select case_id, title from cases where case_id in "
                            "('A/RES/60/173', 'A/RES/69/188')").fetchall())
    heading = con.execute("select heading from votes where rcid = 2263").fetchone()[0]
    bad = con.execute("select count(*) from cases where title like '%Ã%' or title like "
                      "'%<d3>%'").fetchone()[0]
    con.close()
    assert rows["A/RES/69/188"] == rows["A/RES/60/173"] == (
        "Situation of human rights in the Democratic People's Republic of Korea")
    assert heading == "DISARMAMENT, DÉTENTE"  # "D?ÃƒÂ«TENTE" in the data
    assert bad == 0


def test_projections_link_member_votes_to_members_and_cases(imported: Path) -> None:
    con = sqlite3.connect(imported)
    keys = {(r[2], r[3]) for r in con.execute("pragma foreign_key_list(member_votes)")}
    assert keys == {("members", "member"), ("votes", "position"), ("cases", "case_id")}
    assert {r[2] for r in con.execute("pragma foreign_key_list(votes)")} == {"cases"}
    assert con.execute("pragma foreign_key_check").fetchall() == []
    con.close()


def test_the_dprk_resolutions_are_found_by_their_title(imported: Path) -> None:
    from engine.app.projections import member_votes

    found = member_votes(imported, member="Japan", kind="whole",
                         search="Democratic People's Republic of Korea")
    assert {r["case_id"] for r in found} >= {
        "A/RES/60/173", "A/RES/61/174", "A/RES/62/167", "A/RES/63/190", "A/RES/64/175",
        "A/RES/65/225", "A/RES/66/174", "A/RES/69/188", "A/RES/70/172"}
    assert {r["vote"] for r in found} == {"yes"}


def test_yugoslavia_in_session_40_is_the_former_yugoslavia(imported: Path) -> None:
    from engine.app.projections import member_votes

    found = member_votes(imported, member="Yugoslavia", session=40)
    assert len(found) > 50
