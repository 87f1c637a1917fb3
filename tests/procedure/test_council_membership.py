"""The Security Council's members by date (engine.procedure.council, data/council.csv).

- every year from 1946 has the five permanent members and six elected members (to 1965)
  or ten (from 1966) (Charter Art. 23(1), as amended in 1965);
- known years come out as the UN's list gives them, former names on their seats;
- a Council vote in a case without `council=` is checked against the Council of its
  date: a Member that did not sit is refused citing Art. 23, with that Council's list;
- `council=` stays an override, and must name that date's number of elected members.
"""

from __future__ import annotations

import datetime as dt

import pytest
from procedure_helpers import assert_refused

from engine import InvalidArgumentError, ProcedureLog, UnknownMemberError
from engine.app.scenarios import load_scenario
from engine.procedure.council import (
    COVERED,
    TERMS,
    NotCouncilMemberError,
    council_on,
    council_size,
    elected_seats,
)
from engine.procedure.members import resolve

D = dt.date
P5 = {"China", "France", "Russian Federation",
      "United Kingdom of Great Britain and Northern Ireland", "United States of America"}
COUNCIL_2017 = ["Bolivia (Plurinational State of)", "Egypt", "Ethiopia", "Italy", "Japan",
                "Kazakhstan", "Senegal", "Sweden", "Ukraine", "Uruguay"]


@pytest.mark.parametrize("year", range(1946, COVERED[1].year + 1))
def test_charter_art_23_every_year_has_five_permanent_and_six_or_ten_elected(year: int) -> None:
    days = [D(year, 7, 1), D(year, 12, 31)] + ([D(year, 1, 1)] if year not in (1946, 1980)
                                               else [])
    for day in days:
        council = council_on(day)
        assert council is not None
        assert set(council.permanent) == P5, day
        assert len(council.elected) == (6 if year <= 1965 else 10), (day, council.elected)
        assert len(council.elected) == elected_seats(day)
        assert council_size(day) == (11 if year <= 1965 else 15)
        assert not P5 & set(council.elected)


def test_known_years() -> None:
    assert council_on(D(2014, 12, 22)).elected == (  # type: ignore[union-attr]
        "Argentina", "Australia", "Chad", "Chile", "Jordan", "Lithuania", "Luxembourg",
        "Nigeria", "Republic of Korea", "Rwanda")
    assert list(council_on(D(2017, 12, 18)).elected) == COUNCIL_2017  # type: ignore[union-attr]
    assert "Netherlands (Kingdom of the)" in council_on(D(2018, 3, 1)).elected  # type: ignore
    assert set(council_on(D(1971, 10, 25)).elected) == {  # type: ignore[union-attr]
        "Argentina", "Belgium", "Burundi", "Italy", "Japan", "Nicaragua", "Poland",
        "Sierra Leone", "Somalia", "Syrian Arab Republic"}
    assert set(council_on(D(1950, 6, 27)).elected) == {  # type: ignore[union-attr]
        "Cuba", "Ecuador", "Egypt", "India", "Norway", "Yugoslavia"}


def test_the_china_and_soviet_seats_are_one_seat_each_across_the_change() -> None:
    china = [t for t in TERMS if t.seat == "China"]
    assert [(t.start, t.end) for t in china] == [(D(1945, 10, 24), None)]
    russia = [t for t in TERMS if t.seat == "Russian Federation"]
    assert [(t.name, t.end) for t in russia] == [
        ("Union of Soviet Socialist Republics", D(1991, 12, 23)), ("Russian Federation", None)]
    assert "Russian Federation" in council_on(D(1991, 12, 25)).permanent  # type: ignore


def test_former_names_sit_on_the_right_seat_on_their_date() -> None:
    seats = {t.name: t.seat for t in TERMS}
    assert seats["Zaire"] == "Democratic Republic of the Congo"
    assert seats["United Arab Republic"] == "Egypt"
    assert seats["Federal Republic of Germany"] == "Germany"
    assert seats["Ukrainian Soviet Socialist Republic"] == "Ukraine"
    # The former Yugoslavia and Czechoslovakia, not Serbia or Czechia.
    assert "Yugoslavia" in council_on(D(1988, 6, 1)).elected  # type: ignore[union-attr]
    assert "Czechoslovakia" in council_on(D(1978, 6, 1)).elected  # type: ignore[union-attr]
    assert "German Democratic Republic" in council_on(D(1980, 6, 1)).elected  # type: ignore
    assert "Democratic Yemen" in council_on(D(1990, 5, 21)).elected  # type: ignore
    assert "Yemen" in council_on(D(1990, 5, 22)).elected  # type: ignore[union-attr]


