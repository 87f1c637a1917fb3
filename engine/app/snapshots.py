"""Snapshots: a case's state saved every so many events, so time travel stays cheap.

Derived data in their own table, `snapshots`, beside the events: always discardable
(drop the table and nothing is lost) and rebuilt on demand, when a long stream is read
from a log that can be written. A snapshot records the hash of the event it stands at;
it is used only while that event is still the one in the log, and only if its format
is this code's, so a stale snapshot is ignored rather than trusted.

Each snapshot also carries a digest, SHA-256 of the event's hash and the state's JSON. A
snapshot that contradicts its digest (a row written by hand, a damaged page) is never
used: the case is replayed from its events instead, with a `SnapshotWarning`. The digest
is no secret, so it stops accidents, not a forger: a snapshot forged with a consistent
digest is used by `case()`, `state`, `cases` and `what-if` until `verify` finds it (it
rebuilds every snapshot and compares), and it changes nothing recorded: `history`,
`export`, `replay` and `verify` read the events themselves.
"""

from __future__ import annotations

import json
import sqlite3
import warnings
from collections.abc import Iterator
from typing import Any

from engine.procedure.state import Amendment, Ballot, CaseState, DecisionRecord, Draft, Explanation
from engine.procedure.state_floor import Floor
from engine.procedure.state_item import Agenda
from events import Body, Decision, EventLog, LogError

__all__ = ["EVERY", "FORMAT", "SnapshotWarning", "Snapshots", "digest", "state_from_dict"]

EVERY = 1000  # events between snapshots of one case
FORMAT = 7  # bump when CaseState changes shape or meaning (2: the open ballot; 3: attendance;
#            4: the list of speakers; 5: the digest; 6: the agenda item's drafts;
#            7: the Council agenda item a case opened on)
TABLE = "snapshots"
COLUMNS = {"stream_id": str, "version": int, "format": int, "hash": str, "state": str,
           "digest": str}
# The newest snapshot at or before a version whose event is still the one in the log.
_LATEST = ("select s.version, s.hash, s.state, s.digest from snapshots s join events e"
           " on e.stream_id = s.stream_id and e.version = s.version and e.hash = s.hash"
           " where s.stream_id = ? and s.version <= ? and s.format = ?"
           " order by s.version desc limit 1")
# The hash comes from the event the snapshot stands at, in the same statement.
_SAVE = ("insert or replace into snapshots select ?, ?, ?, hash, ?, ? from events"
         " where stream_id = ? and version = ?")
_HASH = "select hash from events where stream_id = ? and version = ?"
_EVERY_ONE = "select stream_id, version, hash, state, digest from snapshots where format = ?"


class SnapshotWarning(UserWarning):
    """A snapshot was not used, because it contradicts its digest: the case was replayed."""


def digest(event_hash: str, state: str) -> str:
    """A snapshot's digest: SHA-256 of the hash of its event and its state's JSON."""
    import hashlib  # here: `import engine` leaves hashlib for first use

    return hashlib.sha256(f"{event_hash}\n{state}".encode()).hexdigest()


def state_from_dict(d: dict[str, Any]) -> CaseState:
    """Rebuild a CaseState from `CaseState.as_dict()` output (after a JSON round trip)."""
    draft = d["draft"]
    return CaseState(
        case_id=d["case_id"], title=d["title"], state=d["state"], version=d["version"],
        council=tuple(d["council"]),
        bodies={k: Body(**v) for k, v in d["bodies"].items()},
        body=d["body"], stage=d["stage"],
        draft=_draft(draft) if draft else None,
        amendments={k: Amendment(**{**v, "proposers": tuple(v["proposers"]),
                                    "implies_rejection_of": tuple(v["implies_rejection_of"])})
                    for k, v in d["amendments"].items()},
        parts=dict(d["parts"]), motions=dict(d["motions"]),
        decisions=[DecisionRecord(**{**r, "decision": Decision(**r["decision"])})
                   for r in d["decisions"]],
        explanations=[Explanation(**e) for e in d["explanations"]],
        amended=d["amended"], last_date=d["last_date"],
        ballot=Ballot(**d["ballot"]) if d.get("ballot") else None,
        attendance=None if d.get("attendance") is None else tuple(d["attendance"]),
        floor=Floor(**d["floor"]),
        agenda=_agenda(d["agenda"]),
        council_item=d.get("council_item"),
    )


