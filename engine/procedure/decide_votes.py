"""Deciding the actions that decide: a vote, an adoption without a vote, explanations of
vote, and sending a decided text on to the next body.

A vote is checked against who sits in the body on its date, decided by the rules
(`engine.procedure.rules`), and recorded with the consequences the rules attach to it
(`engine.procedure.order.after_decision`).
"""

from __future__ import annotations

import datetime as dt

from engine.procedure import checks, rules
from engine.procedure.bodies import Body
from engine.procedure.commands import (
    AdoptWithoutVote,
    CastBallot,
    CloseVote,
    ExplainVote,
    OpenVote,
    TakeAttendance,
    Transmit,
    Vote,
)
from engine.procedure.council import council_size
from engine.procedure.council_procedure import check_method
from engine.procedure.decide_item import needs_two_thirds, postponed
from engine.procedure.errors import (
    ExpectationError,
    InvalidArgumentError,
    InvalidVoteError,
    NotInOrderError,
)
from engine.procedure.explain import explain
from engine.procedure.graph import State
from engine.procedure.order import after_decision, classify, next_item, voteable
from engine.procedure.seats import seat_of, seats
from engine.procedure.state import CaseState
from engine.procedure.tally import CheckedTally, check_tally
from engine.procedure.words import ItemKind, Majority, Option, Outcome, Stage
from events.catalog import (
    AdoptedWithoutVote,
    AttendanceTaken,
    BallotCast,
    Decision,
    DraftTransmitted,
    VoteExplained,
    VoteOpened,
    VoteTaken,
)
from events.codec import Event

__all__ = [
    "TRANSMIT", "adopt_without_vote", "cast_ballot", "close_vote", "explain_vote", "open_vote",
    "take_attendance", "transmit", "vote", "vote_seats",
]

# Where a decided text goes next.
TRANSMIT = {State.COMMITTEE_APPROVED: "plenary", State.PLENARY_ADOPTED: "security-council"}


def vote_seats(s: CaseState, body: Body, on: dt.date) -> tuple[frozenset[str], int]:
    """Who may vote in `body` on `on`, and how many members the body has."""
    members = seats(body, on, s.council)
    # The Council's size is the Charter's (11 until 1965, 15 from 1966), whoever sits:
    # a seat can stand vacant (January 1980).
    size = council_size(on) if body.stage == Stage.COUNCIL and body.members is None \
        else len(members)
    return members, size


def _decision(s: CaseState, body: Body, kind: str, item: str, c: Vote, on: dt.date
              ) -> tuple[Decision, CheckedTally]:
    members, size = vote_seats(s, body, on)
    # With an attendance taken, those present are the members present (rule 108 / 67).
    present = len(s.attendance) if c.present is None and s.attendance is not None \
        else c.present
    tally = check_tally(
        members, {"yes": c.yes, "no": c.no, "abstain": c.abstain},
        {"yes": c.yes_members, "no": c.no_members, "abstain": c.abstain_members},
        present, body.name, on, size,
    )
    if s.attendance is not None:
        _only_present(s, (*tally.yes_members, *tally.no_members, *tally.abstain_members))
    parties = s.draft.parties if s.draft and s.draft.chapter == "VI" else ()
    decision = rules.decide_vote(body.stage, kind, item, tally, size, body.veto,
                                 needs_two_thirds(s, kind, c), parties, members)
    return decision, tally


def vote(s: CaseState, c: Vote) -> tuple[Event, ...]:
    """The vote on the item the rules put to the body now, decided by the rules."""
    checks.require(s, c.action)
    check_method(checks.body(s), c.method, checks.on_date(s, c.date))
    return _voted(s, c, *next_item(s, c.on, "vote"))


def open_vote(s: CaseState, c: OpenVote) -> tuple[Event, ...]:
    """A vote opened live on the item the rules put to the body now."""
    checks.require(s, c.action)
    check_method(checks.body(s), c.method, checks.on_date(s, c.date))  # as a vote's
    kind, item = next_item(s, c.on, "open_vote")
    return (VoteOpened(item, kind, checks.body(s).id, str(c.method), c.majority),)


