"""Division: separate votes on parts of a proposal (A/520/Rev.20 rule 129, plenary rule 89).

Parts are voted after the amendments and before the proposal as a whole; an objection
to the request puts the motion for division to the vote first; when every operative part
has been rejected, the proposal is rejected as a whole.
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
    event_types,
    events_of,
    tabled,
)

from engine import InvalidArgumentError, NotInOrderError, ProcedureLog
from engine.present.narrate import describe
from events import DeemedRejected, SeparateVoteRequested


def test_rule_129_separate_votes_come_after_amendments_and_before_the_whole(
    log: ProcedureLog,
) -> None:
    case = tabled(log)
    case.submit_amendment(symbol="A1", proposers=["Cuba"], text="Add a new OP9")
    case.request_separate_vote(parts=["OP7", "OP8"], by="Cuba")
    assert events_of(log, case.id)[-1] == SeparateVoteRequested(("OP7", "OP8"), "Cuba", False)
    assert case.data.parts == {"OP7": "pending", "OP8": "pending"}
    assert case.data.motions == {}  # no objection: no motion for division
    # The amendment first (rule 130), not the parts ...
    assert_refused(log, case, NotInOrderError, "vote", rule="rule 130",
                   match="In order now: vote on A1", on="OP7", **CARRIED)
    decide(case, "A1", LOST)
    # ... then the parts, not the whole (rule 129) ...
    err = assert_refused(log, case, NotInOrderError, "vote", rule="rule 129",
                         match="OP7, OP8", on=DRAFT, **CARRIED)
    assert err.allowed == ("vote on OP7", "vote on OP8")  # type: ignore[attr-defined]
    # ... in the order the chair puts them ...
    assert decide(case, "OP8", LOST).outcome == "rejected"
    assert decide(case, "OP7", CARRIED).outcome == "adopted"
    assert case.data.parts == {"OP7": "adopted", "OP8": "rejected"}
    assert case.state == "committee.voting"
    # ... then the proposal as a whole.
    assert decide(case, DRAFT, CARRIED).outcome == "adopted"
    assert case.state == "committee.approved"
    assert [(d.on, d.kind) for d in case.data.decisions] == [
        ("A1", "amendment"), ("OP8", "part"), ("OP7", "part"), (DRAFT, "draft")]
    assert_replays(log, case)


def test_rule_129_objection_puts_the_motion_for_division_to_the_vote_first(
    log: ProcedureLog,
) -> None:
    case = tabled(log)
    case.request_separate_vote(parts=["OP7"], by="Cuba", objection=True)
    assert case.data.motions == {"division": "Cuba"}
    assert case.in_order() == ("vote on division",)
    assert_refused(log, case, NotInOrderError, "vote", rule="rule 119",
                   match="division is pending", on="OP7", **CARRIED)
    assert_refused(log, case, NotInOrderError, "vote", rule="rule 119",
                   match="division is pending", on=DRAFT, **CARRIED)
    decision = decide(case, "division", CARRIED)
    assert decision.outcome == "adopted"
    assert "rule 125" in decision.rule
    assert case.data.motions == {}
    assert case.data.parts == {"OP7": "pending"}
    assert case.state == "committee.tabled"  # voting on the proposal has not begun
    assert_refused(log, case, NotInOrderError, "vote", rule="rule 129", on=DRAFT, **CARRIED)
    decide(case, "OP7", LOST)
    decide(case, DRAFT, CARRIED)
    assert case.state == "committee.approved"
    assert "the parts will be voted separately" in describe(events_of(log, case.id)[3])


def test_rule_129_rejected_motion_for_division_means_no_separate_votes(
    log: ProcedureLog,
) -> None:
    case = tabled(log)
    case.request_separate_vote(parts=["OP7", "OP8"], by="Cuba", objection=True)
    assert decide(case, "division", LOST).outcome == "rejected"
    assert case.data.parts == {}
    assert case.data.motions == {}
    assert_refused(log, case, NotInOrderError, "vote", match="no item 'OP7'", on="OP7",
                   **CARRIED)
    # No part is left to vote on: only the proposal as a whole.
    deciding = [a for a in case.in_order() if " on " in a]
    assert deciding == [f"vote on {DRAFT}", f"adopt_without_vote on {DRAFT}",
                        f"open_vote on {DRAFT}"]
    assert decide(case, DRAFT, CARRIED).outcome == "adopted"
    assert [d.on for d in case.data.decisions] == ["division", DRAFT]
    assert_replays(log, case)


def test_rule_129_all_operative_parts_rejected_rejects_the_proposal(log: ProcedureLog) -> None:
    case = tabled(log, operative_paragraphs=2)
    case.request_separate_vote(parts=["PP1", "OP1", "OP2"], by="Cuba")
    decide(case, "OP1", LOST)
    assert case.state == "committee.voting"
    assert "DeemedRejected" not in event_types(log, case.id)
    decide(case, "OP2", LOST)
    last = events_of(log, case.id)[-1]
    assert isinstance(last, DeemedRejected)
    assert last.on == DRAFT
    assert last.body == "third-committee"
    assert last.decision.outcome == "rejected"
    assert last.decision.majority == "division"
    assert last.decision.rule == "rule 129"
    assert "operative parts were rejected" in last.reason
    assert "(rule 129). Rejected." in describe(last)
    assert case.state == "committee.rejected"
    assert log.state(case.id) == "committee.rejected"
    assert (case.data.decisions[-1].on, case.data.decisions[-1].decision.outcome) == (
        DRAFT, "rejected")
    # The proposal is not put to the vote as a whole, nor are its remaining parts.
    assert_refused(log, case, NotInOrderError, "vote", match="committee.rejected", on=DRAFT,
                   **CARRIED)
    assert_refused(log, case, NotInOrderError, "vote", match="committee.rejected", on="PP1",
                   **CARRIED)
    assert_replays(log, case)


def test_rule_129_one_operative_part_adopted_keeps_the_proposal(log: ProcedureLog) -> None:
    case = tabled(log, operative_paragraphs=2)
    case.request_separate_vote(parts=["OP1", "OP2"], by="Cuba")
    decide(case, "OP1", CARRIED)
    decide(case, "OP2", LOST)
    assert "DeemedRejected" not in event_types(log, case.id)
    assert case.state == "committee.voting"
    assert decide(case, DRAFT, CARRIED).outcome == "adopted"


def test_rule_129_rejecting_some_operative_parts_keeps_the_proposal(log: ProcedureLog) -> None:
    case = tabled(log, operative_paragraphs=8)
    case.request_separate_vote(parts=["OP7", "OP8"], by="Cuba")
    decide(case, "OP7", LOST)
    decide(case, "OP8", LOST)
    assert "DeemedRejected" not in event_types(log, case.id)
    assert case.state == "committee.voting"
    assert case.in_order()  # the proposal as a whole is still to be voted
    assert decide(case, DRAFT, CARRIED).outcome == "adopted"


def test_rule_129_without_declared_paragraphs_the_proposal_is_voted(log: ProcedureLog) -> None:
    case = tabled(log)  # operative_paragraphs not declared
    case.request_separate_vote(parts=["OP1"], by="Cuba")
    decide(case, "OP1", LOST)
    assert "DeemedRejected" not in event_types(log, case.id)
    assert decide(case, DRAFT, LOST).outcome == "rejected"
    assert case.state == "committee.rejected"


def test_rule_89_plenary_all_operative_parts_rejected(log: ProcedureLog) -> None:
    case = tabled(log, body="plenary", operative_paragraphs=1)
    case.request_separate_vote(parts=["OP1"], by="Cuba", objection=True)
    assert_refused(log, case, NotInOrderError, "vote", rule="rule 77", on="OP1", **CARRIED)
    decide(case, "division", CARRIED)
    decide(case, "OP1", LOST)
    last = events_of(log, case.id)[-1]
    assert isinstance(last, DeemedRejected)
    assert last.decision.rule == "rule 89"
    assert case.state == "plenary.rejected"


@pytest.mark.parametrize(("parts", "match"), [
    (["7"], "not of the form OPn"),
    (["op7"], "not of the form OPn"),
    (["OP0"], "not of the form OPn"),
    (["OP3"], "the draft has 2 operative paragraphs"),
    ("OP1", "must be a list of names"),
])
def test_rule_129_parts_are_paragraphs_of_the_proposal(log: ProcedureLog, parts: object,
                                                         match: str) -> None:
    case = tabled(log, operative_paragraphs=2)
    assert_refused(log, case, InvalidArgumentError, "request_separate_vote", match=match,
                   parts=parts, by="Cuba")


def test_rule_129_a_part_is_requested_once(log: ProcedureLog) -> None:
    case = tabled(log)
    case.request_separate_vote(parts=["OP7"], by="Cuba")
    assert_refused(log, case, InvalidArgumentError, "request_separate_vote",
                   match="already to be voted separately", parts=["OP7"], by="Iran")


def test_rule_128_no_request_for_division_once_voting_began(log: ProcedureLog) -> None:
    case = tabled(log)
    case.submit_amendment(symbol="A1", proposers=["Cuba"], text="Delete OP7")
    decide(case, "A1", LOST)
    assert_refused(log, case, NotInOrderError, "request_separate_vote", rule="rule 128",
                   parts=["OP7"], by="Cuba")