def test_split_terms_and_the_1980_vacancy() -> None:
    assert "Yugoslavia" in council_on(D(1956, 6, 1)).elected  # type: ignore[union-attr]
    assert "Philippines" in council_on(D(1957, 6, 1)).elected  # type: ignore[union-attr]
    assert "Italy" in council_on(D(2017, 12, 31)).elected  # type: ignore[union-attr]
    assert "Italy" not in council_on(D(2018, 1, 1)).elected  # type: ignore[union-attr]
    assert len(council_on(D(1980, 1, 6)).elected) == 9  # type: ignore[union-attr]
    assert "Mexico" in council_on(D(1980, 1, 7)).elected  # type: ignore[union-attr]


def test_days_outside_the_data_have_no_council() -> None:
    assert council_on(D(1945, 12, 31)) is None
    assert council_on(D(COVERED[1].year + 1, 1, 1)) is None


# --- votes in a case without council= (Charter Art. 23) -------------------------------------


def council_case(log: ProcedureLog, day: str, council: list[str] | None = None):
    case = log.new_case("c", title="A Council draft", council=council)
    case.submit_draft(body="security-council", symbol="S/X", title="A draft",
                      sponsors=["Egypt"], date=day)
    return case


def test_the_real_2017_council_votes_without_council(log: ProcedureLog) -> None:
    case = council_case(log, "2017-12-18")
    decision = case.vote(on="S/X", yes_members=[*sorted(P5), *COUNCIL_2017])
    assert decision.outcome == "adopted"


def test_germany_in_2017_is_refused_citing_art_23_with_that_councils_list(
    log: ProcedureLog,
) -> None:
    case = council_case(log, "2017-12-18")
    names = [*sorted(P5), *["Germany" if m == "Italy" else m for m in COUNCIL_2017]]
    err = assert_refused(log, case, NotCouncilMemberError, "vote", rule="Charter Art. 23",
                         match="Germany was not a member of the Security Council on "
                               "2017-12-18", on="S/X", yes_members=names)
    assert isinstance(err, UnknownMemberError)  # callers catching the old error still do
    assert "Italy" in str(err) and "Kazakhstan" in str(err)


def test_a_1950_vote_names_the_ussr_and_yugoslavia_as_they_sat(log: ProcedureLog) -> None:
    case = council_case(log, "1950-06-27")
    assert_refused(log, case, NotCouncilMemberError, "vote", match="Canada was not a member",
                   on="S/X", yes=9, no=1, abstain=0, no_members=["Canada"])
    decision = case.vote(on="S/X", yes=7, no=1, abstain=1, no_members=["Yugoslavia"],
                         abstain_members=["Union of Soviet Socialist Republics"])
    assert (decision.outcome, decision.needed) == ("adopted", 7)  # seven of eleven then


def test_after_the_data_a_council_vote_needs_council(log: ProcedureLog) -> None:
    case = council_case(log, f"{COVERED[1].year + 1}-02-01")
    assert_refused(log, case, InvalidArgumentError, "vote", match="not recorded.*council",
                   on="S/X", yes=9, no=0, abstain=6)


# --- council= as an override -----------------------------------------------------------------


def test_council_must_name_ten_or_six_elected_members(log: ProcedureLog) -> None:
    with pytest.raises(InvalidArgumentError, match=r"names 1 elected members.*Art\. 23\(1\)"):
        log.new_case("a", title="t", council=["Algeria"])
    assert log.events.count() == 0


def test_council_of_ten_for_a_vote_before_1966_is_refused(log: ProcedureLog) -> None:
    case = council_case(log, "1960-05-26", council=COUNCIL_2017)
    assert_refused(log, case, InvalidArgumentError, "vote", match="10 elected members, but "
                   "on 1960-05-26 the Security Council had 6", on="S/X", yes=9, no=0,
                   abstain=2)


def test_council_overrides_the_data(log: ProcedureLog) -> None:
    # A hypothetical 2017 Council with Germany instead of Italy: the case says so.
    hypothetical = ["Germany" if m == "Italy" else m for m in COUNCIL_2017]
    case = council_case(log, "2017-12-18", council=hypothetical)
    assert case.vote(on="S/X", yes_members=[*sorted(P5), *hypothetical]).outcome == "adopted"


def test_bundled_scenarios_name_the_council_of_their_dates() -> None:
    for name, day in (("dprk-2014", D(2014, 12, 22)), ("darfur-2005", D(2005, 3, 31)),
                      ("libya-2011", D(2011, 2, 26))):
        scenario = load_scenario(name)
        named = sorted(resolve(m).name for m in scenario.council)
        assert named == list(council_on(day).elected), name  # type: ignore[union-attr]
