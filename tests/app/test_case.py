"""The library API end to end, on an in-memory log (engine.open(":memory:"))."""

from __future__ import annotations

import pytest

import engine
from engine import (
    Case,
    CaseExistsError,
    ExpectationError,
    InvalidArgumentError,
    NotInOrderError,
    ProcedureLog,
    UnknownCaseError,
    UnknownMemberError,
)

DRAFT = "A/C.3/69/L.28/Rev.1"
COUNCIL_2014 = ["Argentina", "Australia", "Chad", "Chile", "Jordan", "Lithuania", "Luxembourg",
                "Nigeria", "Republic of Korea", "Rwanda"]
COUNCIL_2005 = ["Algeria", "Argentina", "Benin", "Brazil", "Denmark", "Greece", "Japan",
                "Philippines", "Romania", "United Republic of Tanzania"]
DARFUR = "S/2005/218"



def tabled(log: ProcedureLog, case_id: str = "dprk-2014") -> Case:
    """A case with the DPRK draft tabled in the Third Committee (2014)."""
    case = log.new_case(case_id, title="Human rights in the DPRK (2014)", council=COUNCIL_2014)
    case.submit_draft(body="third-committee", symbol=DRAFT, title="Situation of human rights "
                      "in the DPRK", sponsors=["Japan", "Italy"], date="2014-11-14")
    return case


def with_amendment(log: ProcedureLog) -> Case:
    case = tabled(log)
    case.submit_amendment(symbol="cuba-amendment", proposers=["Cuba"],
                          text="Delete OP7 and OP8", date="2014-11-14")
    return case


def council_2005(log: ProcedureLog) -> Case:
    case = log.new_case("darfur-2005", title="Darfur referral (2005)", council=COUNCIL_2005)
    case.submit_draft(body="security-council", symbol=DARFUR, title="Reports of the "
                      "Secretary-General on the Sudan", chapter="VII",
                      referral="International Criminal Court", date="2005-03-31")
    return case


def assert_refused(log: ProcedureLog, case: Case, error: type[Exception], match: str,
                   action: str, **kwargs: object) -> Exception:
    """The action raises `error` and neither the log nor the case moves."""
    events, state, version = log.events.count(), case.state, case.version
    with pytest.raises(error, match=match) as info:
        getattr(case, action)(**kwargs)
    assert log.events.count() == events
    assert (case.state, case.version) == (state, version)
    return info.value


# --- the 2014 path --------------------------------------------------------------------


def play_2014(log: ProcedureLog) -> list[tuple[int, str]]:
    """Record the 2014 path by hand; return (version, state) after each action."""
    seen = []
    case = tabled(log)
    seen.append((case.version, case.state))
    case.submit_amendment(symbol="cuba-amendment", proposers=["Cuba"],
                          text="Delete OP7 and OP8", date="2014-11-14")
    seen.append((case.version, case.state))
    d = case.vote(on="cuba-amendment", yes=40, no=77, abstain=50, date="2014-11-18")
    assert d.outcome == "rejected"
    seen.append((case.version, case.state))
    d = case.vote(on=DRAFT, yes=111, no=19, abstain=55, expect="adopted", date="2014-11-18")
    assert d.outcome == "adopted"
    seen.append((case.version, case.state))
    case.transmit(to="plenary", date="2014-12-18")
    seen.append((case.version, case.state))
    d = case.vote(on=DRAFT, yes=116, no=20, abstain=53, date="2014-12-18")
    assert d.outcome == "adopted"
    seen.append((case.version, case.state))
    case.transmit(to="security-council", date="2014-12-22")
    seen.append((case.version, case.state))
    d = case.vote(on="agenda", yes=11, no=2, abstain=2, date="2014-12-22",
                  no_members=["China", "Russia"], abstain_members=["Chad", "Nigeria"])
    assert d.outcome == "adopted"
    assert d.vetoed_by == ()
    seen.append((case.version, case.state))
    return seen


