"""Tests for engine.cli.play: the interactive lesson, driven by scripted keystrokes."""

from __future__ import annotations

import io
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from play_helpers import (
    AMEND,
    DATE,
    SUBMIT,
    VOTE_AMENDMENT,
    VOTE_DRAFT,
    listings,
    play,
    replayed,
)

import engine
from engine.app.scenarios import load_scenario, run_scenario
from engine.cli.play import HELP, run_lesson
from replays import dump as toml_scenario

HOSTILE = 'He said "no" \\ then \'\'\' and """ {x} é 中 \t end\\'


# --- a whole lesson --------------------------------------------------------------------


def test_mini_lesson_ends_in_committee_approved() -> None:
    case, out, log = play([*SUBMIT, AMEND, VOTE_AMENDMENT, VOTE_DRAFT], date=DATE)
    assert case.state == "committee.approved"
    assert log.state("lesson") == "committee.approved"
    assert "Begin with submit_draft to the third-committee" in out
    assert "body (required) [third-committee]:" in out
    # each accepted action is narrated, with the new state
    assert f'[2] {DATE} Draft L.1, "Human rights", is submitted to the Third Committee' in out
    assert "Cuba submits amendment A1" in out
    assert "votes on the amendment A1" in out and "Rejected." in out
    assert "-> committee.approved" in out
    assert "The lesson ends with the case committee.approved after 4 actions." in out
    assert "Traceback" not in out


def test_the_chair_can_pick_the_listed_vote_and_take_the_offered_item() -> None:
    # "vote on A1" typed as the list would show it: `on` is offered as the default
    answers = ["", "40", "77", "50", "", "", "", "", "", "", ""]
    case, out, _ = play([*SUBMIT, AMEND, "vote on A1", *answers])
    assert "on (required) [A1]:" in out
    assert case.data.amendments["A1"].status == "rejected"


def test_a_refusal_is_explained_with_its_rule_and_the_lesson_goes_on() -> None:
    case, out, _ = play([*SUBMIT, AMEND, VOTE_DRAFT, VOTE_AMENDMENT, VOTE_DRAFT])
    assert "Not in order: vote on L.1 is not in order" in out
    assert "rule 130" in out and "In order now: vote on A1." in out
    assert case.state == "committee.approved"
    assert case.version == 5  # the refused vote recorded nothing


def test_an_invalid_vote_is_not_accepted() -> None:
    case, out, _ = play([*SUBMIT, "vote on=L.1 yes=1000 no=1 abstain=1"])
    assert "Not accepted: " in out and "193 members" in out
    assert case.state == "committee.tabled"


def test_an_action_not_listed_is_refused_by_the_engine_without_prompts() -> None:
    case, out, _ = play([*SUBMIT, "transmit"])
    assert "Not in order: transmit is not in order: the case is committee.tabled" in out
    assert "  to (required)" not in out
    assert case.state == "committee.tabled"


def test_a_pending_motion_may_still_be_withdrawn_though_not_listed() -> None:
    case, out, _ = play([*SUBMIT, "move motion=adjourn-debate by=China", "withdraw",
                         "adjourn-debate"])
    assert ["vote on adjourn-debate"] in listings(out)
    assert "The motion adjourn-debate is withdrawn." in out
    assert not case.data.motions


# --- what is listed ---------------------------------------------------------------------


def test_only_the_actions_in_order_are_listed() -> None:
    _, out, _ = play([*SUBMIT, "move motion=adjourn-debate by=China"])
    shown = listings(out)
    # a new case opens on a draft, or on a Council agenda item (S/96/Rev.7 rule 7)
    assert shown[0] == ["submit_draft", "submit_agenda_item"]
    assert "vote on L.1" in shown[1] and "submit_amendment" in shown[1]
    assert "transmit" not in shown[1] and "submit_draft" not in shown[1]
    assert shown[2] == ["vote on adjourn-debate"]


