"""Bodies declared by a case (`new_case(..., bodies=[...])`): a body is data, so a Model UN
committee, a council with its own veto holders or a Human Rights Council of 47 follow the
rule set they name (committee, plenary or council) without engine code of their own.
"""

from __future__ import annotations

import datetime as dt

import pytest
from procedure_helpers import PERMANENT, assert_refused, events_of

from engine import (
    Case,
    InvalidArgumentError,
    InvalidVoteError,
    NotInOrderError,
    ProcedureLog,
    UnknownMemberError,
)
from engine.present.narrate import describe
from engine.procedure.rules import quorum_needed
from engine.procedure.seats import un_seats
from events import VoteTaken

DAY = "2024-03-01"
# A Model UN committee of 30 delegations with free names.
DELEGATIONS = [f"Delegation of {name}" for name in (
    "Atlantis", "Freedonia", "Ruritania", "Sylvania", "Genovia", "Latveria", "Wakanda",
    "Zubrowka", "Elbonia", "Florin", "Grand Fenwick", "Kerplakistan", "Molvania", "Narnia",
    "Oceania", "Panem", "Qumar", "Syldavia", "Borduria", "Tomainia", "Bacteria", "Orsinia",
    "Carpathia", "Markovia", "Pottsylvania", "Sokovia", "Vulgaria", "Krakozhia", "Arstotzka",
    "Eurasia")]
MUN_COMMITTEE = {"id": "mun-third", "name": "Model UN Third Committee", "rules": "committee",
                 "members": DELEGATIONS}
# The Human Rights Council as composed in 2014: 47 Member States.
HRC_2014 = [
    "Algeria", "Argentina", "Austria", "Benin", "Botswana", "Brazil", "Burkina Faso", "Chile",
    "China", "Congo", "Costa Rica", "Côte d'Ivoire", "Cuba", "Czech Republic", "Estonia",
    "Ethiopia", "France", "Gabon", "Germany", "India", "Indonesia", "Ireland", "Italy", "Japan",
    "Kazakhstan", "Kenya", "Kuwait", "Maldives", "Mexico", "Montenegro", "Morocco", "Namibia",
    "Pakistan", "Peru", "Philippines", "Republic of Korea", "Romania", "Russian Federation",
    "Saudi Arabia", "Sierra Leone", "South Africa", "North Macedonia", "United Arab Emirates",
    "United Kingdom", "United States", "Venezuela", "Viet Nam"]
HRC = {"id": "hrc", "name": "Human Rights Council", "rules": "committee", "members": HRC_2014}
# A Model UN council of nine with three veto holders.
COUNCIL_NINE = [f"Delegate {n}" for n in range(1, 10)]
MUN_COUNCIL = {"id": "mun-council", "name": "Model UN Council", "rules": "council",
               "members": COUNCIL_NINE, "veto": COUNCIL_NINE[:3]}



def in_body(log: ProcedureLog, body: dict[str, object], sponsors: list[str],
            case_id: str = "declared", date: str = DAY) -> Case:
    case = log.new_case(case_id, title="A declared body", bodies=[body])
    case.submit_draft(body=str(body["id"]), symbol="D/1", title="A draft", sponsors=sponsors,
                      date=date)
    return case


# --- a Model UN committee of 30 -------------------------------------------------------------


def test_rule_108_model_un_committee_quorum_is_16_of_30(log: ProcedureLog) -> None:
    assert quorum_needed(30) == 16
    case = in_body(log, MUN_COMMITTEE, sponsors=["Delegation of Atlantis"])
    assert case.state == "committee.tabled"
    err = assert_refused(log, case, NotInOrderError, "vote", rule="rule 108",
                         match="only 15 members are present and 16 .* of the 30 members",
                         on="D/1", yes=10, no=5, abstain=0, date="2024-03-02")
    assert "rule 108" in str(err)
    decision = case.vote(on="D/1", yes=10, no=5, abstain=1, date="2024-03-02")
    assert decision.outcome == "adopted"
    assert case.state == "committee.approved"


