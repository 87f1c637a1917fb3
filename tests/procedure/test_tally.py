"""Tests for engine.procedure.tally.check_tally: a vote's figures and member lists."""

from __future__ import annotations

import datetime

import pytest

from engine.procedure.bodies import PERMANENT_FIVE
from engine.procedure.errors import InvalidVoteError, ProcedureError, UnknownMemberError
from engine.procedure.members import members_on
from engine.procedure.tally import CheckedTally, _all_seat_names, check_tally

GA_2014 = tuple(m.name for m in members_on(datetime.date(2014, 11, 18)))
COUNCIL_2005 = (
    *PERMANENT_FIVE,
    "Algeria", "Argentina", "Benin", "Brazil", "Denmark", "Greece", "Japan", "Philippines",
    "Romania", "United Republic of Tanzania",
)


def counts(yes: object = None, no: object = None, abstain: object = None) -> dict[str, object]:
    return {"yes": yes, "no": no, "abstain": abstain}


def test_error_classes_are_procedure_errors() -> None:
    assert issubclass(InvalidVoteError, ProcedureError)
    assert issubclass(UnknownMemberError, ProcedureError)


def test_counts_only() -> None:
    t = check_tally(GA_2014, counts(40, 77, 50), {})
    assert t == CheckedTally(40, 77, 50, (), (), (), 167)


def test_lists_only_give_the_counts_and_resolve_aliases() -> None:
    t = check_tally(
        COUNCIL_2005, counts(),
        {"yes": ["France", "UK", "Russia"], "no": ["USA"], "abstain": ["CN"]},
    )
    assert (t.yes, t.no, t.abstain, t.present) == (3, 1, 1, 5)
    assert t.yes_members == (
        "France", "United Kingdom of Great Britain and Northern Ireland", "Russian Federation"
    )
    assert t.no_members == ("United States of America",)
    assert t.abstain_members == ("China",)


def test_lists_and_counts_that_agree() -> None:
    t = check_tally(COUNCIL_2005, counts(13, 2, 0), {"no": ["China", "Russia"]})
    assert (t.yes, t.no, t.abstain) == (13, 2, 0)
    assert t.no_members == ("China", "Russian Federation")


def test_present_given() -> None:
    t = check_tally(GA_2014, counts(40, 77, 50), {}, present=170)
    assert t.present == 170


@pytest.mark.parametrize("option", ["yes", "no", "abstain"])
def test_negative_count(option: str) -> None:
    with pytest.raises(InvalidVoteError, match=rf"the {option} count cannot be negative \(-1\)"):
        check_tally(GA_2014, {**counts(1, 1, 1), option: -1}, {})


@pytest.mark.parametrize("value", [1.5, 2.0, "40", [3]])
def test_non_integer_count(value: object) -> None:
    with pytest.raises(InvalidVoteError, match="the no count must be a whole number"):
        check_tally(GA_2014, counts(40, value, 50), {})


@pytest.mark.parametrize("value", [True, False])
def test_boolean_is_not_a_count(value: bool) -> None:
    with pytest.raises(InvalidVoteError,
                       match=f"the yes count must be a whole number, not {value}"):
        check_tally(GA_2014, counts(value, 0, 0), {})


def test_sum_above_membership() -> None:
    with pytest.raises(InvalidVoteError, match=r"100 \+ 90 \+ 4 = 194 votes.*193 members"):
        check_tally(GA_2014, counts(100, 90, 4), {}, body_name="the Third Committee")


def test_sum_equal_to_membership_is_fine() -> None:
    assert check_tally(GA_2014, counts(100, 90, 3), {}).present == 193


def test_sum_above_council_membership() -> None:
    with pytest.raises(InvalidVoteError, match="Security Council has 15 members"):
        check_tally(COUNCIL_2005, counts(11, 2, 3), {}, body_name="Security Council")


def test_member_listed_twice_in_the_same_list() -> None:
    with pytest.raises(InvalidVoteError, match=r"France is listed twice.*each member has one vote"):
        check_tally(COUNCIL_2005, counts(), {"yes": ["France", "Japan", "France"]})


def test_member_listed_twice_under_different_names() -> None:
    with pytest.raises(InvalidVoteError, match="Russian Federation is listed twice"):
        check_tally(COUNCIL_2005, counts(), {"yes": ["Russia", "Russian Federation"]})


def test_member_listed_in_two_lists() -> None:
    with pytest.raises(InvalidVoteError,
                       match=r"China is listed twice \(in no_members and abstain_members\)"):
        check_tally(COUNCIL_2005, counts(), {"no": ["China"], "abstain": ["CHN"]})


def test_list_and_count_disagree() -> None:
    with pytest.raises(InvalidVoteError,
                       match="no = 3 but no_members names 2; they must agree"):
        check_tally(COUNCIL_2005, counts(12, 3, 0), {"no": ["China", "Russia"]})


