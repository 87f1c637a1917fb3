"""The procedure graph: the one definition of which states a case passes through.

`MACHINE` is a single shared `transitions.Machine(model=None, auto_transitions=False)`.
Cases are never registered with it (`add_model` scans every registered model on each
add and keeps them alive); a trigger is dispatched through `MACHINE.events[name]`.

Everything else about the graph is derived from this definition: `TABLE`, the compiled
lookup that applying an event uses (a dict lookup instead of ~77 calls through
`transitions`; a property test proves both give the same state), the triggers in order
in a state, and the diagram.
"""

from __future__ import annotations

from collections.abc import Iterable

from transitions import Machine, MachineError

__all__ = [
    "MACHINE",
    "STATES",
    "TABLE",
    "TRANSITIONS",
    "Scratch",
    "fire",
    "fire_with_machine",
    "triggers_in",
]

# Public state names (DESIGN §5). A state is "<stage>.<status>".
STATES: tuple[str, ...] = (
    "new",
    "committee.tabled", "committee.voting", "committee.approved", "committee.rejected",
    "committee.no_action", "committee.withdrawn",
    "plenary.tabled", "plenary.voting", "plenary.adopted", "plenary.rejected",
    "plenary.no_action", "plenary.withdrawn",
    "council.seized", "council.on_agenda", "council.agenda_rejected",
    "council.tabled", "council.adopted", "council.vetoed", "council.rejected",
    "council.withdrawn",
)

_GA = ("committee", "plenary")

# (trigger, source(s), destination). Triggers are named for what happened.
TRANSITIONS: tuple[tuple[str, str | list[str], str], ...] = (
    ("submit_to_committee", "new", "committee.tabled"),
    ("submit_to_plenary", "new", "plenary.tabled"),
    ("submit_to_council", ["new", "council.on_agenda"], "council.tabled"),
    *((("begin_voting", f"{s}.tabled", f"{s}.voting")) for s in _GA),
    ("adopt", ["committee.tabled", "committee.voting"], "committee.approved"),
    ("adopt", ["plenary.tabled", "plenary.voting"], "plenary.adopted"),
    ("adopt", "council.tabled", "council.adopted"),
    *((("reject", f"{s}.voting", f"{s}.rejected")) for s in _GA),
    ("reject", "council.tabled", "council.rejected"),
    ("veto", "council.tabled", "council.vetoed"),
    *((("take_no_action", f"{s}.tabled", f"{s}.no_action")) for s in _GA),
    *((("withdraw", f"{s}.tabled", f"{s}.withdrawn")) for s in (*_GA, "council")),
    ("transmit_to_plenary", "committee.approved", "plenary.tabled"),
    ("transmit_to_council", "plenary.adopted", "council.seized"),
    ("adopt_agenda", "council.seized", "council.on_agenda"),
    ("reject_agenda", "council.seized", "council.agenda_rejected"),
    *((("reconsider", [f"{s}.approved" if s == "committee" else f"{s}.adopted",
                       f"{s}.rejected"], f"{s}.voting")) for s in _GA),
)

MACHINE = Machine(
    model=None,
    states=list(STATES),
    transitions=[{"trigger": t, "source": s, "dest": d} for t, s, d in TRANSITIONS],
    initial="new",
    auto_transitions=False,
    send_event=False,
)


def _compile(machine: Machine) -> dict[tuple[str, str], str]:
    table: dict[tuple[str, str], str] = {}
    for name, ev in machine.events.items():
        for source, transitions in ev.transitions.items():
            # No transition in this graph has a guard, so the first one is the one taken.
            table[(source, name)] = transitions[0].dest
    return table


TABLE: dict[tuple[str, str], str] = _compile(MACHINE)


def triggers_in(state: str) -> tuple[str, ...]:
    """The triggers that can fire in `state`, in definition order."""
    return tuple(dict.fromkeys(t for (s, t) in TABLE if s == state))


def fire(state: str, triggers: Iterable[str]) -> str:
    """The state after firing `triggers` in turn from `state`, by the compiled table.

    Raises `MachineError` (from transitions) when a trigger cannot fire, exactly as the
    machine itself would.
    """
    for trigger in triggers:
        try:
            state = TABLE[(state, trigger)]
        except KeyError:
            raise MachineError(f'"Can\'t trigger event {trigger} from state {state}!"') from None
    return state


class Scratch:
    """A throwaway model for dispatching through the shared machine."""

    __slots__ = ("state",)

    def __init__(self, state: str) -> None:
        self.state = state


def fire_with_machine(state: str, triggers: Iterable[str]) -> str:
    """The state after firing `triggers` through the `transitions` machine itself."""
    model = Scratch(state)
    for trigger in triggers:
        MACHINE.events[trigger].trigger(model)
    return model.state
