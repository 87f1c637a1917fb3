"""Tests for engine.procedure.rules: the pure functions that decide questions, and their narration.

Each test is named after the rule it checks (A/520/Rev.20; Charter Art. 18 and 27).
"""

from __future__ import annotations

import pytest

from engine.present.narrate import explain
from engine.procedure.bodies import PERMANENT_FIVE
from engine.procedure.rules import Tally, decide_council, decide_general_assembly, quorum_needed

CHINA, FRANCE, RUSSIA, UK, USA = PERMANENT_FIVE


# --- General Assembly: Main Committees (rules 96-133) and plenary (rules 63-95) ----------


def test_rule_125_simple_majority_of_present_and_voting() -> None:
    # Third Committee, 18 November 2014: the DPRK draft approved 111-19-55.
    d = decide_general_assembly("committee", Tally(111, 19, 55))
    assert d.outcome == "adopted"
    assert d.majority == "simple"
    assert d.present_and_voting == 130
    assert d.needed == 66
    assert "rule 125" in d.rule
    assert not d.tie


@pytest.mark.parametrize(
    ("yes", "no", "outcome"),
    [(66, 65, "adopted"), (65, 66, "rejected"), (1, 0, "adopted"), (0, 1, "rejected")],
)
def test_rule_125_one_vote_more_than_against_is_enough(yes: int, no: int, outcome: str) -> None:
    assert decide_general_assembly("committee", Tally(yes, no, 0)).outcome == outcome


def test_rule_126_abstentions_do_not_count() -> None:
    # Cuba's amendment, 2014: 40-77-50. However many abstain, only yes and no count.
    d = decide_general_assembly("committee", Tally(40, 77, 50))
    assert d.outcome == "rejected"
    assert d.present_and_voting == 117
    assert d.needed == 59
    assert d.also == ("rule 126",)
    # A draft carried by 3 to 2 with 150 abstentions is adopted: abstainers are not voting.
    heavy = decide_general_assembly("committee", Tally(3, 2, 150))
    assert heavy.outcome == "adopted"
    assert heavy.present_and_voting == 5
    assert heavy.needed == 3


def test_rule_126_abstentions_do_not_change_the_outcome() -> None:
    for abstain in (0, 1, 50, 170):
        assert decide_general_assembly("committee", Tally(40, 77, abstain)).outcome == "rejected"
        assert decide_general_assembly("committee", Tally(77, 40, abstain)).outcome == "adopted"


def test_rule_133_tie_is_rejected() -> None:
    d = decide_general_assembly("committee", Tally(80, 80, 20))
    assert d.outcome == "rejected"
    assert d.tie is True
    assert "rule 133" in d.rule
    assert "rule 125" not in d.rule


def test_rule_95_plenary_tie_is_rejected() -> None:
    d = decide_general_assembly("plenary", Tally(50, 50, 0))
    assert d.outcome == "rejected"
    assert d.tie is True
    assert "rule 95" in d.rule


def test_rule_85_and_86_cited_in_plenary() -> None:
    # Plenary, 18 December 2014: A/RES/69/188 adopted 116-20-53.
    d = decide_general_assembly("plenary", Tally(116, 20, 53))
    assert d.outcome == "adopted"
    assert d.present_and_voting == 136
    assert d.rule == "rule 85"
    assert d.also == ("rule 86",)
    assert "rule 125" not in d.rule


def test_rule_126_nobody_voting_is_not_adopted() -> None:
    d = decide_general_assembly("committee", Tally(0, 0, 60))
    assert d.outcome == "rejected"
    assert d.present_and_voting == 0


@pytest.mark.parametrize(
    ("members", "needed"), [(193, 97), (192, 97), (191, 96), (47, 24), (30, 16), (15, 8), (1, 1)]
)
def test_rule_108_quorum_needed_is_majority_of_members(members: int, needed: int) -> None:
    assert quorum_needed(members) == needed
    # A majority: more than half, and the smallest such number.
    assert needed * 2 > members
    assert (needed - 1) * 2 <= members


def test_charter_18_2_two_thirds() -> None:
    # Exactly two thirds of those present and voting passes.
    exact = decide_general_assembly("plenary", Tally(100, 50, 40), two_thirds=True)
    assert exact.outcome == "adopted"
    assert exact.majority == "two-thirds"
    assert exact.needed == 100
    assert exact.present_and_voting == 150
    assert "Art. 18(2)" in exact.rule
    # One short of two thirds fails.
    short = decide_general_assembly("plenary", Tally(99, 51, 40), two_thirds=True)
    assert short.outcome == "rejected"
    assert short.needed == 100
    # A simple majority that is not two thirds fails an important question...
    assert decide_general_assembly("plenary", Tally(90, 60, 0), two_thirds=True).outcome == (
        "rejected"
    )
    # ...but passes an ordinary one.
    assert decide_general_assembly("plenary", Tally(90, 60, 0)).outcome == "adopted"


@pytest.mark.parametrize(
    ("yes", "no", "needed", "outcome"),
    [
        (2, 1, 2, "adopted"),  # exactly 2/3
        (1, 1, 2, "rejected"),
        (7, 3, 7, "adopted"),  # 2/3 of 10 is 6.67: 7 needed
        (6, 3, 6, "adopted"),  # exactly 2/3 of 9
        (6, 4, 7, "rejected"),  # one short of ceil(2/3 of 10)
        (0, 0, 0, "rejected"),  # nobody voting: nothing is carried
    ],
)
def test_charter_18_2_two_thirds_rounds_up(yes: int, no: int, needed: int, outcome: str) -> None:
    d = decide_general_assembly("committee", Tally(yes, no, 5), two_thirds=True)
    assert (d.needed, d.outcome) == (needed, outcome)