def test_list_of_names_must_not_be_a_string() -> None:
    with pytest.raises(InvalidVoteError, match="no_members must be a list of names"):
        check_tally(COUNCIL_2005, counts(), {"no": "China"})


def test_member_names_must_be_strings() -> None:
    with pytest.raises(InvalidVoteError, match="member names must be strings"):
        check_tally(COUNCIL_2005, counts(), {"yes": [42]})


def test_unknown_member_with_suggestion() -> None:
    with pytest.raises(UnknownMemberError) as info:
        check_tally(GA_2014, counts(), {"yes": ["Frnace"]})
    assert info.value.name == "Frnace"
    assert "France" in info.value.suggestions
    assert "'Frnace'" in str(info.value)
    assert "yes_members" in str(info.value)
    assert "did you mean 'France'" in str(info.value)


def test_non_member_of_the_body() -> None:
    # Germany is a Member State, but it did not sit on the Security Council in 2005.
    with pytest.raises(UnknownMemberError,
                       match="'Germany' in no_members: not a member of the body"):
        check_tally(COUNCIL_2005, counts(), {"no": ["Germany"]})


def test_not_yet_a_member_on_the_date() -> None:
    seats_2010 = tuple(m.name for m in members_on(datetime.date(2010, 11, 18)))
    assert len(seats_2010) == 192
    with pytest.raises(UnknownMemberError, match=r"'South Sudan'.*not a member of the body"):
        check_tally(seats_2010, counts(), {"yes": ["South Sudan"]})


def test_present_below_the_number_who_voted() -> None:
    with pytest.raises(InvalidVoteError,
                       match="present = 160 must lie between the 167 who voted and the 193"):
        check_tally(GA_2014, counts(40, 77, 50), {}, present=160)


def test_present_above_membership() -> None:
    with pytest.raises(InvalidVoteError, match="present = 194"):
        check_tally(GA_2014, counts(40, 77, 50), {}, present=194)


@pytest.mark.parametrize("present", [True, 170.0, "170"])
def test_present_must_be_a_whole_number(present: object) -> None:
    with pytest.raises(InvalidVoteError, match="the present count must be a whole number"):
        check_tally(GA_2014, counts(40, 77, 50), {}, present=present)


def test_negative_present() -> None:
    with pytest.raises(InvalidVoteError, match="the present count cannot be negative"):
        check_tally(GA_2014, counts(0, 0, 0), {}, present=-1)


# --- the whole-list path agrees with the name-by-name one ---------------------------------


def test_a_former_member_named_after_it_left_is_refused_even_among_the_seats() -> None:
    # "Yugoslavia" means Serbia after 1992: a seat list that still holds the old name
    # (a Council or a declared body, whose seats are not filtered by date) must not
    # take a 2010 vote under that name as the old seat's.
    seats = frozenset({"Yugoslavia", "Japan", "France"})
    with pytest.raises(UnknownMemberError, match="Yugoslavia"):
        check_tally(seats, {}, {"yes": ["Yugoslavia", "Japan"]}, on=datetime.date(2010, 1, 3))
    assert check_tally(seats, {}, {"yes": ["Yugoslavia", "Japan"]},
                       on=datetime.date(1980, 1, 3)).yes_members == ("Yugoslavia", "Japan")


def test_the_whole_list_path_takes_a_dated_name_only_on_the_dates_it_is_that_seat() -> None:
    seats = frozenset({"Yugoslavia", "Japan"})
    lists = {"yes": ["Yugoslavia", "Japan"]}
    assert _all_seat_names(seats, lists, datetime.date(1980, 1, 3)) == {
        "yes": ("Yugoslavia", "Japan"), "no": (), "abstain": ()}
    for on in (datetime.date(2010, 1, 3), None):
        assert _all_seat_names(seats, lists, on) is None  # the name-by-name check decides
    twice = {"yes": ["Yugoslavia"], "no": ["Yugoslavia"]}
    assert _all_seat_names(seats, twice, datetime.date(1980, 1, 3)) is None


def test_a_string_subclass_is_resolved_by_its_text_not_taken_on_its_word() -> None:
    class Liar(str):
        def __hash__(self) -> int:
            return hash("Japan")

        def __eq__(self, other: object) -> bool:
            return other == "Japan" or str.__eq__(self, other)

    with pytest.raises(UnknownMemberError, match="Atlantis"):
        check_tally(frozenset({"Japan", "France"}), {}, {"yes": [Liar("Atlantis")]})


def test_member_lists_given_as_iterators_are_read_once_and_counted() -> None:
    tally = check_tally(frozenset({"Japan", "France"}), {},
                        {"yes": (n for n in ["Japan", "France"])})  # type: ignore[dict-item]
    assert (tally.yes, tally.yes_members) == (2, ("Japan", "France"))
