"""The case's state, and the one function that changes it: `evolve`.

Deciding live and replaying a log both call `evolve` on every recorded event, so the
state after any prefix of a log is the same however it was reached. `evolve` never
re-decides a question: a vote's outcome is read from the decision the event recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import attrs

from engine.procedure.bodies import body_named
from engine.procedure.graph import TABLE, TABLED, fire
from engine.procedure.state_floor import FLOOR_HANDLERS, Floor
from engine.procedure.state_item import ITEM_HANDLERS, Agenda, carried, moved, withdrawn
from engine.procedure.words import Stage
from events.catalog import (
    AdoptedWithoutVote,
    AgendaItemSubmitted,
    AmendmentLapsed,
    AmendmentSubmitted,
    AttendanceTaken,
    BallotCast,
    Body,
    CaseOpened,
    Decision,
    DeemedRejected,
    DraftAdded,
    DraftRevisedOrally,
    DraftSubmitted,
    DraftTransmitted,
    Event,
    MotionMoved,
    SeparateVoteRequested,
    SponsorsAdded,
    VoteExplained,
    VoteOpened,
    VoteTaken,
    Withdrawn,
)

__all__ = [
    "Amendment", "Ballot", "CaseState", "DecisionRecord", "Draft", "Explanation", "evolve",
    "fold", "replay", "step",
]

_OUTCOME_TRIGGER = {"adopted": "adopt", "rejected": "reject", "vetoed": "veto"}


@attrs.define(slots=True)
class Draft:
    """The draft the case follows, under every symbol it has borne."""

    symbol: str
    title: str
    sponsors: list[str]
    chapter: str | None = None
    referral: str | None = None
    symbols: list[str] = attrs.Factory(list)
    operative_paragraphs: int | None = None
    parties: tuple[str, ...] = ()
    submitted_on: str | None = None  # in the current body; None for a transmitted text
    revisions: list[str] = attrs.Factory(list)


@attrs.define(slots=True)
class Amendment:
    """An amendment and where it stands: pending, adopted, rejected, withdrawn or lapsed."""

    symbol: str
    proposers: tuple[str, ...]
    text: str
    implies_rejection_of: tuple[str, ...] = ()
    status: str = "pending"
    submitted_on: str | None = None


@attrs.define(slots=True)
class Ballot:
    """A vote taken live: the item, how it is taken, and each member's ballot so far."""

    on: str
    kind: str
    method: str = "recorded"
    majority: str | None = None
    votes: dict[str, str] = attrs.Factory(dict)  # member -> "yes", "no" or "abstain"


@attrs.frozen(slots=True)
class DecisionRecord:
    """A decision taken in the case, with the event version that recorded it."""

    version: int
    body: str
    on: str
    kind: str
    decision: Decision
    date: str | None


@attrs.frozen(slots=True)
class Explanation:
    """An explanation of vote: who, on what, before or after the vote."""

    on: str
    by: str
    when: str


@attrs.define(slots=True)
class CaseState:
    """Everything the rules need to know about a case, rebuilt from its events."""

    case_id: str
    title: str = ""
    state: str = "new"
    version: int = 0
    council: tuple[str, ...] = ()
    bodies: dict[str, Body] = attrs.Factory(dict)  # bodies the case declared
    body: str | None = None
    stage: str | None = None
    draft: Draft | None = None
    amendments: dict[str, Amendment] = attrs.Factory(dict)  # in the order submitted
    parts: dict[str, str] = attrs.Factory(dict)  # part (e.g. "OP7") -> pending/adopted/...
    motions: dict[str, str] = attrs.Factory(dict)  # pending motion -> who moved it
    decisions: list[DecisionRecord] = attrs.Factory(list)
    explanations: list[Explanation] = attrs.Factory(list)
    amended: bool = False
    last_date: str | None = None
    ballot: Ballot | None = None  # the vote open now, if one is
    attendance: tuple[str, ...] | None = None  # the members present, once taken in this body
    floor: Floor = attrs.Factory(Floor)  # the list of speakers in this body
    agenda: Agenda = attrs.Factory(Agenda)  # the item's other drafts (rule 91 / 131)
    council_item: str | None = None  # the Council agenda item a case opened on

    def as_dict(self) -> dict[str, Any]:
        """The state as plain data (for JSON output and for comparisons in tests)."""
        return attrs.asdict(self)

    def body_of(self, body_id: str | None = None) -> Body | None:
        """The body with this id (default: the current one), declared or built in."""
        return body_named(body_id or self.body or "", self.bodies)

    def decided_here(self, item: str) -> bool:
        """Whether the current body has already decided on `item`."""
        return any(d.on == item and d.body == self.body for d in self.decisions)


def _opened(s: CaseState, e: CaseOpened, date: str | None) -> tuple[str, ...]:
    s.title, s.council = e.title, e.council
    s.bodies = {b.id: b for b in e.bodies}
    return ()


