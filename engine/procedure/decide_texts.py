"""Deciding the actions on texts and motions: submitting a draft, its sponsors and oral
revisions, amendments, separate votes; procedural motions (rules 116-119 / 74-77,
reconsideration, rule 123 / 81) and withdrawal (rule 122 / 80).

Each clause takes the state and a command and returns the events; none changes the
state or records anything.
"""

from __future__ import annotations

import re

from engine.procedure import checks, council_procedure, observers, rules
from engine.procedure.bodies import BODIES
from engine.procedure.commands import (
    AddSponsors,
    Move,
    RequestSeparateVote,
    ReviseOrally,
    SubmitAmendment,
    SubmitDraft,
    Withdraw,
)
from engine.procedure.decide_item import check_item_motion
from engine.procedure.errors import InvalidArgumentError, NotInOrderError
from engine.procedure.graph import TABLED, State
from engine.procedure.order import MOTIONS, classify
from engine.procedure.state import CaseState
from engine.procedure.state_item import queued
from engine.procedure.words import ItemKind, Motion, Stage
from events.catalog import (
    AmendmentSubmitted,
    DraftRevisedOrally,
    DraftSubmitted,
    MotionMoved,
    SeparateVoteRequested,
    SponsorsAdded,
    Withdrawn,
)
from events.codec import Event

__all__ = [
    "add_sponsors", "motions_in_order", "move", "request_separate_vote", "revise_orally",
    "submit_amendment", "submit_draft", "withdraw",
]

_PART = re.compile(r"^(?:(OP|PP)([1-9][0-9]*)|part-[\w.-]+)$")


def submit_draft(s: CaseState, c: SubmitDraft) -> tuple[Event, ...]:
    """A draft before a body; Council drafts may name their chapter and a referral."""
    checks.require(s, c.action)
    found = s.body_of(c.body)
    if found is None:
        known = ", ".join([*s.bodies, *BODIES])
        raise InvalidArgumentError(f"unknown body {c.body!r}; bodies: {known}")
    if s.state == State.COUNCIL_ON_AGENDA and found.stage != Stage.COUNCIL:
        raise NotInOrderError(f"submit_draft to {c.body}", "the case is on the Security "
                              "Council's agenda; only a Council draft can be submitted now",
                              allowed=checks.in_order(s))
    if c.referral is not None and (found.stage != Stage.COUNCIL or c.chapter != "VII"):
        raise NotInOrderError(
            f"submit_draft referring the situation to {c.referral}", "only the Security "
            "Council acting under Chapter VII of the Charter can refer a situation to the "
            "International Criminal Court", rules.CITE[Stage.COUNCIL]["referral"],
            ('submit_draft(body="security-council", chapter="VII", referral=...)',))
    paragraphs = c.operative_paragraphs
    if paragraphs is not None and (
        isinstance(paragraphs, bool) or not isinstance(paragraphs, int) or paragraphs < 1
    ):
        raise InvalidArgumentError("operative_paragraphs must be a whole number of at "
                                   f"least 1, not {paragraphs!r}")
    on = checks.on_date(s, c.date)
    return (DraftSubmitted(
        body=found.id, symbol=c.symbol, title=c.title,
        sponsors=observers.sponsors(s, c.sponsors, on, found), chapter=c.chapter,
        referral=c.referral, operative_paragraphs=paragraphs,
        parties=checks.seated(s, c.parties, "parties", on, found),
    ),)


def add_sponsors(s: CaseState, c: AddSponsors) -> tuple[Event, ...]:
    """Members joining the draft's sponsors."""
    checks.require(s, c.action)
    joining = observers.sponsors(s, c.sponsors, checks.on_date(s, c.date), submitting=False)
    return (SponsorsAdded(checks.draft(s).symbol, joining),)


def revise_orally(s: CaseState, c: ReviseOrally) -> tuple[Event, ...]:
    """An oral revision, by a sponsor of the draft only."""
    checks.require(s, c.action)
    sponsor = checks.seated(s, (c.by,), "by", checks.on_date(s, c.date))[0]
    draft = checks.draft(s)
    if sponsor not in draft.sponsors:
        raise NotInOrderError(f"revise_orally by {sponsor}", f"{sponsor} is not a sponsor "
                              f"of {draft.symbol}; only its sponsors may revise it",
                              checks.cite(s, "revision"), checks.in_order(s))
    return (DraftRevisedOrally(draft.symbol, c.text, sponsor),)


def submit_amendment(s: CaseState, c: SubmitAmendment) -> tuple[Event, ...]:
    """An amendment under a symbol not yet used in the case."""
    checks.require(s, c.action)
    if classify(s, c.symbol)[0] or c.symbol in MOTIONS:
        raise InvalidArgumentError(f"symbol {c.symbol!r} is already used in this case")
    proposers = checks.seated(s, c.proposers, "proposers", checks.on_date(s, c.date))
    return (AmendmentSubmitted(c.symbol, proposers, c.text, c.implies_rejection_of),)


