"""The Security Council's procedure (S/96/Rev.7; Charter Art. 27), through the case API.

- amendments to a Council draft are voted before it (rules 33 and 36); a vote on an
  amendment is not procedural: nine votes and no permanent member against (Art. 27(3)),
  so a permanent member's "no" vetoes an amendment as it would the draft;
- the Council's procedural motions are rule 33's (suspend, adjourn the meeting,
  postpone), voted as procedural decisions: nine votes, no veto (Art. 27(2));
- the written procedure of 2020 (S/2020/253) is a Council voting method from 27 March 2020.
"""

from __future__ import annotations

from procedure_helpers import COUNCIL_2014, PERMANENT, assert_refused, events_of

from engine import Case, InvalidArgumentError, NotInOrderError, ProcedureLog
from engine.present.narrate import describe

DAY = "2014-12-22"
DRAFT = "S/2014/1"
ELECTED = COUNCIL_2014  # the Council's elected members of 2014


def council_draft(log: ProcedureLog, day: str = DAY) -> Case:
    case = log.new_case("c", title="A Council draft")
    case.submit_draft(body="security-council", symbol=DRAFT, title="A draft",
                      sponsors=["United States"], date=day)
    return case


def test_s96_rule_36_amendments_are_voted_before_the_draft(log: ProcedureLog) -> None:
    case = council_draft(log)
    case.submit_amendment(symbol="A1", proposers=["France"], text="Add sovereignty")
    case.submit_amendment(symbol="A2", proposers=["Russia"], text="Add root causes")
    assert_refused(log, case, NotInOrderError, "vote", rule="S/96/Rev.7 rules 33 and 36",
                   on=DRAFT, yes=10, no=0, abstain=5)
    # A2 first: the President puts the one furthest removed first (rule 36).
    rejected = case.vote(on="A2", yes=4, no=0, abstain=11)
    assert (rejected.outcome, rejected.needed) == ("rejected", 9)
    adopted = case.vote(on="A1", yes=12, no=0, abstain=3)
    assert adopted.outcome == "adopted"
    final = case.vote(on=DRAFT, yes=15, no=0, abstain=0)
    assert final.outcome == "adopted" and case.state == "council.adopted"
    assert case.data.amended


def test_charter_art_27_3_a_permanent_member_vetoes_an_amendment(log: ProcedureLog) -> None:
    case = council_draft(log)
    case.submit_amendment(symbol="A1", proposers=["France"], text="Add sovereignty")
    assert_refused(log, case, InvalidArgumentError, "vote", match="no_members must name",
                   on="A1", yes=11, no=1, abstain=3)
    decision = case.vote(on="A1", yes=11, no=1, abstain=3, no_members=["Russia"])
    assert (decision.outcome, decision.vetoed_by) == ("vetoed", ("Russian Federation",))
    assert case.data.amendments["A1"].status == "vetoed"
    assert case.state == "council.tabled"  # the draft is still to be voted
    assert "negative vote of a permanent member" in describe(events_of(log, "c")[-1])
    assert case.vote(on=DRAFT, yes=10, no=0, abstain=5).outcome == "adopted"
    assert not case.data.amended


def test_s96_rule_33_suspension_is_procedural_nine_votes_no_veto(log: ProcedureLog) -> None:
    case = council_draft(log)
    case.move(motion="suspend-meeting", by="France")
    assert_refused(log, case, NotInOrderError, "vote", match="suspend-meeting is pending",
                   on=DRAFT, yes=15, no=0, abstain=0)
    decision = case.vote(on="suspend-meeting", yes=9, no=2, abstain=4,
                         no_members=["China", "Russia"])
    assert (decision.outcome, decision.majority, decision.vetoed_by) == (
        "adopted", "nine-votes", ())
    assert "Art. 27(2)" in decision.rule
    assert case.state == "council.tabled"


def test_s96_rule_33_postponement_rejected_then_the_draft_is_voted(log: ProcedureLog) -> None:
    case = council_draft(log)
    case.move(motion="postpone", by="France", target="2014-12-23")
    decision = case.vote(on="postpone", yes=5, no=8, abstain=2)
    assert decision.outcome == "rejected"
    assert case.vote(on=DRAFT, yes=10, no=0, abstain=5).outcome == "adopted"


def test_s96_rule_33_order_suspension_before_adjournment(log: ProcedureLog) -> None:
    case = council_draft(log)
    case.move(motion="adjourn-meeting", by="Russia")
    case.move(motion="suspend-meeting", by="France")
    assert_refused(log, case, NotInOrderError, "vote", match="suspend-meeting is pending",
                   on="adjourn-meeting", yes=9, no=6, abstain=0)
    case.vote(on="suspend-meeting", yes=3, no=9, abstain=3)
    assert case.vote(on="adjourn-meeting", yes=4, no=9, abstain=2).outcome == "rejected"


def test_the_written_procedure_of_2020(log: ProcedureLog) -> None:
    case = council_draft(log, day="2020-03-30")
    decision = case.vote(on=DRAFT, yes=15, no=0, abstain=0, method="written-procedure")
    assert decision.outcome == "adopted"
    vote = events_of(log, "c")[-1]
    assert vote.method == "written-procedure"  # type: ignore[attr-defined]
    assert "written procedure" in describe(vote)


def test_the_written_procedure_before_27_march_2020_or_outside_the_council(
    log: ProcedureLog,
) -> None:
    case = council_draft(log, day="2020-03-20")
    assert_refused(log, case, InvalidArgumentError, "vote", match="S/2020/253", on=DRAFT,
                   yes=15, no=0, abstain=0, method="written-procedure")
    other = log.new_case("ga", title="An Assembly draft")
    other.submit_draft(body="plenary", symbol="A/L.1", title="t", sponsors=["Japan"],
                       date="2020-05-01")
    assert_refused(log, other, InvalidArgumentError, "vote", match="voting method of the "
                   "Security Council", on="A/L.1", yes=100, no=0, abstain=0,
                   method="written-procedure")


def test_a_live_vote_by_written_procedure_is_refused_where_a_vote_would_be(
    log: ProcedureLog,
) -> None:
    """open_vote checks the voting method as vote does (it once let any body use it)."""
    other = log.new_case("ga", title="An Assembly draft")
    other.submit_draft(body="plenary", symbol="A/L.1", title="t", sponsors=["Japan"],
                       date="2014-05-01")
    assert_refused(log, other, InvalidArgumentError, "open_vote", match="voting method of "
                   "the Security Council", on="A/L.1", method="written-procedure")


def test_the_permanent_members_are_named_as_in_the_helpers() -> None:
    assert len(PERMANENT) == 5 and len(ELECTED) == 10
