"""What goes into the store and what comes out: `NewEvent` and `Recorded`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import attrs

from events.codec import Event, decode

__all__ = ["NewEvent", "Recorded", "to_recorded"]


@attrs.frozen(slots=True)
class NewEvent:
    """An event about to be appended, with its envelope: when, by whom, and a free note."""

    event: Event
    occurred_at: str | None = None  # the procedural date, ISO "YYYY-MM-DD"
    actor: str | None = None
    note: str | None = None
    event_id: str | None = None  # a UUID; given by the caller when it needs idempotency


class Recorded(NamedTuple):
    """An event as it stands in the log, with its envelope and position.

    A named tuple rather than an attrs class: one is built per row read, and a tuple
    costs a third as much to make.
    """

    position: int
    event_id: str
    stream_id: str
    version: int
    type: str
    schema_version: int
    occurred_at: str | None
    recorded_at: str
    actor: str | None
    note: str | None
    payload: str
    hash: str
    event: Event


def to_recorded(row: Sequence[Any]) -> Recorded:
    """A stored row (every column, in table order) with its event decoded."""
    return Recorded(*row, decode(row[4], row[5], row[10]))
