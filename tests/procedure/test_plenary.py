"""The plenary's own rule numbers through the case API (A/520/Rev.20 rules 63-95).

Majority (rule 85), present and voting (rule 86), tie (rule 95), quorum (rule 67) and
important questions (Charter Art. 18(2), rule 83). The plenary equivalents of the other
committee rules are tested beside them: rule 74 and 77 in tests/procedure/test_motions.py, 78 in
tests/procedure/test_circulation.py, 80 in tests/procedure/test_withdrawal.py, 81 in
tests/procedure/test_reconsideration.py, 88 in tests/procedure/test_explanations.py, 89 in
tests/procedure/test_division.py, 90 in tests/procedure/test_amendments.py.
"""

from __future__ import annotations

import pytest
from procedure_helpers import DRAFT, assert_refused, citations, events_of, tabled

from engine import Case, NotInOrderError, ProcedureLog
from engine.present.narrate import describe
from events import VoteTaken


def transmitted(log: ProcedureLog) -> Case:
    """The DPRK draft approved in the Third Committee (2014) and sent to the plenary."""
    case = tabled(log)
    case.vote(on=DRAFT, yes=111, no=19, abstain=55, date="2014-11-18")
    case.transmit(to="plenary", document="A/69/L.99", date="2014-12-18")
    assert case.state == "plenary.tabled"
    return case


def test_rule_85_plenary_simple_majority(log: ProcedureLog) -> None:
    case = transmitted(log)
    # A/RES/69/188, 18 December 2014: 116-20-53.
    decision = case.vote(on="A/69/L.99", yes=116, no=20, abstain=53, date="2014-12-18")
    assert (decision.outcome, decision.majority, decision.needed) == ("adopted", "simple", 69)
    assert decision.rule.startswith("rule 85")
    assert "rule 86" in citations(decision)
    assert "rule 125" not in citations(decision)
    assert case.state == "plenary.adopted"
    vote = events_of(log, case.id)[-1]
    assert isinstance(vote, VoteTaken)
    assert (vote.on, vote.body) == (DRAFT, "plenary")  # the draft under its new symbol
    assert "136 members present and voting" in describe(vote)


def test_rule_86_plenary_abstentions_do_not_count(log: ProcedureLog) -> None:
    case = tabled(log, body="plenary")
    decision = case.vote(on=DRAFT, yes=3, no=2, abstain=150, date="2014-11-18")
    assert (decision.outcome, decision.present_and_voting, decision.needed) == (
        "adopted", 5, 3)
    assert "rule 86" in citations(decision)


def test_rule_95_plenary_tie_is_rejected(log: ProcedureLog) -> None:
    case = transmitted(log)
    decision = case.vote(on=DRAFT, yes=70, no=70, abstain=30, date="2014-12-18")
    assert (decision.outcome, decision.tie) == ("rejected", True)
    assert decision.rule.startswith("rule 95")
    assert "rule 133" not in citations(decision)
    assert case.state == "plenary.rejected"
    assert "equally divided" in describe(events_of(log, case.id)[-1])


def test_rule_67_plenary_quorum(log: ProcedureLog) -> None:
    case = transmitted(log)
    assert_refused(log, case, NotInOrderError, "vote", rule="rule 67",
                   match="only 96 members are present and 97", on=DRAFT, yes=50, no=40,
                   abstain=6, date="2014-12-18")
    assert case.vote(on=DRAFT, yes=50, no=40, abstain=6, present=97,
                     date="2014-12-18").outcome == "adopted"


@pytest.mark.parametrize(("yes", "no", "outcome"), [
    (100, 50, "adopted"), (99, 51, "rejected"), (90, 60, "rejected")])
def test_charter_art_18_2_rule_83_important_question_needs_two_thirds(
    log: ProcedureLog, yes: int, no: int, outcome: str,
) -> None:
    case = tabled(log, body="plenary")
    decision = case.vote(on=DRAFT, yes=yes, no=no, abstain=10, majority="two-thirds",
                         date="2014-11-18")
    assert (decision.outcome, decision.majority, decision.needed) == (outcome, "two-thirds", 100)
    assert "Art. 18(2)" in decision.rule
    assert "rule 83" in citations(decision)
    assert "rule 86" in citations(decision)
    assert case.state == f"plenary.{outcome}"


def test_rule_85_plenary_adopts_without_a_vote(log: ProcedureLog) -> None:
    case = transmitted(log)
    decision = case.adopt_without_vote(on=DRAFT, date="2014-12-18")
    assert (decision.outcome, decision.majority) == ("adopted", "consensus")
    assert case.state == "plenary.adopted"
    case.transmit(to="security-council", date="2014-12-22")
    assert case.state == "council.seized"
