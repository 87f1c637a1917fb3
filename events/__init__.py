"""What happened: event classes, their codec, and the append-only SQLite event log.

This package imports nothing from `engine` or `replays`. The store's names (`EventLog`,
`NewEvent`, `Recorded`, `GENESIS`, `LOG_SCHEMA_VERSION`, `chain_hash`) load on first
use, so that the pure core, which imports event classes from here, never loads sqlite3.
"""

from typing import TYPE_CHECKING, Any

from events.catalog import (
    AdoptedWithoutVote,
    AmendmentLapsed,
    AmendmentSubmitted,
    AttendanceTaken,
    BallotCast,
    Body,
    CaseOpened,
    Decision,
    DeemedRejected,
    DraftRevisedOrally,
    DraftSubmitted,
    DraftTransmitted,
    MotionMoved,
    SeparateVoteRequested,
    SpeakerCalled,
    SpeakerInscribed,
    SpeakersListClosed,
    SpeakingTimeLimited,
    SponsorsAdded,
    VoteExplained,
    VoteOpened,
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

_LAZY = ("EventLog", "NewEvent", "Recorded", "GENESIS", "chain_hash", "LOG_SCHEMA_VERSION")


def __getattr__(name: str) -> Any:
    # The store's names load when first asked for, so that importing the event classes
    # (as the pure core does) never loads sqlite3. Each import is written out: nothing
    # in the packages imports by name.
    if name == "EventLog":
        from events import log as module
    elif name in ("NewEvent", "Recorded"):
        from events import records as module  # type: ignore[no-redef]
    elif name in ("GENESIS", "chain_hash"):
        from events import chain as module  # type: ignore[no-redef]
    elif name == "LOG_SCHEMA_VERSION":
        from events import schema as module  # type: ignore[no-redef]
    else:
        raise AttributeError(f"module 'events' has no attribute {name!r}")
    value = globals()[name] = getattr(module, name)
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "GENESIS",
    "LOG_SCHEMA_VERSION",
    "AdoptedWithoutVote",
    "AmendmentLapsed",
    "AmendmentSubmitted",
    "AttendanceTaken",
    "BallotCast",
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
    "SpeakerCalled",
    "SpeakerInscribed",
    "SpeakersListClosed",
    "SpeakingTimeLimited",
    "SponsorsAdded",
    "VoteExplained",
    "VoteOpened",
    "VoteTaken",
    "Withdrawn",
    "chain_hash",
    "decode",
    "encode",
    "event",
    "registered",
    "upcaster",
]
