"""Reconsideration (A/520/Rev.20 rule 123 in a Main Committee, rule 81 in the plenary).

Moved after a decision on the draft; carried by two thirds of the members present and
voting; if carried, the case is back in voting and the draft is voted on again.
"""

from __future__ import annotations

import pytest
from procedure_helpers import (
    CARRIED,
    DRAFT,
    LOST,
    assert_refused,
    assert_replays,
    citations,
    decide,
    events_of,
    tabled,
)

from engine import Case, NotInOrderError, ProcedureLog
from engine.present.narrate import describe
from engine.procedure.order import voteable
from events import MotionMoved


def approved(log: ProcedureLog, body: str = "third-committee") -> Case:
    case = tabled(log, body=body)
    decide(case, DRAFT, CARRIED)
    return case


def test_rule_123_reconsideration_only_after_a_decision(log: ProcedureLog) -> None:
    case = tabled(log)
    assert_refused(log, case, NotInOrderError, "move", rule="rule 123",
                   match="nothing to reconsider", motion="reconsider", by="Cuba")


def test_rule_123_after_a_decision_only_reconsideration_may_be_moved(
    log: ProcedureLog,
) -> None:
    case = approved(log)
    err = assert_refused(log, case, NotInOrderError, "move", rule="rule 123",
                         match="only its reconsideration", motion="adjourn-debate", by="Cuba")
    assert err.allowed == ("move reconsider",)  # type: ignore[attr-defined]
    case.move(motion="reconsider", by="Cuba", target=DRAFT)
    assert events_of(log, case.id)[-1] == MotionMoved("reconsider", "Cuba", DRAFT)
    assert case.in_order() == ("vote on reconsider",)
    assert_refused(log, case, NotInOrderError, "transmit", rule="rule 116", to="plenary")


@pytest.mark.parametrize(("yes", "no", "outcome", "state"), [
    (100, 50, "adopted", "committee.voting"),  # exactly two thirds of 150
    (99, 51, "rejected", "committee.approved"),  # one short
    (90, 60, "rejected", "committee.approved"),  # a simple majority is not enough
    (2, 1, "adopted", "committee.voting"),
])
def test_rule_123_reconsideration_needs_two_thirds_of_present_and_voting(
    log: ProcedureLog, yes: int, no: int, outcome: str, state: str,
) -> None:
    case = approved(log)
    case.move(motion="reconsider", by="Cuba")
    # Abstentions do not count (rule 126), but they make the quorum here.
    decision = case.vote(on="reconsider", yes=yes, no=no, abstain=150 - yes - no + 10,
                         date="2014-11-19")
    assert decision.outcome == outcome
    assert decision.majority == "two-thirds"
    assert decision.needed == -(-2 * (yes + no) // 3)
    assert decision.present_and_voting == yes + no
    assert decision.rule.startswith("rule 123")
    assert "rule 126" in citations(decision)
    assert case.state == state
    assert case.data.motions == {}
    assert log.state(case.id) == state


def test_rule_123_carried_the_draft_is_voted_again(log: ProcedureLog) -> None:
    case = approved(log)
    case.move(motion="reconsider", by="Cuba")
    decide(case, "reconsider", {"yes": 120, "no": 30, "abstain": 10}, date="2014-11-19")
    assert case.state == "committee.voting"
    assert voteable(case.data) == (DRAFT,)
    assert "the draft will be voted on again" in describe(events_of(log, case.id)[-1])
    # Explanations before the new vote are in order again (rule 128).
    case.explain_vote(on=DRAFT, by="France", when="before")
    assert decide(case, DRAFT, LOST, date="2014-11-19").outcome == "rejected"
    assert case.state == "committee.rejected"
    assert [(d.on, d.decision.outcome) for d in case.data.decisions] == [
        (DRAFT, "adopted"), ("reconsider", "adopted"), (DRAFT, "rejected")]
    assert_replays(log, case)


def test_rule_123_a_rejected_draft_reconsidered_and_approved(log: ProcedureLog) -> None:
    case = tabled(log)
    decide(case, DRAFT, LOST)
    assert case.state == "committee.rejected"
    case.move(motion="reconsider", by="Japan")
    decide(case, "reconsider", {"yes": 120, "no": 30, "abstain": 10}, date="2014-11-19")
    decide(case, DRAFT, CARRIED, date="2014-11-19")
    assert case.state == "committee.approved"
    case.transmit(to="plenary", date="2014-12-18")
    assert case.state == "plenary.tabled"


def test_rule_123_not_after_a_carried_no_action_motion(log: ProcedureLog) -> None:
    case = tabled(log)
    case.move(motion="adjourn-debate", by="Uzbekistan")
    decide(case, "adjourn-debate", CARRIED)
    assert_refused(log, case, NotInOrderError, "move", match="committee.no_action",
                   motion="reconsider", by="Japan")


def test_rule_122_reconsideration_motion_may_be_withdrawn(log: ProcedureLog) -> None:
    case = approved(log)
    case.move(motion="reconsider", by="Cuba")
    case.withdraw(symbol="reconsider")
    assert case.data.motions == {}
    assert case.state == "committee.approved"
    case.transmit(to="plenary", date="2014-12-18")


def test_rule_81_plenary_reconsideration_two_thirds(log: ProcedureLog) -> None:
    case = approved(log, body="plenary")
    assert case.state == "plenary.adopted"
    assert_refused(log, case, NotInOrderError, "move", rule="rule 81",
                   motion="close-debate", by="Cuba")
    case.move(motion="reconsider", by="Cuba")
    short = decide(case, "reconsider", {"yes": 99, "no": 51, "abstain": 10})
    assert (short.outcome, short.majority) == ("rejected", "two-thirds")
    assert short.rule.startswith("rule 81")
    assert "rule 86" in citations(short)
    assert case.state == "plenary.adopted"
    case.move(motion="reconsider", by="Cuba")
    assert decide(case, "reconsider", {"yes": 100, "no": 50, "abstain": 10}).outcome == (
        "adopted")
    assert case.state == "plenary.voting"
    assert decide(case, DRAFT, LOST).outcome == "rejected"
    assert case.state == "plenary.rejected"
