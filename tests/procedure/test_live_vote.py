"""A vote taken live: opened by the chair, balloted member by member, closed and decided
by the same rules as a recorded vote (rule 125 / 85, rule 126 / 86; rule 128 / 88: no
interruption once voting began)."""

from __future__ import annotations

import json

import attrs
import pytest

import engine
from engine.app.snapshots import state_from_dict
from engine.app.verify import verify
from events import VoteTaken

MUN = {"id": "mun-committee", "name": "Model UN Committee", "rules": "committee",
       "members": ["Atlantis", "Freedonia", "Ruritania", "Genovia", "Wakanda"]}
BALLOTS = {"Atlantis": "yes", "Freedonia": "yes", "Ruritania": "no", "Genovia": "yes"}


def tabled(log: engine.ProcedureLog, case_id: str = "mun") -> engine.Case:
    case = log.new_case(case_id, title="Clean water", bodies=[MUN])
    case.submit_draft(body="mun-committee", symbol="MUN/1", title="Clean water",
                      sponsors=["Genovia"], date="2026-03-02")
    return case


def test_ballots_then_close_record_the_decision_a_recorded_vote_would() -> None:
    log = engine.open(":memory:")
    live = tabled(log, "live")
    live.open_vote(on="MUN/1")
    for member, vote in BALLOTS.items():
        live.cast_ballot(member=member, vote=vote)
    decision = live.close_vote(on="MUN/1", expect="adopted")
    recorded = tabled(log, "recorded")
    by_lists = recorded.vote(on="MUN/1", yes=3, no=1, abstain=0,
                             yes_members=["Atlantis", "Freedonia", "Genovia"],
                             no_members=["Ruritania"])
    assert decision == by_lists and decision.outcome == "adopted"
    assert live.state == recorded.state == "committee.approved"
    [taken] = [r.event for r in log.events.select("live") if isinstance(r.event, VoteTaken)]
    assert taken.yes_members == ("Atlantis", "Freedonia", "Genovia")
    assert taken.no_members == ("Ruritania",) and taken.abstain == 0
    assert verify(log).ok
    assert log.case("live").data.as_dict() == live.data.as_dict()


def test_a_ballot_may_be_changed_until_the_vote_closes() -> None:
    case = tabled(engine.open(":memory:"))
    case.open_vote(on="MUN/1")
    for member, vote in BALLOTS.items():
        case.cast_ballot(member=member, vote=vote)
    for member in ("Atlantis", "Freedonia"):
        case.cast_ballot(member=member, vote="no")
    assert case.data.ballot is not None and case.data.ballot.votes["Atlantis"] == "no"
    assert case.close_vote(on="MUN/1").outcome == "rejected"  # 1 yes, 3 no
    assert case.data.ballot is None


def test_rule_128_nothing_interrupts_an_open_vote() -> None:
    case = tabled(engine.open(":memory:"))
    case.open_vote(on="MUN/1")
    assert case.in_order() == ("cast_ballot", "close_vote on MUN/1")
    version = case.version
    for attempt in (lambda: case.vote(on="MUN/1", yes=3, no=0, abstain=0),
                    lambda: case.move(motion="adjourn-debate", by="Atlantis"),
                    lambda: case.open_vote(on="MUN/1"),
                    lambda: case.explain_vote(on="MUN/1", by="Atlantis", when="before")):
        with pytest.raises(engine.NotInOrderError, match="rule 128"):
            attempt()
    assert case.version == version


def test_only_a_member_of_the_body_may_cast_a_ballot_and_only_while_a_vote_is_open() -> None:
    case = tabled(engine.open(":memory:"))
    with pytest.raises(engine.NotInOrderError, match="no vote is open"):
        case.cast_ballot(member="Atlantis", vote="yes")
    with pytest.raises(engine.NotInOrderError, match="no vote is open"):
        case.close_vote(on="MUN/1")
    case.open_vote(on="MUN/1")
    with pytest.raises(engine.UnknownMemberError, match="Narnia"):
        case.cast_ballot(member="Narnia", vote="yes")
    with pytest.raises(engine.InvalidArgumentError, match="vote must be one of"):
        case.cast_ballot(member="Atlantis", vote="maybe")
    with pytest.raises(engine.NotInOrderError, match="the vote open is on MUN/1"):
        case.close_vote(on="agenda")