def test_rule_108_model_un_committee_quorum_with_present(log: ProcedureLog) -> None:
    case = in_body(log, MUN_COMMITTEE, sponsors=["Delegation of Atlantis"])
    assert case.vote(on="D/1", yes=10, no=5, abstain=0, present=16).outcome == "adopted"


def test_rule_125_model_un_committee_decides_by_simple_majority(log: ProcedureLog) -> None:
    case = in_body(log, MUN_COMMITTEE, sponsors=["Delegation of Atlantis"])
    decision = case.vote(on="D/1", yes_members=DELEGATIONS[1:10],
                         no_members=DELEGATIONS[10:18], abstain_members=DELEGATIONS[18:22],
                         date="2024-03-02")
    assert (decision.outcome, decision.needed, decision.present_and_voting) == (
        "adopted", 9, 17)
    assert decision.rule.startswith("rule 125")
    vote = events_of(log, case.id)[-1]
    assert isinstance(vote, VoteTaken)
    assert vote.yes_members == tuple(DELEGATIONS[1:10])  # free names kept as written
    assert (vote.body, vote.yes, vote.no, vote.abstain) == ("mun-third", 9, 8, 4)
    assert "votes on the draft D/1. 9 in favour, 8 against" in describe(vote)


def test_rule_133_model_un_committee_tie_is_rejected(log: ProcedureLog) -> None:
    case = in_body(log, MUN_COMMITTEE, sponsors=["Delegation of Atlantis"])
    decision = case.vote(on="D/1", yes=8, no=8, abstain=0, date="2024-03-02")
    assert (decision.outcome, decision.tie) == ("rejected", True)
    assert decision.rule.startswith("rule 133")
    assert case.state == "committee.rejected"


def test_design_6_model_un_committee_has_30_seats(log: ProcedureLog) -> None:
    case = in_body(log, MUN_COMMITTEE, sponsors=["Delegation of Atlantis"])
    assert_refused(log, case, InvalidVoteError, "vote", match="Model UN Third Committee has 30 "
                   "members", on="D/1", yes=20, no=10, abstain=1)


def test_design_6_unknown_delegation_suggests_near_names(log: ProcedureLog) -> None:
    case = in_body(log, MUN_COMMITTEE, sponsors=["Delegation of Atlantis"])
    err = assert_refused(log, case, UnknownMemberError, "vote",
                         match="'Delegation of Atlantiss' in yes_members: not a member of "
                         "Model UN Third Committee",
                         on="D/1", yes_members=["Delegation of Atlantiss"], present=16)
    assert "Delegation of Atlantis" in err.suggestions  # type: ignore[attr-defined]
    assert "did you mean 'Delegation of Atlantis'" in str(err)
    # A UN Member State that is not a delegation of this committee does not sit in it.
    assert_refused(log, case, UnknownMemberError, "vote", match="'France'.*not a member of "
                   "Model UN Third Committee", on="D/1", yes_members=["France"], present=16)
    # Sponsors too must be delegations.
    err = assert_refused(log, case, UnknownMemberError, "add_sponsors",
                         sponsors=["Delegation of Freedona"])
    assert "Delegation of Freedonia" in err.suggestions  # type: ignore[attr-defined]


def test_design_6_declared_body_through_the_whole_committee_path(log: ProcedureLog) -> None:
    case = in_body(log, MUN_COMMITTEE, sponsors=["Delegation of Atlantis"])
    case.submit_amendment(symbol="am-1", proposers=["Delegation of Panem"], text="Delete OP2",
                          implies_rejection_of=["am-2"])
    case.submit_amendment(symbol="am-2", proposers=["Delegation of Qumar"], text="Delete OP3")
    case.vote(on="am-1", yes=12, no=5, abstain=0, date="2024-03-02")
    assert case.data.amendments["am-2"].status == "lapsed"
    case.vote(on="D/1", yes=12, no=5, abstain=0, date="2024-03-02")
    assert events_of(log, case.id)[-1].as_amended is True  # type: ignore[attr-defined]
    assert case.state == "committee.approved"
    reloaded = log.case(case.id)
    assert reloaded.data.bodies["mun-third"].members == tuple(DELEGATIONS)
    assert reloaded.data.as_dict() == case.data.as_dict()