def test_transmit_is_listed_once_the_committee_has_approved() -> None:
    case, out, _ = play([*SUBMIT, VOTE_DRAFT, "transmit", "", ""])
    assert "transmit" in listings(out)[2]
    assert "to (required) [plenary]:" in out
    assert case.state == "plenary.tabled"


# --- input ------------------------------------------------------------------------------


def test_bad_integers_are_prompted_again() -> None:
    answers = ["L.1", "forty", "4.5", "111", "19", "55", "", "", "", "", "", "", ""]
    case, out, _ = play([*SUBMIT, "vote", *answers])
    assert "'forty' is not a whole number; try again" in out
    assert "'4.5' is not a whole number; try again" in out
    assert case.state == "committee.approved"


def test_a_bad_integer_on_one_line_is_prompted_again() -> None:
    case, out, _ = play([*SUBMIT, "vote on=L.1 yes=many no=19 abstain=55", "111"])
    assert "yes: 'many' is not a whole number" in out
    assert case.state == "committee.approved"


def test_unknown_action_and_unknown_key_are_explained() -> None:
    case, out, _ = play([*SUBMIT, "frobnicate", "vote on=L.1 colour=red", "vote L.1", "42"])
    assert "Unknown action or command 'frobnicate'" in out and "type help" in out
    assert "Did you mean" not in out.split("'frobnicate'")[1].split("\n")[0]
    assert "Not accepted: no parameter 'colour'; vote takes on, yes, no" in out
    assert "Not accepted: 'L.1' is not key=value" in out
    assert f"There is no action 42 in the list; choose 1-{len(listings(out)[-1])}." in out
    assert case.state == "committee.tabled"


def test_a_required_parameter_is_asked_again_and_cancel_drops_the_action() -> None:
    case, out, _ = play(["1", "", "", "cancel", *SUBMIT])
    assert "symbol is required (or type cancel)" in out
    assert "Dropped; nothing was recorded." in out
    assert case.state == "committee.tabled"


def test_an_unbalanced_quote_is_not_a_traceback() -> None:
    case, out, _ = play(['submit_draft title="Human rights'])
    assert "Not accepted: cannot read that line" in out
    assert case.state == "new"


def test_help_state_and_history() -> None:
    _, out, _ = play(["history", *SUBMIT, AMEND, "help", "state", "history"])
    assert HELP in out
    assert "undo [N]" in HELP and "append-only" in HELP and "vote on=L.1 yes=100" in HELP
    assert "Nothing has happened yet." in out
    assert "amendment A1 by Cuba: pending" in out and "sponsors: Japan, Italy" in out
    assert "[3] Cuba submits amendment A1: Delete OP7. -> committee.tabled" in out


def test_a_taken_case_id_gets_a_suffix() -> None:
    log = engine.open(":memory:")
    play(SUBMIT, log=log)
    case, out, _ = play(SUBMIT, log=log)
    assert case.id == "lesson-2" and "(case lesson-2)" in out
    assert [c.id for c in log.cases()] == ["lesson", "lesson-2"]


def test_bad_body_or_date_is_an_error_before_the_lesson() -> None:
    with pytest.raises(engine.InvalidArgumentError, match="unknown body"):
        play([], body="seventh-committee")
    with pytest.raises(engine.InvalidArgumentError, match="YYYY-MM-DD"):
        play([], date="18/11/2014")


# --- ending -----------------------------------------------------------------------------


def test_end_of_input_ends_cleanly_even_mid_action(tmp_path: Path) -> None:
    target = tmp_path / "never.toml"
    case, out, _ = play(["1", "", "L.1"], save=target)
    assert case.state == "new" and case.version == 0
    assert out.rstrip().endswith("Nothing to save yet: no action has been accepted.")
    assert not target.exists()


def test_quit_ends_the_lesson() -> None:
    case, out, _ = play([*SUBMIT, "quit", VOTE_DRAFT])
    assert case.state == "committee.tabled"
    assert "after 1 action." in out


