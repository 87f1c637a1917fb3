"""The catalogue of events: everything that can happen to a case, in the past tense.

Payload fields hold plain data only (strings, integers, tuples of strings, and the
`Decision` record), so a payload reads well as JSON in any SQLite tool. Fields that
arrive as JSON lists are turned back into tuples by attrs converters, which keeps
decoding a plain `cls(**payload)` call.
"""

from __future__ import annotations

from typing import Any

import attrs

from events.codec import Event, build, event, upcaster


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(value)


def _decision(value: Any) -> Decision:
    return value if isinstance(value, Decision) else build(Decision, value)


@attrs.frozen(slots=True)
class Decision:
    """What a body decided and why: the outcome, the majority that applied, the arithmetic.

    `needed` is the number of votes in favour the majority required; `present_and_voting`
    is yes + no (abstentions are not counted). `rule` is the citation that decided it and
    `also` the ones that shaped the count (abstentions do not count: rule 126).
    """

    outcome: str  # "adopted", "rejected" or "vetoed"
    majority: str  # "simple", "two-thirds", "nine-votes", "nine-votes-no-veto", "consensus"...
    needed: int
    present_and_voting: int
    rule: str  # the citation that decided it, e.g. "rule 125"
    vetoed_by: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    tie: bool = False
    also: tuple[str, ...] = attrs.field(default=(), converter=_strings)  # e.g. ("rule 126",)


def _optional_strings(value: Any) -> tuple[str, ...] | None:
    return None if value is None else tuple(value)


@attrs.frozen(slots=True)
class Body:
    """A deciding body as data: who sits in it and which rule set decides its questions.

    `rules` is "committee" (a GA Main Committee), "plenary" (the GA plenary) or "council"
    (the Security Council). `members` None means every UN Member State on the date;
    otherwise the fixed seats (UN names or free names, e.g. Model UN delegations).
    `veto` names the members whose vote against defeats a non-procedural draft.
    """

    id: str
    name: str
    rules: str
    members: tuple[str, ...] | None = attrs.field(default=None, converter=_optional_strings)
    veto: tuple[str, ...] = attrs.field(default=(), converter=_strings)

    @property
    def stage(self) -> str:
        """The stage of the procedure graph a case in this body is at."""
        return self.rules


def _bodies(value: Any) -> tuple[Body, ...]:
    return tuple(b if isinstance(b, Body) else build(Body, b) for b in value)


@event("CaseOpened")
@attrs.frozen(slots=True)
class CaseOpened(Event):
    """A case was opened: one draft's path through the bodies.

    `council` names the Security Council's elected members for the case's year;
    `bodies` declares the case's own bodies (a Model UN committee, a Human Rights
    Council), next to the built-in ones.
    """

    title: str
    council: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    bodies: tuple[Body, ...] = attrs.field(default=(), converter=_bodies)


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
    operative_paragraphs: int | None = None
    parties: tuple[str, ...] = attrs.field(default=(), converter=_strings)


@event("DraftRevisedOrally")
@attrs.frozen(slots=True)
class DraftRevisedOrally(Event):
    """A sponsor revised the draft orally before voting began."""

    symbol: str
    text: str
    by: str


@event("SeparateVoteRequested")
@attrs.frozen(slots=True)
class SeparateVoteRequested(Event):
    """A member asked for parts of the draft to be voted on separately (division).

    With `objection`, someone objected, so the motion for division is put to the vote
    first (rule 129 / 89).
    """

    parts: tuple[str, ...] = attrs.field(converter=_strings)
    by: str
    objection: bool = False


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


@event("AmendmentLapsed")
@attrs.frozen(slots=True)
class AmendmentLapsed(Event):
    """An amendment fell without a vote: an adopted amendment implied its rejection."""

    symbol: str
    because: str
    rule: str


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


@event("VoteTaken", version=2)
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
    warnings: tuple[str, ...] = attrs.field(default=(), converter=_strings)


@event("AdoptedWithoutVote", version=2)
@attrs.frozen(slots=True)
class AdoptedWithoutVote(Event):
    """A body adopted an item without a vote (by consensus)."""

    on: str
    kind: str
    body: str
    decision: Decision = attrs.field(converter=_decision)
    as_amended: bool = False


