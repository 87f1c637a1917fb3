"""An agenda item with several drafts (A/520/Rev.20 rule 91 / 131), the important-question
vote (Charter Art. 18(2)-(3), rules 83-85), the motion for priority, the postponement of
the votes, and the no-action motion on one draft or on the whole item.
"""

from __future__ import annotations

import json

import pytest
from procedure_helpers import CARRIED, DRAFT, LOST, VOTED, assert_refused, decide, tabled

import engine
from engine import InvalidArgumentError, NotInOrderError, ProcedureLog
from engine.app.scenarios import load_scenario, run_scenario
from engine.app.snapshots import state_from_dict
from engine.app.verify import verify
from engine.procedure.decide_texts import motions_in_order

# 75-72-26 and 87-57-33: the 2018 votes on Kuwait's proposal and on A/73/L.42 (GA/12101).
KUWAIT = {"yes": 75, "no": 72, "abstain": 26}
HAMAS = {"yes": 87, "no": 57, "abstain": 33}


def item(log: ProcedureLog, body: str = "plenary", case_id: str = "item") -> engine.Case:
    """L.1 tabled, then L.2 and L.3 under the same item."""
    case = tabled(log, case_id, body=body)
    case.add_draft(symbol="L.2", title="A competing draft", sponsors=["Cuba"])
    case.add_draft(symbol="L.3", title="A third draft", sponsors=["Norway"])
    return case


def test_rule_83_85_the_important_question_is_decided_by_simple_majority(
    log: ProcedureLog,
) -> None:
    case = tabled(log, body="plenary")
    case.move(motion="important-question", by="Kuwait", date=VOTED)
    decision = case.vote(on="important-question", date=VOTED, **KUWAIT)
    assert (decision.outcome, decision.majority, decision.rule) == ("adopted", "simple",
                                                                    "rule 85")
    draft = case.vote(on=DRAFT, date=VOTED, **HAMAS)  # no majority= given: two thirds apply
    assert (draft.outcome, draft.majority, draft.needed) == ("rejected", "two-thirds", 96)
    assert "rule 83" in draft.rule and case.state == "plenary.rejected"


def test_rule_84_amendments_to_an_important_question_need_two_thirds(
    log: ProcedureLog,
) -> None:
    case = tabled(log, body="plenary")
    case.submit_amendment(symbol="A1", proposers=["Cuba"], text="x")
    case.move(motion="important-question", by="Kuwait", date=VOTED)
    decide(case, "important-question", CARRIED)
    assert decide(case, "A1", CARRIED).majority == "two-thirds"  # 90 of 150 < 100


def test_the_important_question_rejected_keeps_a_simple_majority(log: ProcedureLog) -> None:
    case = tabled(log, body="plenary")
    case.move(motion="important-question", by="Kuwait", date=VOTED)
    decide(case, "important-question", LOST)
    assert_refused(log, case, NotInOrderError, "vote", rule="rule 85", on=DRAFT,
                   majority="two-thirds", date=VOTED, **CARRIED)
    assert decide(case, DRAFT, CARRIED).majority == "simple"


def test_an_important_question_is_not_voted_by_simple_majority(log: ProcedureLog) -> None:
    case = tabled(log, body="plenary")
    case.move(motion="important-question", by="Kuwait", date=VOTED)
    decide(case, "important-question", CARRIED)
    assert_refused(log, case, NotInOrderError, "vote", rule="rule 83", on=DRAFT,
                   majority="simple", date=VOTED, **CARRIED)


def test_charter_art_18_2_no_important_question_vote_in_a_main_committee(
    log: ProcedureLog,
) -> None:
    case = tabled(log)
    assert "important-question" not in motions_in_order(case.data)
    assert_refused(log, case, NotInOrderError, "move", rule="rule 125",
                   motion="important-question", by="Kuwait")


def test_rule_91_drafts_are_voted_in_the_order_of_submission(log: ProcedureLog) -> None:
    case = item(log)
    assert case.data.agenda.symbols() == ("L.2", "L.3")
    assert_refused(log, case, NotInOrderError, "vote", rule="rule 91",
                   match="order of their submission", on="L.2", date=VOTED, **CARRIED)
    decide(case, DRAFT, CARRIED)
    assert case.state == "plenary.adopted"
    assert_refused(log, case, NotInOrderError, "take_up", rule="rule 91", symbol="L.3")
    case.take_up(date=VOTED)
    assert (case.state, case.data.draft.symbol) == ("plenary.tabled", "L.2")
    decide(case, "L.2", LOST)
    case.take_up(symbol="L.3", date=VOTED)
    decide(case, "L.3", CARRIED)
    assert case.state == "plenary.adopted" and not case.data.agenda.queue
    assert_refused(log, case, NotInOrderError, "take_up", rule="rule 91")


def test_rule_131_in_a_main_committee(log: ProcedureLog) -> None:
    case = item(log, body="third-committee")
    assert_refused(log, case, NotInOrderError, "vote", rule="rule 131", on="L.3",
                   date=VOTED, **CARRIED)


def test_rule_91_the_priority_motion_changes_the_order(log: ProcedureLog) -> None:
    case = item(log)
    assert "priority" in motions_in_order(case.data)
    case.move(motion="priority", by="United States", target="L.3", date=VOTED)
    decide(case, "priority", CARRIED)
    assert case.data.draft.symbol == "L.3"
    assert case.data.agenda.symbols() == ("L.1", "L.2")  # the rest keep their order
    decide(case, "L.3", LOST)
    case.take_up(date=VOTED)
    assert case.data.draft.symbol == DRAFT


