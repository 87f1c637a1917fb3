"""Every event the log can hold has everything an event needs: an evolve handler, a
narration, and either a command that records it or a mark that it is a consequence.

A new event that misses one of them fails here, not silently at run time.
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from engine.app.case import Case
from engine.app.scenarios import ACTION_PARAMS
from engine.present.narrate import describe
from engine.procedure.commands import COMMANDS, CONSEQUENCES, command_of
from engine.procedure.decide import _CLAUSES
from engine.procedure.state import _HANDLERS
from events import Decision, registered

DECISION = Decision("adopted", "simple", 1, 1, "rule 125")
# Fields whose values come from a closed vocabulary.
CHOSEN = {"motion": "adjourn-debate", "when": "after", "method": "recorded", "kind": "draft",
          "vote": "yes"}


def sample(cls: type) -> Any:
    """An instance of an event class: its defaults, and plain values in the rest."""
    values: dict[str, Any] = {}
    for field in attrs.fields(cls):
        kind = str(field.type)
        if field.default is not attrs.NOTHING:
            continue
        if field.name in CHOSEN:
            values[field.name] = CHOSEN[field.name]
        elif "Decision" in kind:
            values[field.name] = DECISION
        elif kind.startswith("tuple"):
            values[field.name] = ()
        elif kind.startswith("int"):
            values[field.name] = 1
        elif kind == "bool":
            values[field.name] = False
        else:
            values[field.name] = "x"
    return cls(**values)


EVENTS = sorted(registered().items())


@pytest.mark.parametrize(("name", "cls"), EVENTS)
def test_every_event_has_an_evolve_handler(name: str, cls: type) -> None:
    assert cls in _HANDLERS, f"{name} has no evolve handler in engine.procedure.state"


@pytest.mark.parametrize(("name", "cls"), EVENTS)
def test_every_event_is_narrated(name: str, cls: type) -> None:
    sentence = describe(sample(cls))
    assert sentence.strip() and sentence != f"{name}."


@pytest.mark.parametrize(("name", "cls"), EVENTS)
def test_every_event_is_recorded_by_a_command_or_is_a_consequence(name: str, cls: type) -> None:
    command = command_of(sample(cls))
    if name in CONSEQUENCES:
        assert command is None
    else:
        assert command is not None and command.action in COMMANDS


def test_an_event_nobody_declared_is_refused_loudly() -> None:
    @attrs.frozen
    class Unheard:
        pass

    with pytest.raises(TypeError, match="no command records"):
        command_of(Unheard())  # type: ignore[arg-type]
    with pytest.raises(NotImplementedError, match="no narration"):
        describe(Unheard())  # type: ignore[arg-type]


@pytest.mark.parametrize("action", sorted(COMMANDS))
def test_every_command_has_a_clause_a_method_and_a_scenario_step(action: str) -> None:
    assert action in _CLAUSES
    assert callable(getattr(Case, action))
    fields = {f.name for f in attrs.fields(COMMANDS[action])} - {"date"}
    assert set(ACTION_PARAMS[action]) == fields
