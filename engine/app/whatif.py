"""What if one vote had gone otherwise? Re-run a case with that vote changed.

The case is decided again in memory, command by command, by the same `decide` that
decides live actions: every action before the chosen vote as it was, the vote with the
changed figures (so today's rules decide it), and every later action as it was, as far
as it is still in order. Nothing is recorded anywhere; the log is only read.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from engine.app.log import ProcedureLog
from engine.procedure.commands import Command, OpenCase, Vote, command_of
from engine.procedure.decide import command_for, decide
from engine.procedure.errors import InvalidArgumentError, ProcedureError
from engine.procedure.members import find
from engine.procedure.state import CaseState, evolve
from events import CaseOpened, Decision, Recorded, VoteTaken

__all__ = ["Change", "WhatIf", "what_if"]

OPTIONS = ("yes", "no", "abstain")


@attrs.frozen(slots=True)
class Change:
    """One decision, as recorded and as it comes out in the changed run."""

    version: int
    on: str
    before: str
    after: str | None  # None: the action was no longer in order
    note: str = ""


@attrs.frozen(slots=True)
class WhatIf:
    """The outcome of a what-if run."""

    case: str
    vote_version: int
    vote_on: str
    changed: Mapping[str, object]
    decisions: tuple[Change, ...]
    state_before: str
    state_after: str
    stopped: str | None  # why the re-run stopped early, if it did


def _outcome(decision: Decision, amended: bool) -> str:
    return decision.outcome + (" as amended" if amended else "")


def _changed_vote(event: VoteTaken, counts: Mapping[str, int], members: Mapping[str, str],
                  date: str | None) -> Vote:
    """The vote's command as it was asked, with the changed figures or member votes."""
    asked = command_of(event, date)
    assert isinstance(asked, Vote)
    lists = {o: list(getattr(event, f"{o}_members")) for o in OPTIONS}
    for given, option in members.items():
        member = seat_name(given)
        if option not in OPTIONS:
            raise InvalidArgumentError(f"--member {given}={option}: the option must be "
                                       "yes, no or abstain")
        for names in lists.values():
            if member in names:
                names.remove(member)
        lists[option].append(member)
    figures = {o: len(lists[o]) if any(lists.values()) else getattr(event, o) for o in OPTIONS}
    if counts:
        figures = _rebalanced(figures, counts)
        lists = {o: [] for o in OPTIONS}  # explicit counts replace the member lists
    return attrs.evolve(asked, **figures, **{f"{o}_members": names for o, names in lists.items()})


def seat_name(name: str) -> str:
    """A member's UN name for a name, code or alias ("USA": United States of America)."""
    member = find(name)
    return member.name if member else name


def _rebalanced(figures: Mapping[str, int], counts: Mapping[str, int]) -> dict[str, int]:
    """Set `counts` and keep the number of members who voted the same where possible.

    Votes moved into a figure that was set come out of the figures that were not set,
    abstentions first, then votes against, then votes in favour; so `yes=80` on a vote
    of 40-77-50 gives 80-77-10. Setting every figure takes them as given.
    """
    out = {**figures, **counts}
    surplus = sum(out.values()) - sum(figures.values())
    for option in ("abstain", "no", "yes"):
        if option in counts or surplus == 0:
            continue
        moved = min(out[option], surplus) if surplus > 0 else surplus
        out[option] -= moved
        surplus -= moved
    return out


def _first_vote(log: ProcedureLog, case_id: str, at: int) -> Recorded:
    for rec in log.events.select(case_id):
        if rec.version >= at and isinstance(rec.event, VoteTaken):
            return rec
    raise InvalidArgumentError(f"case {case_id!r} has no vote at or after event {at}")


def what_if(log: ProcedureLog, case_id: str, at: int, counts: Mapping[str, int] | None = None,
            members: Mapping[str, str] | None = None) -> WhatIf:
    """Re-run `case_id` with the vote at (or first after) version `at` changed."""
    counts, members = dict(counts or {}), dict(members or {})
    for option in counts:
        if option not in OPTIONS:
            raise InvalidArgumentError(f"--set {option}=...: only yes, no and abstain can be set")
    original = log.case(case_id)  # raises UnknownCaseError
    vote = _first_vote(log, case_id, at)
    state = CaseState(case_id)
    changes: list[Change] = []
    stopped = None
    for rec in log.events.select(case_id):
        command: Command | OpenCase | None
        if isinstance(rec.event, CaseOpened):
            command = OpenCase(id=case_id, title=rec.event.title, council=rec.event.council,
                               bodies=rec.event.bodies)
        elif rec.version == vote.version:
            assert isinstance(rec.event, VoteTaken)
            command = _changed_vote(rec.event, counts, members, rec.occurred_at)
        else:
            command = command_for(state, rec.event, rec.occurred_at)
        if command is None:
            continue
        was = _outcome(rec.event.decision, rec.event.as_amended) \
            if isinstance(rec.event, VoteTaken) else ""
        try:
            events = decide(state, command)
        except ProcedureError as e:
            if isinstance(rec.event, VoteTaken):
                changes.append(Change(rec.version, rec.event.on, was, None, str(e)))
            stopped = f"event {rec.version} ({command.action}), which the changed vote leaves " \
                      f"refused: {e}"
            break
        for event in events:
            evolve(state, event, occurred_at=rec.occurred_at)
        if isinstance(rec.event, VoteTaken) and isinstance(events[0], VoteTaken):
            amended = state.decisions[-1].kind == "draft" and state.amended
            changes.append(Change(rec.version, rec.event.on, was,
                                  _outcome(events[0].decision, amended)))
    return WhatIf(case_id, vote.version, vote.event.on, {**counts, **members},
                  tuple(changes), original.state, state.state, stopped)
