"""The actions that decide: a vote, an adoption without a vote, explanations of vote, and
sending a decided text on to the next body.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from engine.app.case_core import CaseCore, action
from engine.present.narrate import explain
from engine.procedure import arguments as arg
from engine.procedure import rules
from engine.procedure.arguments import Date
from engine.procedure.bodies import COUNCIL_SEATS, Body
from engine.procedure.errors import ExpectationError, InvalidArgumentError, NotInOrderError
from engine.procedure.order import after_decision, classify, next_item, voteable
from engine.procedure.seats import seats
from engine.procedure.state import CaseState
from engine.procedure.tally import CheckedTally, check_tally
from events import (
    AdoptedWithoutVote,
    Decision,
    DraftTransmitted,
    Recorded,
    VoteExplained,
    VoteTaken,
)

__all__ = ["METHODS", "OUTCOMES", "TRANSMIT", "DecisionActions", "decide", "vote_seats"]

METHODS = ("recorded", "non-recorded", "roll-call")
OUTCOMES = ("adopted", "rejected", "vetoed")
TRANSMIT = {"committee.approved": "plenary", "plenary.adopted": "security-council"}


def _decision_in(recorded: Sequence[Recorded]) -> Decision | None:
    for rec in recorded:
        if isinstance(rec.event, VoteTaken | AdoptedWithoutVote):
            return rec.event.decision
    return None


def vote_seats(s: CaseState, body: Body, on: dt.date) -> tuple[frozenset[str], int]:
    """Who may vote in `body` on `on`, and how many members the body has."""
    members = seats(body, on, s.council)
    size = COUNCIL_SEATS if body.stage == "council" and body.members is None else len(members)
    return members, size


def decide(
    s: CaseState, body: Body, kind: str, item: str, tally: CheckedTally, size: int,
    two_thirds: bool, members: frozenset[str] = frozenset(),
) -> Decision:
    """The decision the rules give on a checked tally, in the case as it stands."""
    parties = s.draft.parties if s.draft and s.draft.chapter == "VI" else ()
    return rules.decide_vote(body.stage, kind, item, tally, size, body.veto, two_thirds, parties,
                             members)


class DecisionActions(CaseCore):
    """Deciding: the case's actions that put an item to the body and send the text on."""

    @action
    def vote(
        self, *, on: str, yes: int | None = None, no: int | None = None,
        abstain: int | None = None, yes_members: Sequence[str] = (),
        no_members: Sequence[str] = (), abstain_members: Sequence[str] = (),
        method: str = "recorded", majority: str | None = None, present: int | None = None,
        expect: str | None = None, date: Date = None, actor: str | None = None,
        note: str | None = None,
    ) -> Decision:
        """Put an item to the vote; the rules decide it, and the decision is recorded.

        `majority="two-thirds"` marks an important question (Charter Art. 18(2)).
        `expect`, if given, must equal the outcome, or nothing is recorded.
        """
        self._require("vote")
        kind, item = next_item(self._state, arg.text(on, "on"), "vote")
        arg.choice(method, "method", METHODS)
        arg.choice(majority, "majority", (None, "simple", "two-thirds"))
        arg.choice(expect, "expect", (None, *OUTCOMES))
        when = arg.iso_date(date, "vote")
        body, on_date = self._body(), self._on(when)
        members, size = vote_seats(self._state, body, on_date)
        tally = check_tally(
            members, {"yes": yes, "no": no, "abstain": abstain},
            {"yes": arg.names(yes_members, "yes_members"),
             "no": arg.names(no_members, "no_members"),
             "abstain": arg.names(abstain_members, "abstain_members")},
            present, body.name, on_date, size,
        )
        try:
            decision = decide(self._state, body, kind, item, tally, size,
                              majority == "two-thirds", members)
        except NotInOrderError as e:
            raise NotInOrderError(f"vote on {item}", e.reason, e.rule, self.in_order()) from None
        self._expect(expect, decision, item, tally)
        event = VoteTaken(
            on=item, kind=kind, body=body.id, method=method, yes=tally.yes, no=tally.no,
            abstain=tally.abstain, decision=decision, yes_members=tally.yes_members,
            no_members=tally.no_members, abstain_members=tally.abstain_members,
            present=None if present is None else tally.present,
            as_amended=kind == "draft" and self._state.amended,
            warnings=self._circulation(kind, item, when),
        )
        recorded = self._record(
            [event, *after_decision(self._state, kind, item, decision.outcome)], when, actor, note)
        return _decision_in(recorded) or decision

    @action
    def adopt_without_vote(
        self, *, on: str, expect: str | None = None, date: Date = None,
        actor: str | None = None, note: str | None = None,
    ) -> Decision:
        """Adopt an item without a vote, as the chair proposes and nobody objects."""
        self._require("adopt_without_vote")
        kind, item = next_item(self._state, arg.text(on, "on"), "adopt_without_vote")
        decision = Decision("adopted", "consensus", 0, 0, "adopted without a vote")
        arg.choice(expect, "expect", (None, *OUTCOMES))
        self._expect(expect, decision, item)
        when = arg.iso_date(date, "adopt_without_vote")
        event = AdoptedWithoutVote(item, kind, self._body().id, decision,
                                   kind == "draft" and self._state.amended)
        recorded = self._record([event, *after_decision(self._state, kind, item, "adopted")],
                                when, actor, note)
        return _decision_in(recorded) or decision

    @action
    def explain_vote(
        self, *, on: str, by: str, when: str, text: str = "", date: Date = None,
        actor: str | None = None, note: str | None = None,
    ) -> None:
        """Record an explanation of vote, "before" or "after" the vote on an item.

        Rule 128 / 88: the sponsor of a proposal or amendment may not explain its vote
        on its own text.
        """
        self._require("explain_vote")
        arg.choice(when, "when", ("before", "after"))
        s = self._state
        kind, item = classify(s, arg.text(on, "on"))
        if kind not in ("draft", "amendment", "part"):
            raise InvalidArgumentError(f"there is no draft, amendment or part {on!r} to explain "
                                       "a vote on")
        day = arg.iso_date(date, "explain_vote")
        member = self._seated((arg.text(by, "by"),), "by", self._on(day))[0]
        cite = self._cite("explanation")
        authors = (s.draft.sponsors if kind in ("draft", "part") and s.draft
                   else s.amendments[item].proposers if kind == "amendment" else ())
        if member in authors:
            raise NotInOrderError(f"explain_vote by {member} on {item}", f"{member} is a "
                                  "sponsor of that text and may not explain its vote on it",
                                  cite, self.in_order())
        decided = s.decided_here(item) and not (kind == "draft" and item in voteable(s))
        if when == "before" and kind == "amendment" and \
                s.amendments[item].status in ("lapsed", "withdrawn"):
            raise NotInOrderError(f"explain_vote before the vote on {item}", "the amendment "
                                  f"was {s.amendments[item].status} and will not be voted on",
                                  cite, self.in_order())
        if when == "before" and decided:
            raise NotInOrderError(f"explain_vote before the vote on {item}", "the vote on it "
                                  "has been taken; explain after it", cite, self.in_order())
        if when == "after" and not decided:
            raise NotInOrderError(f"explain_vote after the vote on {item}", "it has not been "
                                  "voted on yet", cite, self.in_order())
        self._record([VoteExplained(item, member, when, text if isinstance(text, str) else "")],
                     day, actor, note)

    @action
    def transmit(
        self, *, to: str, document: str | None = None, date: Date = None,
        actor: str | None = None, note: str | None = None,
    ) -> None:
        """Send the decided text on: committee to plenary, plenary to the Security Council."""
        self._require("transmit")
        expected = TRANSMIT[self.state]
        if to != expected:
            raise NotInOrderError(f"transmit to {to}", f"from {self.state} a text goes to "
                                  f"{expected}", allowed=(f"transmit to {expected}",))
        when = arg.iso_date(date, "transmit")
        self._record([DraftTransmitted(to, arg.optional_text(document, "document"))], when,
                     actor, note)

    # -- what deciding needs of its own --------------------------------------------

    def _circulation(self, kind: str, item: str, when: str | None) -> tuple[str, ...]:
        """Rule 120 / 78: proposals are circulated the day before they are voted on."""
        s = self._state
        submitted = (s.draft.submitted_on if kind == "draft" and s.draft else
                     s.amendments[item].submitted_on if kind == "amendment" else None)
        if when is None or submitted != when or s.stage == "council":
            return ()
        return (f"{item} was put to the vote on the day it was submitted, {when}; "
                f"{self._cite('circulation')} asks for circulation the day before, which the "
                "chair may waive",)

    def _expect(self, expect: str | None, decision: Decision, item: str,
                tally: CheckedTally | None = None) -> None:
        if expect is not None and decision.outcome != expect:
            raise ExpectationError(f"on {item} the expected outcome was {expect}, but the "
                                   f"rules give {decision.outcome}: {explain(decision, tally)}")
