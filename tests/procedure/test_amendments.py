"""Amendments (A/520/Rev.20 rule 130 in a Main Committee, rule 90 in the plenary).

Amendments are voted before the proposal, in the order the chair puts them; one whose
rejection is implied by an adopted amendment lapses without a vote; if any amendment is
adopted, the proposal is voted on as amended. (That the draft is not voted while an
amendment is pending is tested in tests/app/test_case.py.)
"""

from __future__ import annotations

from procedure_helpers import (
    CARRIED,
    DRAFT,
    LOST,
    assert_refused,
    assert_replays,
    decide,
    event_types,
    events_of,
    tabled,
)

from engine import Case, InvalidArgumentError, NotInOrderError, ProcedureLog
from engine.present.narrate import describe
from events import AdoptedWithoutVote, AmendmentLapsed, VoteTaken


def three_amendments(log: ProcedureLog, body: str = "third-committee") -> Case:
    """A1 implies the rejection of A2; A3 stands alone."""
    case = tabled(log, body=body)
    case.submit_amendment(symbol="A1", proposers=["Cuba"], text="Delete OP7 and OP8",
                          implies_rejection_of=["A2"])
    case.submit_amendment(symbol="A2", proposers=["Belarus"], text="Delete OP7")
    case.submit_amendment(symbol="A3", proposers=["Egypt"], text="Add a new PP2")
    return case


def test_rule_130_amendments_are_voted_in_the_order_the_chair_puts_them(
    log: ProcedureLog,
) -> None:
    case = three_amendments(log)
    assert_refused(log, case, NotInOrderError, "vote", rule="rule 130",
                   match="A1, A2, A3 are still pending", on=DRAFT, **CARRIED)
    decide(case, "A3", LOST)
    decide(case, "A2", LOST)
    decide(case, "A1", LOST)
    assert [d.on for d in case.data.decisions] == ["A3", "A2", "A1"]
    assert {s: a.status for s, a in case.data.amendments.items()} == {
        "A1": "rejected", "A2": "rejected", "A3": "rejected"}


def test_rule_130_every_amendment_is_decided_before_the_proposal(log: ProcedureLog) -> None:
    case = three_amendments(log)
    decide(case, "A3", LOST)
    decide(case, "A2", LOST)
    assert case.state == "committee.voting"
    assert_refused(log, case, NotInOrderError, "vote", rule="rule 130",
                   match="A1 is still pending", on=DRAFT, **CARRIED)
    assert_refused(log, case, NotInOrderError, "adopt_without_vote", rule="rule 130", on=DRAFT)
    decide(case, "A1", LOST)
    decision = decide(case, DRAFT, CARRIED)
    assert decision.outcome == "adopted"
    assert case.state == "committee.approved"


def test_rule_130_adopted_amendment_makes_the_implied_one_lapse(log: ProcedureLog) -> None:
    case = three_amendments(log)
    version = case.version
    decide(case, "A1", CARRIED)
    assert case.version == version + 2  # the vote and the lapse, in one command
    assert event_types(log, case.id)[-2:] == ["VoteTaken", "AmendmentLapsed"]
    lapsed = events_of(log, case.id)[-1]
    assert lapsed == AmendmentLapsed("A2", because="A1", rule="rule 130")
    assert "A2 lapses without a vote" in describe(lapsed)
    assert case.data.amendments["A2"].status == "lapsed"
    assert case.data.amendments["A3"].status == "pending"  # not implied: still to be voted
    assert "A2" not in [d.on for d in case.data.decisions]
    assert_replays(log, case)


def test_rule_130_vote_on_a_lapsed_amendment_is_refused(log: ProcedureLog) -> None:
    case = three_amendments(log)
    decide(case, "A1", CARRIED)
    err = assert_refused(log, case, NotInOrderError, "vote", rule="rule 130",
                         match="already lapsed", on="A2", **LOST)
    assert err.allowed == ("vote on A3",)  # type: ignore[attr-defined]
    assert_refused(log, case, NotInOrderError, "adopt_without_vote", rule="rule 130",
                   match="already lapsed", on="A2")
    decide(case, "A3", LOST)
    decide(case, DRAFT, CARRIED)
    assert case.state == "committee.approved"


def test_rule_130_rejected_amendment_makes_nothing_lapse(log: ProcedureLog) -> None:
    case = three_amendments(log)
    decide(case, "A1", LOST)
    assert "AmendmentLapsed" not in event_types(log, case.id)
    assert case.data.amendments["A2"].status == "pending"
    assert decide(case, "A2", CARRIED).outcome == "adopted"


def test_rule_130_an_amendment_already_decided_does_not_lapse(log: ProcedureLog) -> None:
    case = three_amendments(log)
    decide(case, "A2", LOST)
    decide(case, "A1", CARRIED)
    assert "AmendmentLapsed" not in event_types(log, case.id)
    assert case.data.amendments["A2"].status == "rejected"