def test_the_2014_path_by_hand(log: ProcedureLog) -> None:
    assert play_2014(log) == [
        (2, "committee.tabled"),  # CaseOpened + DraftSubmitted
        (3, "committee.tabled"),
        (4, "committee.voting"),
        (5, "committee.approved"),
        (6, "plenary.tabled"),
        (7, "plenary.adopted"),
        (8, "council.seized"),
        (9, "council.on_agenda"),
    ]
    assert log.events.count() == 9
    reloaded = log.case("dprk-2014")
    assert (reloaded.state, reloaded.version) == ("council.on_agenda", 9)
    assert reloaded.title == "Human rights in the DPRK (2014)"
    outcomes = [(d.on, d.decision.outcome) for d in reloaded.data.decisions]
    assert outcomes == [("cuba-amendment", "rejected"), (DRAFT, "adopted"), (DRAFT, "adopted"),
                        ("agenda", "adopted")]
    # Amendments belong to the body that voted them; at version 4 the committee had one.
    assert log.case("dprk-2014", at=4).data.amendments["cuba-amendment"].status == "rejected"
    assert [c.id for c in log.cases()] == ["dprk-2014"]


def test_time_travel_state_at_each_version(log: ProcedureLog) -> None:
    play_2014(log)
    expected = ["new", "new", "committee.tabled", "committee.tabled", "committee.voting",
                "committee.approved", "plenary.tabled", "plenary.adopted", "council.seized",
                "council.on_agenda"]
    for n, state in enumerate(expected):
        assert log.state("dprk-2014", at=n) == state, n
    assert log.state("dprk-2014") == "council.on_agenda"
    assert log.case("dprk-2014", at=4).version == 4
    history = [(rec.version, state.state) for rec, state in log.history("dprk-2014")]
    assert history == list(enumerate(expected))[1:]


def test_replayed_state_equals_live_state(log: ProcedureLog) -> None:
    case = tabled(log)
    case.submit_amendment(symbol="cuba-amendment", proposers=["Cuba"], text="x")
    case.vote(on="cuba-amendment", yes=40, no=77, abstain=50, date="2014-11-18")
    assert log.case(case.id).data.as_dict() == case.data.as_dict()


@pytest.mark.parametrize("at", [-1, True, "3", 1.0])
def test_state_at_must_be_a_version(log: ProcedureLog, at: object) -> None:
    tabled(log)
    with pytest.raises(InvalidArgumentError, match="at must be a version number"):
        log.state("dprk-2014", at=at)  # type: ignore[arg-type]


# --- what is in order -------------------------------------------------------------------


def test_rule_130_draft_not_voted_while_an_amendment_is_pending(log: ProcedureLog) -> None:
    case = with_amendment(log)
    err = assert_refused(log, case, NotInOrderError, "rule 130", "vote",
                         on=DRAFT, yes=111, no=19, abstain=55, date="2014-11-18")
    assert "cuba-amendment" in str(err)
    assert "In order now: vote on cuba-amendment" in str(err)
    assert log.events.count() == 3


def test_transmit_not_in_order_when_tabled(log: ProcedureLog) -> None:
    case = tabled(log)
    err = assert_refused(log, case, NotInOrderError, "transmit is not in order", "transmit",
                         to="plenary")
    text = str(err)
    assert "committee.tabled" in text
    assert "In order now:" in text
    for action in ("submit_amendment", "move", "withdraw", "vote"):
        assert action in text.split("In order now:")[1]
    assert "transmit" not in text.split("In order now:")[1]


def seized(log: ProcedureLog) -> Case:
    """The 2014 case, without the amendment, up to council.seized."""
    case = tabled(log)
    case.vote(on=DRAFT, yes=111, no=19, abstain=55, date="2014-11-18")
    case.transmit(to="plenary", date="2014-12-18")
    case.vote(on=DRAFT, yes=116, no=20, abstain=53, date="2014-12-18")
    case.transmit(to="security-council", date="2014-12-22")
    assert case.state == "council.seized"
    return case


def test_submit_amendment_not_in_order_when_council_seized(log: ProcedureLog) -> None:
    case = seized(log)
    err = assert_refused(log, case, NotInOrderError, "submit_amendment is not in order",
                         "submit_amendment", symbol="x", proposers=["Cuba"], text="t")
    assert "council.seized" in str(err)
    assert ("In order now: vote on agenda, adopt_without_vote on agenda, open_vote on agenda, "
            "take_attendance." in str(err))


def test_council_must_adopt_its_agenda_first(log: ProcedureLog) -> None:
    case = seized(log)
    assert_refused(log, case, NotInOrderError, "agenda", "vote", on=DRAFT, yes=11, no=0,
                   abstain=4, date="2014-12-22")


def test_council_agenda_rejected(log: ProcedureLog) -> None:
    case = seized(log)
    d = case.vote(on="agenda", yes=8, no=2, abstain=5, date="2014-12-22")
    assert d.outcome == "rejected"
    assert case.state == "council.agenda_rejected"


