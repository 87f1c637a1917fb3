"""The catalogue of events: everything that can happen to a case, in the past tense.

Payload fields hold plain data only (strings, integers, tuples of strings, and the
`Decision` record), so a payload reads well as JSON in any SQLite tool. Fields that
arrive as JSON lists are turned back into tuples by attrs converters, which keeps
decoding a plain `cls(**payload)` call.
"""

from __future__ import annotations

from typing import Any

import attrs

from events.codec import Event, event


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(value)


def _decision(value: Any) -> Decision:
    return value if isinstance(value, Decision) else Decision(**value)


def _optional_decision(value: Any) -> Decision | None:
    return None if value is None else _decision(value)


@attrs.frozen(slots=True)
class Decision:
    """What a body decided and why: the outcome, the majority that applied, the arithmetic.

    `needed` is the number of votes in favour the majority required; `present_and_voting`
    is yes + no (abstentions are not counted). `rule` is the citation that decided it.
    """

    outcome: str  # "adopted", "rejected" or "vetoed"
    majority: str  # "simple", "two-thirds", "nine-votes", "nine-votes-no-veto", "consensus"
    needed: int
    present_and_voting: int
    rule: str
    vetoed_by: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    tie: bool = False


@event("CaseOpened")
@attrs.frozen(slots=True)
class CaseOpened(Event):
    """A case was opened: one draft's path through the bodies."""

    title: str
    council: tuple[str, ...] = attrs.field(default=(), converter=_strings)


@event("DraftSubmitted")
@attrs.frozen(slots=True)
class DraftSubmitted(Event):
    """A draft resolution was submitted to a body."""

    body: str
    symbol: str
    title: str
    sponsors: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    chapter: str | None = None
    referral: str | None = None


@event("SponsorsAdded")
@attrs.frozen(slots=True)
class SponsorsAdded(Event):
    """Members joined the sponsors of the draft."""

    symbol: str
    sponsors: tuple[str, ...] = attrs.field(converter=_strings)


@event("AmendmentSubmitted")
@attrs.frozen(slots=True)
class AmendmentSubmitted(Event):
    """An amendment to the draft was submitted."""

    symbol: str
    proposers: tuple[str, ...] = attrs.field(converter=_strings)
    text: str
    implies_rejection_of: tuple[str, ...] = attrs.field(default=(), converter=_strings)


@event("MotionMoved")
@attrs.frozen(slots=True)
class MotionMoved(Event):
    """A procedural motion was moved (for example the adjournment of debate)."""

    motion: str
    by: str
    target: str | None = None


@event("Withdrawn")
@attrs.frozen(slots=True)
class Withdrawn(Event):
    """A draft, an amendment or a motion was withdrawn by its author."""

    symbol: str
    kind: str  # "draft", "amendment" or "motion"


@event("VoteTaken")
@attrs.frozen(slots=True)
class VoteTaken(Event):
    """A body voted on an item; the decision it reached is part of the fact."""

    on: str
    kind: str  # "draft", "amendment", "motion" or "agenda"
    body: str
    method: str
    yes: int
    no: int
    abstain: int
    decision: Decision = attrs.field(converter=_decision)
    yes_members: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    no_members: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    abstain_members: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    present: int | None = None
    as_amended: bool = False


@event("AdoptedWithoutVote")
@attrs.frozen(slots=True)
class AdoptedWithoutVote(Event):
    """A body adopted an item without a vote (by consensus)."""

    on: str
    kind: str
    body: str
    decision: Decision = attrs.field(converter=_decision)
    as_amended: bool = False


@event("DraftTransmitted")
@attrs.frozen(slots=True)
class DraftTransmitted(Event):
    """A decided text was sent on to the next body."""

    to: str
    document: str | None = None


__all__ = [
    "AdoptedWithoutVote",
    "AmendmentSubmitted",
    "CaseOpened",
    "Decision",
    "DraftSubmitted",
    "DraftTransmitted",
    "MotionMoved",
    "SponsorsAdded",
    "VoteTaken",
    "Withdrawn",
]