def test_rule_91_a_priority_motion_that_fails_keeps_the_order(log: ProcedureLog) -> None:
    case = item(log)
    case.move(motion="priority", by="United States", target="L.3", date=VOTED)
    decide(case, "priority", LOST)
    assert case.data.draft.symbol == DRAFT and case.data.agenda.symbols() == ("L.2", "L.3")


def test_rule_91_priority_needs_another_draft_and_names_one(log: ProcedureLog) -> None:
    one = tabled(log, "one", body="plenary")
    assert "priority" not in motions_in_order(one.data)
    assert_refused(log, one, NotInOrderError, "move", rule="rule 91", motion="priority",
                   by="Cuba", target="L.9")
    case = item(log)
    assert_refused(log, case, InvalidArgumentError, "move", match="names the draft",
                   motion="priority", by="Cuba", target=DRAFT)


def test_the_no_action_motion_on_one_draft_sets_only_it_aside(log: ProcedureLog) -> None:
    case = item(log)
    assert_refused(log, case, InvalidArgumentError, "move", match="no draft of this item",
                   motion="adjourn-debate", by="Cuba", target="L.9")
    case.move(motion="adjourn-debate", by="Cuba", target="L.2", date=VOTED)
    decide(case, "adjourn-debate", CARRIED)
    assert case.state == "plenary.tabled" and case.data.agenda.symbols() == ("L.3",)
    case.move(motion="adjourn-debate", by="Cuba", target=DRAFT, date=VOTED)
    decide(case, "adjourn-debate", CARRIED)
    assert case.data.draft.symbol == "L.3" and case.data.agenda.set_aside == ["L.2", DRAFT]


def test_rule_74_the_no_action_motion_without_a_target_covers_the_whole_item(
    log: ProcedureLog,
) -> None:
    case = item(log)
    case.move(motion="adjourn-debate", by="Cuba", date=VOTED)
    decide(case, "adjourn-debate", CARRIED)
    assert case.state == "plenary.no_action"
    assert_refused(log, case, NotInOrderError, "take_up", rule="rule 74")


def test_the_votes_on_the_item_postponed_to_a_day(log: ProcedureLog) -> None:
    case = item(log)
    case.move(motion="postpone", by="Saudi Arabia", target="2014-11-20", date=VOTED)
    decide(case, "postpone", CARRIED)
    assert_refused(log, case, NotInOrderError, "vote", rule="rule 85",
                   match="postponed the votes on the item to 2014-11-20", on=DRAFT,
                   date="2014-11-19", **CARRIED)
    assert decide(case, DRAFT, CARRIED, date="2014-11-20").outcome == "adopted"


def test_the_votes_postponed_to_a_later_meeting(log: ProcedureLog) -> None:
    case = item(log)
    case.move(motion="postpone", by="Saudi Arabia", date=VOTED)
    decide(case, "postpone", CARRIED)
    assert_refused(log, case, NotInOrderError, "adopt_without_vote", match="later meeting",
                   on=DRAFT, date=VOTED)
    assert_refused(log, case, InvalidArgumentError, "move", match="YYYY-MM-DD",
                   motion="postpone", by="Cuba", target="tomorrow")
    assert decide(case, DRAFT, CARRIED, date="2014-11-19").outcome == "adopted"


def test_a_waiting_draft_may_be_withdrawn(log: ProcedureLog) -> None:
    case = item(log)
    case.withdraw(symbol="L.2")
    assert case.data.agenda.symbols() == ("L.3",) and case.state == "plenary.tabled"
    case.withdraw(symbol=DRAFT)  # the one before the body: the next takes its place
    assert case.data.draft.symbol == "L.3" and case.state == "plenary.tabled"
    case.withdraw(symbol="L.3")  # the last: the item is withdrawn
    assert case.state == "plenary.withdrawn"


def test_a_symbol_is_used_once_in_an_item(log: ProcedureLog) -> None:
    case = item(log)
    assert_refused(log, case, InvalidArgumentError, "add_draft", match="already used",
                   symbol="L.2", title="t")


def test_the_item_replays_verifies_and_survives_a_snapshot(log: ProcedureLog) -> None:
    case = item(log)
    case.move(motion="priority", by="United States", target="L.2", date=VOTED)
    decide(case, "priority", CARRIED)
    decide(case, "L.2", CARRIED)
    assert log.case(case.id).data.as_dict() == case.data.as_dict()
    assert verify(log).ok
    plain = json.loads(json.dumps(case.data.as_dict()))
    assert state_from_dict(plain).as_dict() == case.data.as_dict()


@pytest.mark.parametrize(("name", "final"), [("hamas-2018", "plenary.rejected"),
                                              ("china-1971", "plenary.adopted")])
def test_the_bundled_assembly_scenarios(name: str, final: str) -> None:
    log = engine.open(":memory:")
    case = run_scenario(log, load_scenario(name))
    assert case.state == final and verify(log).ok
    if name == "china-1971":
        assert case.data.draft.symbol == "A/L.630"
        assert case.data.agenda.symbols() == ("A/L.633",)  # never taken up
        decided = [(d.on, d.decision.outcome) for d in case.data.decisions]
        assert decided[:2] == [("priority", "adopted"), ("A/L.632", "rejected")]
