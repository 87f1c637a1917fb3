"""The procedure graph: the one definition of which states a case passes through.

`STATES` and `TRANSITIONS` define the graph; `machine()` builds the one shared
`transitions.Machine(model=None, auto_transitions=False)` from them, on first use. Cases
are never registered with it (`add_model` scans every registered model on each add and
keeps them alive); a trigger is dispatched through `machine().events[name]`.

Everything else about the graph is derived from this definition: `TABLE`, the compiled
lookup that evolving a state uses (a dict lookup instead of ~77 calls through
`transitions`; a property test proves both give the same states), what is in order in a
state (read off the machine by `actions_in`), and the diagram.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import TYPE_CHECKING

from engine.procedure.words import Stage, Status

if TYPE_CHECKING:
    from transitions import Machine

__all__ = [
    "ACTIONS", "STATES", "TABLE", "TRANSITIONS", "State", "actions_in", "fire",
    "fire_with_machine", "machine", "triggers_in",
]


class State(StrEnum):
    """The public state names of a case (`<stage>.<status>`), equal to their strings."""

    NEW = "new"
    COMMITTEE_TABLED = "committee.tabled"
    COMMITTEE_VOTING = "committee.voting"
    COMMITTEE_APPROVED = "committee.approved"
    COMMITTEE_REJECTED = "committee.rejected"
    COMMITTEE_NO_ACTION = "committee.no_action"
    COMMITTEE_WITHDRAWN = "committee.withdrawn"
    PLENARY_TABLED = "plenary.tabled"
    PLENARY_VOTING = "plenary.voting"
    PLENARY_ADOPTED = "plenary.adopted"
    PLENARY_REJECTED = "plenary.rejected"
    PLENARY_NO_ACTION = "plenary.no_action"
    PLENARY_WITHDRAWN = "plenary.withdrawn"
    COUNCIL_SEIZED = "council.seized"
    COUNCIL_ON_AGENDA = "council.on_agenda"
    COUNCIL_AGENDA_REJECTED = "council.agenda_rejected"
    COUNCIL_TABLED = "council.tabled"
    COUNCIL_ADOPTED = "council.adopted"
    COUNCIL_VETOED = "council.vetoed"
    COUNCIL_REJECTED = "council.rejected"
    COUNCIL_WITHDRAWN = "council.withdrawn"

    @property
    def stage(self) -> Stage | None:
        """The stage (None for "new")."""
        return _PARTS[self][0]

    @property
    def status(self) -> Status | None:
        """The status within the stage (None for "new")."""
        return _PARTS[self][1]


def _split(name: str) -> tuple[Stage | None, Status | None]:
    stage, _, status = name.partition(".")
    return (Stage(stage), Status(status)) if status else (None, None)


_PARTS = {s: _split(s) for s in State}
STATES: tuple[State, ...] = tuple(State)

# Statuses in which a text is before a body, not yet decided, and in which a body has
# decided on its draft.
OPEN = frozenset({Status.TABLED, Status.VOTING, Status.SEIZED})
DECIDED = frozenset({Status.APPROVED, Status.ADOPTED, Status.REJECTED, Status.VETOED})
NO_TEXT = frozenset({Status.SEIZED, Status.WITHDRAWN, Status.NO_ACTION})
# The states where a text awaits its first vote, as plain names: evolving a state asks
# this on every decision, and a set lookup costs less than building a State.
TABLED = frozenset(s.value for s in State if s.status is Status.TABLED)

_GA = ("committee", "plenary")

# (trigger, source(s), destination). Triggers are named for what happened.
TRANSITIONS: tuple[tuple[str, str | list[str], str], ...] = (
    ("submit_to_committee", "new", "committee.tabled"),
    ("submit_to_plenary", "new", "plenary.tabled"),
    ("submit_to_council", ["new", "council.on_agenda"], "council.tabled"),
    # A case may open on a Council agenda item, with no text yet (S/96/Rev.7 rule 7).
    ("submit_item", "new", "council.seized"),
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
    # An item with several drafts: once one is decided, the next is taken up (rule 91 /
    # 131) and awaits its first vote as a draft just tabled does.
    *((("take_up", [f"{s}.approved" if s == "committee" else f"{s}.adopted",
                    f"{s}.rejected"], f"{s}.tabled")) for s in _GA),
)


def _compile() -> dict[tuple[str, str], str]:
    """(state, trigger) -> next state, read off the definition the machine is built from.

    Event by event in the order they are first defined, as `Machine.events` holds them;
    no transition here has a guard, so the first one from a state is the one the machine
    takes. Built from the definition rather than the machine object, evolving a state
    needs no `transitions` import; tests check this table equals the one read off the
    machine and that both give the same states for random sequences.
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


# Plain strings, as stored: the state a case is in is data read from and shown to people.
TABLE: dict[tuple[str, str], str] = _compile()


