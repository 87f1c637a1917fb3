"""The case facade: load, decide, append, evolve.

Each action is a method with the same keyword arguments as a scenario step and as its
command class (`engine.procedure.commands`), so a scenario file and a Python script are
interchangeable. A call builds the command (its fields checked at the boundary), asks
the pure `decide` for the events, appends them to the log in one transaction, then
evolves the case's state with them through `evolve`, the function replay uses. An action
that is not in order raises a `ProcedureError` and appends nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from engine.app.actions import Entry, action, command_event_id, decision_in
from engine.procedure import arguments as arg
from engine.procedure import commands
from engine.procedure.checks import Standing, in_order, standing
from engine.procedure.commands import COMMANDS, Command
from engine.procedure.decide import decide
from engine.procedure.errors import InvalidArgumentError, ProcedureError
from engine.procedure.state import CaseState, evolve, step
from events import CaseOpened, Decision, EventLog, NewEvent, Recorded
from events.codec import Event
from events.damage import guard

__all__ = ["Case", "Entry", "command_event_id"]


class Case:
    """A case: one stream in the log. Get one from `log.new_case` or `log.case`."""

    # The actions, in the order of a case's life; each is documented by its command.
    submit_draft = action(commands.SubmitDraft)
    """Submit a draft to a body: see `commands.SubmitDraft`."""
    submit_agenda_item = action(commands.SubmitAgendaItem)
    """Open a case on a Security Council agenda item: see `commands.SubmitAgendaItem`."""
    add_sponsors = action(commands.AddSponsors)
    """Add co-sponsors to the draft: see `commands.AddSponsors`."""
    revise_orally = action(commands.ReviseOrally)
    """Revise the draft orally (a sponsor, before voting): see `commands.ReviseOrally`."""
    submit_amendment = action(commands.SubmitAmendment)
    """Submit an amendment to the draft: see `commands.SubmitAmendment`."""
    request_separate_vote = action(commands.RequestSeparateVote)
    """Ask for parts of the draft to be voted separately: see `commands.RequestSeparateVote`."""
    move = action(commands.Move)
    """Move a procedural motion: see `commands.Move`."""
    withdraw = action(commands.Withdraw)
    """Withdraw a draft, an amendment or a motion: see `commands.Withdraw`."""
    vote = action(commands.Vote)
    """Put an item to the vote; returns the Decision: see `commands.Vote`."""
    adopt_without_vote = action(commands.AdoptWithoutVote)
    """Adopt an item without a vote; returns the Decision: see `commands.AdoptWithoutVote`."""
    explain_vote = action(commands.ExplainVote)
    """Explain a vote, before or after it: see `commands.ExplainVote`."""
    transmit = action(commands.Transmit)
    """Send the decided text on to the next body: see `commands.Transmit`."""
    open_vote = action(commands.OpenVote)
    """Open a vote taken live, ballot by ballot: see `commands.OpenVote`."""
    cast_ballot = action(commands.CastBallot)
    """A member's ballot in the open vote: see `commands.CastBallot`."""
    close_vote = action(commands.CloseVote)
    """Close the open vote; returns the Decision: see `commands.CloseVote`."""
    take_attendance = action(commands.TakeAttendance)
    """Record the members present: see `commands.TakeAttendance`."""
    inscribe = action(commands.Inscribe)
    """Put a member on the list of speakers: see `commands.Inscribe`."""
    speak = action(commands.Speak)
    """Give the floor to the next speaker: see `commands.Speak`."""
    close_list = action(commands.CloseList)
    """Close the list of speakers: see `commands.CloseList`."""
    reply = action(commands.Reply)
    """Give a member the floor in right of reply: see `commands.Reply`."""
    limit_speeches = action(commands.LimitSpeeches)
    """Limit each speaker's time: see `commands.LimitSpeeches`."""
    add_draft = action(commands.AddDraft)
    """Submit another draft under the same agenda item: see `commands.AddDraft`."""
    take_up = action(commands.TakeUp)
    """Take up the item's next draft once one is decided: see `commands.TakeUp`."""

    def __init__(self, log: EventLog, state: CaseState, opening: CaseOpened | None = None) -> None:
        self._log, self._state = log, state
        self._opening = opening  # recorded with the case's first action
        if opening is not None:  # the case as its opening makes it, at version 0 still
            evolve(state, opening, 0)

    def __repr__(self) -> str:
        return f"<Case {self.id!r} {self.state} v{self.version}>"

    @property
    def id(self) -> str:
        """The case id (its stream id in the log)."""
        return self._state.case_id

    @property
    def state(self) -> str:
        """The public state name, e.g. "committee.voting"."""
        return self._state.state

    @property
    def version(self) -> int:
        """The version of the case's last recorded event (0 before the first)."""
        return self._state.version

    @property
    def title(self) -> str:
        """The case's title."""
        return self._state.title

    @property
    def data(self) -> CaseState:
        """The full state: draft, amendments, pending motions, decisions."""
        return self._state

    def in_order(self) -> tuple[str, ...]:
        """The actions in order now, each decision with the item it may be on."""
        return in_order(self.data)

    def standing(self) -> tuple[Standing, ...]:
        """Every action, in order now with the rule that allows it, or out of order with
        the reason and the rule that forbids it."""
        return standing(self.data, tuple(COMMANDS))

    @guard  # a damaged file or a full disk is a LogError; every action comes through here
    def run(self, command: Command, actor: str | None = None, note: str | None = None,
            command_id: str | None = None) -> Decision | None:
        """Decide `command` on the case, record its events, and evolve the case.

        Returns the decision, for a vote or an adoption. With a `command_id`, a command
        sent again (a retry after a timeout) appends nothing and returns what the first
        one returned; the case catches up with the log first.
        """
        moved = self._record(command, actor, note, command_id)
        if command_id is not None and not moved:  # recorded before, here or elsewhere
            return decision_in(self._recorded_by(command_id))
        return decision_in([recorded for recorded, _ in moved])

    @guard
    def record(self, command: Command, *, actor: str | None = None, note: str | None = None,
               command_id: str | None = None) -> list[Entry]:
        """`run`, returning what was recorded: each event with the states it passed
        (nothing for a command already recorded under `command_id`)."""
        return [Entry(*moved) for moved in self._record(command, actor, note, command_id)]

    def _record(self, command: Command, actor: str | None, note: str | None,
                command_id: str | None) -> list[tuple[Recorded, tuple[str, ...]]]:
        actor, note = arg.free_text(actor, "actor"), arg.free_text(note, "note")
        if command_id is not None:
            first = self._log.find(command_event_id(arg.text(command_id, "command_id"), 1))
            if first is not None:
                if first.stream_id != self.id:
                    raise InvalidArgumentError(f"command id {command_id!r} belongs to another "
                                               "case")
                self._check_retry(command, command_id, first)
                self._catch_up()
                return []
        events = decide(self._state, command)
        return self._append(events, command.date, actor, note, command_id)

    def _append(self, events: Sequence[Event], when: str | None, actor: str | None,
                note: str | None, command_id: str | None
                ) -> list[tuple[Recorded, tuple[str, ...]]]:
        """Append the events, evolve the state: each recorded event with its path."""
        opening = self._opening
        events = [opening, *events] if opening is not None else list(events)
        new = [NewEvent(e, when, actor, None if e is opening else note,
                        command_event_id(command_id, n) if command_id else None)
               for n, e in enumerate(events, start=1)]
        version = self._state.version
        recorded = self._log.append(self._state.case_id, new, version)
        self._opening = None
        if recorded and recorded[0].version == version + 1 and \
                recorded[-1].event is new[-1].event:
            # The opening is in the state already (see __init__); the rest evolve it.
            return [(rec, (self._state.state,) if rec.event is opening else
                     step(self._state, rec.event, rec.version, rec.occurred_at))
                    for rec in recorded]
        self._catch_up()  # a retried command another process recorded first
        return [(rec, (self.state,)) for rec in recorded]

    def _check_retry(self, command: Command, command_id: str, first: Recorded) -> None:
        """Refuse a command id recorded for another action. A retry is the same action: on
        the state before the first one it decides events of the same kinds (its arguments
        may differ, as a client's retry may: what was first recorded stands)."""
        earlier = [rec.event for rec in self._recorded_by(command_id)]
        opened = isinstance(earlier[0], CaseOpened) and command.action != "open_case"
        state = CaseState(self.id)
        for rec in self._log.select(self.id, upto=first.version - 1 + opened):
            evolve(state, rec.event, rec.version, rec.occurred_at)
        try:
            again = list(decide(state, command))
        except ProcedureError:
            again = None
        if again is None or [e.type for e in again] != [e.type for e in earlier[opened:]]:
            shown = earlier[opened] if len(earlier) > opened else earlier[0]
            raise InvalidArgumentError(
                f"command id {command_id!r} was used for another action: it recorded "
                f"{shown.type} at version {first.version + opened} of case {self.id!r}; a "
                f"command id names one command: give this {command.action} an id of its own")

    def _recorded_by(self, command_id: str) -> Iterator[Recorded]:
        n = 1
        while (rec := self._log.find(command_event_id(command_id, n))) is not None:
            yield rec
            n += 1

    def _catch_up(self) -> None:
        """Evolve the events other writers appended since this case was loaded."""
        self._opening = None
        for rec in self._log.select(self.id, after=self.version):
            evolve(self._state, rec.event, rec.version, rec.occurred_at)


if set(COMMANDS) - set(vars(Case)):  # a new command without its method fails at import
    raise ImportError(f"Case has no method for {sorted(set(COMMANDS) - set(vars(Case)))}")