# --- a declared council with veto holders ---------------------------------------------------


def test_charter_art_27_3_declared_council_veto_holder(log: ProcedureLog) -> None:
    case = in_body(log, MUN_COUNCIL, sponsors=["Delegate 4"])
    assert case.state == "council.tabled"
    decision = case.vote(on="D/1", yes=8, no=1, abstain=0, no_members=["Delegate 2"])
    assert (decision.outcome, decision.vetoed_by) == ("vetoed", ("Delegate 2",))
    assert decision.needed == 6  # three fifths of nine, rounded up
    assert case.state == "council.vetoed"


def test_charter_art_27_3_declared_council_other_member_against_is_no_veto(
    log: ProcedureLog,
) -> None:
    case = in_body(log, MUN_COUNCIL, sponsors=["Delegate 4"])
    decision = case.vote(on="D/1", yes=6, no=3, abstain=0,
                         no_members=["Delegate 7", "Delegate 8", "Delegate 9"])
    assert (decision.outcome, decision.vetoed_by) == ("adopted", ())
    assert case.state == "council.adopted"


def test_charter_art_27_3_declared_council_too_few_votes(log: ProcedureLog) -> None:
    case = in_body(log, MUN_COUNCIL, sponsors=["Delegate 4"])
    decision = case.vote(on="D/1", yes=5, no=1, abstain=3, no_members=["Delegate 1"])
    assert (decision.outcome, decision.vetoed_by) == ("rejected", ())
    assert case.state == "council.rejected"


def test_charter_art_27_3_declared_council_against_must_be_named(log: ProcedureLog) -> None:
    case = in_body(log, MUN_COUNCIL, sponsors=["Delegate 4"])
    assert_refused(log, case, InvalidArgumentError, "vote", match="no_members must name each",
                   on="D/1", yes=8, no=1, abstain=0)


def test_charter_art_27_3_declared_council_of_fifteen_needs_nine(log: ProcedureLog) -> None:
    elected = ["Argentina", "Australia", "Chad", "Chile", "Jordan", "Lithuania", "Luxembourg",
               "Nigeria", "Republic of Korea", "Rwanda"]
    body = {"id": "council-b", "name": "Council B", "rules": "council",
            "members": [*PERMANENT, *elected], "veto": ["China"]}
    case = in_body(log, body, sponsors=["Chile"], date="2014-12-22")
    decision = case.vote(on="D/1", yes=8, no=0, abstain=7)
    assert (decision.outcome, decision.needed) == ("rejected", 9)
    case = in_body(log, body, sponsors=["Chile"], case_id="b2", date="2014-12-22")
    # France is not a veto holder of this council.
    decision = case.vote(on="D/1", yes=13, no=1, abstain=1, no_members=["France"])
    assert (decision.outcome, decision.vetoed_by) == ("adopted", ())


# --- a Human Rights Council of 47 Member States ----------------------------------------------


def hrc(log: ProcedureLog) -> Case:
    return in_body(log, HRC, sponsors=["Japan", "EST"], date="2014-03-20")


