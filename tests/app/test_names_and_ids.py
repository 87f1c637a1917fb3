"""One name, one id: the hazards of spelling.

- a command id reused for another command is an error naming what it recorded;
- the same member given as "Japan", "JP", "JPN" among sponsors or proposers is one member;
- names and ids typed decomposed (NFD) are the composed (NFC) ones; a scenario or a
  Popolo document beginning with a BOM is read;
- a case id with an invisible character, or drawn like an existing case's, is refused.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from reliability_helpers import assert_one_line_error, cli

import engine
from engine.app.case_ids import skeleton

SCENARIOS = Path(__file__).resolve().parents[2] / "replays" / "scenarios"


def _draft(case: engine.Case, **envelope: str) -> None:
    case.submit_draft(body="third-committee", symbol="L.1", title="Draft",
                      sponsors=["Japan"], **envelope)


def test_a_command_id_reused_for_another_command_names_what_it_recorded() -> None:
    log = engine.open(":memory:")
    case = log.new_case("x", title="t")
    _draft(case, command_id="c-1")
    before = log.events.count()
    with pytest.raises(engine.InvalidArgumentError,
                       match=r"command id .c-1. was used for another action: it recorded "
                             r"DraftSubmitted at version 2"):
        case.move(motion="adjourn-debate", by="Cuba", command_id="c-1")
    assert log.events.count() == before


def test_a_command_sent_again_with_its_id_is_still_recorded_once() -> None:
    log = engine.open(":memory:")
    case = log.new_case("x", title="t")
    _draft(case)
    case.move(motion="adjourn-debate", by="Cuba", command_id="m-1")
    again = log.case("x")
    again.move(motion="adjourn-debate", by="Cuba", command_id="m-1")  # a retry: accepted
    assert again.version == case.version == 3


def test_a_retry_after_a_case_opening_is_recognised() -> None:
    """The first command of a case records the opening too; its retry is the same."""
    log = engine.open(":memory:")
    _draft(log.new_case("x", title="t"), command_id="first")
    reloaded = log.case("x")
    _draft(reloaded, command_id="first")
    assert reloaded.version == 2


def test_one_member_named_three_ways_among_sponsors_is_one_sponsor() -> None:
    log = engine.open(":memory:")
    case = log.new_case("x", title="t")
    case.submit_draft(body="third-committee", symbol="L.1", title="Draft",
                      sponsors=["Japan", "JP", "JPN", "japan"])
    case.submit_amendment(symbol="L.2", proposers=["Cuba", "CU", "Cuba"], text="x")
    assert case.data.draft.sponsors == ["Japan"]
    assert list(log.case("x").data.amendments["L.2"].proposers) == ["Cuba"]


def test_a_name_typed_decomposed_is_the_composed_name() -> None:
    log = engine.open(":memory:")
    case = log.new_case(unicodedata.normalize("NFD", "côte-2014"), title="t")
    case.submit_draft(body="third-committee", symbol="L.1", title="Draft",
                      sponsors=[unicodedata.normalize("NFD", "Côte d'Ivoire")])
    assert case.data.draft.sponsors == ["Côte d'Ivoire"]
    assert case.id == "côte-2014" and unicodedata.is_normalized("NFC", case.id)
    assert log.case("côte-2014").version == 2


def test_a_scenario_beginning_with_a_bom_is_read(tmp_path: Path) -> None:
    scenario = tmp_path / "bom.toml"
    scenario.write_bytes(b"\xef\xbb\xbf" + (SCENARIOS / "dprk-2014.toml").read_bytes())
    done = cli("run", scenario, "--db", tmp_path / "log.db")
    assert done.code == 0, done.err


def test_a_popolo_document_beginning_with_a_bom_is_read(tmp_path: Path) -> None:
    db = tmp_path / "log.db"
    assert cli("run", SCENARIOS / "dprk-2014.toml", "--db", db).code == 0
    exported = cli("export", "dprk-2014", "--db", db, "--format", "popolo")
    assert exported.code == 0, exported.err
    document = tmp_path / "bom.json"
    document.write_bytes(b"\xef\xbb\xbf" + exported.out.encode("utf-8"))
    assert json.loads(exported.out)  # the export itself has no BOM
    done = cli("import", "popolo", document, "--db", tmp_path / "copy.db")
    assert done.code == 0, done.err


@pytest.mark.parametrize("hidden", ["\u200b", "\u200d", "\ufeff", "\u00ad", "\x1b"])
def test_a_case_id_with_an_invisible_character_is_refused(hidden: str) -> None:
    log = engine.open(":memory:")
    with pytest.raises(engine.InvalidArgumentError, match="characters that show nothing"):
        log.new_case(f"dprk{hidden}-2014", title="t")
    assert log.events.count() == 0


@pytest.mark.parametrize(("first", "second"), [
    ("dprk-2014", "dрrk-2014"),   # a Cyrillic er
    ("dрrk-2014", "dprk-2014"),   # the other way round: the Cyrillic one came first
    ("ΑΒ-1", "AB-1"),             # Greek capitals
    ("case-1", "ｃａｓｅ-1"),       # fullwidth letters (NFKC)
])
def test_a_case_id_drawn_like_an_existing_one_is_refused(first: str, second: str) -> None:
    log = engine.open(":memory:")
    _draft(log.new_case(first, title="t"))
    with pytest.raises(engine.CaseExistsError, match=f"looks the same as the case '{first}'"):
        log.new_case(second, title="t")
    assert [c.id for c in log.cases()] == [first]


def test_ids_that_differ_in_letter_case_both_stay_allowed() -> None:
    log = engine.open(":memory:")
    _draft(log.new_case("DPRK-2014", title="t"))
    _draft(log.new_case("dprk-2014", title="t"))
    assert skeleton("dprk-2014") != skeleton("DPRK-2014")
    assert len(log.cases()) == 2


def test_a_look_alike_case_id_from_the_command_line_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "log.db"
    assert cli("run", SCENARIOS / "dprk-2014.toml", "--db", db).code == 0
    scenario = tmp_path / "twin.toml"
    scenario.write_text((SCENARIOS / "dprk-2014.toml").read_text(encoding="utf-8").replace(
        'id = "dprk-2014"', 'id = "dрrk-2014"'), encoding="utf-8")  # a Cyrillic er
    before = db.read_bytes()
    assert "looks the same as the case 'dprk-2014'" in assert_one_line_error(
        cli("run", scenario, "--db", db))
    assert db.read_bytes() == before