def _enter(s: CaseState, body: str) -> str:
    found = s.body_of(body)
    s.body, s.stage = body, found.stage if found else Stage.COMMITTEE.value
    s.amendments, s.parts, s.motions, s.amended = {}, {}, {}, False
    s.attendance = None  # a new body takes its own attendance
    s.floor = Floor()  # and keeps its own list of speakers
    s.agenda = Agenda()  # drafts not voted stay behind: the text decided goes on alone
    return s.stage


def _item(s: CaseState, e: AgendaItemSubmitted, date: str | None) -> tuple[str, ...]:
    _enter(s, e.body)
    s.council_item = e.item
    return ("submit_item",)


def _submitted(s: CaseState, e: DraftSubmitted, date: str | None) -> tuple[str, ...]:
    stage = _enter(s, e.body)
    s.draft = Draft(e.symbol, e.title, list(e.sponsors), e.chapter, e.referral, [e.symbol],
                    e.operative_paragraphs, e.parties, date)
    return (f"submit_to_{stage}",)


def _added(s: CaseState, e: DraftAdded, date: str | None) -> tuple[str, ...]:
    s.agenda.queue.append(Draft(e.symbol, e.title, list(e.sponsors), symbols=[e.symbol],
                                operative_paragraphs=e.operative_paragraphs,
                                submitted_on=date))
    return ()


def _revised(s: CaseState, e: DraftRevisedOrally, date: str | None) -> tuple[str, ...]:
    assert s.draft is not None
    s.draft.revisions.append(e.text)
    return ()


def _sponsors(s: CaseState, e: SponsorsAdded, date: str | None) -> tuple[str, ...]:
    assert s.draft is not None
    s.draft.sponsors.extend(m for m in e.sponsors if m not in s.draft.sponsors)
    return ()


def _amendment(s: CaseState, e: AmendmentSubmitted, date: str | None) -> tuple[str, ...]:
    s.amendments[e.symbol] = Amendment(e.symbol, e.proposers, e.text, e.implies_rejection_of,
                                       submitted_on=date)
    return ()


def _lapsed(s: CaseState, e: AmendmentLapsed, date: str | None) -> tuple[str, ...]:
    s.amendments[e.symbol].status = "lapsed"
    return ()


def _division(s: CaseState, e: SeparateVoteRequested, date: str | None) -> tuple[str, ...]:
    for part in e.parts:
        s.parts.setdefault(part, "pending")
    if e.objection:
        s.motions["division"] = e.by
    return ()


def _motion(s: CaseState, e: MotionMoved, date: str | None) -> tuple[str, ...]:
    s.motions[e.motion] = e.by
    moved(s, e)
    return ()


def _withdrawn(s: CaseState, e: Withdrawn, date: str | None) -> tuple[str, ...]:
    if e.kind == "amendment":
        s.amendments[e.symbol].status = "withdrawn"
        return ()
    if e.kind == "motion":
        s.motions.pop(e.symbol, None)
        s.agenda.targets.pop(e.symbol, None)
        if e.symbol == "division":
            s.parts = {p: v for p, v in s.parts.items() if v != "pending"}
        return ()
    item = withdrawn(s, e.symbol)  # one draft of several: the item stays before the body
    return ("withdraw",) if item is None else item


def _begins(s: CaseState) -> tuple[str, ...]:
    return ("begin_voting",) if s.state in TABLED and s.stage != Stage.COUNCIL else ()


def _attendance(s: CaseState, e: AttendanceTaken, date: str | None) -> tuple[str, ...]:
    s.attendance = e.present
    return ()


def _opened_vote(s: CaseState, e: VoteOpened, date: str | None) -> tuple[str, ...]:
    s.ballot = Ballot(e.on, e.kind, e.method, e.majority)
    s.floor.speaking = None  # no one holds the floor once voting began (rule 128 / 88)
    return _begins(s) if e.kind != "motion" else ()


def _ballot(s: CaseState, e: BallotCast, date: str | None) -> tuple[str, ...]:
    assert s.ballot is not None, "a ballot is cast only in an open vote"
    s.ballot.votes[e.member] = e.vote
    return ()


