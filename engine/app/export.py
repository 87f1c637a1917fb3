"""A case as plain data: for `export --format json`, `log --json` and notebooks."""

from __future__ import annotations

import json
from typing import Any

from engine.app.log import ProcedureLog
from engine.procedure.state import CaseState
from events import Recorded

__all__ = ["case_json", "record_json", "state_json"]


def state_json(state: CaseState) -> dict[str, Any]:
    """A case's state as plain data, its id under "case": what `procedura state --json`
    prints and the web API serves."""
    data = state.as_dict()
    return {"case": data.pop("case_id"), **data}


def record_json(rec: Recorded) -> dict[str, Any]:
    """One recorded event with its envelope, the payload as an object."""
    return {
        "position": rec.position, "event_id": rec.event_id, "case": rec.stream_id,
        "version": rec.version, "type": rec.type, "schema_version": rec.schema_version,
        "occurred_at": rec.occurred_at, "recorded_at": rec.recorded_at, "actor": rec.actor,
        "note": rec.note, "payload": json.loads(rec.payload), "hash": rec.hash,
    }


def case_json(log: ProcedureLog, case_id: str) -> dict[str, Any]:
    """The case's final state, and every event with the state just after it."""
    events = []
    final: dict[str, Any] = {}
    for rec, state in log.history(case_id):
        events.append({**record_json(rec), "state_after": state.state})
        final = state_json(state)
    return {**final, "events": events}
