"""What happened: event classes, their codec, and the append-only SQLite event log.

This package imports nothing from `engine` or `replays`.
"""

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
from events.log import GENESIS, LOG_SCHEMA_VERSION, EventLog, NewEvent, Recorded, chain_hash

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