def test_transmit_to_the_wrong_body(log: ProcedureLog) -> None:
    case = tabled(log)
    case.vote(on=DRAFT, yes=111, no=19, abstain=55, date="2014-11-18")
    assert case.state == "committee.approved"
    assert_refused(log, case, NotInOrderError, "goes to plenary", "transmit",
                   to="security-council")


def test_submit_draft_not_in_order_twice(log: ProcedureLog) -> None:
    case = tabled(log)
    assert_refused(log, case, NotInOrderError, "submit_draft is not in order", "submit_draft",
                   body="third-committee", symbol="L.2", title="Another")


# --- the no-action motion (rule 116) ----------------------------------------------------


def test_rule_116_no_action_motion_is_voted_before_anything_else(log: ProcedureLog) -> None:
    case = tabled(log)
    case.move(motion="adjourn-debate", by="Uzbekistan", date="2014-11-18")
    assert case.state == "committee.tabled"
    assert case.data.motions == {"adjourn-debate": "Uzbekistan"}
    err = assert_refused(log, case, NotInOrderError, "rule 116", "vote",
                         on=DRAFT, yes=111, no=19, abstain=55)
    assert "adjourn-debate" in str(err)
    assert "In order now: vote on adjourn-debate" in str(err)


def test_rule_116_no_action_motion_voted_before_a_pending_amendment(log: ProcedureLog) -> None:
    case = with_amendment(log)
    case.move(motion="adjourn-debate", by="Uzbekistan", date="2014-11-18")
    assert_refused(log, case, NotInOrderError, "rule 116", "vote",
                   on="cuba-amendment", yes=40, no=77, abstain=50)


def test_rule_116_no_amendment_while_no_action_motion_is_pending(log: ProcedureLog) -> None:
    case = tabled(log)
    case.move(motion="adjourn-debate", by="Uzbekistan", date="2014-11-18")
    assert_refused(log, case, NotInOrderError, "rule 116", "submit_amendment",
                   symbol="cuba-amendment", proposers=["Cuba"], text="Delete OP7 and OP8")


def test_rule_116_no_action_motion_carried(log: ProcedureLog) -> None:
    case = tabled(log)
    case.move(motion="adjourn-debate", by="Uzbekistan", date="2014-11-18")
    d = case.vote(on="adjourn-debate", yes=74, no=69, abstain=24, date="2014-11-18")
    assert d.outcome == "adopted"
    assert case.state == "committee.no_action"
    assert log.state(case.id) == "committee.no_action"
    assert case.in_order() == ()
    assert_refused(log, case, NotInOrderError, "committee.no_action", "vote",
                   on=DRAFT, yes=111, no=19, abstain=55)


def test_rule_116_no_action_motion_fails_and_the_draft_is_voted(log: ProcedureLog) -> None:
    case = tabled(log)
    case.move(motion="adjourn-debate", by="Uzbekistan", date="2014-11-18")
    d = case.vote(on="adjourn-debate", yes=69, no=74, abstain=24, date="2014-11-18")
    assert d.outcome == "rejected"
    assert case.state == "committee.tabled"
    assert case.data.motions == {}
    d = case.vote(on=DRAFT, yes=111, no=19, abstain=55, date="2014-11-18")
    assert d.outcome == "adopted"
    assert case.state == "committee.approved"


def test_unknown_motion(log: ProcedureLog) -> None:
    case = tabled(log)
    assert_refused(log, case, InvalidArgumentError,
                   "motion must be one of .*'adjourn-debate'.* not 'no-action'", "move",
                   motion="no-action", by="Uzbekistan")


def test_same_motion_twice(log: ProcedureLog) -> None:
    case = tabled(log)
    case.move(motion="adjourn-debate", by="Uzbekistan")
    assert_refused(log, case, NotInOrderError, "already pending",
                   "move", motion="adjourn-debate", by="Cuba")


# --- quorum, expectations, errors that append nothing -----------------------------------


def test_rule_108_quorum_failure_appends_nothing(log: ProcedureLog) -> None:
    case = tabled(log)
    err = assert_refused(log, case, NotInOrderError, "rule 108", "vote",
                         on=DRAFT, yes=10, no=5, abstain=0, date="2014-11-18")
    assert "15 members are present" in str(err)
    assert "97" in str(err)


