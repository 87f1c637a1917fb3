"""Vote validation through the case API and the quorum (rule 108 / 67).

Counts are non-negative whole numbers, their sum at most the membership on the vote's
date; member lists name members of the body on that date (admission dates), each member
once, and agree with the counts; without `present`, those who voted are those present,
and the quorum is checked against them. Every refusal appends nothing. (check_tally's own
cases are in tests/procedure/test_tally.py.)
"""

from __future__ import annotations

import datetime as dt

import pytest
from procedure_helpers import CARRIED, DRAFT, assert_refused, decide, events_of, tabled

from engine import (
    InvalidArgumentError,
    InvalidVoteError,
    NotInOrderError,
    ProcedureLog,
    UnknownMemberError,
)
from engine.procedure.members import members_on
from events import VoteTaken

GA_2014 = sorted(m.name for m in members_on(dt.date(2014, 11, 18)))



# --- membership on the vote's date ----------------------------------------------------------


def test_design_6_membership_on_the_vote_date_admission_dates(log: ProcedureLog) -> None:
    # South Sudan was admitted on 14 July 2011.
    case = tabled(log, sponsors=["Sudan"], date="2011-07-01")
    err = assert_refused(log, case, UnknownMemberError, "vote", match="admitted on 2011-07-14",
                         on=DRAFT, yes_members=["South Sudan"], present=100,
                         date="2011-07-13")
    assert "South Sudan" in str(err)
    decision = case.vote(on=DRAFT, yes_members=["South Sudan"], present=100, date="2011-07-14")
    assert decision.outcome == "adopted"
    vote = events_of(log, case.id)[-1]
    assert isinstance(vote, VoteTaken)
    assert (vote.yes_members, vote.present) == (("South Sudan",), 100)


def test_design_6_votes_cannot_exceed_the_membership_on_the_date(log: ProcedureLog) -> None:
    case = tabled(log, sponsors=["Sudan"], date="2011-07-01")
    assert_refused(log, case, InvalidVoteError, "vote", match=r"= 193 votes.*192 members",
                   on=DRAFT, yes=100, no=90, abstain=3, date="2011-07-13")
    assert case.vote(on=DRAFT, yes=100, no=90, abstain=3, date="2011-07-14").outcome == (
        "adopted")


def test_design_6_sponsors_are_members_on_the_date(log: ProcedureLog) -> None:
    case = log.new_case("c", title="t")
    assert_refused(log, case, UnknownMemberError, "submit_draft", match="admitted on 2011-07-14",
                   body="third-committee", symbol=DRAFT, title="t", sponsors=["SSD"],
                   date="2011-07-13")
    case.submit_draft(body="third-committee", symbol=DRAFT, title="t", sponsors=["SSD"],
                      date="2011-07-14")
    assert case.data.draft.sponsors == ["South Sudan"]  # type: ignore[union-attr]


# --- counts and lists -----------------------------------------------------------------------


@pytest.mark.parametrize(("counts", "match"), [
    ({"yes": -1, "no": 60, "abstain": 40}, "the yes count cannot be negative"),
    ({"yes": 90, "no": 1.5, "abstain": 40}, "the no count must be a whole number"),
    ({"yes": 90, "no": 60, "abstain": True}, "the abstain count must be a whole number"),
    ({"yes": "90", "no": 60, "abstain": 40}, "the yes count must be a whole number"),
    ({"yes": 100, "no": 90, "abstain": 4}, r"100 \+ 90 \+ 4 = 194 votes"),
])
def test_design_6_counts_are_whole_numbers_within_the_membership(
    log: ProcedureLog, counts: dict[str, object], match: str,
) -> None:
    case = tabled(log)
    assert_refused(log, case, InvalidVoteError, "vote", match=match, on=DRAFT, **counts)


def test_design_6_each_member_votes_once(log: ProcedureLog) -> None:
    case = tabled(log)
    assert_refused(log, case, InvalidVoteError, "vote", match="France is listed twice",
                   on=DRAFT, yes_members=["France"], no_members=["FRA"], present=100)
    assert_refused(log, case, InvalidVoteError, "vote", match="Russian Federation is listed "
                   "twice", on=DRAFT, yes_members=["Russia", "Russian Federation"], present=100)


def test_design_6_lists_and_counts_agree(log: ProcedureLog) -> None:
    case = tabled(log)
    assert_refused(log, case, InvalidVoteError, "vote", match="no = 3 but no_members names 2",
                   on=DRAFT, yes=90, no=3, abstain=10, no_members=["Cuba", "Iran"])
    decision = case.vote(on=DRAFT, yes=90, no=2, abstain=10, no_members=["Cuba", "Iran"],
                         date="2014-11-18")
    assert decision.outcome == "adopted"


def test_design_6_member_lists_give_the_counts(log: ProcedureLog) -> None:
    case = tabled(log)
    yes, no, abstain = GA_2014[:60], GA_2014[60:100], GA_2014[100:110]
    decision = case.vote(on=DRAFT, yes_members=yes, no_members=no, abstain_members=abstain,
                         date="2014-11-18")
    assert (decision.outcome, decision.present_and_voting, decision.needed) == (
        "adopted", 100, 51)
    vote = events_of(log, case.id)[-1]
    assert isinstance(vote, VoteTaken)
    assert (vote.yes, vote.no, vote.abstain) == (60, 40, 10)
    assert vote.no_members == tuple(no)