# --- saving -----------------------------------------------------------------------------


def test_save_replays_to_the_same_state_and_events(tmp_path: Path) -> None:
    target = tmp_path / "session.toml"
    script = [*SUBMIT, AMEND, VOTE_DRAFT, VOTE_AMENDMENT, "frobnicate", VOTE_DRAFT,
              f"save {target}"]
    case, out, log = play(script, date=DATE)
    assert f"Saved 4 steps to {target}" in out
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Recorded with `procedura play` on ")
    assert "None" not in text and text.count("[[step]]") == 4
    loaded = load_scenario(target)
    assert (loaded.id, loaded.date, loaded.expect_state) == ("lesson", DATE,
                                                             "committee.approved")
    again = replayed(target)
    assert again.state == case.state == "committee.approved"
    assert again.version == case.version
    assert again.data.as_dict() == case.data.as_dict()
    dates = {r.occurred_at for r in log.events.select("lesson")}
    assert dates == {DATE}


def test_save_at_the_end_of_the_lesson(tmp_path: Path) -> None:
    target = tmp_path / "end.toml"
    case, out, _ = play([*SUBMIT, "move motion=adjourn-debate by=China",
                         "vote yes=60 no=100 abstain=5 method=non-recorded"],
                        save=target)
    assert "on (required)" not in out  # a one-line move takes the item offered: the motion
    assert f"Saved 3 steps to {target}" in out
    steps = tomllib.loads(target.read_text(encoding="utf-8"))["step"]
    assert steps[2] == {"action": "vote", "on": "adjourn-debate", "yes": 60, "no": 100,
                        "abstain": 5, "method": "non-recorded"}
    assert "date" not in tomllib.loads(target.read_text(encoding="utf-8"))["case"]
    again = replayed(target)
    assert (again.state, again.version) == (case.state, case.version)


def test_hostile_strings_survive_the_toml_round_trip(tmp_path: Path) -> None:
    target = tmp_path / "hostile.toml"
    title = HOSTILE + "\nsecond line\r\x00\x1f\x7f 😀"
    answers = ["", "L.1", HOSTILE, "Japan", "", "", "", ""]
    case, _, _ = play(["1", *answers, 'add_sponsors sponsors="Italy"', f"save '{target}'"],
                      title=title, case_id='id "quoted"')
    assert case.data.draft is not None and case.data.draft.title == HOSTILE
    loaded = load_scenario(target)
    assert loaded.title == title and loaded.id == 'id "quoted"'
    again = replayed(target)
    assert again.title == title
    assert again.data.as_dict() == case.data.as_dict()


def test_toml_scenario_writes_every_kind_of_value() -> None:
    steps = [("submit_draft", {"body": "plenary", "symbol": "A/1", "title": '"""\\',
                               "sponsors": ["Côte d'Ivoire", 'a"b'], "chapter": None}),
             ("request_separate_vote", {"parts": [], "by": "Japan", "objection": True}),
             ("vote", {"on": "A/1", "yes": 0, "no": -1})]
    doc = tomllib.loads(toml_scenario("c", "t\\n", "2020-01-01", steps, "plenary.adopted"))
    assert doc["case"] == {"id": "c", "title": "t\\n", "date": "2020-01-01"}
    assert doc["step"][0] == {"action": "submit_draft", "body": "plenary", "symbol": "A/1",
                              "title": '"""\\', "sponsors": ["Côte d'Ivoire", 'a"b']}
    assert doc["step"][1]["objection"] is True and doc["step"][1]["parts"] == []
    assert doc["step"][2]["no"] == -1
    assert doc["expect"] == {"state": "plenary.adopted"}


# --- through a real process -------------------------------------------------------------