def cast_ballot(s: CaseState, c: CastBallot) -> tuple[Event, ...]:
    """A member's ballot in the open vote (a later one replaces it)."""
    checks.require(s, c.action)
    assert s.ballot is not None, "require lets a ballot in only while a vote is open"
    body = checks.body(s)
    on = checks.on_date(s, c.date)
    members, _ = vote_seats(s, body, on)
    member = seat_of(c.member, members, "member", on, body.name)
    if s.attendance is not None:
        _only_present(s, (member,))
    return (BallotCast(s.ballot.on, member, str(c.vote)),)


def close_vote(s: CaseState, c: CloseVote) -> tuple[Event, ...]:
    """The open vote closed: its ballots counted and decided as a recorded vote is."""
    checks.require(s, c.action)
    ballot = s.ballot
    assert ballot is not None, "require lets close_vote in only while a vote is open"
    if classify(s, c.on)[1] != ballot.on:
        raise NotInOrderError(f"close_vote on {c.on}", f"the vote open is on {ballot.on}",
                              checks.cite(s, "voting"), checks.in_order(s))
    lists = {o: tuple(m for m, v in ballot.votes.items() if v == o) for o in Option}
    counted = Vote(on=ballot.on, yes=len(lists[Option.YES]), no=len(lists[Option.NO]),
                   abstain=len(lists[Option.ABSTAIN]), yes_members=lists[Option.YES],
                   no_members=lists[Option.NO], abstain_members=lists[Option.ABSTAIN],
                   method=ballot.method, majority=ballot.majority, expect=c.expect,
                   date=c.date)
    return _voted(s, counted, ballot.kind, ballot.on)


def _voted(s: CaseState, c: Vote, kind: str, item: str) -> tuple[Event, ...]:
    if kind != ItemKind.MOTION:
        postponed(s, c.action, c.date)  # the votes on the item were put off to a later day
    body = checks.body(s)
    try:
        decision, tally = _decision(s, body, kind, item, c, checks.on_date(s, c.date))
    except NotInOrderError as e:
        raise NotInOrderError(f"vote on {item}", e.reason, e.rule, checks.in_order(s)) from None
    _expect(c.expect, decision, item, tally)
    event = VoteTaken(
        on=item, kind=kind, body=body.id, method=str(c.method), yes=tally.yes, no=tally.no,
        abstain=tally.abstain, decision=decision, yes_members=tally.yes_members,
        no_members=tally.no_members, abstain_members=tally.abstain_members,
        present=None if c.present is None and s.attendance is None else tally.present,
        as_amended=kind == ItemKind.DRAFT and s.amended,
        warnings=_circulation(s, kind, item, c.date),
    )
    return (event, *after_decision(s, kind, item, decision.outcome))


def adopt_without_vote(s: CaseState, c: AdoptWithoutVote) -> tuple[Event, ...]:
    """The item adopted by consensus, as the chair proposes and nobody objects."""
    checks.require(s, c.action)
    kind, item = next_item(s, c.on, "adopt_without_vote")
    if kind != ItemKind.MOTION:
        postponed(s, c.action, c.date)
    decision = Decision(Outcome.ADOPTED.value, Majority.CONSENSUS.value, 0, 0,
                        "adopted without a vote")
    _expect(c.expect, decision, item)
    event = AdoptedWithoutVote(item, kind, checks.body(s).id, decision,
                               kind == ItemKind.DRAFT and s.amended)
    return (event, *after_decision(s, kind, item, Outcome.ADOPTED))


