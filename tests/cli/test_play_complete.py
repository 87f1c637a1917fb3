"""Tests for play's Tab completion (engine.cli.play_complete) and its input
(engine.cli.play_input): the completer is called as readline calls it, text and state."""

from __future__ import annotations

import io
import sys

import pytest

import engine
from engine.app.scenarios import ACTION_PARAMS
from engine.cli import play_input
from engine.cli.play import COMMANDS_OF_PLAY
from engine.cli.play_complete import Completer, field_values
from engine.cli.play_input import Prompter, culprit
from engine.procedure.errors import InvalidArgumentError, InvalidVoteError, UnknownMemberError


def completer(case: engine.Case, line: list[str], body: str = "third-committee") -> Completer:
    """A lesson's completer on `case`, reading the line typed so far from `line[0]`."""
    return Completer(words=lambda: [*COMMANDS_OF_PLAY, *ACTION_PARAMS], listed=case.in_order,
                     kinds=ACTION_PARAMS, buffer=lambda: line[0],
                     values=lambda a, k, kind: field_values(case.data, body, a, k, kind))


def all_of(complete: Completer, text: str) -> list[str]:
    """Every candidate, asked for as readline asks: state 0, 1, ... until None."""
    found, state = [], 0
    while (candidate := complete(text, state)) is not None:
        found.append(candidate)
        state += 1
    return found


@pytest.fixture
def tabled() -> engine.Case:
    case = engine.open(":memory:").new_case("c", title="T")
    case.submit_draft(body="third-committee", symbol="L.1", title="T", sponsors=["Japan"])
    case.submit_amendment(symbol="A1", proposers=["Cuba"], text="Delete OP7")
    return case


def test_first_words_are_play_commands_and_actions(tabled: engine.Case) -> None:
    line = ["vo"]
    complete = completer(tabled, line)
    assert all_of(complete, "vo") == ["vote "]
    line[0] = "u"
    assert all_of(complete, "u") == ["undo "]
    line[0] = "s"
    assert {"state ", "save ", "submit_draft ", "submit_amendment "} <= set(all_of(complete, "s"))
    line[0] = "sub"
    assert all_of(complete, "sub") == ["submit_draft ", "submit_agenda_item ",
                                       "submit_amendment "]
    line[0] = "zz"
    assert complete("zz", 0) is None


def test_parameters_then_their_values(tabled: engine.Case) -> None:
    line = ["vote y"]
    complete = completer(tabled, line)
    assert all_of(complete, "y") == ["yes=", "yes_members="]
    line[0] = "vote on=A1 o"
    assert "on=" not in all_of(complete, "o")  # given already
    line[0] = "vote on="
    assert all_of(complete, "") == ["A1 "]  # the item before the body now
    line[0] = "vote method=r"
    assert all_of(complete, "r") == ["recorded ", "roll-call "]
    line[0] = "explain_vote when="
    assert all_of(complete, "") == ["before ", "after "]
    line[0] = "move motion=adj"
    assert all_of(complete, "adj") == ["adjourn-meeting ", "adjourn-debate "]
    line[0] = "3 implies_rejection_of="  # by its number in the list: submit_amendment
    assert all_of(complete, "") == ["A1"]


def test_members_where_a_parameter_asks_for_one_quoted_on_the_line(
        tabled: engine.Case) -> None:
    line = ["vote yes_members=Japan,Ital"]
    complete = completer(tabled, line)
    assert all_of(complete, "Ital") == ["Italy"]
    line[0] = "move by=russ"  # any case
    assert all_of(complete, "russ") == ['"Russian Federation" ']
    line[0] = 'add_sponsors sponsors=Chile,"United St'
    assert all_of(complete, "St") == ['States of America"']
    line[0] = "vote on=A1 yes="  # a count: nothing to offer
    assert all_of(complete, "") == []


def test_at_a_parameters_prompt_its_values_unquoted(tabled: engine.Case) -> None:
    line = ["Japan, United K"]
    complete = completer(tabled, line)
    complete.field = ("add_sponsors", "sponsors")
    assert all_of(complete, "K") == ["Kingdom of Great Britain and Northern Ireland"]
    line[0] = "côte"
    assert all_of(complete, "côte") == ["Côte d'Ivoire"]
    complete.field = ("vote", "")  # which parameter to change
    line[0] = "ab"
    assert all_of(complete, "ab") == ["abstain", "abstain_members"]


def test_a_declared_body_offers_its_own_members() -> None:
    case = engine.open(":memory:").new_case("m", title="T", bodies=[{
        "id": "mun", "name": "Model UN", "rules": "committee",
        "members": ["Atlantis", "Freedonia", "Genovia"]}])
    assert field_values(case.data, "mun", "submit_draft", "sponsors", "strings") == [
        "Atlantis", "Freedonia", "Genovia"]
    assert "mun" in field_values(case.data, "mun", "submit_draft", "body", "str")
    assert field_values(case.data, "mun", "vote", "present", "int") == []


def test_a_completer_that_fails_offers_nothing(tabled: engine.Case) -> None:
    def broken() -> str:
        raise RuntimeError("no line")

    complete = completer(tabled, [""])
    complete.buffer = broken
    assert complete("x", 0) is None


# --- which field a refusal is about --------------------------------------------------------


def test_the_field_a_refusal_names() -> None:
    keys = ["on", "yes", "no", "abstain", "yes_members", "no_members", "method"]
    args = {"on": "L.1", "yes_members": ["Japan", "Narnia"]}
    assert culprit(UnknownMemberError("Narnia", (), " in yes_members"), args, keys) == \
        "yes_members"
    assert culprit(InvalidVoteError("the no count cannot be negative (-1)"), {}, keys) == "no"
    assert culprit(InvalidArgumentError("method must be one of 'recorded', not 'x'"), {},
                   keys) == "method"
    assert culprit(InvalidVoteError("Japan is listed twice (in yes_members and no_members); "
                                    "each member has one vote"), {}, keys) == "no_members"
    assert culprit(InvalidVoteError("1 + 1 + 1000 = 1002 votes, but the body has 193 members, "
                                    "each with one vote"), {}, keys) is None
    assert culprit(InvalidVoteError("Japan voted on a Chapter VI draft"), {}, keys) is None


# --- reading lines ------------------------------------------------------------------------


def test_a_stream_is_read_as_it_is_and_readline_only_at_a_terminal(
        monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    prompter = Prompter(io.StringIO("one\n"), out)
    assert not prompter.terminal
    assert prompter.ask("> ") == "one" and out.getvalue() == "> "
    with pytest.raises(EOFError):
        prompter.ask("> ")

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Tty("two\n"))
    monkeypatch.setattr(sys, "stdout", Tty())
    assert Prompter(sys.stdin, sys.stdout).terminal is (play_input.readline is not None)
    monkeypatch.setattr(play_input, "readline", None)  # a Python without readline
    prompter = Prompter(sys.stdin, sys.stdout)
    assert not prompter.terminal and prompter.ask("> ") == "two"