def _decided(s: CaseState, e: VoteTaken | AdoptedWithoutVote, date: str | None) -> tuple[str, ...]:
    if s.ballot is not None and s.ballot.on == e.on:
        s.ballot = None  # the open vote is closed by its decision
    s.floor.speaking = None
    outcome = e.decision.outcome
    s.decisions.append(DecisionRecord(s.version, e.body, e.on, e.kind, e.decision, date))
    if e.kind == "amendment":
        s.amendments[e.on].status = outcome
        s.amended = s.amended or outcome == "adopted"
        return _begins(s)
    if e.kind == "part":
        s.parts[e.on] = outcome
        return _begins(s)
    if e.kind == "draft":
        begins = () if isinstance(e, AdoptedWithoutVote) else _begins(s)
        return (*begins, _OUTCOME_TRIGGER[outcome])
    if e.kind == "agenda":
        return ("adopt_agenda" if outcome == "adopted" else "reject_agenda",)
    # A procedural motion: disposed of either way; carried, it may move the case.
    s.motions.pop(e.on, None)
    about_item = carried(s, e, date)  # the item's motions, and a no-action on one draft
    if about_item is not None:
        return about_item
    if e.on == "division" and outcome != "adopted":
        s.parts = {p: v for p, v in s.parts.items() if v != "pending"}
    if outcome == "adopted" and e.on == "adjourn-debate":
        return ("take_no_action",)
    if outcome == "adopted" and e.on == "reconsider":
        return ("reconsider",)
    return ()


def _deemed_rejected(s: CaseState, e: DeemedRejected, date: str | None) -> tuple[str, ...]:
    s.decisions.append(DecisionRecord(s.version, e.body, e.on, "draft", e.decision, date))
    return (*_begins(s), "reject")


def _explained(s: CaseState, e: VoteExplained, date: str | None) -> tuple[str, ...]:
    s.explanations.append(Explanation(e.on, e.by, e.when))
    return ()


def _transmitted(s: CaseState, e: DraftTransmitted, date: str | None) -> tuple[str, ...]:
    assert s.draft is not None
    stage = _enter(s, e.to)
    s.draft.submitted_on = None
    if e.document and e.document not in s.draft.symbols:
        s.draft.symbols.append(e.document)
    return (f"transmit_to_{stage}",)


_HANDLERS: dict[type[Event], Callable[[CaseState, Any, str | None], tuple[str, ...]]] = {
    CaseOpened: _opened,
    DraftSubmitted: _submitted,
    DraftRevisedOrally: _revised,
    SponsorsAdded: _sponsors,
    AmendmentSubmitted: _amendment,
    AmendmentLapsed: _lapsed,
    SeparateVoteRequested: _division,
    MotionMoved: _motion,
    Withdrawn: _withdrawn,
    AttendanceTaken: _attendance,
    VoteOpened: _opened_vote,
    BallotCast: _ballot,
    VoteTaken: _decided,
    AdoptedWithoutVote: _decided,
    DeemedRejected: _deemed_rejected,
    VoteExplained: _explained,
    DraftTransmitted: _transmitted,
    DraftAdded: _added,
    AgendaItemSubmitted: _item,
    **FLOOR_HANDLERS,
    **ITEM_HANDLERS,
}


def step(s: CaseState, event: Event, version: int | None = None,
         occurred_at: str | None = None) -> tuple[str, ...]:
    """`evolve`, returning the path of states the event took the case along: the state
    before it, then one state per transition it fired (just the one state if it moved
    none). What a timeline or a live view shows between two events."""
    before = s.state
    s.version = s.version + 1 if version is None else version
    if occurred_at:
        s.last_date = occurred_at
    triggers = _HANDLERS[type(event)](s, event, occurred_at)
    if not triggers:
        return (before,)
    path = fire(before, triggers)
    s.state = path[-1]
    return path


def evolve(s: CaseState, event: Event, version: int | None = None,
           occurred_at: str | None = None) -> CaseState:
    """Apply one recorded event to the state: the only way a case's state changes.

    `version` is the event's version in its case (default: the next one) and
    `occurred_at` the date it happened, if known. The state is changed in place and
    returned: replay folds a whole log through here, one event at a time.
    """
    # `step` inlined, and the compiled table read here with no path built: replay runs
    # this once per event; most events move no state, and the rest move it once or twice.
    s.version = s.version + 1 if version is None else version
    if occurred_at:
        s.last_date = occurred_at
    triggers = _HANDLERS[type(event)](s, event, occurred_at)
    if triggers:
        state = s.state
        try:
            for trigger in triggers:
                state = TABLE[state, trigger]
        except KeyError:
            fire(s.state, triggers)  # raises the machine's own refusal
        s.state = state
    return s



def fold(states: dict[str, CaseState], stream_id: str, event: Event, version: int,
         occurred_at: str | None) -> None:
    """Evolve one event into its case's state in `states`, starting the state if need
    be: the step of rebuilding many cases in one pass over a log."""
    state = states.get(stream_id)
    if state is None:
        state = states[stream_id] = CaseState(stream_id)
    evolve(state, event, version, occurred_at)


def replay(case_id: str, events: Iterable[tuple[int, str | None, Event]]) -> CaseState:
    """Fold a stream's (version, occurred_at, event) triples into its state."""
    s = CaseState(case_id)
    for version, occurred_at, event in events:
        evolve(s, event, version, occurred_at)
    return s