@event("DeemedRejected", version=2)
@attrs.frozen(slots=True)
class DeemedRejected(Event):
    """A proposal fell as a whole without a vote: all its operative parts were rejected."""

    on: str
    body: str
    decision: Decision = attrs.field(converter=_decision)
    reason: str = ""


@event("VoteExplained")
@attrs.frozen(slots=True)
class VoteExplained(Event):
    """A member explained its vote, before or after the vote on an item."""

    on: str
    by: str
    when: str  # "before" or "after"
    text: str = ""


@event("DraftTransmitted")
@attrs.frozen(slots=True)
class DraftTransmitted(Event):
    """A decided text was sent on to the next body."""

    to: str
    document: str | None = None


@event("AttendanceTaken")
@attrs.frozen(slots=True)
class AttendanceTaken(Event):
    """The members present in the body were recorded: they fix the quorum and who may vote."""

    body: str
    present: tuple[str, ...] = attrs.field(converter=_strings)


@event("VoteOpened")
@attrs.frozen(slots=True)
class VoteOpened(Event):
    """The chair opened a vote on an item: members cast their ballots until it closes."""

    on: str
    kind: str
    body: str
    method: str = "recorded"
    majority: str | None = None


@event("BallotCast")
@attrs.frozen(slots=True)
class BallotCast(Event):
    """A member cast (or changed) its ballot in the open vote."""

    on: str
    member: str
    vote: str  # "yes", "no" or "abstain"


@event("SpeakerInscribed")
@attrs.frozen(slots=True)
class SpeakerInscribed(Event):
    """A member was put on the list of speakers."""

    body: str
    member: str


@event("SpeakerCalled")
@attrs.frozen(slots=True)
class SpeakerCalled(Event):
    """The chair gave a member the floor: the next on the list, or in right of reply."""

    body: str
    member: str
    reply: bool = False


@event("SpeakersListClosed")
@attrs.frozen(slots=True)
class SpeakersListClosed(Event):
    """The chair declared the list of speakers closed, with the consent of the body."""

    body: str


@event("SpeakingTimeLimited")
@attrs.frozen(slots=True)
class SpeakingTimeLimited(Event):
    """The body limited the time allowed to each speaker, in minutes."""

    body: str
    minutes: int


@event("DraftAdded")
@attrs.frozen(slots=True)
class DraftAdded(Event):
    """Another draft was submitted under the agenda item the case holds: it is voted
    after the drafts submitted before it, unless the body decides otherwise (rule 91 /
    131 of A/520/Rev.20)."""

    symbol: str
    title: str
    sponsors: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    operative_paragraphs: int | None = None


@event("DraftTakenUp")
@attrs.frozen(slots=True)
class DraftTakenUp(Event):
    """The body, having decided on one draft of the item, took up the next (rule 91 / 131:
    after each vote it may decide whether to vote on the next proposal)."""

    symbol: str


@event("AgendaItemSubmitted")
@attrs.frozen(slots=True)
class AgendaItemSubmitted(Event):
    """An item was placed on the provisional agenda of a Security Council meeting, at the
    request of `requested_by` by the letter `document` (S/96/Rev.7 rules 2, 3 and 7): a
    case that opens in the Council, whose first decision is the adoption of its agenda."""

    body: str
    item: str
    requested_by: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    document: str | None = None


def _split_rule(payload: dict[str, Any]) -> dict[str, Any]:
    """v1 -> v2: a decision's citations were one string, "rule 125; rule 126"; v2 keeps
    the deciding citation in `rule` and the others in `also`."""
    decision = dict(payload["decision"])
    first, *rest = str(decision["rule"]).split("; ")
    decision["rule"], decision["also"] = first, rest
    return {**payload, "decision": decision}


for _type in ("VoteTaken", "AdoptedWithoutVote", "DeemedRejected"):
    upcaster(_type, 1)(_split_rule)

__all__ = [
    "AdoptedWithoutVote",
    "AgendaItemSubmitted",
    "AmendmentLapsed",
    "AmendmentSubmitted",
    "AttendanceTaken",
    "BallotCast",
    "Body",
    "CaseOpened",
    "Decision",
    "DeemedRejected",
    "DraftAdded",
    "DraftRevisedOrally",
    "DraftSubmitted",
    "DraftTakenUp",
    "DraftTransmitted",
    "MotionMoved",
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
]