def test_charter_18_2_abstentions_do_not_count_towards_two_thirds() -> None:
    d = decide_general_assembly("plenary", Tally(20, 10, 150), two_thirds=True)
    assert d.outcome == "adopted"
    assert d.present_and_voting == 30


# --- Security Council (Charter Art. 27) ---------------------------------------------------


def test_charter_27_2_procedural_nine_votes() -> None:
    nine = decide_council(Tally(9, 6, 0), procedural=True, veto_holders=PERMANENT_FIVE)
    assert nine.outcome == "adopted"
    assert nine.majority == "nine-votes"
    assert nine.needed == 9
    assert "Art. 27(2)" in nine.rule
    eight = decide_council(Tally(8, 0, 7), procedural=True, veto_holders=PERMANENT_FIVE)
    assert eight.outcome == "rejected"


def test_charter_27_2_no_veto_on_procedural_matters() -> None:
    # 22 December 2014: the DPRK item put on the agenda 11-2-2, China and Russia against.
    d = decide_council(Tally(11, 2, 2, (CHINA, RUSSIA)), procedural=True,
                       veto_holders=PERMANENT_FIVE)
    assert d.outcome == "adopted"
    assert d.vetoed_by == ()


def test_charter_27_3_veto_by_permanent_member() -> None:
    d = decide_council(Tally(13, 2, 0, (CHINA, RUSSIA)), procedural=False,
                       veto_holders=PERMANENT_FIVE)
    assert d.outcome == "vetoed"
    assert set(d.vetoed_by) == {CHINA, RUSSIA}
    assert "Art. 27(3)" in d.rule
    single = decide_council(Tally(14, 1, 0, (USA,)), procedural=False,
                            veto_holders=PERMANENT_FIVE)
    assert single.outcome == "vetoed"
    assert single.vetoed_by == (USA,)


def test_charter_27_3_elected_member_against_is_not_a_veto() -> None:
    d = decide_council(Tally(13, 2, 0, ("Argentina", "Chad")), procedural=False,
                       veto_holders=PERMANENT_FIVE)
    assert d.outcome == "adopted"
    assert d.vetoed_by == ()


def test_charter_27_3_fewer_than_nine_is_rejected_not_vetoed() -> None:
    d = decide_council(Tally(8, 2, 5, (CHINA, RUSSIA)), procedural=False,
                       veto_holders=PERMANENT_FIVE)
    assert d.outcome == "rejected"
    assert d.vetoed_by == ()
    assert d.needed == 9


def test_charter_27_3_permanent_abstention_is_not_a_veto() -> None:
    # Darfur, resolution 1593 (2005): 11-0-4, Algeria, Brazil, China and the United States
    # abstaining; adopted.
    d = decide_council(Tally(11, 0, 4), procedural=False, veto_holders=PERMANENT_FIVE)
    assert d.outcome == "adopted"
    assert d.majority == "nine-votes-no-veto"
    assert d.vetoed_by == ()


def test_charter_27_3_nine_exactly_without_veto_is_adopted() -> None:
    d = decide_council(Tally(9, 0, 6), procedural=False, veto_holders=PERMANENT_FIVE)
    assert d.outcome == "adopted"


def test_charter_27_3_veto_holders_are_data() -> None:
    # A body without veto holders: a "no" from anyone is just a vote against.
    d = decide_council(Tally(13, 2, 0, (CHINA, RUSSIA)), procedural=False, veto_holders=())
    assert d.outcome == "adopted"


# --- narration ------------------------------------------------------------------------


def test_explain_cuba_amendment_2014_rule_126() -> None:
    d = decide_general_assembly("committee", Tally(40, 77, 50))
    text = explain(d, Tally(40, 77, 50))
    assert "117" in text
    assert "59" in text
    assert "rule 126" in text
    assert "rule 125" in text
    assert "Rejected" in text
    assert "50 abstentions" in text


def test_explain_rule_133_tie() -> None:
    d = decide_general_assembly("committee", Tally(80, 80, 20))
    text = explain(d, Tally(80, 80, 20))
    assert "rule 133" in text
    assert "Rejected" in text


def test_explain_charter_27_3_veto_names_the_permanent_member() -> None:
    tally = Tally(13, 2, 0, (CHINA, RUSSIA))
    text = explain(decide_council(tally, False, PERMANENT_FIVE), tally)
    assert "China" in text
    assert "Russian Federation" in text
    assert "negative vote of a permanent member" in text


def test_explain_charter_27_3_fewer_than_nine() -> None:
    tally = Tally(8, 2, 5, (CHINA,))
    text = explain(decide_council(tally, False, PERMANENT_FIVE), tally)
    assert "failed to obtain the required number of votes" in text
    assert "negative vote" not in text


def test_explain_charter_27_3_abstention_is_not_a_veto() -> None:
    tally = Tally(11, 0, 4)
    text = explain(decide_council(tally, False, PERMANENT_FIVE), tally)
    assert "Adopted" in text
    assert "abstention is not a veto" in text
