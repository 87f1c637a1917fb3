"""Tests for engine.app.fork: a new case from the first events of another."""

from __future__ import annotations

import pytest

import engine
from engine import CaseExistsError, InvalidArgumentError, ProcedureLog, UnknownCaseError
from engine.app.fork import (
    ForkError,
    ForkOutOfRangeError,
    ForkSplitsActionError,
    fork,
    fork_points,
    origin,
)
from engine.app.scenarios import load_scenario, run_scenario
from engine.app.verify import verify
from engine.procedure.commands import AddSponsors


def lapsing(log: ProcedureLog) -> engine.Case:
    """A case whose last action recorded two events: a vote and the amendment it made
    lapse (versions 5 and 6)."""
    case = log.new_case("c", title="Two amendments", council=[
        "Argentina", "Australia", "Chad", "Chile", "Jordan", "Lithuania", "Luxembourg",
        "Nigeria", "Republic of Korea", "Rwanda"])  # the elected members of 2014
    case.submit_draft(body="third-committee", symbol="L.1", title="T", sponsors=["Japan"],
                      date="2014-11-14")
    case.submit_amendment(symbol="A1", proposers=["Cuba"], text="One",
                          implies_rejection_of=["A2"])
    case.submit_amendment(symbol="A2", proposers=["Cuba"], text="Two")
    case.vote(on="A1", yes=100, no=50, abstain=10)
    assert [r.type for r in log.events.select("c")][-2:] == ["VoteTaken", "AmendmentLapsed"]
    return case


def test_a_fork_decides_the_first_events_again_and_leaves_the_original(
        log: ProcedureLog) -> None:
    run_scenario(log, load_scenario("dprk-2014"))
    original = list(log.events.select("dprk-2014"))
    again = fork(log, "dprk-2014", 3, "dprk-2014-b")
    assert (again.id, again.version, again.state) == ("dprk-2014-b", 3, "committee.tabled")
    assert again.title == log.case("dprk-2014").title
    forked = list(log.events.select("dprk-2014-b"))
    assert [r.type for r in forked] == [r.type for r in original[:3]]
    assert [r.event for r in forked] == [r.event for r in original[:3]]
    assert [r.occurred_at for r in forked] == [r.occurred_at for r in original[:3]]
    assert [r.note for r in forked] == [None, origin("dprk-2014", 3), origin("dprk-2014", 3)]
    assert origin("dprk-2014", 3) == "fork of dprk-2014 at 3"
    assert list(log.events.select("dprk-2014")) == original  # untouched
    # the fork goes its own way: had Cuba's amendment passed
    assert again.vote(on="cuba-amendment", yes=80, no=50, abstain=40).outcome == "adopted"
    assert log.case("dprk-2014", at=4).data.amendments["cuba-amendment"].status == "rejected"
    assert verify(log).ok


def test_a_whole_case_forks_and_the_events_keep_their_actor_and_note(
        log: ProcedureLog) -> None:
    case = log.new_case("c", title="T")
    case.submit_draft(body="plenary", symbol="L.1", title="T", sponsors=["Japan"])
    case.run(AddSponsors(sponsors=["Italy"]), actor="chair", note="at the meeting")
    again = fork(log, "c", case.version, "d")
    assert again.data.as_dict() | {"case_id": "c"} == case.data.as_dict()
    last = list(log.events.select("d"))[-1]
    assert (last.actor, last.note) == ("chair", "fork of c at 3; at the meeting")


def test_the_opening_alone_is_recorded_with_the_first_action(log: ProcedureLog) -> None:
    lapsing(log)
    before = log.events.count()
    again = fork(log, "c", 1, "d")
    assert again.version == 0 and log.events.count() == before
    assert again.data.council == log.case("c").data.council
    again.submit_draft(body="third-committee", symbol="L.2", title="Other")
    assert [r.type for r in log.events.select("d")] == ["CaseOpened", "DraftSubmitted"]


def test_the_points_a_case_may_be_forked_at(log: ProcedureLog) -> None:
    lapsing(log)
    assert fork_points(log, "c") == (1, 2, 3, 4, 6)
    with pytest.raises(UnknownCaseError, match="no case 'nope'"):
        fork_points(log, "nope")


def test_a_fork_inside_one_actions_events_names_the_two_points_around(
        log: ProcedureLog) -> None:
    lapsing(log)
    before = log.events.count()
    with pytest.raises(ForkSplitsActionError, match="fork at 4 or at 6") as raised:
        fork(log, "c", 5, "d")
    assert (raised.value.before, raised.value.after) == (4, 6)
    assert isinstance(raised.value, ForkError) and isinstance(raised.value, InvalidArgumentError)
    assert log.events.count() == before and not log.events.stream_version("d")
    assert fork(log, "c", 6, "d").version == 6


@pytest.mark.parametrize("at", [0, -1, 7, 99])
def test_an_at_out_of_range_is_refused(log: ProcedureLog, at: int) -> None:
    lapsing(log)
    with pytest.raises(ForkOutOfRangeError, match=f"from 1 to 6, not {at}") as raised:
        fork(log, "c", at, "d")
    assert raised.value.version == 6


@pytest.mark.parametrize("at", ["2", 2.0, True, None])
def test_an_at_that_is_not_a_whole_number_is_refused(log: ProcedureLog, at: object) -> None:
    lapsing(log)
    with pytest.raises(InvalidArgumentError, match="at must be a whole number"):
        fork(log, "c", at, "d")  # type: ignore[arg-type]


def test_bad_ids_are_refused_and_nothing_is_recorded(log: ProcedureLog) -> None:
    lapsing(log)
    before = log.events.count()
    with pytest.raises(UnknownCaseError):
        fork(log, "nope", 1, "d")
    with pytest.raises(CaseExistsError):
        fork(log, "c", 2, "c")
    with pytest.raises(InvalidArgumentError):
        fork(log, "c", 2, "")
    assert log.events.count() == before
