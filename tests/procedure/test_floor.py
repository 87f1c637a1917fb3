"""The list of speakers while a text is debated: speakers called in the order in which
they asked (rule 109 / 68), the time allowed to each (rule 114 / 72), the list closed with
the body's consent and the right of reply after it (rule 115 / 73), and no speech once
voting began (rule 128 / 88)."""

from __future__ import annotations

import pytest
from procedure_helpers import (
    CARRIED,
    DRAFT,
    VOTED,
    assert_refused,
    assert_replays,
    decide,
    event_types,
    tabled,
)

import engine
from engine import InvalidArgumentError, NotInOrderError, ProcedureLog, UnknownMemberError
from engine.present.narrate import describe


@pytest.fixture
def log() -> ProcedureLog:
    return engine.open(":memory:")


def test_rule_109_speakers_are_called_in_the_order_they_asked(log: ProcedureLog) -> None:
    case = tabled(log)
    for member in ("Cuba", "Japan", "FRA"):
        case.inscribe(member=member)
    assert case.data.floor.waiting == ["Cuba", "Japan", "France"]
    assert_refused(log, case, NotInOrderError, "speak", rule="rule 109",
                   match="Japan is number 2 on the list; Cuba speaks next", member="Japan")
    case.speak()
    assert (case.data.floor.speaking, case.data.floor.waiting) == ("Cuba", ["Japan", "France"])
    case.speak(member="Japan")
    assert case.data.floor.heard == ["Cuba", "Japan"]
    assert_replays(log, case)


def test_rule_68_the_plenary_cites_its_own_rule(log: ProcedureLog) -> None:
    case = tabled(log, body="plenary")
    assert_refused(log, case, NotInOrderError, "speak", rule="rule 68",
                   match="no one is on the list of speakers")


def test_a_member_is_on_the_list_once(log: ProcedureLog) -> None:
    case = tabled(log)
    case.inscribe(member="Japan")
    assert_refused(log, case, InvalidArgumentError, "inscribe",
                   match="Japan is already on the list of speakers, number 1 of 1",
                   member="JPN")


def test_only_members_of_the_body_speak(log: ProcedureLog) -> None:
    case = tabled(log)
    assert_refused(log, case, UnknownMemberError, "inscribe",
                   match="unknown member 'Atlantis' in the list of speakers", member="Atlantis")


def test_rule_115_a_closed_list_takes_no_one_and_opens_the_right_of_reply(
    log: ProcedureLog,
) -> None:
    case = tabled(log)
    case.inscribe(member="Cuba")
    assert_refused(log, case, NotInOrderError, "reply", rule="rule 115",
                   match="still open", member="Japan")
    assert "reply" not in case.in_order()
    case.close_list()
    assert "inscribe" not in case.in_order() and "close_list" not in case.in_order()
    assert_refused(log, case, NotInOrderError, "inscribe", rule="rule 115",
                   match="the list of speakers is closed", member="Japan")
    assert_refused(log, case, NotInOrderError, "close_list", rule="rule 115",
                   match="already closed")
    case.speak()
    case.reply(member="Japan")
    floor = case.data.floor
    assert (floor.speaking, floor.reply, floor.heard) == ("Japan", True, ["Cuba", "Japan"])
    assert_replays(log, case)


def test_rule_114_the_body_limits_each_speakers_time(log: ProcedureLog) -> None:
    case = tabled(log)
    case.limit_speeches(minutes=5)
    assert case.data.floor.minutes == 5
    for bad in (0, 61, "5", True, 2.5):
        assert_refused(log, case, InvalidArgumentError, "limit_speeches",
                       match="minutes must be a whole number from 1 to 60", minutes=bad)


def test_rule_128_no_speech_once_voting_began(log: ProcedureLog) -> None:
    case = tabled(log)
    case.inscribe(member="Cuba")
    case.speak()
    case.submit_amendment(symbol="L.1/A", proposers=["Cuba"], text="delete OP7")
    decide(case, "L.1/A", CARRIED)  # voting has begun on the draft's amendments
    assert case.data.floor.speaking is None
    assert_refused(log, case, NotInOrderError, "inscribe", rule="rule 128", member="Japan")
    assert_refused(log, case, NotInOrderError, "speak")


def test_a_text_sent_on_finds_a_new_list_in_the_next_body(log: ProcedureLog) -> None:
    case = tabled(log)
    case.inscribe(member="Cuba")
    case.close_list()
    decide(case, DRAFT, CARRIED)
    case.transmit(to="plenary", date=VOTED)
    floor = case.data.floor
    assert (floor.waiting, floor.closed, floor.heard) == ([], False, [])
    case.inscribe(member="Cuba")
    assert_replays(log, case)


def test_the_council_keeps_no_list_here(log: ProcedureLog) -> None:
    case = tabled(log, body="security-council")
    assert_refused(log, case, NotInOrderError, "inscribe", match="council.tabled",
                   member="France")


def test_each_floor_event_is_narrated_with_its_rule(log: ProcedureLog) -> None:
    case = tabled(log)
    case.inscribe(member="Cuba")
    case.limit_speeches(minutes=3)
    case.speak()
    case.close_list()
    case.reply(member="Japan")
    assert event_types(log, case.id)[-5:] == [
        "SpeakerInscribed", "SpeakingTimeLimited", "SpeakerCalled", "SpeakersListClosed",
        "SpeakerCalled"]
    lines = [describe(r.event) for r in log.events.select(case.id)][-5:]
    assert lines == [
        "Cuba is put on the list of speakers (rule 109).",
        "The Third Committee limits each speaker to 3 minutes (rule 114).",
        "Cuba has the floor.",
        "With the consent of the Third Committee, the chair declares the list of speakers "
        "closed (rule 115).",
        "Japan has the floor in right of reply (rule 115).",
    ]
