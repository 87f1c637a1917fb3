"""The case's state, and the one function that changes it: `apply`.

Live commands and replay both call `apply` on every recorded event, so the state after
any prefix of a log is the same however it was reached. `apply` never re-decides a
question: a vote's outcome is read from the decision the event recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import attrs

from engine.machine import fire
from events import (
    AdoptedWithoutVote,
    AmendmentSubmitted,
    CaseOpened,
    Decision,
    DraftSubmitted,
    DraftTransmitted,
    Event,
    MotionMoved,
    Recorded,
    SponsorsAdded,
    VoteTaken,
    Withdrawn,
)

__all__ = [
    "Amendment", "CaseState", "DecisionRecord", "Draft", "apply", "apply_recorded", "replay",
    "triggers_for",
]

# The stage of each body's rule set, for bodies recorded by id.
STAGE_OF_RULES = {"committee": "committee", "plenary": "plenary", "council": "council"}
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


@attrs.define(slots=True)
class Amendment:
    """An amendment and where it stands: pending, adopted, rejected or withdrawn."""

    symbol: str
    proposers: tuple[str, ...]
    text: str
    implies_rejection_of: tuple[str, ...] = ()
    status: str = "pending"


@attrs.define(slots=True, frozen=True)
class DecisionRecord:
    """A decision taken in the case, with the event version that recorded it."""

    version: int
    body: str
    on: str
    kind: str
    decision: Decision
    date: str | None


@attrs.define(slots=True)
class CaseState:
    """Everything the rules need to know about a case, rebuilt from its events."""

    case_id: str
    title: str = ""
    state: str = "new"
    version: int = 0
    council: tuple[str, ...] = ()
    body: str | None = None
    stage: str | None = None
    draft: Draft | None = None
    amendments: dict[str, Amendment] = attrs.Factory(dict)
    motions: dict[str, str] = attrs.Factory(dict)  # pending motion -> who moved it
    decisions: list[DecisionRecord] = attrs.Factory(list)
    amended: bool = False
    last_date: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The state as plain data (for JSON output and for comparisons in tests)."""
        return attrs.asdict(self)


def _stage(body: str) -> str:
    if body == "plenary":
        return "plenary"
    if body == "security-council":
        return "council"
    return "committee"


def _opened(s: CaseState, e: CaseOpened) -> tuple[str, ...]:
    s.title, s.council = e.title, e.council
    return ()


def _submitted(s: CaseState, e: DraftSubmitted) -> tuple[str, ...]:
    s.body, s.stage = e.body, _stage(e.body)
    s.draft = Draft(e.symbol, e.title, list(e.sponsors), e.chapter, e.referral, [e.symbol])
    s.amendments, s.motions, s.amended = {}, {}, False
    return (f"submit_to_{s.stage}",)


def _sponsors(s: CaseState, e: SponsorsAdded) -> tuple[str, ...]:
    assert s.draft is not None
    s.draft.sponsors.extend(m for m in e.sponsors if m not in s.draft.sponsors)
    return ()


def _amendment(s: CaseState, e: AmendmentSubmitted) -> tuple[str, ...]:
    s.amendments[e.symbol] = Amendment(e.symbol, e.proposers, e.text, e.implies_rejection_of)
    return ()


def _motion(s: CaseState, e: MotionMoved) -> tuple[str, ...]:
    s.motions[e.motion] = e.by
    return ()


def _withdrawn(s: CaseState, e: Withdrawn) -> tuple[str, ...]:
    if e.kind == "amendment":
        s.amendments[e.symbol].status = "withdrawn"
        return ()
    if e.kind == "motion":
        s.motions.pop(e.symbol, None)
        return ()
    return ("withdraw",)


def _decided(s: CaseState, e: VoteTaken | AdoptedWithoutVote, date: str | None) -> tuple[str, ...]:
    outcome = e.decision.outcome
    s.decisions.append(DecisionRecord(s.version, e.body, e.on, e.kind, e.decision, date))
    begins = ("begin_voting",) if s.state.endswith(".tabled") and s.stage != "council" else ()
    if e.kind == "amendment":
        s.amendments[e.on].status = outcome
        s.amended = s.amended or outcome == "adopted"
        return begins
    if e.kind == "draft":
        if isinstance(e, AdoptedWithoutVote):
            begins = ()
        return (*begins, _OUTCOME_TRIGGER[outcome])
    if e.kind == "agenda":
        return ("adopt_agenda" if outcome == "adopted" else "reject_agenda",)
    # A procedural motion: disposed of either way; carried, it may move the case.
    s.motions.pop(e.on, None)
    if outcome == "adopted" and e.on == "adjourn-debate":
        return ("take_no_action",)
    return ()


def _transmitted(s: CaseState, e: DraftTransmitted) -> tuple[str, ...]:
    assert s.draft is not None
    s.body, s.stage = e.to, _stage(e.to)
    if e.document and e.document not in s.draft.symbols:
        s.draft.symbols.append(e.document)
    s.amendments, s.motions, s.amended = {}, {}, False
    return (f"transmit_to_{s.stage}",)


_HANDLERS: dict[type[Event], Callable[..., tuple[str, ...]]] = {
    CaseOpened: _opened,
    DraftSubmitted: _submitted,
    SponsorsAdded: _sponsors,
    AmendmentSubmitted: _amendment,
    MotionMoved: _motion,
    Withdrawn: _withdrawn,
    DraftTransmitted: _transmitted,
}


def triggers_for(s: CaseState, e: Event, date: str | None = None) -> tuple[str, ...]:
    """Update `s` with the facts of `e` and return the machine triggers `e` fires."""
    if isinstance(e, VoteTaken | AdoptedWithoutVote):
        return _decided(s, e, date)
    return _HANDLERS[type(e)](s, e)


def apply(s: CaseState, event: Event, version: int, occurred_at: str | None) -> CaseState:
    """Apply one recorded event to the state: the only way a case's state changes."""
    s.version = version
    if occurred_at:
        s.last_date = occurred_at
    s.state = fire(s.state, triggers_for(s, event, occurred_at))
    return s


def apply_recorded(s: CaseState, rec: Recorded) -> CaseState:
    """`apply` for a row as read from the log."""
    return apply(s, rec.event, rec.version, rec.occurred_at)


def replay(case_id: str, events: Iterable[tuple[int, str | None, Event]]) -> CaseState:
    """Fold a stream's (version, occurred_at, event) triples into its state."""
    s = CaseState(case_id)
    for version, occurred_at, event in events:
        apply(s, event, version, occurred_at)
    return s
