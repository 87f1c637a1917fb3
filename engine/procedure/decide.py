"""`decide(state, command) -> events`: the one judge of what may happen in a case.

Pure: it reads the state and the command, and returns the events that record what the
rules make of the command, or raises a `ProcedureError` that says what was attempted,
why it is not in order (citing the rule) and what is in order now. It never changes the
state and never records anything; the application appends the events and evolves the
state with them (`engine.procedure.state.evolve`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from engine.procedure import council_agenda as council
from engine.procedure import decide_floor as floor
from engine.procedure import decide_item as item
from engine.procedure import decide_texts as texts
from engine.procedure import decide_votes as votes
from engine.procedure.arguments import show, text
from engine.procedure.bodies import PERMANENT_FIVE, declare_body
from engine.procedure.chronology import check_date
from engine.procedure.commands import COMMANDS, CloseVote, Command, OpenCase, command_of
from engine.procedure.council import check_named
from engine.procedure.errors import InvalidArgumentError
from engine.procedure.members import resolve
from engine.procedure.state import CaseState
from events.catalog import CaseOpened, VoteTaken
from events.codec import Event

__all__ = ["command_for", "decide", "elected"]

_CLAUSES: dict[str, Callable[[CaseState, Any], tuple[Event, ...]]] = {
    "submit_draft": texts.submit_draft,
    "submit_agenda_item": council.submit_agenda_item,
    "add_sponsors": texts.add_sponsors,
    "revise_orally": texts.revise_orally,
    "submit_amendment": texts.submit_amendment,
    "request_separate_vote": texts.request_separate_vote,
    "move": texts.move,
    "withdraw": texts.withdraw,
    "vote": votes.vote,
    "adopt_without_vote": votes.adopt_without_vote,
    "explain_vote": votes.explain_vote,
    "transmit": votes.transmit,
    "open_vote": votes.open_vote,
    "cast_ballot": votes.cast_ballot,
    "close_vote": votes.close_vote,
    "take_attendance": votes.take_attendance,
    "inscribe": floor.inscribe,
    "speak": floor.speak,
    "close_list": floor.close_list,
    "reply": floor.reply,
    "limit_speeches": floor.limit_speeches,
    "add_draft": item.add_draft,
    "take_up": item.take_up,
}
if set(_CLAUSES) != set(COMMANDS):  # a new command without a clause fails at import
    raise ImportError(f"commands without a decide clause: {set(COMMANDS) ^ set(_CLAUSES)}")


def decide(state: CaseState, command: Command | OpenCase) -> tuple[Event, ...]:
    """The events `command` records in a case in `state`; raises ProcedureError if the
    rules do not allow it."""
    if isinstance(command, OpenCase):
        return (_open(state, command),)
    check_date(command.action, command.date, state.last_date)  # never before what it follows
    return _CLAUSES[command.action](state, command)


def command_for(state: CaseState, event: Event, date: str | None = None) -> Command | None:
    """The command that recorded `event` in a case in `state`: `command_of`, but a vote
    that closed an open ballot on its item was recorded by `close_vote`."""
    if isinstance(event, VoteTaken) and state.ballot is not None and \
            state.ballot.on == event.on:
        return CloseVote(on=event.on, date=date)
    return command_of(event, date)


def _open(state: CaseState, c: OpenCase) -> CaseOpened:
    if state.version:
        raise InvalidArgumentError(f"case {state.case_id!r} is already open")
    council = elected(c.council or ())
    declared = tuple(declare_body(b) for b in c.bodies)
    if len({b.id for b in declared}) != len(declared):
        raise InvalidArgumentError("two declared bodies have the same id")
    return CaseOpened(c.title, council, declared)


def elected(names: Sequence[str]) -> tuple[str, ...]:
    """The Security Council's elected members among `names` (UN names, codes or aliases):
    none, six or ten (Charter Art. 23(1)); the permanent members are always there."""
    if isinstance(names, str) or not isinstance(names, Sequence):
        raise InvalidArgumentError(f"council must be a list of names, not {show(names)}")
    seated = tuple(resolve(text(n, "each council member")).name for n in names)
    if len(set(seated)) != len(seated):
        raise InvalidArgumentError("council names a member twice")
    elected_members = tuple(n for n in seated if n not in PERMANENT_FIVE)
    check_named(elected_members)  # 10, or 6 before 1966; held to the vote's date later
    return elected_members