@functools.cache
def machine() -> Machine:
    """The shared `transitions` machine, built on first use (replay needs only `TABLE`)."""
    from transitions import Machine

    return Machine(
        model=None,
        states=[s.value for s in STATES],
        transitions=[{"trigger": t, "source": s, "dest": d} for t, s, d in TRANSITIONS],
        initial="new",
        auto_transitions=False,
        send_event=False,
    )


def triggers_in(state: str) -> tuple[str, ...]:
    """The triggers that can fire in `state`, in definition order."""
    return tuple(dict.fromkeys(t for (s, t) in TABLE if s == state))


def fire(state: str, triggers: Iterable[str]) -> tuple[str, ...]:
    """The path of states from `state` through each of `triggers` in turn: the start,
    then the state after each trigger (so the last one is where the case ends up).

    Raises `MachineError` (from transitions) when a trigger cannot fire, exactly as the
    machine itself would.
    """
    path = [state]
    for trigger in triggers:
        try:
            path.append(TABLE[(path[-1], trigger)])
        except KeyError:
            from transitions import MachineError

            raise MachineError(f"Can't trigger event {trigger} from state {path[-1]}!") from None
    return tuple(path)


class _Model:
    """A throwaway model for dispatching through the shared machine."""

    __slots__ = ("state",)

    def __init__(self, state: str) -> None:
        self.state = state


def fire_with_machine(state: str, triggers: Iterable[str]) -> tuple[str, ...]:
    """`fire`, through the `transitions` machine itself."""
    model, path = _Model(str(state)), [str(state)]
    for trigger in triggers:
        machine().events[trigger].trigger(model)
        path.append(model.state)
    return tuple(path)


# -- what is in order, read off the machine ------------------------------------------

def _can(*triggers: str) -> Callable[[frozenset[str]], bool]:
    wanted = frozenset(triggers)
    return lambda available: bool(wanted & available)


# Each action and the predicate on the triggers the machine can fire in a state that
# puts it in order (the Charter, A/520/Rev.20 and S/96/Rev.7):
# - a draft is submitted where a case can enter a body;
# - sponsors join a text the body has not decided (it can still be adopted);
# - a sponsor revises orally, an amendment or a division is moved, only before voting
#   began (the text can still be withdrawn, rule 122 / 80; voting can still begin);
# - motions: the no-action motion before voting, reconsideration after a decision;
# - withdrawal, before a decision (or of a motion of reconsideration after one);
# - a vote or an adoption without a vote on an undecided text or on the agenda;
# - transmission from a body that has decided for the next one.
# `explain_vote` has no trigger of its own: it is in order wherever a body has a text
# before it or has decided one (see `actions_in`).
_VOTE = _can("adopt", "adopt_agenda", "reconsider")  # the body may come to a vote

ACTIONS: dict[str, Callable[[frozenset[str]], bool]] = {
    "submit_draft": _can("submit_to_committee", "submit_to_plenary", "submit_to_council"),
    "submit_agenda_item": _can("submit_item"),
    "add_sponsors": _can("adopt"),
    "revise_orally": _can("withdraw"),
    # In the Council a draft is voted from council.tabled (where it may be vetoed), and
    # amendments and rule 33's motions come before it (S/96/Rev.7 rule 33).
    "submit_amendment": _can("begin_voting", "veto"),
    "request_separate_vote": _can("begin_voting"),
    "move": _can("take_no_action", "reconsider", "veto"),
    "withdraw": _can("withdraw", "adopt", "reconsider"),
    "vote": _VOTE,
    "adopt_without_vote": _can("adopt", "adopt_agenda"),
    "explain_vote": lambda available: False,
    "transmit": _can("transmit_to_plenary", "transmit_to_council"),
    # A vote taken live is opened, balloted and closed, and attendance is taken, wherever
    # a vote may be taken (the case narrows ballots and the close to an open vote).
    "open_vote": _VOTE,
    "cast_ballot": _VOTE,
    "close_vote": _VOTE,
    "take_attendance": _VOTE,
    # Another draft under the item while the first awaits its vote; the next taken up
    # once one is decided (the case narrows it to an item with a draft waiting).
    "add_draft": _can("begin_voting"),
    "take_up": _can("take_up"),
    # The list of speakers, while the text is debated: before voting began.
    **dict.fromkeys(("inscribe", "speak", "close_list", "reply", "limit_speeches"),
                    _can("begin_voting")),
}


@functools.cache
def actions_in(state: str) -> tuple[str, ...]:
    """The actions the graph allows in `state`, read off the shared machine.

    Cached: the machine is defined once, and `get_triggers` scans all of it.
    """
    available = frozenset(machine().get_triggers(str(state)))
    here = State(state)
    has_text = here is not State.NEW and here.status not in NO_TEXT
    return tuple(a for a, allowed in ACTIONS.items()
                 if allowed(available) or (a == "explain_vote" and has_text))
