"""Verification of a whole log: is every recorded fact intact, legal and re-derivable?

Checks, in one streaming pass over the log:
- the hash chain: each row's hash is recomputed from the row before and its own columns,
  so an edited, deleted, inserted or reordered row breaks it at the first such position;
- contiguous versions: each case's events are numbered 1, 2, 3... without a gap;
- legality: every event can happen in the state its case was in (the state machine);
- chronology: no event is dated before its case's last dated event;
- decisions: every vote is decided again under today's rules (by the same code that
  decides live votes) and must come out the same;
- snapshots: each is the state its case's events replay to at its version.
It reports the first bad position; memory holds one state per case, never the log.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import attrs
from transitions import MachineError

from engine.app.log import ProcedureLog
from engine.app.snapshots import digest
from engine.procedure.chronology import ORDER_OF_PROCEEDINGS, backwards
from engine.procedure.decide import command_for, decide
from engine.procedure.errors import ProcedureError
from engine.procedure.state import CaseState, evolve
from events import GENESIS, CodecError, Decision, VoteTaken, decode

__all__ = ["Problem", "Report", "verify"]


@attrs.frozen(slots=True)
class Problem:
    """What is wrong at a position of the log."""

    position: int
    case: str
    message: str


@attrs.frozen(slots=True)
class Report:
    """The outcome of `verify`: how much was checked, and the first problem, if any."""

    events: int
    cases: int
    problem: Problem | None

    @property
    def ok(self) -> bool:
        """True when the log passed every check."""
        return self.problem is None


def _rederive(s: CaseState, event: VoteTaken, occurred_at: str | None) -> Decision:
    """The decision `decide` gives today on the command that recorded the vote."""
    command = command_for(s, event, occurred_at)
    assert command is not None, "every vote is the record of a command"
    decided = decide(s, command)[0]
    assert isinstance(decided, VoteTaken)
    return decided.decision


def _snapshot_problem(s: CaseState, event_hash: str, kept_hash: str, state: str,
                      kept: str) -> str | None:
    """What is wrong with the snapshot saved at `s`'s version, if anything."""
    where = f"the snapshot of {s.case_id!r} at version {s.version}"
    if kept_hash != event_hash:
        return None  # a stale snapshot, of an event no longer there: never used
    if kept != digest(kept_hash, state):
        return f"{where} contradicts its digest (it is never used; drop the snapshots table)"
    try:
        same = json.loads(state) == json.loads(json.dumps(s.as_dict()))
    except ValueError:
        same = False
    if not same:
        return (f"{where} differs from the state its events replay to: it was written by "
                "hand and misleads state, cases and what-if (drop the snapshots table)")
    return None


def _check_rows(log: ProcedureLog, tick: Callable[[], None] | None
                ) -> Iterator[tuple[int, Problem | int]]:
    """(events checked, the first problem) at the first problem, else (events, cases)."""
    states: dict[str, CaseState] = {}
    previous = GENESIS
    last_position = 0
    chain_hash = log.events.chain_hash  # the chain of the log's schema version
    # Snapshots are derived data: each must be exactly the state replayed to its version.
    snapshots = {(c, v): (h, state, kept) for c, v, h, state, kept in log.snapshots.every_one()}
    n = 0
    for n, row in enumerate(log.events.rows(), 1):
        position, stream, version = row[0], row[2], row[3]
        if tick is not None:
            tick()
        if position <= last_position:
            yield n - 1, Problem(position, stream, f"position {position} follows {last_position}")
            return
        last_position = position
        if row[11] != chain_hash(previous, row[1:11]):
            yield n - 1, Problem(position, stream, "the hash chain is broken: this row, or one "
                                       "before it, was changed, removed, inserted or moved")
            return
        previous = row[11]
        s = states.get(stream)
        if s is None:  # not setdefault: a CaseState built per row costs a sixth of verify
            s = states[stream] = CaseState(stream)
        if version != s.version + 1:
            yield n - 1, Problem(position, stream, f"version {version} follows version {s.version} "
                                       "of the case: versions must be contiguous")
            return
        if backwards(row[6], s.last_date):
            yield n - 1, Problem(
                position, stream, f"a {row[4]} event is dated {row[6]}, before the case's "
                f"last dated event ({s.last_date}): its dates run backwards "
                f"({ORDER_OF_PROCEEDINGS})")
            return
        try:
            event = decode(row[4], row[5], row[10])
            if isinstance(event, VoteTaken):
                again = _rederive(s, event, row[6])
                if again != event.decision:
                    yield n - 1, Problem(
                        position, stream, f"the vote on {event.on} recorded "
                        f"{event.decision.outcome} ({event.decision.rule}), but today's "
                        f"rules give {again.outcome} ({again.rule})")
                    return
            evolve(s, event, version, row[6])
            if (stream, version) in snapshots:
                problem = _snapshot_problem(s, row[11], *snapshots[stream, version])
                if problem:
                    yield n - 1, Problem(position, stream, problem)
                    return
        except MachineError:
            yield n - 1, Problem(position, stream, f"a {row[4]} event cannot happen in state "
                                       f"{s.state}")
            return
        except (CodecError, ProcedureError, KeyError, AssertionError, TypeError) as e:
            yield n - 1, Problem(position, stream, f"a {row[4]} event cannot be applied: {e}")
            return
    yield n, len(states)


def verify(log: ProcedureLog, tick: Callable[[], None] | None = None) -> Report:
    """Check the whole log; `tick` is called once per event (for a progress bar)."""
    found = log.events.damage()  # before any row is trusted: SQLite's own check
    if found:
        return Report(0, 0, Problem(0, "", "the file is damaged: SQLite's integrity check "
                                    f"finds {'; '.join(found[:3])}"))
    events, outcome = next(_check_rows(log, tick))
    if isinstance(outcome, Problem):
        return Report(events, 0, outcome)
    return Report(events, outcome, None)