def test_rule_130_proposal_voted_as_amended(log: ProcedureLog) -> None:
    case = three_amendments(log)
    decide(case, "A1", CARRIED)
    decide(case, "A3", LOST)
    decide(case, DRAFT, CARRIED)
    vote = events_of(log, case.id)[-1]
    assert isinstance(vote, VoteTaken)
    assert (vote.on, vote.kind, vote.as_amended) == (DRAFT, "draft", True)
    assert "votes on the draft L.1, as amended." in describe(vote)
    assert case.data.amended is True


def test_rule_130_proposal_not_as_amended_when_every_amendment_failed(
    log: ProcedureLog,
) -> None:
    case = three_amendments(log)
    case.withdraw(symbol="A3")
    decide(case, "A1", LOST)
    decide(case, "A2", LOST)
    decide(case, DRAFT, CARRIED)
    vote = events_of(log, case.id)[-1]
    assert isinstance(vote, VoteTaken)
    assert vote.as_amended is False
    assert "as amended" not in describe(vote)


def test_rule_130_proposal_adopted_without_a_vote_as_amended(log: ProcedureLog) -> None:
    case = three_amendments(log)
    case.adopt_without_vote(on="A3")
    case.withdraw(symbol="A1")
    decide(case, "A2", LOST)
    case.adopt_without_vote(on=DRAFT)
    last = events_of(log, case.id)[-1]
    assert isinstance(last, AdoptedWithoutVote)
    assert (last.on, last.as_amended) == (DRAFT, True)
    assert case.state == "committee.approved"


def test_rule_133_tied_amendment_is_rejected(log: ProcedureLog) -> None:
    case = three_amendments(log)
    decision = case.vote(on="A3", yes=80, no=80, abstain=5, date="2014-11-18")
    assert (decision.outcome, decision.tie) == ("rejected", True)
    assert decision.rule.startswith("rule 133")
    assert case.data.amendments["A3"].status == "rejected"
    assert case.data.amended is False


def test_rule_130_no_amendment_once_voting_began(log: ProcedureLog) -> None:
    case = three_amendments(log)
    decide(case, "A3", LOST)
    assert_refused(log, case, NotInOrderError, "submit_amendment", rule="rule 128",
                   symbol="A4", proposers=["Cuba"], text="Delete OP1")


def test_rule_130_amendment_symbols_are_unique(log: ProcedureLog) -> None:
    case = three_amendments(log)
    for symbol in ("A1", DRAFT, "division", "adjourn-debate"):
        assert_refused(log, case, InvalidArgumentError, "submit_amendment",
                       match="already used", symbol=symbol, proposers=["Cuba"], text="t")


def test_rule_90_plenary_amendments_before_the_proposal(log: ProcedureLog) -> None:
    case = three_amendments(log, body="plenary")
    assert_refused(log, case, NotInOrderError, "vote", rule="rule 90", on=DRAFT, **CARRIED)
    decide(case, "A1", CARRIED)
    assert events_of(log, case.id)[-1] == AmendmentLapsed("A2", because="A1", rule="rule 90")
    assert_refused(log, case, NotInOrderError, "vote", rule="rule 90", match="lapsed",
                   on="A2", **CARRIED)
    decide(case, "A3", LOST)
    decide(case, DRAFT, CARRIED)
    vote = events_of(log, case.id)[-1]
    assert isinstance(vote, VoteTaken)
    assert vote.as_amended is True
    assert "rule 85" in vote.decision.rule
    assert case.state == "plenary.adopted"


def test_rule_90_amendments_in_the_plenary_after_the_committee(log: ProcedureLog) -> None:
    # The executions case (2010): amended in committee, amended back in plenary.
    case = tabled(log)
    case.submit_amendment(symbol="c-am", proposers=["Morocco"], text="Replace a reference")
    decide(case, "c-am", CARRIED)
    decide(case, DRAFT, CARRIED)
    case.transmit(to="plenary", date="2014-12-18")
    assert case.data.amendments == {}  # the committee's amendments stay in the committee
    assert case.data.amended is False
    case.submit_amendment(symbol="p-am", proposers=["United States"], text="Restore it")
    assert_refused(log, case, NotInOrderError, "vote", rule="rule 90", on=DRAFT,
                   date="2014-12-21", **CARRIED)
    decide(case, "p-am", CARRIED, date="2014-12-21")
    decide(case, DRAFT, CARRIED, date="2014-12-21")
    assert events_of(log, case.id)[-1].as_amended is True  # type: ignore[attr-defined]
    assert case.state == "plenary.adopted"
    assert_replays(log, case)