def explain_vote(s: CaseState, c: ExplainVote) -> tuple[Event, ...]:
    """An explanation of vote, before or after it, never by a sponsor on its own text."""
    checks.require(s, c.action)
    kind, item = classify(s, c.on)
    if kind not in (ItemKind.DRAFT, ItemKind.AMENDMENT, ItemKind.PART):
        raise InvalidArgumentError(f"there is no draft, amendment or part {c.on!r} to explain "
                                   "a vote on")
    member = checks.seated(s, (c.by,), "by", checks.on_date(s, c.date))[0]
    rule, allowed = checks.cite(s, "explanation"), checks.in_order(s)
    authors = (s.draft.sponsors if kind in (ItemKind.DRAFT, ItemKind.PART) and s.draft
               else s.amendments[item].proposers if kind == ItemKind.AMENDMENT else ())
    if member in authors:
        raise NotInOrderError(f"explain_vote by {member} on {item}", f"{member} is a "
                              "sponsor of that text and may not explain its vote on it",
                              rule, allowed)
    decided = s.decided_here(item) and not (kind == ItemKind.DRAFT and item in voteable(s))
    if c.when == "before" and kind == ItemKind.AMENDMENT and \
            s.amendments[item].status in ("lapsed", "withdrawn"):
        raise NotInOrderError(f"explain_vote before the vote on {item}", "the amendment "
                              f"was {s.amendments[item].status} and will not be voted on",
                              rule, allowed)
    if c.when == "before" and decided:
        raise NotInOrderError(f"explain_vote before the vote on {item}", "the vote on it "
                              "has been taken; explain after it", rule, allowed)
    if c.when == "after" and not decided:
        raise NotInOrderError(f"explain_vote after the vote on {item}", "it has not been "
                              "voted on yet", rule, allowed)
    return (VoteExplained(item, member, c.when, c.text),)


def transmit(s: CaseState, c: Transmit) -> tuple[Event, ...]:
    """The decided text sent on: committee to plenary, plenary to the Security Council."""
    checks.require(s, c.action)
    expected = TRANSMIT[s.state]
    if c.to != expected:
        raise NotInOrderError(f"transmit to {c.to}", f"from {s.state} a text goes to "
                              f"{expected}", allowed=(f"transmit to {expected}",))
    return (DraftTransmitted(c.to, c.document),)


def take_attendance(s: CaseState, c: TakeAttendance) -> tuple[Event, ...]:
    """The members present in the body now, each a member of it on the day."""
    checks.require(s, c.action)
    body = checks.body(s)
    on = checks.on_date(s, c.date)
    members, _ = vote_seats(s, body, on)
    present = tuple(seat_of(n, members, "present", on, body.name) for n in c.present)
    twice = sorted({m for m in present if present.count(m) > 1})
    if twice:
        raise InvalidArgumentError(f"present names {', '.join(twice)} more than once")
    return (AttendanceTaken(body.id, present),)


def _only_present(s: CaseState, voters: tuple[str, ...]) -> None:
    assert s.attendance is not None
    absent = [m for m in voters if m not in s.attendance]
    if absent:
        raise InvalidVoteError(
            f"{', '.join(absent)} {'is' if len(absent) == 1 else 'are'} not present: the "
            f"attendance taken lists {len(s.attendance)} members, and only members present "
            f"vote ({checks.cite(s, 'quorum')})")


def _circulation(s: CaseState, kind: str, item: str, when: str | None) -> tuple[str, ...]:
    """Rule 120 / 78: proposals are circulated the day before they are voted on."""
    submitted = (s.draft.submitted_on if kind == ItemKind.DRAFT and s.draft else
                 s.amendments[item].submitted_on if kind == ItemKind.AMENDMENT else None)
    if when is None or submitted != when or s.stage == Stage.COUNCIL:
        return ()
    return (f"{item} was put to the vote on the day it was submitted, {when}; "
            f"{checks.cite(s, 'circulation')} asks for circulation the day before, which the "
            "chair may waive",)


def _expect(expect: str | None, decision: Decision, item: str,
            tally: CheckedTally | None = None) -> None:
    if expect is not None and decision.outcome != expect:
        raise ExpectationError(f"on {item} the expected outcome was {expect}, but the "
                               f"rules give {decision.outcome}: {explain(decision, tally)}")
