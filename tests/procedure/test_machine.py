"""The state machine: one shared `transitions` machine, and the table compiled from it."""

from __future__ import annotations

import hypothesis.strategies as st
import pytest
from hypothesis import given, settings
from transitions import MachineError

from engine.procedure.graph import (
    ACTIONS,
    STATES,
    TABLE,
    fire,
    fire_with_machine,
    machine,
    triggers_in,
)
from engine.procedure.graph import actions_in as in_order

MACHINE = machine()

TRIGGERS = sorted(MACHINE.events)


def test_machine_is_shared_and_has_no_auto_transitions() -> None:
    assert MACHINE.models == []
    assert not any(t.startswith("to_") for t in MACHINE.events)


def test_table_is_the_one_read_off_the_machine_entry_for_entry_in_order() -> None:
    # TABLE is built from the definition the machine is built from; read off the
    # machine object instead (its events in order, the first transition from each
    # source), it must come out the same, order included (triggers_in relies on it).
    read_off = {(source, name): moves[0].dest
                for name, event in MACHINE.events.items()
                for source, moves in event.transitions.items()}
    assert list(TABLE.items()) == list(read_off.items())


def test_importing_the_engine_leaves_heavy_modules_for_first_use() -> None:
    import subprocess
    import sys

    lazy = "('transitions', 'hashlib', 'difflib', 'uuid')"
    code = (f"import sys, engine; print([m in sys.modules for m in {lazy}]); "
            "log = engine.open(':memory:'); case = log.new_case('c', title='t'); "
            "case.submit_draft(body='plenary', symbol='A/1', title='t'); "
            "print('transitions' in sys.modules, 'hashlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out == ["[False, False, False, False]", "True True"]


def test_fire_refuses_with_the_machines_own_message() -> None:
    with pytest.raises(MachineError) as by_machine:
        fire_with_machine("new", ["adopt"])
    with pytest.raises(MachineError) as by_table:
        fire("new", ["adopt"])
    assert str(by_table.value) == str(by_machine.value)


def test_every_state_is_reachable_from_new() -> None:
    reached, frontier = {"new"}, ["new"]
    while frontier:
        state = frontier.pop()
        for trigger in triggers_in(state):
            nxt = TABLE[(state, trigger)]
            if nxt not in reached:
                reached.add(nxt)
                frontier.append(nxt)
    assert reached == set(STATES)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(STATES), st.lists(st.sampled_from(TRIGGERS), max_size=12))
def test_compiled_table_agrees_with_the_machine(start: str, triggers: list[str]) -> None:
    """Replay's table and the transitions machine give the same state, or both refuse."""
    try:
        expected = fire_with_machine(start, triggers)
    except MachineError:
        with pytest.raises(MachineError):
            fire(start, triggers)
        return
    assert fire(start, triggers) == expected
    assert fire(start, triggers)[-1] == expected[-1]


@pytest.mark.parametrize(
    ("state", "allowed", "refused"),
    [
        ("new", {"submit_draft"}, {"vote", "transmit"}),
        ("committee.tabled", {"vote", "submit_amendment", "move", "withdraw"}, {"transmit"}),
        ("committee.approved", {"transmit", "move"}, {"submit_amendment", "submit_draft"}),
        ("council.seized", {"vote"}, {"submit_draft", "submit_amendment"}),
        ("council.on_agenda", {"submit_draft"}, {"vote"}),
        ("council.vetoed", {"explain_vote"}, set(ACTIONS) - {"explain_vote"}),
    ],
)
def test_what_is_in_order_is_read_off_the_machine(
    state: str, allowed: set[str], refused: set[str]
) -> None:
    actions = set(in_order(state))
    assert allowed <= actions
    assert not refused & actions
