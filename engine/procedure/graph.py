"""The procedure graph: the one definition of which states a case passes through.

`machine()` (also `MACHINE`) is a single shared
`transitions.Machine(model=None, auto_transitions=False)`, built on first use. Cases are
never registered with it (`add_model` scans every registered model on each add and
keeps them alive); a trigger is dispatched through `machine().events[name]`.

Everything else about the graph is derived from this definition: `TABLE`, the compiled
lookup that applying an event uses (a dict lookup instead of ~77 calls through
`transitions`; a property test proves both give the same state), the triggers in order
in a state, and the diagram.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from transitions import Machine

__all__ = [
    "STATES",
    "TABLE",
    "TRANSITIONS",
    "Scratch",
    "fire",
    "fire_with_machine",
    "machine",
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


def _compile() -> dict[tuple[str, str], str]:
    """(state, trigger) -> next state, read off the definition the machine is built from.

    Event by event in the order they are first defined, as `Machine.events` holds them;
    no transition here has a guard, so the first one from a state is the one the machine
    takes. Built from the definition rather than the machine object, applying an event
    needs no `transitions` import; tests/test_machine.py checks this table equals the
    one read off the machine and that both give the same state for random sequences.
    """
    pairs: dict[str, list[tuple[str, str]]] = {}
    for trigger, sources, dest in TRANSITIONS:
        for source in [sources] if isinstance(sources, str) else sources:
            pairs.setdefault(trigger, []).append((source, dest))
    table: dict[tuple[str, str], str] = {}
    for trigger, moves in pairs.items():
        for source, dest in moves:
            table.setdefault((source, trigger), dest)
    return table


TABLE: dict[tuple[str, str], str] = _compile()


@functools.cache
def machine() -> Machine:
    """The shared `transitions` machine, built on first use.

    Importing `transitions` costs about a tenth of `import engine`, and replay does
    not need it (it uses `TABLE`); live actions ask it what is in order.
    """
    from transitions import Machine

    return Machine(
        model=None,
        states=list(STATES),
        transitions=[{"trigger": t, "source": s, "dest": d} for t, s, d in TRANSITIONS],
        initial="new",
        auto_transitions=False,
        send_event=False,
    )


def __getattr__(name: str) -> Any:
    if name == "MACHINE":  # the module attribute of old, built on first use
        return machine()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), "MACHINE"])


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
            from transitions import MachineError

            raise MachineError(f"Can't trigger event {trigger} from state {state}!") from None
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
        machine().events[trigger].trigger(model)
    return model.state