def _draft(d: dict[str, Any]) -> Draft:
    return Draft(**{**d, "parties": tuple(d["parties"])})


def _agenda(d: dict[str, Any]) -> Agenda:
    return Agenda(**{**d, "queue": [_draft(q) for q in d["queue"]]})


class Snapshots:
    """The snapshots of one log."""

    def __init__(self, events: EventLog, every: int = EVERY) -> None:
        self.events, self.every = events, every
        self.present = self._current()

    def _current(self) -> bool:
        """Whether the table is there with this code's columns (an older one is not)."""
        if not self.events.has_table(TABLE):
            return False
        columns = {row[1] for row in self.events.query(f"pragma table_info({TABLE})")}
        return set(COLUMNS) <= columns

    def latest(self, stream_id: str, upto: int | None) -> CaseState | None:
        """The newest valid snapshot of the stream at or before version `upto`; None,
        with a SnapshotWarning, if it contradicts its digest."""
        if not self.present:
            return None
        row = next(iter(self.events.query(
            _LATEST, (stream_id, upto if upto is not None else 1 << 62, FORMAT))), None)
        if row is None:
            return None
        version, event_hash, state, kept = row
        try:
            if kept != digest(event_hash, state):
                raise ValueError("its digest does not match")
            found = state_from_dict(json.loads(state))
            if (found.case_id, found.version) != (stream_id, version):
                raise ValueError(f"it holds {found.case_id!r} at version {found.version}")
            return found
        except (ValueError, TypeError, KeyError, AttributeError) as err:
            warnings.warn(f"the snapshot of {stream_id!r} at version {version} was not used "
                          f"({err}); the case was replayed from its events", SnapshotWarning,
                          stacklevel=2)
            return None

    def _hash(self, stream_id: str, version: int) -> str:
        found = next(iter(self.events.query(_HASH, (stream_id, version))), None)
        return found[0] if found else ""

    def every_one(self) -> Iterator[tuple[str, int, str, str, str]]:
        """(case, version, event hash, state, digest) of every snapshot of this format."""
        if not self.present:
            return iter(())
        return iter(self.events.query(_EVERY_ONE, (FORMAT,)))

    def next_due(self, version: int) -> int:
        """The first version after `version` at which a snapshot belongs (-1: never,
        as nothing can be written to a read-only log)."""
        return -1 if self.events.readonly else (version // self.every + 1) * self.every

    @staticmethod
    def taken(state: CaseState) -> tuple[str, int, str]:
        """The state as it stands, ready to be saved (it changes as the fold goes on)."""
        return state.case_id, state.version, json.dumps(state.as_dict())

    def save(self, snapshots: list[tuple[str, int, str]]) -> None:
        """Store snapshots in one transaction, if the log can be had at once.

        A snapshot is an optimisation: when another writer holds the log, or the file
        cannot be written, it is simply not saved.
        """
        if not snapshots:
            return
        try:
            with self.events.transaction(wait=False):
                # derived data: a table of an older shape is made anew
                self.events.ensure_table(TABLE, COLUMNS, pk=("stream_id", "version"),
                                         not_null=COLUMNS, replace=not self._current())
                self.events.write(_SAVE, [(s, v, FORMAT, state,
                                           digest(self._hash(s, v), state), s, v)
                                          for s, v, state in snapshots])
            self.present = True
        except (LogError, sqlite3.Error):
            pass
