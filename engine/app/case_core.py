"""What every action on a case shares: the case's state, and the machinery that checks
an action is in order and records its events.

`CaseCore` is the base of the action groups (`engine.app.case_texts`, `engine.app.case_motions`,
`engine.app.case_decisions`) that `engine.app.case.Case` puts together. `ACTIONS` says where
each action is in order; `action` makes one idempotent given a `command_id`.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

from engine.procedure import arguments as arg
from engine.procedure import rules
from engine.procedure.bodies import BODIES, Body
from engine.procedure.errors import InvalidArgumentError, NotInOrderError
from engine.procedure.graph import machine
from engine.procedure.order import voteable
from engine.procedure.seats import seat_of, seats
from engine.procedure.state import CaseState, apply, apply_recorded
from events import (
    AdoptedWithoutVote,
    CaseOpened,
    Decision,
    Event,
    EventLog,
    NewEvent,
    Recorded,
    VoteTaken,
)

__all__ = ["ACTIONS", "CaseCore", "action", "command_event_id", "in_order"]

F = TypeVar("F", bound=Callable[..., Any])
_COMMANDS = "6f1b0c5e-3d2a-4e8b-9c1f-5a7d2e4b8c90"  # the UUID namespace of command ids

# The triggers whose availability puts an action in order (DESIGN §5-6): what is in
# order in a state is read off the state machine itself. `explain_vote` is the one
# action with no trigger of its own; it is in order wherever a body has a text before it
# or has decided one.
ACTIONS: dict[str, frozenset[str]] = {
    "submit_draft": frozenset({"submit_to_committee", "submit_to_plenary", "submit_to_council"}),
    "add_sponsors": frozenset({"adopt"}),
    "revise_orally": frozenset({"withdraw"}),
    "submit_amendment": frozenset({"begin_voting"}),
    "request_separate_vote": frozenset({"begin_voting"}),
    "move": frozenset({"take_no_action", "reconsider"}),
    "withdraw": frozenset({"withdraw", "adopt", "reconsider"}),
    "vote": frozenset({"adopt", "adopt_agenda", "reconsider"}),
    "adopt_without_vote": frozenset({"adopt", "adopt_agenda"}),
    "explain_vote": frozenset(),
    "transmit": frozenset({"transmit_to_plenary", "transmit_to_council"}),
}
# While a motion is pending only these may happen: it is voted at once (rule 116 / 74).
_WHILE_MOTION_PENDING = ("vote", "withdraw", "explain_vote", "move")
_DECIDING = ("vote", "adopt_without_vote")  # the actions that take an item: `on`
_NO_TEXT = ("new", ".seized", ".withdrawn", ".no_action")
_DECIDED = (".approved", ".adopted", ".rejected", ".vetoed")


def command_event_id(command_id: str, n: int) -> str:
    """The id of the n-th event of a command: the same for every retry of the command.

    It does not depend on the case, so a command id reused on another case is caught.
    """
    import uuid  # here: only commands with an id need it

    return str(uuid.uuid5(uuid.UUID(_COMMANDS), f"{command_id}\x1f{n}"))


def action(method: F) -> F:
    """Make a case method an action that may carry a `command_id` for idempotency.

    A command sent again with the same id (a retry after a timeout) appends nothing and
    returns what the first one returned; the case catches up with the log first.
    """

    @functools.wraps(method)
    def run(self: CaseCore, *args: Any, command_id: str | None = None, **kwargs: Any) -> Any:
        if command_id is None:
            return method(self, *args, **kwargs)
        arg.text(command_id, "command_id")
        first = self._log.find(command_event_id(command_id, 1))
        if first is not None:
            if first.stream_id != self.id:
                raise InvalidArgumentError(f"command id {command_id!r} belongs to another case")
            self._catch_up()
            return _result_of(self._log, command_id)
        self._command_id = command_id
        try:
            return method(self, *args, **kwargs)
        finally:
            self._command_id = None

    signature = inspect.signature(method)
    extra = inspect.Parameter("command_id", inspect.Parameter.KEYWORD_ONLY, default=None,
                              annotation="str | None")
    run.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*signature.parameters.values(), extra])
    return cast(F, run)


def _result_of(log: EventLog, command_id: str) -> Decision | None:
    n = 1
    while (rec := log.find(command_event_id(command_id, n))) is not None:
        if isinstance(rec.event, VoteTaken | AdoptedWithoutVote):
            return rec.event.decision
        n += 1
    return None


@functools.cache
def in_order(state: str) -> tuple[str, ...]:
    """The actions in order in a state, read off the shared state machine.

    Cached: the machine is defined once, and `get_triggers` scans all of it.
    """
    available = set(machine().get_triggers(state))
    return tuple(
        a for a, enablers in ACTIONS.items()
        if enablers & available or (not enablers and not state.endswith(_NO_TEXT))
    )


class CaseCore:
    """A case's state and the machinery its actions share; `engine.app.case.Case` is the case."""

    def __init__(self, log: EventLog, state: CaseState, opening: CaseOpened | None = None) -> None:
        self._log = log
        self._state = state
        self._opening = opening  # recorded with the case's first action
        self._command_id: str | None = None
        if opening is not None:
            state.bodies = {b.id: b for b in opening.bodies}
            state.council = opening.council

    # -- what it is now ------------------------------------------------------------

    @property
    def id(self) -> str:
        """The case id (its stream id in the log)."""
        return self._state.case_id

    @property
    def state(self) -> str:
        """The public state name, e.g. "committee.voting" (DESIGN §5)."""
        return self._state.state

    @property
    def version(self) -> int:
        """The version of the case's last recorded event (0 before the first)."""
        return self._state.version

    @property
    def title(self) -> str:
        """The case's title."""
        return self._opening.title if self._opening else self._state.title

    @property
    def data(self) -> CaseState:
        """The full rebuilt state: draft, amendments, pending motions, decisions."""
        return self._state

    def in_order(self) -> tuple[str, ...]:
        """The actions in order now.

        The state machine says what a state allows; the case narrows it: with a motion
        pending, only the vote on it; once the draft is decided, a vote or a withdrawal
        only after a reconsideration has been moved. A decision names what the rules let
        it be on now: "vote on L.28/A" while that amendment is pending, "vote on L.28"
        once no amendment or part is left.
        """
        items = voteable(self._state)
        if self._state.motions:
            return tuple(f"vote on {i}" for i in items)
        allowed = in_order(self.state)
        if self.state.endswith(_DECIDED):
            allowed = tuple(a for a in allowed if a not in ("vote", "withdraw"))
        return tuple(entry for a in allowed for entry in (
            [f"{a} on {i}" for i in items] if a in _DECIDING and items else [a]))

    # -- the machinery -------------------------------------------------------------

    def _require(self, action: str) -> None:
        state = self.state
        if action not in in_order(state):
            reason = f"the case is {state}" + ("; no draft has been submitted"
                                                 if state == "new" else "")
            rule = "rule 128 / 88: no interruption once voting began" \
                if state.endswith(".voting") else None
            raise NotInOrderError(action, reason, rule, self.in_order())
        if self._state.motions and action not in _WHILE_MOTION_PENDING:
            pending = ", ".join(self._state.motions)
            raise NotInOrderError(action, f"the motion {pending} is pending and is voted at once",
                                  self._cite("no_action"), self.in_order())

    def _record(self, events: Sequence[Event], when: str | None, actor: str | None,
                note: str | None) -> list[Recorded]:
        if self._opening is not None:
            events = [self._opening, *events]
        cid = self._command_id
        actor, note = arg.free_text(actor, "actor"), arg.free_text(note, "note")
        new = [NewEvent(e, when, actor, note if e is not self._opening else None,
                        command_event_id(cid, n) if cid else None)
               for n, e in enumerate(events, start=1)]
        recorded = self._log.append(self.id, new, self.version)
        self._opening = None
        if recorded and recorded[0].version == self.version + 1 and \
                recorded[-1].event is new[-1].event:
            for rec in recorded:
                apply_recorded(self._state, rec)
        else:  # a retried command another process recorded first
            self._catch_up()
        return recorded

    def _catch_up(self) -> None:
        """Apply the events other writers appended since this case was loaded."""
        self._opening = None
        for version, occurred_at, event in self._log.read_events(self.id, after=self.version):
            apply(self._state, event, version, occurred_at)

    def _draft(self):
        assert self._state.draft is not None, "every action after submit_draft has a draft"
        return self._state.draft

    def _body(self) -> Body:
        body = self._state.body_of()
        assert body is not None, "a case in a body always names a known body"
        return body

    def _cite(self, topic: str) -> str | None:
        return rules.CITE[self._state.stage or "committee"].get(topic)

    def _on(self, when: str | None) -> dt.date:
        return dt.date.fromisoformat(when or self._state.last_date or dt.date.today().isoformat())

    def _seated(self, names: Sequence[str], what: str, on: dt.date,
                body: Body | None = None) -> tuple[str, ...]:
        """Seats for the names: members of a declared body, else UN Member States."""
        body = body or self._body()
        where = body if body.members is not None else BODIES["plenary"]
        members = seats(where, on)
        return tuple(seat_of(n, members, what, on, where.name) for n in names)
