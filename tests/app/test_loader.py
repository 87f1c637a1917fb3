"""Tests for replays.loader: reading scenario files strictly, with errors that say where."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import replays
from engine.app.case import Case
from engine.app.scenarios import ACTION_PARAMS
from engine.procedure.commands import COMMANDS as ACTIONS
from replays import COMMON, Param, Scenario, ScenarioFileError, Step

CASE = '[case]\nid = "demo"\ntitle = "A demonstration case"\n'

SUBMIT = """
[[step]]
action = "submit_draft"
body = "third-committee"
symbol = "A/C.3/1"
title = "A draft"
sponsors = ["Japan"]
"""

AMEND = """
[[step]]
action = "submit_amendment"
symbol = "amendment-1"
proposers = ["Cuba"]
text = "Delete OP7"
"""


def _write(tmp_path: Path, text: str, name: str = "scenario.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path) -> str:
    with pytest.raises(ScenarioFileError) as info:
        replays.load(path, ACTION_PARAMS)
    return str(info.value)


# --- good input --------------------------------------------------------------------------


def test_there_are_bundled_scenarios() -> None:
    found = replays.bundled()
    assert "dprk-2014" in found
    assert all(p.suffix == ".toml" and p.is_file() for p in found.values())
    assert replays.find("dprk-2014") == found["dprk-2014"]
    assert replays.find("no-such-scenario") is None


@pytest.mark.parametrize("name", sorted(replays.bundled()))
def test_bundled_scenarios_load(name: str) -> None:
    scenario = replays.load(replays.bundled()[name], ACTION_PARAMS)
    assert isinstance(scenario, Scenario)
    assert scenario.id == name
    assert scenario.title
    assert scenario.steps
    assert [s.number for s in scenario.steps] == list(range(1, len(scenario.steps) + 1))
    assert all(s.action in ACTION_PARAMS for s in scenario.steps)
    assert all("action" not in s.args for s in scenario.steps)


def test_dprk_2014_scenario_content() -> None:
    scenario = replays.load(replays.bundled()["dprk-2014"], ACTION_PARAMS)
    assert scenario.date == "2014-11-18"
    assert scenario.expect_state == "council.on_agenda"
    assert len(scenario.council) == 10
    assert scenario.steps[0].action == "submit_draft"
    votes = [s.args for s in scenario.steps if s.action == "vote"]
    assert [(v["yes"], v["no"], v["abstain"]) for v in votes] == [
        (40, 77, 50), (111, 19, 55), (116, 20, 53), (11, 2, 2)]


def test_a_minimal_scenario(tmp_path: Path) -> None:
    path = _write(tmp_path, CASE + SUBMIT + AMEND)
    scenario = replays.load(path, ACTION_PARAMS)
    assert scenario.source == str(path)
    assert (scenario.id, scenario.title) == ("demo", "A demonstration case")
    assert scenario.date is None and scenario.council == () and scenario.expect_state is None
    assert scenario.steps == (
        Step(1, "submit_draft", {"body": "third-committee", "symbol": "A/C.3/1",
                                 "title": "A draft", "sponsors": ["Japan"]}),
        Step(2, "submit_amendment", {"symbol": "amendment-1", "proposers": ["Cuba"],
                                     "text": "Delete OP7"}),
    )


def test_step_numbers_count_from_one(tmp_path: Path) -> None:
    path = _write(tmp_path, CASE + SUBMIT + AMEND + '[[step]]\naction = "vote"\non = "x"\n')
    assert [s.number for s in replays.load(path, ACTION_PARAMS).steps] == [1, 2, 3]


def test_case_fields_and_expect_are_read(tmp_path: Path) -> None:
    text = (
        '[case]\nid = "c"\ntitle = "T"\ndate = "2014-11-18"\ndescription = "D"\n'
        'council = ["Chad", "Chile"]\n' + SUBMIT + '[expect]\nstate = "committee.tabled"\n'
    )
    scenario = replays.load(_write(tmp_path, text), ACTION_PARAMS)
    assert scenario.date == "2014-11-18"
    assert scenario.description == "D"
    assert scenario.council == ("Chad", "Chile")
    assert scenario.expect_state == "committee.tabled"


def test_common_keys_are_allowed_on_every_step(tmp_path: Path) -> None:
    text = CASE + SUBMIT + 'date = "2014-11-14"\nactor = "secretariat"\nnote = "tabled"\n'
    (step,) = replays.load(_write(tmp_path, text), ACTION_PARAMS).steps
    assert step.args["date"] == "2014-11-14"
    assert step.args["actor"] == "secretariat"
    assert step.args["note"] == "tabled"
    assert set(COMMON) == {"date", "actor", "note"}


def test_toml_dates_become_iso_strings(tmp_path: Path) -> None:
    text = CASE.replace('title = "A demonstration case"\n',
                        'title = "A demonstration case"\ndate = 2014-11-18\n')
    text += SUBMIT + "date = 2014-11-14\n"
    scenario = replays.load(_write(tmp_path, text), ACTION_PARAMS)
    assert scenario.date == "2014-11-18"
    assert isinstance(scenario.date, str)
    assert scenario.steps[0].args["date"] == "2014-11-14"
    assert isinstance(scenario.steps[0].args["date"], str)


def test_toml_datetime_is_not_a_date(tmp_path: Path) -> None:
    text = CASE + SUBMIT + "date = 2014-11-14T10:00:00\n"
    message = _error(_write(tmp_path, text))
    assert "step 1" in message and "'date'" in message


def test_parse_takes_a_parsed_document() -> None:
    document = {
        "case": {"id": "p", "title": "Parsed"},
        "step": [{"action": "transmit", "to": "plenary"}],
    }
    scenario = replays.parse(document, ACTION_PARAMS, "inline")
    assert scenario.source == "inline"
    assert scenario.steps == (Step(1, "transmit", {"to": "plenary"}),)


def test_parse_uses_the_actions_it_is_given() -> None:
    actions = {"knock": {"times": Param("int", True)}}
    document = {"case": {"id": "k", "title": "K"}, "step": [{"action": "knock", "times": 3}]}
    assert replays.parse(document, actions, "k").steps == (Step(1, "knock", {"times": 3}),)
    with pytest.raises(ScenarioFileError, match="unknown action 'vote'"):
        replays.parse({**document, "step": [{"action": "vote", "on": "x"}]}, actions, "k")


# --- bad input: every error names the file, the step and the key --------------------------


def test_unknown_key_in_a_step(tmp_path: Path) -> None:
    path = _write(tmp_path, CASE + SUBMIT + AMEND + 'colour = "red"\n')
    message = _error(path)
    assert str(path) in message
    assert "step 2" in message
    assert "'colour'" in message
    assert "proposers" in message  # what is allowed


def test_unknown_key_in_case(tmp_path: Path) -> None:
    path = _write(tmp_path, CASE + 'venue = "New York"\n' + SUBMIT)
    message = _error(path)
    assert str(path) in message and "[case]" in message and "'venue'" in message


def test_missing_required_key_in_a_step(tmp_path: Path) -> None:
    path = _write(tmp_path, CASE + SUBMIT + AMEND + '[[step]]\naction = "vote"\nyes = 3\n')
    message = _error(path)
    assert str(path) in message
    assert "step 3" in message
    assert "missing required key 'on'" in message


def test_missing_required_key_in_case(tmp_path: Path) -> None:
    path = _write(tmp_path, '[case]\nid = "x"\n' + SUBMIT)
    message = _error(path)
    assert str(path) in message and "[case]" in message and "'title'" in message


def test_missing_required_key_in_expect(tmp_path: Path) -> None:
    path = _write(tmp_path, CASE + SUBMIT + "[expect]\n")
    message = _error(path)
    assert str(path) in message and "[expect]" in message and "'state'" in message


@pytest.mark.parametrize(
    ("line", "key", "kind"),
    [
        ('yes = "forty"', "yes", "a whole number"),
        ("yes = true", "yes", "a whole number"),
        ("yes = 4.5", "yes", "a whole number"),
        ("on = 7", "on", "a string"),
        ('yes_members = "Japan"', "yes_members", "a list of strings"),
        ("yes_members = [1, 2]", "yes_members", "a list of strings"),
        ("note = 3", "note", "a string"),
    ],
)
def test_wrong_type_in_a_vote(tmp_path: Path, line: str, key: str, kind: str) -> None:
    vote = ['[[step]]', 'action = "vote"', 'on = "A/C.3/1"']
    vote = [v for v in vote if not v.startswith(f"{key} = ")] + [line]
    path = _write(tmp_path, CASE + SUBMIT + "\n".join(vote) + "\n")
    message = _error(path)
    assert str(path) in message
    assert "step 2" in message
    assert f"'{key}'" in message
    assert kind in message


def test_sponsors_given_as_a_string(tmp_path: Path) -> None:
    path = _write(tmp_path, CASE + SUBMIT.replace('["Japan"]', '"Japan"'))
    message = _error(path)
    assert str(path) in message
    assert "step 1" in message
    assert "'sponsors'" in message
    assert "a list of strings" in message


def test_wrong_type_in_case(tmp_path: Path) -> None:
    path = _write(tmp_path, CASE + 'council = "Chad"\n' + SUBMIT)
    message = _error(path)
    assert "[case]" in message and "'council'" in message and "a list of strings" in message


def test_unknown_action(tmp_path: Path) -> None:
    path = _write(tmp_path, CASE + SUBMIT + '[[step]]\naction = "filibuster"\n')
    message = _error(path)
    assert str(path) in message
    assert "step 2" in message
    assert "unknown action 'filibuster'" in message
    assert "submit_draft" in message  # the actions there are


def test_no_action(tmp_path: Path) -> None:
    path = _write(tmp_path, CASE + SUBMIT + '[[step]]\non = "A/C.3/1"\nyes = 3\n')
    message = _error(path)
    assert str(path) in message
    assert "step 2" in message
    assert "no action" in message


def test_date_that_is_not_a_date(tmp_path: Path) -> None:
    path = _write(tmp_path, CASE + 'date = "next Tuesday"\n' + SUBMIT)
    message = _error(path)
    assert "[case]" in message and "'date'" in message


# --- ACTION_PARAMS is read off the Case methods --------------------------------------------


def test_action_params_cover_exactly_the_actions() -> None:
    assert set(ACTION_PARAMS) == set(ACTIONS)
    assert all(callable(getattr(Case, action, None)) for action in ACTION_PARAMS)


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_action_params_match_the_method_signature(action: str) -> None:
    signature = inspect.signature(getattr(Case, action))
    keywords = {
        name: p for name, p in signature.parameters.items()
        if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD) and name != "self"
    }
    assert {"date", "actor", "note"} <= set(keywords)  # every step may carry them
    assert "command_id" in keywords  # every action is idempotent given an id; not in files
    envelope = ("date", "actor", "note", "command_id")
    own = {name: p for name, p in keywords.items() if name not in envelope}
    assert set(ACTION_PARAMS[action]) == set(own)
    for name, p in own.items():
        assert ACTION_PARAMS[action][name].required == (p.default is p.empty), name


def test_action_param_kinds() -> None:
    vote = ACTION_PARAMS["vote"]
    assert vote["on"] == Param("str", True)
    assert vote["yes"] == Param("int")
    assert vote["yes_members"] == Param("strings")
    assert ACTION_PARAMS["submit_draft"]["sponsors"] == Param("strings")
    assert ACTION_PARAMS["add_sponsors"]["sponsors"] == Param("strings", True)
    assert all(
        p.kind in ("str", "int", "bool", "strings", "date")
        for params in ACTION_PARAMS.values() for p in params.values()
    )
