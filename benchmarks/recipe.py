"""The commands the write and replay workloads issue, and the events each one records.

A case is opened with its draft (one command, two events: `CaseOpened` and
`DraftSubmitted`), then goes round a cycle of commands that record one event each and do
not make the state grow: the same sponsor added again, the adjournment of debate moved,
and the motion withdrawn. The three contenders issue the same commands:

- procedura through the case actions (validated, then applied: the live path);
- raw sqlite3 as the rows procedura would store (`payloads` gives their JSON);
- eventsourcing through the methods of an aggregate (see `benchmarks.es`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from engine import Case, ProcedureLog

__all__ = [
    "CYCLE", "OPEN", "case_id", "commands", "events_in", "open_case", "payloads", "perform",
    "symbol",
]

OPEN = "open"
CYCLE = ("sponsor", "move", "withdraw")
TITLE = "t"
BODY = "third-committee"
SPONSOR = "Norway"
ADDED = "Japan"
MOVER = "Cuba"
MOTION = "adjourn-debate"


def events_in(kind: str) -> int:
    """How many events a command of this kind records."""
    return 2 if kind == OPEN else 1


def case_id(index: int) -> str:
    """The id of the index-th case."""
    return f"c{index}"


def symbol(index: int) -> str:
    """The symbol of the index-th case's draft."""
    return f"X/{index}"


def commands(cases: int, events_per_case: int, interleaved: bool) -> Iterator[tuple[int, str]]:
    """(case index, command kind) for `cases` cases of `events_per_case` events each.

    Interleaved, the cases take turns (one command each per round); otherwise each case
    is written whole before the next, as a scenario run or an import does.
    """
    per_case = [OPEN, *(CYCLE[k % len(CYCLE)] for k in range(events_per_case - 2))]
    if interleaved:
        for kind in per_case:
            for index in range(cases):
                yield index, kind
    else:
        for index in range(cases):
            for kind in per_case:
                yield index, kind


def open_case(log: ProcedureLog, index: int) -> Case:
    """The first command of a case: opened with its draft (W1's command)."""
    case = log.new_case(case_id(index), title=TITLE)
    case.submit_draft(body=BODY, symbol=symbol(index), title="d", sponsors=[SPONSOR])
    return case


def perform(log: ProcedureLog, cases: dict[int, Case], index: int, kind: str) -> None:
    """Issue one command through procedura's case actions."""
    if kind == OPEN:
        cases[index] = open_case(log, index)
    elif kind == "sponsor":
        cases[index].add_sponsors(sponsors=[ADDED])
    elif kind == "move":
        cases[index].move(motion=MOTION, by=MOVER)
    else:
        cases[index].withdraw(symbol=MOTION)


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def payloads(index: int, kind: str) -> list[tuple[str, int, str]]:
    """(type, schema version, JSON payload) of the events the command records.

    The JSON is byte for byte what procedura stores for the same command (W2 checks that
    both logs hold the same number of payload bytes).
    """
    if kind == OPEN:
        return [
            ("CaseOpened", 1, _json({"bodies": [], "council": [], "title": TITLE})),
            ("DraftSubmitted", 1, _json({
                "body": BODY, "chapter": None, "operative_paragraphs": None, "parties": [],
                "referral": None, "sponsors": [SPONSOR], "symbol": symbol(index), "title": "d",
            })),
        ]
    if kind == "sponsor":
        return [("SponsorsAdded", 1, _json({"sponsors": [ADDED], "symbol": symbol(index)}))]
    if kind == "move":
        return [("MotionMoved", 1, _json({"by": MOVER, "motion": MOTION, "target": None}))]
    return [("Withdrawn", 1, _json({"kind": "motion", "symbol": MOTION}))]
