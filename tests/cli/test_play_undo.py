"""Tests for `procedura play`: undo and fork, and a refused value asked for again."""

from __future__ import annotations

from pathlib import Path

from play_helpers import AMEND, DATE, SUBMIT, VOTE_AMENDMENT, VOTE_DRAFT, play, replayed

import engine
from engine.app.verify import verify

# The vote's eleven prompts after `on` (taken from its default): yes, no, abstain, the
# three member lists, method, majority, present, expect.
REST_OF_VOTE = [""] * 7

# --- undo and fork ------------------------------------------------------------------------


def test_undo_goes_on_in_a_fork_and_leaves_the_case_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "fork.toml"
    case, out, log = play([*SUBMIT, AMEND, VOTE_AMENDMENT, "undo", "history",
                           "vote on=A1 yes=80 no=50 abstain=40", f"save {target}"], date=DATE)
    assert "Back to version 3 of lesson, in a new case lesson-2" in out
    assert "lesson stays in the log as it was" in out
    assert "      note: fork of lesson at 3" in out  # history shows where it came from
    assert case.id == "lesson-2" and case.data.amendments["A1"].status == "adopted"
    assert log.case("lesson").data.decisions[-1].decision.outcome == "rejected"
    assert [c.id for c in log.cases()] == ["lesson", "lesson-2"]
    assert "(case lesson-2, a fork of lesson)" in out
    assert f"Saved 3 steps to {target}" in out
    again = replayed(target)
    assert (again.id, again.data.as_dict() | {"case_id": "lesson-2"}) == (
        "lesson-2", case.data.as_dict())
    assert verify(log).ok


def test_undo_n_and_what_cannot_be_undone() -> None:
    case, out, log = play(["undo", *SUBMIT, AMEND, "undo 3", "undo x", "undo 2",
                           'submit_draft body=plenary symbol=L.2 title="Other"', "undo"])
    assert "Nothing to undo: no action has been recorded yet." in out
    assert "There are 2 actions to undo, not 3." in out
    assert "Usage: undo [N]" in out
    assert "Back to version 1 of lesson, in a new case lesson-2: a fork made of its opening" in out
    # the opening alone is recorded with the next action, and the fork of it is lesson-3
    assert "Back to version 1 of lesson-2, in a new case lesson-3" in out
    assert case.id == "lesson-3" and case.version == 0
    assert [c.id for c in log.cases()] == ["lesson", "lesson-2"]
    assert log.case("lesson-2").data.draft.symbol == "L.2"  # type: ignore[union-attr]
    assert "Traceback" not in out


def test_fork_at_a_version_with_an_id_and_its_refusals() -> None:
    amendments = ['submit_amendment symbol=A1 proposers=Cuba text=One '
                  'implies_rejection_of=A2', "submit_amendment symbol=A2 proposers=Cuba text=Two",
                  "vote on=A1 yes=100 no=50 abstain=10"]
    case, out, log = play([*SUBMIT, *amendments, "fork 5", "fork 99", "fork", "fork x",
                           "fork 2 lesson", "fork 3 'my fork'"])
    assert "Not accepted: a fork: event 5 of 'lesson' is one of several that one action " \
           "recorded; fork at 4 or at 6" in out
    assert "Not accepted: a fork: at must be an event of 'lesson', from 1 to 6, not 99" in out
    assert out.count("Usage: fork V [ID]") == 2
    assert "Not accepted: the log already holds a case 'lesson'" in out
    assert case.id == "my fork" and case.version == 3
    assert set(case.data.amendments) == {"A1"}
    assert log.case("lesson").version == 6


def test_a_lesson_from_a_scenario_can_be_undone_past_the_scenarios_steps() -> None:
    from engine.app.scenarios import load_scenario

    log = engine.open(":memory:")
    case, out, _ = play(["undo 2", "vote yes=111 no=19 abstain=55"], log=log,
                        start=load_scenario("uzbekistan-2006"))
    assert "3 steps are taken already" in out
    assert case.id == "lesson-2" and case.state == "committee.approved"
    assert log.case("lesson").state == "committee.no_action"


# --- a refused value is asked for again, the others kept -----------------------------------


def test_an_unknown_member_asks_again_for_that_field_only() -> None:
    answers = ["A1", "Cuba, Narnia", "Delete OP7", "", "Cuba"]
    case, out, _ = play([*SUBMIT, "submit_amendment", *answers])
    assert "Not accepted: unknown member 'Narnia' in proposers" in out
    asked = out.split("Not accepted: unknown member")[1]
    assert "  proposers (comma-separated, required): " in asked
    assert "symbol (required)" not in asked and "text (required)" not in asked
    assert case.data.amendments["A1"].proposers == ("Cuba",)
    assert case.data.amendments["A1"].text == "Delete OP7"


def test_a_refusal_naming_a_field_asks_for_it_and_one_naming_none_asks_which() -> None:
    # yes=-5 names yes; 1000 + 1 + 1 votes name no field: play asks which to change
    first = ["", "-5", "19", "55", *REST_OF_VOTE, "111"]
    case, out, _ = play([*SUBMIT, "vote", *first])
    assert "the yes count cannot be negative" in out
    assert out.split("cannot be negative")[1].count("(whole number)") == 1  # yes alone
    assert case.state == "committee.approved"
    second = ["", "1000", "1", "1", *REST_OF_VOTE, "colour", "yes", "111"]
    case, out, log = play([*SUBMIT, "vote", *second])
    assert "193 members" in out and "  Change which? (on, yes, no, abstain," in out
    assert "vote has no parameter 'colour'" in out
    assert case.state == "committee.approved"
    assert list(log.events.select("lesson"))[-1].event.yes == 111  # type: ignore[attr-defined]


def test_a_field_asked_again_can_be_cancelled_and_a_line_is_never_asked_again() -> None:
    case, out, _ = play([*SUBMIT, "vote", "", "1000", "1", "1", *REST_OF_VOTE, "",
                         "vote on=L.1 yes=1000 no=1 abstain=1", VOTE_DRAFT])
    assert out.count("Change which?") == 1 and "Dropped; nothing was recorded." in out
    assert case.state == "committee.approved"


def test_not_in_order_is_not_asked_again() -> None:
    answers = ["", "111", "19", "55", *REST_OF_VOTE]
    case, out, _ = play([*SUBMIT, AMEND, "vote", "L.1", *answers[1:], VOTE_AMENDMENT])
    assert "Not in order: vote on L.1 is not in order" in out and "Change which?" not in out
    assert case.data.amendments["A1"].status == "rejected"


def test_note_and_actor_on_a_line_go_on_the_record() -> None:
    case, out, log = play([*SUBMIT, 'add_sponsors sponsors=Chile note="from the floor" '
                           "actor=chair"])
    last = list(log.events.select("lesson"))[-1]
    assert (last.note, last.actor) == ("from the floor", "chair")
    assert "Chile" in case.data.draft.sponsors  # type: ignore[union-attr]
    assert "Traceback" not in out