def request_separate_vote(s: CaseState, c: RequestSeparateVote) -> tuple[Event, ...]:
    """Parts of the draft to be voted separately; with an objection, a motion first."""
    checks.require(s, c.action)
    limit = checks.draft(s).operative_paragraphs
    for part in c.parts:
        match = _PART.match(part)
        if not match:
            raise InvalidArgumentError(f"part {part!r} is not of the form OPn (operative "
                                       "paragraph n), PPn (preambular paragraph n) or "
                                       "part-<label>")
        if match[1] == "OP" and limit is not None and int(match[2]) > limit:
            raise InvalidArgumentError(f"part {part}: the draft has {limit} operative "
                                       "paragraphs")
        if part in s.parts:
            raise InvalidArgumentError(f"part {part} is already to be voted separately")
    if not isinstance(c.objection, bool):
        raise InvalidArgumentError(f"objection must be true or false, not {c.objection!r}")
    member = checks.seated(s, (c.by,), "by", checks.on_date(s, c.date))[0]
    return (SeparateVoteRequested(c.parts, member, c.objection),)


def motions_in_order(s: CaseState) -> tuple[str, ...]:
    """The motions `move` accepts now: the procedural ones before the draft is decided,
    reconsideration after; none already pending (tests hold this to `move` itself)."""
    decided = s.state not in TABLED
    return tuple(m.value for m in Motion if m is not Motion.DIVISION and
                 (m is Motion.RECONSIDER) == decided and m not in s.motions and
                 (m is not Motion.PRIORITY or bool(s.agenda.queue)) and
                 (m is not Motion.IMPORTANT_QUESTION or s.stage == Stage.PLENARY))


def move(s: CaseState, c: Move) -> tuple[Event, ...]:
    """A procedural motion: before a decision, or reconsideration after one."""
    checks.require(s, c.action)
    if s.stage == Stage.COUNCIL:  # rule 33; what is in order, only for the refusal
        council_procedure.check_motion(s.stage, c.motion, checks.in_order(s))
    decided = s.state not in TABLED
    if c.motion == Motion.RECONSIDER and not decided:
        raise NotInOrderError("move reconsider", "the draft has not been decided yet, so "
                              "there is nothing to reconsider",
                              checks.cite(s, "reconsideration"), checks.in_order(s))
    if c.motion != Motion.RECONSIDER and decided:
        raise NotInOrderError(f"move {c.motion}", f"the draft has been decided ({s.state});"
                              " only its reconsideration may be moved now",
                              checks.cite(s, "reconsideration"), ("move reconsider",))
    if c.motion in s.motions:
        raise NotInOrderError(f"move {c.motion}", "that motion is already pending",
                              allowed=checks.in_order(s))
    check_item_motion(s, c)  # the item's motions, and a no-action motion's target
    mover = checks.seated(s, (c.by,), "by", checks.on_date(s, c.date))[0]
    return (MotionMoved(str(c.motion), mover, c.target),)


def withdraw(s: CaseState, c: Withdraw) -> tuple[Event, ...]:
    """The withdrawal of a draft, a pending amendment or a pending motion."""
    checks.require(s, c.action)
    rule = checks.cite(s, "withdrawal")
    kind, item = classify(s, c.symbol)
    attempted = f"withdraw {c.symbol}"
    if s.motions and not (kind == ItemKind.MOTION and item in s.motions):
        raise NotInOrderError(attempted, f"the motion {', '.join(s.motions)} is pending and "
                              "is voted at once", checks.cite(s, "no_action"),
                              checks.in_order(s))
    if kind == ItemKind.MOTION and item in s.motions:
        pass
    elif kind == ItemKind.DRAFT and queued(s, item) is not None:
        pass  # a draft of the item still waiting: voting on it has not begun (rule 122 / 80)
    elif kind == ItemKind.AMENDMENT:
        if s.amendments[item].status != "pending":
            raise NotInOrderError(attempted, f"the amendment was already "
                                  f"{s.amendments[item].status}", rule, checks.in_order(s))
    elif kind == ItemKind.DRAFT:
        if s.state not in TABLED:
            raise NotInOrderError(attempted, "voting on the draft has begun", rule,
                                  checks.in_order(s))
        if s.draft and s.draft.revisions and s.amended:
            raise NotInOrderError(attempted, "the draft has been amended", rule,
                                  checks.in_order(s))
    else:
        raise InvalidArgumentError(f"nothing called {c.symbol!r} can be withdrawn in this "
                                   "case (a draft, a pending amendment or a pending motion)")
    return (Withdrawn(item, kind),)