def test_a_vote_opens_only_on_what_the_rules_put_to_the_body_now() -> None:
    case = tabled(engine.open(":memory:"))
    case.submit_amendment(symbol="MUN/1/A", proposers=["Atlantis"], text="Delete OP2")
    with pytest.raises(engine.NotInOrderError, match="amendments are voted before"):
        case.open_vote(on="MUN/1")
    case.open_vote(on="MUN/1/A")
    for member in ("Atlantis", "Freedonia", "Genovia"):
        case.cast_ballot(member=member, vote="no")
    assert case.close_vote(on="MUN/1/A").outcome == "rejected"
    assert case.data.amendments["MUN/1/A"].status == "rejected"


def test_a_snapshot_taken_while_a_vote_is_open_keeps_its_ballots() -> None:
    case = tabled(engine.open(":memory:"))
    case.open_vote(on="MUN/1")
    case.cast_ballot(member="Atlantis", vote="yes")
    again = state_from_dict(json.loads(json.dumps(case.data.as_dict())))
    assert again == case.data and attrs.asdict(again.ballot) == attrs.asdict(case.data.ballot)


def test_a_scenario_takes_a_vote_live_step_by_step(tmp_path) -> None:  # type: ignore[no-untyped-def]
    steps = "".join(f'\n[[step]]\naction = "cast_ballot"\nmember = "{m}"\nvote = "{v}"\n'
                    for m, v in BALLOTS.items())
    (tmp_path / "live.toml").write_text(f'''
[case]
id = "live"
title = "Clean water"
date = "2026-03-02"

[[body]]
id = "mun-committee"
name = "Model UN Committee"
rules = "committee"
members = {json.dumps(MUN["members"])}

[[step]]
action = "submit_draft"
body = "mun-committee"
symbol = "MUN/1"
title = "Clean water"
sponsors = ["Genovia"]

[[step]]
action = "open_vote"
on = "MUN/1"
{steps}
[[step]]
action = "close_vote"
on = "MUN/1"
expect = "adopted"

[expect]
state = "committee.approved"
''', encoding="utf-8")
    from engine.app.scenarios import load_scenario, run_scenario

    log = engine.open(":memory:")
    assert run_scenario(log, load_scenario(tmp_path / "live.toml")).state == "committee.approved"
    assert verify(log).ok


def test_rule_108_attendance_fixes_the_quorum_and_who_may_vote() -> None:
    case = tabled(engine.open(":memory:"))
    case.take_attendance(present=["Atlantis", "Freedonia", "Genovia"])
    assert case.data.attendance == ("Atlantis", "Freedonia", "Genovia")
    with pytest.raises(engine.InvalidVoteError, match=r"Ruritania is not present.*rule 108"):
        case.vote(on="MUN/1", yes=2, no=0, abstain=0, yes_members=["Atlantis", "Ruritania"])
    case.open_vote(on="MUN/1")
    with pytest.raises(engine.InvalidVoteError, match="Wakanda is not present"):
        case.cast_ballot(member="Wakanda", vote="yes")
    case.cast_ballot(member="Atlantis", vote="yes")
    case.close_vote(on="MUN/1")
    [taken] = [r.event for r in case._log.select("mun") if isinstance(r.event, VoteTaken)]
    assert taken.present == 3  # those present, not only those who voted


def test_rule_108_too_few_present_is_no_quorum() -> None:
    case = tabled(engine.open(":memory:"))
    case.take_attendance(present=["Atlantis", "Genovia"])  # 2 of 5: a quorum is 3
    with pytest.raises(engine.NotInOrderError, match="quorum"):
        case.vote(on="MUN/1", yes=2, no=0, abstain=0)
    with pytest.raises(engine.InvalidArgumentError, match="more than once"):
        case.take_attendance(present=["Atlantis", "Atlantis", "Genovia"])
