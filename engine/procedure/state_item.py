"""The agenda item a case holds: its other drafts, their order, and what the body decided
about the item as a whole (A/520/Rev.20 rules 83-85 and 91 / 131).

A case follows one draft at a time, `CaseState.draft`: the one the body takes up now.
The item's other drafts wait in `Agenda.queue`, in the order they are voted: the order of
submission unless the body decided otherwise (rule 91 / 131, the priority motion). Once
a draft is decided the body may take up the next (`take_up`), for "the General Assembly
may, after each vote on a proposal, decide whether to vote on the next proposal" (rule
91); a draft it never takes up stays in the queue, undecided, as the record leaves it.

Kept apart from the rest of the state, as the floor is; `evolve` dispatches here.
"""

from __future__ import annotations

from typing import Any, Protocol

import attrs

from engine.procedure.errors import NotInOrderError
from engine.procedure.words import Motion
from events.catalog import DraftTakenUp, MotionMoved, VoteTaken


class ItemDraft(Protocol):
    """What the item needs of a draft (`engine.procedure.state.Draft`)."""

    symbol: str
    symbols: list[str]


class ItemCase(Protocol):
    """What the item needs of the case (`engine.procedure.state.CaseState`, which
    imports this module: so it is described here, not imported)."""

    draft: Any
    agenda: Agenda
    amendments: dict[str, Any]
    parts: dict[str, Any]
    amended: bool
    stage: str | None

__all__ = ["ITEM_HANDLERS", "ITEM_MOTIONS", "Agenda", "carried", "moved", "out_of_turn", "queued",
           "withdrawn"]

# The motions about the item or its drafts, voted as procedural questions by a simple
# majority (Charter Art. 18(3); rule 85 / 125).
ITEM_MOTIONS = frozenset({Motion.IMPORTANT_QUESTION.value, Motion.PRIORITY.value,
                          Motion.POSTPONE.value})


@attrs.define(slots=True)
class Agenda:
    """The item's other drafts and the body's decisions on the item."""

    queue: list[ItemDraft] = attrs.Factory(list)  # drafts waiting, in the order to be voted
    important: list[str] = attrs.Factory(list)  # drafts the plenary decided need two thirds
    not_important: list[str] = attrs.Factory(list)  # drafts it decided do not
    targets: dict[str, str] = attrs.Factory(dict)  # pending motion -> what it names
    postponed_to: str | None = None  # votes on the item come no earlier than this date
    postponed_after: str | None = None  # ... or only after this date (no day named)
    set_aside: list[str] = attrs.Factory(list)  # drafts on which no action is taken

    def symbols(self) -> tuple[str, ...]:
        """The symbols of the drafts waiting, in order."""
        return tuple(d.symbol for d in self.queue)


def queued(s: ItemCase, symbol: str) -> ItemDraft | None:
    """The waiting draft that bears `symbol`, if one does."""
    return next((d for d in s.agenda.queue if symbol in d.symbols), None)


def _reset_for(s: ItemCase, draft: ItemDraft) -> None:
    """`draft` becomes the one before the body: amendments and parts were the last one's."""
    s.draft = draft
    s.amendments, s.parts, s.amended = {}, {}, False


def _taken_up(s: ItemCase, e: DraftTakenUp, date: str | None) -> tuple[str, ...]:
    draft = queued(s, e.symbol)
    assert draft is not None, "take_up names a waiting draft"
    s.agenda.queue.remove(draft)
    _reset_for(s, draft)
    return ("take_up",)


def moved(s: ItemCase, e: MotionMoved) -> None:
    """Keep what a motion names (a draft, a date) while it is pending."""
    if e.target is not None:
        s.agenda.targets[e.motion] = e.target


def carried(s: ItemCase, e: VoteTaken | Any, date: str | None) -> tuple[str, ...] | None:
    """What a decided motion about the item does; None if it is not one of them (the
    caller then goes on as for any motion)."""
    target = s.agenda.targets.pop(e.on, None)
    adopted = e.decision.outcome == "adopted"
    current = s.draft.symbol if s.draft else ""
    if e.on == Motion.IMPORTANT_QUESTION:
        (s.agenda.important if adopted else s.agenda.not_important).append(target or current)
        return ()
    if e.on == Motion.PRIORITY:
        first = queued(s, target or "")
        if adopted and first is not None and s.draft is not None:
            # The named draft is voted first; the rest keep the order of submission.
            s.agenda.queue.remove(first)
            s.agenda.queue.insert(0, s.draft)
            _reset_for(s, first)
        return ()
    if e.on == Motion.POSTPONE:
        if adopted:
            s.agenda.postponed_to = target
            s.agenda.postponed_after = None if target else date
        return ()
    waiting = queued(s, target or "")
    here = s.draft is not None and target in s.draft.symbols
    if e.on == Motion.ADJOURN_DEBATE and s.agenda.queue and (waiting or here):
        # A no-action motion on one draft of an item with several: on that draft only.
        # Without a target (or naming the item) it covers the whole item, as with one.
        if adopted:
            s.agenda.set_aside.append(target or current)
            if waiting is not None:
                s.agenda.queue.remove(waiting)
            else:
                _reset_for(s, s.agenda.queue.pop(0))
        return ()
    return None


def out_of_turn(s: ItemCase, attempted: str, symbol: str, allowed: tuple[str, ...]) -> None:
    """Refuse a decision on a waiting draft: the one before the body comes first."""
    waiting = queued(s, symbol)
    if waiting is None or s.draft is None:
        return
    rule = "rule 131" if s.stage == "committee" else "rule 91"
    raise NotInOrderError(
        attempted, f"{s.draft.symbol} is before the body and {waiting.symbol} waits: "
        "proposals on the same question are voted in the order of their submission unless "
        "the body decides otherwise (a motion for priority), and the next is taken up only "
        "once the one before it is decided", rule, allowed)


def withdrawn(s: ItemCase, symbol: str) -> tuple[str, ...] | None:
    """A withdrawn draft of an item with several: it leaves the queue, or, if it was the
    one before the body, the next takes its place. None if the case has one draft."""
    waiting = queued(s, symbol)
    if waiting is not None:
        s.agenda.queue.remove(waiting)
        return ()
    if s.agenda.queue and s.draft is not None and symbol in s.draft.symbols:
        _reset_for(s, s.agenda.queue.pop(0))
        return ()
    return None


# DraftAdded is evolved in `engine.procedure.state`, which builds the Draft.
ITEM_HANDLERS: dict[type, Any] = {DraftTakenUp: _taken_up}
