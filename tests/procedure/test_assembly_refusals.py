"""Refusals in the Assembly that name their rule: a vote after a carried no-action motion
(A/520/Rev.20 rule 116 / 74), a State not yet admitted (Charter Art. 4), the motion for
division (rule 129 / 89), and dates that run backwards (the order of the proceedings),
which `verify` also finds in a log written by other means.
"""

from __future__ import annotations

from procedure_helpers import (
    CARRIED,
    DRAFT,
    SUBMITTED,
    VOTED,
    assert_refused,
    decide,
    events_of,
    tabled,
)

from engine import NotInOrderError, ProcedureLog, UnknownMemberError
from engine.app.verify import verify
from engine.present.narrate import describe
from engine.procedure.chronology import DateOrderError, backwards
from events import NewEvent, SponsorsAdded, VoteTaken


def test_rule_116_no_vote_after_a_carried_no_action_motion(log: ProcedureLog) -> None:
    case = tabled(log)
    case.move(motion="adjourn-debate", by="Uzbekistan", date=VOTED)
    decide(case, "adjourn-debate", CARRIED)
    assert case.state == "committee.no_action"
    err = assert_refused(log, case, NotInOrderError, "vote", rule="rule 116",
                         match="takes no action on the draft", on=DRAFT, **CARRIED)
    assert err.rule == "rule 116"  # type: ignore[attr-defined]


def test_rule_74_no_vote_after_a_carried_no_action_motion_in_the_plenary(
    log: ProcedureLog,
) -> None:
    case = tabled(log, body="plenary")
    case.move(motion="adjourn-debate", by="Uzbekistan", date=VOTED)
    decide(case, "adjourn-debate", CARRIED)
    assert_refused(log, case, NotInOrderError, "adopt_without_vote", rule="rule 74", on=DRAFT)


def test_charter_art_4_a_state_votes_only_from_its_admission(log: ProcedureLog) -> None:
    case = tabled(log, date="2011-07-01")
    # South Sudan was admitted on 14 July 2011 (General Assembly resolution 65/308).
    assert_refused(log, case, UnknownMemberError, "vote", match=r"Charter Art\. 4",
                   on=DRAFT, date="2011-07-13", yes_members=["South Sudan"], yes=1, no=0,
                   abstain=0, present=100)


def test_rule_129_the_motion_for_division_says_what_follows(log: ProcedureLog) -> None:
    case = tabled(log, operative_paragraphs=2)
    case.request_separate_vote(parts=["OP1"], by="Cuba", objection=True, date=VOTED)
    carried = decide(case, "division", CARRIED)
    assert carried.outcome == "adopted"
    said = describe(events_of(log, case.id)[-1])
    assert "rule 129" in said and "rejected as a whole" in said
    other = tabled(log, "other", body="plenary")
    other.request_separate_vote(parts=["OP1"], by="Cuba", objection=True, date=VOTED)
    decide(other, "division", {"yes": 60, "no": 90, "abstain": 10})
    said = describe(events_of(log, "other")[-1])
    assert "no separate votes" in said and "rule 89" in said


def test_dates_that_run_backwards_are_refused(log: ProcedureLog) -> None:
    case = tabled(log)
    decide(case, DRAFT, CARRIED)  # on VOTED, 2014-11-18
    events = log.events.count()
    case2 = tabled(log, "back", date=VOTED)
    err = assert_refused(log, case2, DateOrderError, "vote", match="dated 2014-11-18",
                         on=DRAFT, date=SUBMITTED, **CARRIED)
    assert "order of the proceedings" in str(err)
    assert log.events.count() == events + 2  # the second case's opening and draft only
    assert case2.vote(on=DRAFT, date=VOTED, **CARRIED).outcome == "adopted"  # same day: fine


def test_undated_actions_never_run_backwards() -> None:
    assert not backwards(None, "2014-11-18")
    assert not backwards("2014-11-18", None)
    assert backwards("2014-11-17", "2014-11-18")


def test_verify_reports_a_log_whose_dates_run_backwards(log: ProcedureLog) -> None:
    case = tabled(log)
    decision = case.vote(on=DRAFT, date=VOTED, **CARRIED)
    assert verify(log).ok
    # Written behind the engine's back: an event dated before the vote it follows.
    last = events_of(log, case.id)[-1]
    assert isinstance(last, VoteTaken) and last.decision == decision
    late = SponsorsAdded(DRAFT, ("Norway",))
    log.events.append(case.id, [NewEvent(late, "2014-11-01", None, None, None)],
                      case.version)
    report = verify(log)
    assert not report.ok and report.problem is not None
    assert "run backwards" in report.problem.message
    assert "2014-11-01" in report.problem.message
