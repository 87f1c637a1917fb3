"""Procedural motions: A/520/Rev.20 rules 116-119 (Main Committees) and 74-77 (plenary).

The precedence of rule 119 / 77: suspend the meeting, adjourn the meeting, adjourn the
debate (the no-action motion), close the debate. A pending motion is put to the vote
before anything else, and while one is pending nothing else is in order. (The carried and
failed no-action motion in a committee is tested in tests/app/test_case.py.)
"""

from __future__ import annotations

import pytest
from procedure_helpers import (
    CARRIED,
    DRAFT,
    LOST,
    assert_refused,
    citations,
    decide,
    events_of,
    tabled,
)

import engine
from engine import InvalidArgumentError, NotInOrderError, ProcedureLog
from engine.present.narrate import describe
from engine.procedure.order import MOTIONS, voteable
from events import MotionMoved, NewEvent, Withdrawn

PRECEDENCE = ("suspend-meeting", "adjourn-meeting", "adjourn-debate", "close-debate")



def test_rule_119_precedence_of_motions() -> None:
    assert MOTIONS[:4] == PRECEDENCE


def test_rule_119_only_the_highest_pending_motion_may_be_voted(log: ProcedureLog) -> None:
    case = tabled(log)
    case.move(motion="close-debate", by="Cuba")
    # The other motions are put in the log directly, as a log written elsewhere could
    # hold them (moving them is tested below).
    log.events.append(case.id, [NewEvent(MotionMoved("adjourn-debate", "Belarus")),
                                NewEvent(MotionMoved("suspend-meeting", "France"))],
                      case.version)
    case = log.case(case.id)
    assert list(case.data.motions) == ["close-debate", "adjourn-debate", "suspend-meeting"]
    assert voteable(case.data) == ("suspend-meeting",)
    assert case.in_order() == ("vote on suspend-meeting",)
    for lower in ("close-debate", "adjourn-debate", DRAFT):
        assert_refused(log, case, NotInOrderError, "vote", rule="rule 119",
                       match="the motion suspend-meeting is pending and is voted first",
                       on=lower, **CARRIED)
    decide(case, "suspend-meeting", LOST)
    assert case.in_order() == ("vote on adjourn-debate",)
    assert_refused(log, case, NotInOrderError, "vote", rule="rule 119", on="close-debate",
                   **CARRIED)
    decide(case, "adjourn-debate", LOST)
    assert case.in_order() == ("vote on close-debate",)
    decide(case, "close-debate", CARRIED)
    assert case.data.motions == {}
    assert decide(case, DRAFT, CARRIED).outcome == "adopted"
    assert [d.on for d in case.data.decisions] == [
        "suspend-meeting", "adjourn-debate", "close-debate", DRAFT]


def test_rule_119_a_motion_of_higher_precedence_may_be_moved_over_a_pending_one(
    log: ProcedureLog,
) -> None:
    case = tabled(log)
    case.move(motion="close-debate", by="Cuba")
    case.move(motion="suspend-meeting", by="France")
    assert case.data.motions == {"close-debate": "Cuba", "suspend-meeting": "France"}
    assert case.in_order() == ("vote on suspend-meeting",)


@pytest.mark.parametrize(("action", "kwargs"), [
    ("submit_amendment", {"symbol": "A1", "proposers": ["Cuba"], "text": "Delete OP7"}),
    ("request_separate_vote", {"parts": ["OP7"], "by": "Cuba"}),
    ("revise_orally", {"text": "Delete OP7", "by": "Japan"}),
    ("add_sponsors", {"sponsors": ["France"]}),
    ("adopt_without_vote", {"on": DRAFT}),
    ("vote", {"on": DRAFT, **CARRIED}),
])
def test_rule_116_while_a_motion_is_pending_nothing_else_is_in_order(
    log: ProcedureLog, action: str, kwargs: dict[str, object],
) -> None:
    case = tabled(log)
    case.move(motion="close-debate", by="Cuba")
    assert case.in_order() == ("vote on close-debate",)
    assert_refused(log, case, NotInOrderError, action, rule="rule 116",
                   match="close-debate is pending", **kwargs)


def test_rule_116_the_draft_is_not_withdrawn_while_a_motion_is_pending(
    log: ProcedureLog,
) -> None:
    case = tabled(log)
    case.move(motion="adjourn-debate", by="Uzbekistan")
    assert_refused(log, case, NotInOrderError, "withdraw", rule="rule 116", symbol=DRAFT)


def test_rule_116_the_motion_carries_by_simple_majority_and_fails_on_a_tie(
    log: ProcedureLog,
) -> None:
    case = tabled(log)
    case.move(motion="adjourn-debate", by="Uzbekistan")
    tie = case.vote(on="adjourn-debate", yes=75, no=75, abstain=20)
    assert (tie.outcome, tie.tie) == ("rejected", True)
    assert tie.rule.startswith("rule 133")
    assert case.state == "committee.tabled"
    assert case.data.motions == {}