def test_rule_108_quorum_met_with_present(log: ProcedureLog) -> None:
    case = tabled(log)
    d = case.vote(on=DRAFT, yes=10, no=5, abstain=0, present=97, date="2014-11-18")
    assert d.outcome == "adopted"


def test_expectation_failure_appends_nothing(log: ProcedureLog) -> None:
    case = with_amendment(log)
    err = assert_refused(log, case, ExpectationError, "expected outcome was adopted", "vote",
                         on="cuba-amendment", yes=40, no=77, abstain=50, expect="adopted",
                         date="2014-11-18")
    assert "rejected" in str(err)
    assert "rule 126" in str(err)
    assert case.state == "committee.tabled"


def test_expectation_met_is_recorded(log: ProcedureLog) -> None:
    case = with_amendment(log)
    case.vote(on="cuba-amendment", yes=40, no=77, abstain=50, expect="rejected",
              date="2014-11-18")
    assert case.version == 4


def test_invalid_vote_appends_nothing(log: ProcedureLog) -> None:
    case = tabled(log)
    assert_refused(log, case, engine.InvalidVoteError, "cannot be negative", "vote",
                   on=DRAFT, yes=-1, no=19, abstain=55)


def test_new_case_with_an_existing_id(log: ProcedureLog) -> None:
    tabled(log)
    with pytest.raises(CaseExistsError, match="dprk-2014"):
        log.new_case("dprk-2014", title="Again")
    assert log.events.count() == 2


def test_unknown_case(log: ProcedureLog) -> None:
    with pytest.raises(UnknownCaseError, match="'nope'"):
        log.case("nope")
    tabled(log)
    with pytest.raises(UnknownCaseError, match="dprk-2014"):  # lists the known cases
        log.case("nope")
    with pytest.raises(UnknownCaseError):
        log.state("nope", at=0)


def test_a_new_case_is_recorded_with_its_first_action(log: ProcedureLog) -> None:
    case = log.new_case("quiet", title="Nothing yet")
    assert (case.state, case.version) == ("new", 0)
    assert log.events.count() == 0
    with pytest.raises(UnknownCaseError):
        log.case("quiet")


# --- members ----------------------------------------------------------------------------


def test_unknown_member_suggests_near_names(log: ProcedureLog) -> None:
    case = log.new_case("c", title="t")
    err = assert_refused(log, case, UnknownMemberError, "'Japn'", "submit_draft",
                         body="third-committee", symbol="L.1", title="t", sponsors=["Japn"])
    assert "Japan" in err.suggestions  # type: ignore[attr-defined]
    assert "did you mean 'Japan'" in str(err)


def test_unknown_member_in_a_vote_suggests_near_names(log: ProcedureLog) -> None:
    case = council_2005(log)
    err = assert_refused(log, case, UnknownMemberError, "'Brasil'", "vote",
                         on=DARFUR, yes=11, no=0, abstain=4,
                         abstain_members=["Algeria", "Brasil", "China", "United States"])
    assert "Brazil" in err.suggestions  # type: ignore[attr-defined]
    assert "abstain_members" in str(err)


def test_member_not_yet_admitted_is_refused(log: ProcedureLog) -> None:
    # South Sudan was admitted on 14 July 2011.
    case = log.new_case("c-2010", title="2010")
    assert_refused(log, case, UnknownMemberError, "South Sudan", "submit_draft",
                   body="third-committee", symbol="L.1", title="t", sponsors=["South Sudan"],
                   date="2010-11-18")
    case.submit_draft(body="third-committee", symbol="L.1", title="t", sponsors=["Sudan"],
                      date="2010-11-18")
    assert_refused(log, case, UnknownMemberError, "South Sudan", "vote",
                   on="L.1", yes=1, no=0, abstain=0, yes_members=["South Sudan"], present=120)
    # 193 votes cannot be cast in a committee of 192.
    assert_refused(log, case, engine.InvalidVoteError, "192 members", "vote",
                   on="L.1", yes=100, no=90, abstain=3)


def test_member_not_yet_admitted_message_gives_the_admission_date(log: ProcedureLog) -> None:
    case = log.new_case("c-2010", title="2010")
    with pytest.raises(UnknownMemberError, match="admitted on 2011-07-14"):
        case.submit_draft(body="third-committee", symbol="L.1", title="t",
                          sponsors=["South Sudan"], date="2010-11-18")


# --- withdrawal (rule 122) ----------------------------------------------------------------


