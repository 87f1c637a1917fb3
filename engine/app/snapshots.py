"""Snapshots: a case's state saved every so many events, so time travel stays cheap.

Derived data in their own table, `snapshots`, beside the events: always discardable
(drop the table and nothing is lost) and rebuilt on demand, when a long stream is read
from a log that can be written. A snapshot records the hash of the event it stands at;
it is used only while that event is still the one in the log, and only if its format
is this code's, so a stale snapshot is ignored rather than trusted.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from engine.procedure.state import Amendment, Ballot, CaseState, DecisionRecord, Draft, Explanation
from engine.procedure.state_floor import Floor
from events import Body, Decision, EventLog, LogError

__all__ = ["EVERY", "FORMAT", "Snapshots", "state_from_dict"]

EVERY = 1000  # events between snapshots of one case
FORMAT = 4  # bump when CaseState changes shape or meaning (2: the open ballot; 3: attendance;
#            4: the list of speakers)
TABLE = "snapshots"
COLUMNS = {"stream_id": str, "version": int, "format": int, "hash": str, "state": str}
# The newest snapshot at or before a version whose event is still the one in the log.
_LATEST = ("select s.state from snapshots s join events e on e.stream_id = s.stream_id"
           " and e.version = s.version and e.hash = s.hash where s.stream_id = ?"
           " and s.version <= ? and s.format = ? order by s.version desc limit 1")
# The hash comes from the event the snapshot stands at, in the same statement.
_SAVE = ("insert or replace into snapshots select ?, ?, ?, hash, ? from events"
         " where stream_id = ? and version = ?")


def state_from_dict(d: dict[str, Any]) -> CaseState:
    """Rebuild a CaseState from `CaseState.as_dict()` output (after a JSON round trip)."""
    draft = d["draft"]
    return CaseState(
        case_id=d["case_id"], title=d["title"], state=d["state"], version=d["version"],
        council=tuple(d["council"]),
        bodies={k: Body(**v) for k, v in d["bodies"].items()},
        body=d["body"], stage=d["stage"],
        draft=Draft(**{**draft, "parties": tuple(draft["parties"])}) if draft else None,
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
    )


class Snapshots:
    """The snapshots of one log."""

    def __init__(self, events: EventLog, every: int = EVERY) -> None:
        self.events, self.every = events, every
        self.present = events.has_table(TABLE)

    def latest(self, stream_id: str, upto: int | None) -> CaseState | None:
        """The newest valid snapshot of the stream at or before version `upto`."""
        if not self.present:
            return None
        row = next(iter(self.events.query(
            _LATEST, (stream_id, upto if upto is not None else 1 << 62, FORMAT))), None)
        return state_from_dict(json.loads(row[0])) if row else None

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
                self.events.ensure_table(TABLE, COLUMNS, pk=("stream_id", "version"),
                                         not_null=COLUMNS)
                self.events.write(_SAVE, [(s, v, FORMAT, state, s, v)
                                          for s, v, state in snapshots])
            self.present = True
        except (LogError, sqlite3.Error):
            pass