def test_rule_116_no_action_motion_only_before_voting_began(log: ProcedureLog) -> None:
    case = tabled(log)
    case.submit_amendment(symbol="A1", proposers=["Cuba"], text="Delete OP7")
    decide(case, "A1", LOST)
    assert_refused(log, case, NotInOrderError, "move", rule="rule 128",
                   motion="adjourn-debate", by="Uzbekistan")


def test_rule_117_closure_of_debate_carried_leaves_the_proposal_to_be_voted(
    log: ProcedureLog,
) -> None:
    case = tabled(log)
    case.move(motion="close-debate", by="Cuba")
    assert events_of(log, case.id)[-1] == MotionMoved("close-debate", "Cuba")
    vote = decide(case, "close-debate", CARRIED)
    assert vote.outcome == "adopted"
    assert case.data.motions == {}
    assert case.state == "committee.tabled"
    assert "So the debate is closed" in describe(events_of(log, case.id)[-1])
    assert decide(case, DRAFT, CARRIED).outcome == "adopted"


@pytest.mark.parametrize("motion", ["suspend-meeting", "adjourn-meeting"])
def test_rule_118_suspension_or_adjournment_of_the_meeting_keeps_the_draft(
    log: ProcedureLog, motion: str,
) -> None:
    case = tabled(log)
    case.move(motion=motion, by="Cuba")
    decide(case, motion, CARRIED)
    assert case.state == "committee.tabled"
    assert case.data.motions == {}
    assert "So the meeting is" in describe(events_of(log, case.id)[-1])
    assert decide(case, DRAFT, CARRIED).outcome == "adopted"


def test_rule_119_a_pending_motion_may_be_withdrawn(log: ProcedureLog) -> None:
    case = tabled(log)
    case.move(motion="adjourn-debate", by="Uzbekistan")
    case.withdraw(symbol="adjourn-debate")
    assert events_of(log, case.id)[-1] == Withdrawn("adjourn-debate", "motion")
    assert case.data.motions == {}
    assert decide(case, DRAFT, CARRIED).outcome == "adopted"


def test_rule_119_unknown_or_reserved_motions_are_refused(log: ProcedureLog) -> None:
    case = tabled(log)
    for motion in ("no-action", "division", "adjourn"):
        assert_refused(log, case, InvalidArgumentError, "move", match="motion must be one of",
                       motion=motion, by="Cuba")
    assert_refused(log, case, NotInOrderError, "vote", match="no motion close-debate",
                   on="close-debate", **CARRIED)


def test_rule_74_plenary_no_action_motion(log: ProcedureLog) -> None:
    case = tabled(log, body="plenary")
    case.move(motion="adjourn-debate", by="Uzbekistan")
    assert_refused(log, case, NotInOrderError, "vote", rule="rule 74", on=DRAFT, **CARRIED)
    assert_refused(log, case, NotInOrderError, "submit_amendment", rule="rule 74",
                   symbol="A1", proposers=["Cuba"], text="Delete OP7")
    vote = decide(case, "adjourn-debate", CARRIED)
    assert vote.outcome == "adopted"
    assert vote.rule.startswith("rule 85")
    assert "rule 86" in citations(vote)
    assert case.state == "plenary.no_action"
    assert "no action is taken on the draft" in describe(events_of(log, case.id)[-1])
    assert_refused(log, case, NotInOrderError, "vote", match="plenary.no_action", on=DRAFT,
                   **CARRIED)


def test_rule_77_plenary_precedence_is_cited(log: ProcedureLog) -> None:
    case = tabled(log, body="plenary")
    case.move(motion="suspend-meeting", by="France")
    assert_refused(log, case, NotInOrderError, "vote", rule="rule 77", on=DRAFT, **CARRIED)
    assert decide(case, "suspend-meeting", LOST).outcome == "rejected"
    assert case.state == "plenary.tabled"


@pytest.mark.parametrize("steps", [0, 1, 2, 3])
def test_the_motions_listed_are_exactly_those_move_accepts(steps: int) -> None:
    """`motions_in_order` (what play lists) and the `move` clause give the same answer."""
    from engine.procedure.commands import Move
    from engine.procedure.decide import decide as decide_purely
    from engine.procedure.decide_texts import motions_in_order
    from engine.procedure.words import Motion

    log = engine.open(":memory:")
    case = log.new_case("m", title="t")
    case.submit_draft(body="third-committee", symbol="L.1", title="t", sponsors=["Japan"])
    if steps >= 1:
        case.move(motion="close-debate", by="Cuba")
    if steps >= 2:
        case.vote(on="close-debate", yes=100, no=10, abstain=5)
    if steps >= 3:
        case.vote(on="L.1", yes=100, no=10, abstain=5)
    listed = set(motions_in_order(case.data))
    for motion in (m for m in Motion if m is not Motion.DIVISION):
        try:
            decide_purely(case.data, Move(motion=motion.value, by="Cuba"))
            accepted = True
        except engine.NotInOrderError:
            accepted = False
        assert accepted == (motion.value in listed), motion
