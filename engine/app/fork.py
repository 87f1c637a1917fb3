"""Forking a case: a new case from the first events of another, decided again.

The log is append-only, so a case is never cut back to an earlier version. A fork is
how a case goes back: a new case is opened as the original was (its title, council and
declared bodies) and the original's first `at` events are decided again in it, action by
action (`command_for`, as `what_if` reads a case), through the same `Case.run` as a live
action. Each event recorded in the fork notes its origin, "fork of ID at N", so the
record says where it came from; the original case is untouched.

    from engine.app.fork import fork
    again = fork(log, "dprk-2014", 3, "dprk-2014-b")    # the draft and Cuba's amendment
    again.vote(on="cuba-amendment", yes=80, no=50, abstain=40)       # had it passed

`procedura play` (undo) and the live session (`POST /api/cases/ID/fork`) both fork
through `fork`.
"""

from __future__ import annotations

from engine.app.case import Case
from engine.app.log import ProcedureLog
from engine.procedure.arguments import show
from engine.procedure.commands import OpenCase
from engine.procedure.decide import command_for
from engine.procedure.errors import InvalidArgumentError
from engine.procedure.state import CaseState, evolve
from events import CaseOpened

__all__ = ["ForkError", "ForkOutOfRangeError", "ForkSplitsActionError", "fork", "fork_points",
           "origin"]


class ForkError(InvalidArgumentError):
    """A fork that cannot be made as asked; nothing is recorded."""


class ForkOutOfRangeError(ForkError):
    """`at` is not an event of the case: it must be from 1 to the case's version."""

    def __init__(self, case_id: str, at: int, version: int) -> None:
        self.case_id, self.at, self.version = case_id, at, version
        super().__init__(f"a fork: at must be an event of {case_id!r}, from 1 to {version}, "
                         f"not {at}")


class ForkSplitsActionError(ForkError):
    """`at` falls inside the events one action recorded together (a vote and the
    amendment it made lapse); `before` and `after` are the nearest versions to fork at."""

    def __init__(self, case_id: str, at: int, before: int, after: int) -> None:
        self.case_id, self.at, self.before, self.after = case_id, at, before, after
        super().__init__(f"a fork: event {at} of {case_id!r} is one of several that one "
                         f"action recorded; fork at {before} or at {after}")


def origin(case_id: str, at: int) -> str:
    """The note each event of a fork carries: where the fork came from."""
    return f"fork of {case_id} at {at}"


def fork_points(log: ProcedureLog, case_id: str) -> tuple[int, ...]:
    """The versions the case may be forked at, in order: 1 (its opening alone) and each
    version at which an action's events end, the last being the case's version.

    Raises `UnknownCaseError` if the log holds no such case.
    """
    state, points, last = CaseState(case_id), [], 0
    for rec in log.events.select(case_id):
        if rec.version > 1 and command_for(state, rec.event, rec.occurred_at) is not None:
            points.append(rec.version - 1)  # an action begins here: one ended before it
        evolve(state, rec.event, rec.version, rec.occurred_at)
        last = rec.version
    if not last:
        log.case(case_id, at=0)  # UnknownCaseError, naming the cases the log holds
    return (*points, last)


def fork(log: ProcedureLog, case_id: str, at: int, new_id: str) -> Case:
    """A new case `new_id` made of the first `at` events of `case_id`, decided again.

    The new case is opened as the original was, and every action among the first `at`
    events is run again with its date and actor, its note headed by `origin(case_id,
    at)`; events an action brought with it (a lapsed amendment) come again with it. All
    of it is recorded in one transaction, or nothing is. The original is untouched.

    With `at=1` (the opening alone) nothing is recorded yet: the case returned, at
    version 0, is recorded with its first action, as a new case is
    (`ProcedureLog.new_case`).

    Raises `UnknownCaseError` for a case the log does not hold, `ForkOutOfRangeError` if
    `at` is not one of its events, `ForkSplitsActionError` if `at` falls inside the
    events of one action (see `fork_points`), `InvalidArgumentError` for an `at` that is
    not a whole number or a `new_id` that is not a case id, and `CaseExistsError` if the
    log holds `new_id` already.
    """
    if isinstance(at, bool) or not isinstance(at, int):
        raise InvalidArgumentError(f"a fork: at must be a whole number, not {show(at)}")
    points = fork_points(log, case_id)
    if not 1 <= at <= points[-1]:
        raise ForkOutOfRangeError(case_id, at, points[-1])
    if at not in points:
        raise ForkSplitsActionError(case_id, at, max(p for p in points if p < at),
                                    min(p for p in points if p > at))
    OpenCase(id=new_id, title="")  # the id's own check, before anything is read
    records = list(log.events.select(case_id, upto=at))
    opened = records[0].event
    assert isinstance(opened, CaseOpened)
    note = origin(case_id, at)
    with log.transaction():  # all of it, or nothing
        new = log.open_case(OpenCase(id=new_id, title=opened.title, council=opened.council,
                                     bodies=opened.bodies))  # CaseExistsError if taken
        before = 1
        for rec in records[1:]:
            command = command_for(new.data, rec.event, rec.occurred_at)
            if command is None:  # a consequence: its action brings it again
                continue
            before = max(new.version, 1)
            new.run(command, actor=rec.actor, note=f"{note}; {rec.note}" if rec.note else note)
        if new.version > at:  # decided again, the last action brought more than it did
            raise ForkSplitsActionError(case_id, at, before, new.version)
    return new