def test_design_6_unknown_member_suggests_near_names_and_names_the_list(
    log: ProcedureLog,
) -> None:
    case = tabled(log)
    err = assert_refused(log, case, UnknownMemberError, "vote", match="'Untied Kingdom' in "
                         "abstain_members", on=DRAFT, yes=100, no=0, abstain=1,
                         abstain_members=["Untied Kingdom"])
    assert "United Kingdom of Great Britain and Northern Ireland" in (
        err.suggestions)  # type: ignore[attr-defined]


@pytest.mark.parametrize("present", [50, 194, -1])
def test_design_6_present_lies_between_those_who_voted_and_the_membership(
    log: ProcedureLog, present: int,
) -> None:
    case = tabled(log)
    assert_refused(log, case, InvalidVoteError, "vote", match="present", on=DRAFT, yes=40,
                   no=20, abstain=0, present=present)


# --- quorum (rule 108 / rule 67) --------------------------------------------------------------


def test_rule_108_quorum_is_counted_from_those_who_voted(log: ProcedureLog) -> None:
    case = tabled(log)
    assert_refused(log, case, NotInOrderError, "vote", rule="rule 108",
                   match="only 96 members are present and 97", on=DRAFT, yes=50, no=40,
                   abstain=6)
    assert case.vote(on=DRAFT, yes=50, no=40, abstain=7).outcome == "adopted"
    vote = events_of(log, case.id)[-1]
    assert vote.present is None  # type: ignore[attr-defined]


def test_rule_108_quorum_applies_to_amendments_and_motions(log: ProcedureLog) -> None:
    case = tabled(log)
    case.submit_amendment(symbol="A1", proposers=["Cuba"], text="Delete OP7")
    assert_refused(log, case, NotInOrderError, "vote", rule="rule 108", on="A1", yes=10, no=20,
                   abstain=0)
    case.withdraw(symbol="A1")
    case.move(motion="adjourn-debate", by="Uzbekistan")
    assert_refused(log, case, NotInOrderError, "vote", rule="rule 108", on="adjourn-debate",
                   yes=30, no=20, abstain=0)
    assert case.vote(on="adjourn-debate", yes=30, no=20, abstain=0, present=120).outcome == (
        "adopted")
    assert case.state == "committee.no_action"


def test_rule_108_quorum_in_a_committee_of_192(log: ProcedureLog) -> None:
    # Before South Sudan's admission there were 192 members: 97 still make the quorum.
    case = tabled(log, date="2010-11-10")
    assert_refused(log, case, NotInOrderError, "vote", rule="rule 108",
                   match="97 .a majority of the 192 members", on=DRAFT, yes=50, no=40,
                   abstain=6, date="2010-11-18")


# --- method of voting (rule 127 / 87) -------------------------------------------------------


@pytest.mark.parametrize("method", ["recorded", "non-recorded", "roll-call"])
def test_rule_127_method_of_voting_is_recorded(log: ProcedureLog, method: str) -> None:
    case = tabled(log)
    decide(case, DRAFT, CARRIED, method=method)
    assert events_of(log, case.id)[-1].method == method  # type: ignore[attr-defined]


def test_rule_127_unknown_method_of_voting_is_refused(log: ProcedureLog) -> None:
    case = tabled(log)
    assert_refused(log, case, InvalidArgumentError, "vote", match="method must be one of",
                   on=DRAFT, method="secret", **CARRIED)


# --- majorities a vote may ask for ----------------------------------------------------------


def test_design_6_majority_must_be_known(log: ProcedureLog) -> None:
    case = tabled(log, body="plenary")
    assert_refused(log, case, InvalidArgumentError, "vote", match="majority must be one of",
                   on=DRAFT, majority="three-quarters", **CARRIED)


def test_rule_125_main_committee_decides_by_simple_majority_even_on_important_questions(
    log: ProcedureLog,
) -> None:
    case = tabled(log)
    try:
        decision = case.vote(on=DRAFT, yes=90, no=60, abstain=10, majority="two-thirds",
                             date="2014-11-18")
    except (InvalidArgumentError, NotInOrderError) as e:  # refusing it would do as well
        assert "rule 125" in str(e)
        assert log.events.count() == 2
    else:
        assert (decision.majority, decision.outcome) == ("simple", "adopted")
        assert decision.rule.startswith("rule 125")


def test_rule_87_plenary_method_of_voting_is_recorded(log: ProcedureLog) -> None:
    case = tabled(log, body="plenary")
    decide(case, DRAFT, CARRIED, method="roll-call")
    assert events_of(log, case.id)[-1].method == "roll-call"  # type: ignore[attr-defined]
    assert log.case(case.id).data.decisions[-1].decision.outcome == "adopted"


# --- order of proposals (rule 131 / 91) -----------------------------------------------------
# A case follows one proposal, so the order of submission between proposals is kept by
# refusing a second draft in the same case; each competing draft is a case of its own.


def test_rule_131_one_proposal_per_case(log: ProcedureLog) -> None:
    case = tabled(log)
    assert_refused(log, case, NotInOrderError, "submit_draft", match="submit_draft is not in "
                   "order: the case is committee.tabled", body="third-committee", symbol="L.2",
                   title="A competing draft")


def test_rule_91_one_proposal_per_case_in_the_plenary(log: ProcedureLog) -> None:
    case = tabled(log, body="plenary")
    assert_refused(log, case, NotInOrderError, "submit_draft", match="plenary.tabled",
                   body="plenary", symbol="L.2", title="A competing draft")
