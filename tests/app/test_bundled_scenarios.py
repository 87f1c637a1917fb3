"""Every bundled scenario replays to its expected end, through the library and the CLI.

Beyond the generic checks (final state, each vote's outcome as the step expects), a few
facts of the recorded proceedings are pinned down: abstentions of permanent members are
not vetoes (Darfur 2005), a carried no-action motion leaves the draft unvoted
(Uzbekistan 2006), and an amendment adopted in plenary makes the final vote one on the
draft as amended (extrajudicial executions 2010).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import engine
import replays
from engine.app.scenarios import load_scenario, run_scenario
from events import AdoptedWithoutVote, VoteTaken

BUNDLED = replays.bundled()
NAMES = sorted(BUNDLED)
COMMAND = [sys.executable, "-c", "from engine.cli import main; main()"]
DECIDING_STEPS = ("vote", "adopt_without_vote")


def recorded(name: str) -> tuple[replays.Scenario, list[VoteTaken | AdoptedWithoutVote], str]:
    """Run a bundled scenario in memory: the scenario, its decision events, the final state."""
    scenario = load_scenario(BUNDLED[name])
    log = engine.open(":memory:")
    case = run_scenario(log, scenario)
    decided = [rec.event for rec, _ in log.history(scenario.id)
               if isinstance(rec.event, VoteTaken | AdoptedWithoutVote)]
    return scenario, decided, case.state


def votes(name: str) -> list[VoteTaken]:
    return [e for e in recorded(name)[1] if isinstance(e, VoteTaken)]


def test_the_new_scenarios_are_bundled() -> None:
    assert {"darfur-2005", "libya-2011", "uzbekistan-2006", "executions-2010",
            "dprk-2014"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_scenario_ends_in_its_expected_state(name: str) -> None:
    scenario, _, state = recorded(name)
    assert scenario.expect_state is not None, f"{name} states no [expect] state"
    assert state == scenario.expect_state


@pytest.mark.parametrize("name", NAMES)
def test_every_decision_matches_its_steps_expect(name: str) -> None:
    scenario, decided, _ = recorded(name)
    steps = [s for s in scenario.steps if s.action in DECIDING_STEPS]
    assert len(steps) == len(decided), "each vote step records exactly one decision"
    for step, event in zip(steps, decided, strict=True):
        assert isinstance(event, VoteTaken) == (step.action == "vote")
        if "expect" in step.args:
            assert event.decision.outcome == step.args["expect"], (
                f"{name}, step {step.number}: {event.on} was {event.decision.outcome}")


@pytest.mark.parametrize("name", NAMES)
def test_scenario_runs_through_the_cli(name: str, tmp_path: Path) -> None:
    db = tmp_path / f"{name}.db"
    result = subprocess.run(
        [*COMMAND, "run", str(BUNDLED[name]), "--db", str(db)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert db.exists()


# -- Darfur 2005: two permanent members abstain, and the referral is made -------------------

def test_darfur_abstentions_of_permanent_members_are_no_veto() -> None:
    (vote,) = votes("darfur-2005")
    assert vote.kind == "draft"
    assert vote.decision.outcome == "adopted"
    assert (vote.yes, vote.no, vote.abstain) == (11, 0, 4)
    assert {"China", "United States of America"} <= set(vote.abstain_members)
    assert set(vote.abstain_members) == {"Algeria", "Brazil", "China",
                                         "United States of America"}
    assert vote.decision.vetoed_by == ()


def test_darfur_draft_is_a_chapter_vii_referral() -> None:
    scenario = load_scenario(BUNDLED["darfur-2005"])
    log = engine.open(":memory:")
    draft = run_scenario(log, scenario).data.draft
    assert draft is not None
    assert (draft.chapter, draft.referral) == ("VII", "International Criminal Court")


# -- Libya 2011: unanimous -------------------------------------------------------------------

def test_libya_referral_is_unanimous() -> None:
    (vote,) = votes("libya-2011")
    assert vote.decision.outcome == "adopted"
    assert (vote.yes, vote.no, vote.abstain) == (15, 0, 0)
    assert len(set(vote.yes_members)) == 15
    assert vote.decision.vetoed_by == ()


# -- Uzbekistan 2006: the no-action motion carries ---------------------------------------------

def test_uzbekistan_no_action_leaves_the_draft_unvoted() -> None:
    _, decided, state = recorded("uzbekistan-2006")
    assert state == "committee.no_action"
    assert not [e for e in decided if e.kind == "draft"]
    (motion,) = decided
    assert isinstance(motion, VoteTaken)
    assert (motion.kind, motion.on) == ("motion", "adjourn-debate")
    assert (motion.yes, motion.no, motion.abstain) == (74, 69, 24)
    assert motion.decision.outcome == "adopted"


# -- Extrajudicial executions 2010: amended in committee, restored in plenary ----------------

def test_executions_plenary_adopts_the_draft_as_amended() -> None:
    decided = votes("executions-2010")
    plenary_draft = [v for v in decided if v.body == "plenary" and v.kind == "draft"]
    (final,) = plenary_draft
    assert final.decision.outcome == "adopted"
    assert final.as_amended is True
    assert (final.yes, final.no, final.abstain) == (122, 1, 62)
    assert final.no_members == ("Saudi Arabia",)
    # The United States voted for its own amendment but abstained on the resolution as a
    # whole (UN voting data, rcid 5101; Reuters reported the same).
    assert "United States of America" in final.abstain_members
    assert "United States of America" not in final.yes_members


def test_executions_us_amendment_carries_with_member_lists() -> None:
    decided = votes("executions-2010")
    (amendment,) = [v for v in decided if v.on == "A/65/L.53"]
    assert amendment.body == "plenary" and amendment.kind == "amendment"
    assert amendment.decision.outcome == "adopted"
    assert (amendment.yes, amendment.no, amendment.abstain) == (93, 55, 27)
    assert (len(amendment.yes_members), len(amendment.no_members),
            len(amendment.abstain_members)) == (93, 55, 27)
    assert "United States of America" in amendment.yes_members


def test_executions_committee_amends_then_approves() -> None:
    decided = votes("executions-2010")
    committee = [v for v in decided if v.body == "third-committee"]
    assert [(v.kind, v.yes, v.no, v.abstain, v.decision.outcome) for v in committee] == [
        ("amendment", 79, 70, 17, "adopted"),
        ("draft", 165, 0, 10, "adopted"),
    ]
    assert committee[1].as_amended is True


def test_one_pass_fold_of_every_case_equals_loading_each() -> None:
    # `states()` folds all cases in one read of the log, in log order; loading each
    # case on its own (one query per case) must give the same states, in the same order.
    log = engine.open(":memory:")
    for name in NAMES:
        run_scenario(log, load_scenario(BUNDLED[name]))
    folded = log.states()
    assert list(folded) == [stream for stream, _ in log.events.streams()] == \
        [load_scenario(BUNDLED[name]).id for name in NAMES]
    for case_id, state in folded.items():
        assert state.as_dict() == log.case(case_id).data.as_dict()
