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

from engine.procedure.state import Amendment, CaseState, DecisionRecord, Draft, Explanation
from events import Body, Decision, EventLog
from events.log import BUSY_TIMEOUT_S

__all__ = ["EVERY", "FORMAT", "Snapshots", "state_from_dict"]

EVERY = 1000  # events between snapshots of one case
FORMAT = 1  # bump when CaseState changes shape or meaning


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
    )


class Snapshots:
    """The snapshots of one log."""

    def __init__(self, events: EventLog, every: int = EVERY) -> None:
        self.events, self.every = events, every
        self.present = "snapshots" in events.db.table_names()

    def latest(self, stream_id: str, upto: int | None) -> CaseState | None:
        """The newest valid snapshot of the stream at or before version `upto`."""
        if not self.present:
            return None
        row = self.events.conn.execute(
            "select s.state from snapshots s join events e on e.stream_id = s.stream_id"
            " and e.version = s.version and e.hash = s.hash where s.stream_id = ?"
            " and s.version <= ? and s.format = ? order by s.version desc limit 1",
            (stream_id, upto if upto is not None else 1 << 62, FORMAT)).fetchone()
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
        conn, own = self.events.conn, self.events._depth == 0
        try:
            if own:
                conn.execute("pragma busy_timeout = 0")
                conn.execute("begin immediate")
            conn.execute(
                "create table if not exists snapshots (stream_id text not null, version"
                " integer not null, format integer not null, hash text not null, state"
                " text not null, primary key (stream_id, version))")
            conn.executemany(
                "insert or replace into snapshots select ?, ?, ?, hash, ? from events"
                " where stream_id = ? and version = ?",
                [(s, v, FORMAT, state, s, v) for s, v, state in snapshots])
            if own:
                conn.execute("commit")
            self.present = True
        except sqlite3.Error:
            if own and conn.in_transaction:
                conn.execute("rollback")
        finally:
            if own:
                conn.execute(f"pragma busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