def test_rule_122_withdraw_a_tabled_draft(log: ProcedureLog) -> None:
    case = tabled(log)
    case.withdraw(symbol=DRAFT)
    assert case.state == "committee.withdrawn"
    assert log.state(case.id) == "committee.withdrawn"
    assert case.in_order() == ()


def test_rule_122_withdraw_a_pending_amendment(log: ProcedureLog) -> None:
    case = with_amendment(log)
    case.withdraw(symbol="cuba-amendment")
    assert case.state == "committee.tabled"
    assert case.data.amendments["cuba-amendment"].status == "withdrawn"
    # With the amendment gone, the draft can be voted.
    assert case.vote(on=DRAFT, yes=111, no=19, abstain=55).outcome == "adopted"


def test_rule_122_withdraw_after_voting_began_is_refused(log: ProcedureLog) -> None:
    case = with_amendment(log)
    case.vote(on="cuba-amendment", yes=40, no=77, abstain=50, date="2014-11-18")
    assert case.state == "committee.voting"
    err = assert_refused(log, case, NotInOrderError, "withdraw", "withdraw", symbol=DRAFT)
    assert "voting" in str(err)


def test_rule_122_withdraw_after_voting_began_cites_rule_122(log: ProcedureLog) -> None:
    case = with_amendment(log)
    case.vote(on="cuba-amendment", yes=40, no=77, abstain=50, date="2014-11-18")
    with pytest.raises(NotInOrderError, match="rule 122"):
        case.withdraw(symbol=DRAFT)


def test_rule_122_withdraw_an_amendment_not_yet_voted_on(log: ProcedureLog) -> None:
    case = with_amendment(log)
    case.submit_amendment(symbol="second", proposers=["Cuba"], text="Delete OP9")
    case.vote(on="cuba-amendment", yes=40, no=77, abstain=50, date="2014-11-18")
    case.withdraw(symbol="second")
    assert case.data.amendments["second"].status == "withdrawn"


# --- the Security Council (Charter Art. 27) ---------------------------------------------


def test_council_draft_with_permanent_abstentions_is_adopted(log: ProcedureLog) -> None:
    # Darfur, resolution 1593 (31 March 2005): 11-0-4.
    case = council_2005(log)
    assert case.state == "council.tabled"
    d = case.vote(on=DARFUR, yes=11, no=0, abstain=4, expect="adopted",
                  abstain_members=["Algeria", "Brazil", "China", "USA"])
    assert d.outcome == "adopted"
    assert d.vetoed_by == ()
    assert case.state == "council.adopted"
    assert case.data.decisions[-1].decision.rule == "Charter Art. 27(3)"


def test_council_draft_vetoed(log: ProcedureLog) -> None:
    case = council_2005(log)
    d = case.vote(on=DARFUR, yes=13, no=2, abstain=0, no_members=["China", "Russia"])
    assert d.outcome == "vetoed"
    assert set(d.vetoed_by) == {"China", "Russian Federation"}
    assert case.state == "council.vetoed"
    assert log.state(case.id) == "council.vetoed"


def test_council_draft_under_nine_votes_is_rejected(log: ProcedureLog) -> None:
    case = council_2005(log)
    d = case.vote(on=DARFUR, yes=8, no=2, abstain=5, no_members=["China", "Russia"])
    assert d.outcome == "rejected"
    assert case.state == "council.rejected"


def test_council_no_votes_must_be_named(log: ProcedureLog) -> None:
    case = council_2005(log)
    assert_refused(log, case, InvalidArgumentError, "no_members must name each", "vote",
                   on=DARFUR, yes=13, no=2, abstain=0)
    assert case.state == "council.tabled"


def test_council_vote_by_a_non_member_of_the_council(log: ProcedureLog) -> None:
    case = council_2005(log)
    assert_refused(log, case, UnknownMemberError,
                   "Germany was not a member of the Security Council on 2005-03-31 "
                   r"\(Charter Art. 23\); the Council then: China, .*Algeria",
                   "vote", on=DARFUR, yes=13, no=2, abstain=0,
                   no_members=["China", "Germany"])


def test_council_expectation_vetoed(log: ProcedureLog) -> None:
    case = council_2005(log)
    assert_refused(log, case, ExpectationError, "expected outcome was adopted", "vote",
                   on=DARFUR, yes=13, no=2, abstain=0, no_members=["China", "Russia"],
                   expect="adopted")