def test_design_4_human_rights_council_of_47_member_states(log: ProcedureLog) -> None:
    case = hrc(log)
    members = case.data.bodies["hrc"].members
    assert members is not None
    assert len(members) == 47
    assert set(members) <= un_seats(dt.date(2014, 3, 28))  # stored under UN names
    assert "United States of America" in members
    assert case.data.draft.sponsors == ["Japan", "Estonia"]  # type: ignore[union-attr]
    assert quorum_needed(47) == 24
    assert_refused(log, case, InvalidVoteError, "vote", match="Human Rights Council has 47",
                   on="D/1", yes=25, no=20, abstain=3)
    assert_refused(log, case, NotInOrderError, "vote", rule="rule 108",
                   match="only 23 members are present and 24", on="D/1", yes=13, no=6,
                   abstain=4)
    decision = case.vote(on="D/1", yes=30, no=6, abstain=11, date="2014-03-28")
    assert decision.outcome == "adopted"
    assert decision.rule.startswith("rule 125")
    assert case.state == "committee.approved"


def test_design_6_human_rights_council_seats_only_its_members(log: ProcedureLog) -> None:
    case = hrc(log)
    assert_refused(log, case, UnknownMemberError, "vote",
                   match="'Norway' in no_members: not a member of Human Rights Council",
                   on="D/1", yes=30, no=1, abstain=0, no_members=["Norway"])
    err = assert_refused(log, case, UnknownMemberError, "vote", match="'Brasil'",
                         on="D/1", yes=30, no=1, abstain=0, no_members=["Brasil"])
    assert "Brazil" in err.suggestions  # type: ignore[attr-defined]
    decision = case.vote(on="D/1", yes=30, no=2, abstain=0, no_members=["RU", "Cuba"],
                         date="2014-03-28")
    vote = events_of(log, case.id)[-1]
    assert vote.no_members == ("Russian Federation", "Cuba")  # type: ignore[attr-defined]
    assert decision.outcome == "adopted"


def test_design_6_declared_body_membership_on_the_vote_date(log: ProcedureLog) -> None:
    body = {"id": "hrc-2010", "name": "A council of UN members", "rules": "committee",
            "members": ["South Sudan", "Sudan", "Kenya", "Uganda", "Ethiopia"]}
    case = in_body(log, body, sponsors=["Kenya"], date="2010-11-01")
    assert_refused(log, case, UnknownMemberError, "vote", match="admitted on 2011-07-14",
                   on="D/1", yes_members=["South Sudan", "Kenya", "Uganda"], date="2010-11-02")


# --- declaring a body -----------------------------------------------------------------------


@pytest.mark.parametrize(("body", "match"), [
    ({**MUN_COMMITTEE, "rules": "assembly"}, "rules must be one of committee, plenary, council"),
    ({**MUN_COMMITTEE, "quorum": 10}, "a body has no key 'quorum'"),
    ({**MUN_COMMITTEE, "id": "plenary"}, "built in"),
    ({**MUN_COMMITTEE, "members": [*DELEGATIONS, DELEGATIONS[0]]}, "distinct"),
    ({**MUN_COMMITTEE, "members": []}, "at least one"),
    ({**MUN_COUNCIL, "veto": ["Delegate 10"]}, "veto holders must be members"),
    ({"id": "x", "rules": "committee"}, "non-empty string 'name'"),
])
def test_design_4_bodies_are_checked_data(log: ProcedureLog, body: dict[str, object],
                                          match: str) -> None:
    with pytest.raises(InvalidArgumentError, match=match):
        log.new_case("bad-body", title="t", bodies=[body])
    assert log.events.count() == 0


def test_design_4_two_declared_bodies_with_one_id(log: ProcedureLog) -> None:
    with pytest.raises(InvalidArgumentError, match="same id"):
        log.new_case("bad-body", title="t", bodies=[MUN_COMMITTEE, MUN_COMMITTEE])


def test_design_4_unknown_body_lists_the_declared_ones(log: ProcedureLog) -> None:
    case = log.new_case("c", title="t", bodies=[MUN_COMMITTEE])
    assert_refused(log, case, InvalidArgumentError, "submit_draft",
                   match="unknown body 'mun-thrid'; bodies: mun-third, first-committee",
                   body="mun-thrid", symbol="D/1", title="t")
    assert log.events.count() == 0