def test_a_lesson_through_a_subprocess(tmp_path: Path) -> None:
    target, db = tmp_path / "lesson.toml", tmp_path / "lesson.db"
    code = ("import engine, sys; from pathlib import Path; from engine.cli.play import run_lesson; "
            f"log = engine.open({str(db)!r}); "
            f"case = run_lesson(log, date={DATE!r}, save=Path({str(target)!r})); "
            "print('FINAL', case.state, case.version)")
    keys = [*SUBMIT, AMEND, VOTE_DRAFT, "vote on=A1 yes=x no=77 abstain=50", "40",
            "nonsense", VOTE_DRAFT]
    done = subprocess.run([sys.executable, "-c", code], input="\n".join(keys) + "\n",
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "rule 130" in done.stdout and "'x' is not a whole number" in done.stdout
    assert "FINAL committee.approved 5" in done.stdout
    again = replayed(target)
    assert (again.state, again.version) == ("committee.approved", 5)
    with engine.open(db) as log:
        assert log.state("lesson") == "committee.approved"


@pytest.mark.parametrize("errors", ["strict", "surrogateescape"])
def test_undecodable_input_is_asked_again(errors: str) -> None:
    raw = b"submit_draft body=third-committee symbol=L.1 title=ab\xffcd\n" \
          b"submit_draft body=third-committee symbol=L.1 title=\xc3\xa9\n"
    stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8", errors=errors)
    out = io.StringIO()
    case = run_lesson(engine.open(":memory:"), stdin=stdin, stdout=out)
    assert "not valid UTF-8 text; please type it again" in out.getvalue()
    assert case.state in ("committee.tabled", "new")
    if errors == "surrogateescape":
        assert case.data.draft is not None and case.data.draft.title == "é"


def test_a_misspelt_action_gets_a_suggestion_and_move_lists_its_motions() -> None:
    _, out, _ = play([*SUBMIT, "vot on=L.1 yes=1"])
    assert "Unknown action or command 'vot'" in out and "Did you mean vote?" in out
    assert "move (suspend-meeting, adjourn-meeting, adjourn-debate, close-debate, postpone)" \
        in out  # no priority with one draft, no important-question in a Main Committee


MUN_SCENARIO = """
[case]
id = "mun-water"
title = "Clean water"
date = "2026-03-02"

[[body]]
id = "mun-committee"
name = "Model UN Committee"
rules = "committee"
members = ["Atlantis", "Freedonia", "Ruritania", "Genovia", "Wakanda"]

[[step]]
action = "submit_draft"
body = "mun-committee"
symbol = "MUN/1"
title = "Clean water"
sponsors = ["Genovia"]
"""


def test_a_lesson_begins_where_a_scenario_ends_and_saves_the_whole_case(
    tmp_path: Path,
) -> None:
    (tmp_path / "mun.toml").write_text(MUN_SCENARIO, encoding="utf-8")
    saved = tmp_path / "lesson.toml"
    log = engine.open(":memory:")
    case, out, _ = play(["vote on=MUN/1 yes=3 no=1 abstain=0"], log=log,
                        start=load_scenario(tmp_path / "mun.toml"), save=saved)
    assert "1 steps are taken already" in out and "mun-committee" in out
    assert case.state == "committee.approved"
    again = run_scenario(engine.open(":memory:"), load_scenario(saved))
    assert again.state == "committee.approved"
    assert again.data.bodies["mun-committee"].members == tuple(
        ["Atlantis", "Freedonia", "Ruritania", "Genovia", "Wakanda"])


def test_a_lesson_resumes_a_case_of_the_log(tmp_path: Path) -> None:
    log = engine.open(tmp_path / "class.db")
    run_scenario(log, load_scenario("uzbekistan-2006"))
    saved = tmp_path / "again.toml"
    case, out, _ = play([], log=log, resume="uzbekistan-2006", save=saved)
    assert case.id == "uzbekistan-2006" and "3 steps are taken already" in out
    assert run_scenario(engine.open(":memory:"), load_scenario(saved)).state == \
        "committee.no_action"
    with pytest.raises(engine.UnknownCaseError):
        play([], log=log, resume="no-such-case")
