"""What happened: event classes, their codec, and the append-only SQLite event log.

This package imports nothing from `engine` or `replays`. The store's names (`EventLog`,
`NewEvent`, `Recorded`, `GENESIS`, `LOG_SCHEMA_VERSION`, `chain_hash`) load on first
use, so that the pure core, which imports event classes from here, never loads sqlite3.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from events.catalog import (
    AdoptedWithoutVote,
    AmendmentLapsed,
    AmendmentSubmitted,
    Body,
    CaseOpened,
    Decision,
    DeemedRejected,
    DraftRevisedOrally,
    DraftSubmitted,
    DraftTransmitted,
    MotionMoved,
    SeparateVoteRequested,
    SponsorsAdded,
    VoteExplained,
    VoteTaken,
    Withdrawn,
)
from events.codec import Event, decode, encode, event, registered, upcaster
from events.errors import CodecError, ConcurrencyError, LogError, ProcedureError

if TYPE_CHECKING:
    from events.chain import GENESIS, chain_hash
    from events.log import EventLog
    from events.records import NewEvent, Recorded
    from events.schema import LOG_SCHEMA_VERSION

# name -> the module that defines it, imported when the name is first asked for
_LAZY = {"EventLog": "events.log", "NewEvent": "events.records", "Recorded": "events.records",
         "GENESIS": "events.chain", "chain_hash": "events.chain",
         "LOG_SCHEMA_VERSION": "events.schema"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'events' has no attribute {name!r}")
    value = globals()[name] = getattr(import_module(module), name)
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "GENESIS",
    "LOG_SCHEMA_VERSION",
    "AdoptedWithoutVote",
    "AmendmentLapsed",
    "AmendmentSubmitted",
    "Body",
    "CaseOpened",
    "CodecError",
    "ConcurrencyError",
    "Decision",
    "DeemedRejected",
    "DraftRevisedOrally",
    "DraftSubmitted",
    "DraftTransmitted",
    "Event",
    "EventLog",
    "LogError",
    "MotionMoved",
    "NewEvent",
    "ProcedureError",
    "Recorded",
    "SeparateVoteRequested",
    "SponsorsAdded",
    "VoteExplained",
    "VoteTaken",
    "Withdrawn",
    "chain_hash",
    "decode",
    "encode",
    "event",
    "registered",
    "upcaster",
]
