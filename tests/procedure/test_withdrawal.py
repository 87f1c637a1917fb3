"""Withdrawal (A/520/Rev.20 rule 122 in a Main Committee, rule 80 in the plenary;
S/96/Rev.7 rule 35 in the Security Council).

A proposal or a motion may be withdrawn before voting on it has begun, provided it has
not been amended. (Withdrawing a tabled draft or a pending amendment, and the refusal
once voting began, are tested in tests/app/test_case.py.)
"""

from __future__ import annotations

import pytest
from procedure_helpers import (
    CARRIED,
    DRAFT,
    LOST,
    assert_refused,
    assert_replays,
    decide,
    events_of,
    tabled,
)

from engine import InvalidArgumentError, NotInOrderError, ProcedureLog
from engine.present.narrate import describe
from events import Withdrawn


def test_rule_122_withdrawn_draft_is_never_voted(log: ProcedureLog) -> None:
    case = tabled(log)
    case.withdraw(symbol=DRAFT)
    assert events_of(log, case.id)[-1] == Withdrawn(DRAFT, "draft")
    assert "The draft L.1 is withdrawn." in describe(events_of(log, case.id)[-1])
    assert case.state == "committee.withdrawn"
    assert_refused(log, case, NotInOrderError, "vote", match="committee.withdrawn", on=DRAFT,
                   **CARRIED)
    assert_refused(log, case, NotInOrderError, "move", match="committee.withdrawn",
                   motion="reconsider", by="Japan")
    assert_replays(log, case)


def test_rule_122_draft_not_withdrawn_once_amended(log: ProcedureLog) -> None:
    case = tabled(log)
    case.submit_amendment(symbol="A1", proposers=["Cuba"], text="Delete OP7")
    decide(case, "A1", CARRIED)
    assert case.data.amended is True
    assert_refused(log, case, NotInOrderError, "withdraw", rule="rule 122",
                   match="voting on the draft has begun", symbol=DRAFT)


@pytest.mark.parametrize(("outcome", "tally"), [("adopted", CARRIED), ("rejected", LOST)])
def test_rule_122_decided_amendment_cannot_be_withdrawn(
    log: ProcedureLog, outcome: str, tally: dict[str, int],
) -> None:
    case = tabled(log)
    case.submit_amendment(symbol="A1", proposers=["Cuba"], text="Delete OP7")
    case.submit_amendment(symbol="A2", proposers=["Iran"], text="Delete OP8")
    decide(case, "A1", tally)
    assert_refused(log, case, NotInOrderError, "withdraw", rule="rule 122",
                   match=f"already {outcome}", symbol="A1")


def test_rule_122_lapsed_amendment_cannot_be_withdrawn(log: ProcedureLog) -> None:
    case = tabled(log)
    case.submit_amendment(symbol="A1", proposers=["Cuba"], text="Delete OP7 and OP8",
                          implies_rejection_of=["A2"])
    case.submit_amendment(symbol="A2", proposers=["Iran"], text="Delete OP8")
    decide(case, "A1", CARRIED)
    assert_refused(log, case, NotInOrderError, "withdraw", rule="rule 122",
                   match="already lapsed", symbol="A2")


def test_rule_122_withdrawn_amendment_cannot_be_voted(log: ProcedureLog) -> None:
    case = tabled(log)
    case.submit_amendment(symbol="A1", proposers=["Cuba"], text="Delete OP7")
    case.withdraw(symbol="A1")
    assert events_of(log, case.id)[-1] == Withdrawn("A1", "amendment")
    assert_refused(log, case, NotInOrderError, "vote", match="already withdrawn", on="A1",
                   **CARRIED)
    assert_refused(log, case, NotInOrderError, "withdraw", rule="rule 122",
                   match="already withdrawn", symbol="A1")
    assert case.state == "committee.tabled"  # withdrawing an amendment begins no voting


def test_rule_122_withdrawn_motion_for_division_drops_the_parts(log: ProcedureLog) -> None:
    case = tabled(log)
    case.request_separate_vote(parts=["OP7"], by="Cuba", objection=True)
    case.withdraw(symbol="division")
    assert events_of(log, case.id)[-1] == Withdrawn("division", "motion")
    assert case.data.motions == {}
    assert case.data.parts == {}
    assert decide(case, DRAFT, CARRIED).outcome == "adopted"
    assert_replays(log, case)


def test_rule_122_only_something_before_the_body_can_be_withdrawn(log: ProcedureLog) -> None:
    case = tabled(log)
    for symbol in ("L.2", "adjourn-debate", "OP7"):
        assert_refused(log, case, InvalidArgumentError, "withdraw",
                       match=f"nothing called '{symbol}' can be withdrawn", symbol=symbol)


def test_rule_80_plenary_withdrawal(log: ProcedureLog) -> None:
    case = tabled(log, body="plenary")
    case.submit_amendment(symbol="A1", proposers=["Cuba"], text="Delete OP7")
    case.submit_amendment(symbol="A2", proposers=["Iran"], text="Delete OP8")
    decide(case, "A1", LOST)
    assert case.state == "plenary.voting"
    case.withdraw(symbol="A2")  # voting on A2 has not begun
    assert_refused(log, case, NotInOrderError, "withdraw", rule="rule 80",
                   match="voting on the draft has begun", symbol=DRAFT)
    assert_refused(log, case, NotInOrderError, "withdraw", rule="rule 80",
                   match="already rejected", symbol="A1")
    decide(case, DRAFT, CARRIED)
    assert case.state == "plenary.adopted"


def test_s96_rule_35_council_draft_withdrawn_before_the_vote(log: ProcedureLog) -> None:
    case = tabled(log, body="security-council", sponsors=["France"], date="2014-12-22",
                  chapter="VII")
    case.withdraw(symbol=DRAFT)
    assert case.state == "council.withdrawn"
    assert_refused(log, case, NotInOrderError, "vote", match="council.withdrawn", on=DRAFT,
                   yes=15, no=0, abstain=0)


def test_s96_rule_35_council_draft_not_withdrawn_after_the_vote(log: ProcedureLog) -> None:
    case = tabled(log, body="security-council", sponsors=["France"], date="2014-12-22",
                  chapter="VII")
    case.vote(on=DRAFT, yes=15, no=0, abstain=0)
    assert case.state == "council.adopted"
    assert_refused(log, case, NotInOrderError, "withdraw", match="council.adopted",
                   symbol=DRAFT)
