"""The case aggregate: one draft's path through the bodies, and the actions on it.

Each action is a method with the same keyword arguments as a scenario step (DESIGN §6),
so a scenario file and a Python script are interchangeable. An action checks itself
against the current state and the rules, builds its events, appends them to the log in
one transaction, then applies them through `engine.state.apply`, the function replay
uses. An action that is not in order raises a `ProcedureError` and appends nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import re
import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

from engine import arguments as arg
from engine import rules
from engine.arguments import Date
from engine.bodies import BODIES, COUNCIL_SEATS, Body
from engine.errors import ExpectationError, InvalidArgumentError, NotInOrderError
from engine.machine import MACHINE
from engine.narrate import explain
from engine.order import MOTIONS, after_decision, classify, next_item, voteable
from engine.seats import seat_of, seats
from engine.state import CaseState, apply, apply_recorded
from engine.tally import CheckedTally, check_tally
from events import (
    AdoptedWithoutVote,
    AmendmentSubmitted,
    CaseOpened,
    Decision,
    DraftRevisedOrally,
    DraftSubmitted,
    DraftTransmitted,
    Event,
    EventLog,
    MotionMoved,
    NewEvent,
    Recorded,
    SeparateVoteRequested,
    SponsorsAdded,
    VoteExplained,
    VoteTaken,
    Withdrawn,
)

__all__ = ["ACTIONS", "Case", "action", "command_event_id", "decide", "in_order", "vote_seats"]

F = TypeVar("F", bound=Callable[..., Any])
_COMMANDS = uuid.UUID("6f1b0c5e-3d2a-4e8b-9c1f-5a7d2e4b8c90")  # namespace of command ids

# The triggers whose availability puts an action in order (DESIGN §5-6): what is in
# order in a state is read off the state machine itself. `explain_vote` is the one
# action with no trigger of its own; it is in order wherever a body has a text before it
# or has decided one.
ACTIONS: dict[str, frozenset[str]] = {
    "submit_draft": frozenset({"submit_to_committee", "submit_to_plenary", "submit_to_council"}),
    "add_sponsors": frozenset({"adopt"}),
    "revise_orally": frozenset({"withdraw"}),
    "submit_amendment": frozenset({"begin_voting"}),
    "request_separate_vote": frozenset({"begin_voting"}),
    "move": frozenset({"take_no_action", "reconsider"}),
    "withdraw": frozenset({"withdraw", "adopt", "reconsider"}),
    "vote": frozenset({"adopt", "adopt_agenda", "reconsider"}),
    "adopt_without_vote": frozenset({"adopt", "adopt_agenda"}),
    "explain_vote": frozenset(),
    "transmit": frozenset({"transmit_to_plenary", "transmit_to_council"}),
}
METHODS = ("recorded", "non-recorded", "roll-call")
OUTCOMES = ("adopted", "rejected", "vetoed")
TRANSMIT = {"committee.approved": "plenary", "plenary.adopted": "security-council"}
_PART = re.compile(r"^(?:(OP|PP)([1-9][0-9]*)|part-[\w.-]+)$")
# While a motion is pending only these may happen: it is voted at once (rule 116 / 74).
_WHILE_MOTION_PENDING = ("vote", "withdraw", "explain_vote", "move")
_NO_TEXT = ("new", ".seized", ".withdrawn", ".no_action")
_DECIDED = (".approved", ".adopted", ".rejected", ".vetoed")


def command_event_id(command_id: str, n: int) -> str:
    """The id of the n-th event of a command: the same for every retry of the command.

    It does not depend on the case, so a command id reused on another case is caught.
    """
    return str(uuid.uuid5(_COMMANDS, f"{command_id}\x1f{n}"))


def action(method: F) -> F:
    """Make a case method an action that may carry a `command_id` for idempotency.

    A command sent again with the same id (a retry after a timeout) appends nothing and
    returns what the first one returned; the case catches up with the log first.
    """

    @functools.wraps(method)
    def run(self: Case, *args: Any, command_id: str | None = None, **kwargs: Any) -> Any:
        if command_id is None:
            return method(self, *args, **kwargs)
        arg.text(command_id, "command_id")
        first = self._log.find(command_event_id(command_id, 1))
        if first is not None:
            if first.stream_id != self.id:
                raise InvalidArgumentError(f"command id {command_id!r} belongs to another case")
            self._catch_up()
            return _result_of(self._log, command_id)
        self._command_id = command_id
        try:
            return method(self, *args, **kwargs)
        finally:
            self._command_id = None

    signature = inspect.signature(method)
    extra = inspect.Parameter("command_id", inspect.Parameter.KEYWORD_ONLY, default=None,
                              annotation="str | None")
    run.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*signature.parameters.values(), extra])
    return cast(F, run)


def _result_of(log: EventLog, command_id: str) -> Decision | None:
    n = 1
    while (rec := log.find(command_event_id(command_id, n))) is not None:
        if isinstance(rec.event, VoteTaken | AdoptedWithoutVote):
            return rec.event.decision
        n += 1
    return None


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


@functools.cache
def in_order(state: str) -> tuple[str, ...]:
    """The actions in order in a state, read off the shared state machine.

    Cached: the machine is defined once, and `get_triggers` scans all of it.
    """
    available = set(MACHINE.get_triggers(state))
    return tuple(
        a for a, enablers in ACTIONS.items()
        if enablers & available or (not enablers and not state.endswith(_NO_TEXT))
    )


class Case:
    """A case: one stream in the log. Get one from `log.new_case` or `log.case`."""

    def __init__(self, log: EventLog, state: CaseState, opening: CaseOpened | None = None) -> None:
        self._log = log
        self._state = state
        self._opening = opening  # recorded with the case's first action
        self._command_id: str | None = None
        if opening is not None:
            state.bodies = {b.id: b for b in opening.bodies}
            state.council = opening.council

    def __repr__(self) -> str:
        return f"<Case {self.id!r} {self.state} v{self.version}>"

    def _repr_html_(self) -> str:
        """The case as HTML for Jupyter: id, title, state, decisions with tally charts."""
        from engine.notebook import case_html

        return case_html(self)

    # -- what it is now ------------------------------------------------------------

    @property
    def id(self) -> str:
        """The case id (its stream id in the log)."""
        return self._state.case_id

    @property
    def state(self) -> str:
        """The public state name, e.g. "committee.voting" (DESIGN §5)."""
        return self._state.state

    @property
    def version(self) -> int:
        """The version of the case's last recorded event (0 before the first)."""
        return self._state.version

    @property
    def title(self) -> str:
        """The case's title."""
        return self._opening.title if self._opening else self._state.title

    @property
    def data(self) -> CaseState:
        """The full rebuilt state: draft, amendments, pending motions, decisions."""
        return self._state

    def in_order(self) -> tuple[str, ...]:
        """The actions in order now.

        The state machine says what a state allows; the case narrows it: with a motion
        pending, only the vote on it; once the draft is decided, a vote or a withdrawal
        only after a reconsideration has been moved.
        """
        if self._state.motions:
            return tuple(f"{a} on {i}" for a in ("vote",) for i in voteable(self._state))
        allowed = in_order(self.state)
        if self.state.endswith(_DECIDED):
            allowed = tuple(a for a in allowed if a not in ("vote", "withdraw"))
        return allowed

    # -- submitting and changing texts ---------------------------------------------

    @action
    def submit_draft(
        self, *, body: str, symbol: str, title: str, sponsors: Sequence[str] = (),
        chapter: str | None = None, referral: str | None = None,
        operative_paragraphs: int | None = None, parties: Sequence[str] = (),
        date: Date = None, actor: str | None = None, note: str | None = None,
    ) -> None:
        """Submit a draft resolution to a body (a Main Committee, the plenary, the Council).

        `chapter` ("VI" or "VII") and `parties` concern Council drafts; `referral` names
        the court a Council draft refers the situation to (Rome Statute Art. 13(b)).
        """
        self._require("submit_draft")
        found = self._state.body_of(arg.text(body, "body"))
        if found is None:
            known = ", ".join([*self._state.bodies, *BODIES])
            raise InvalidArgumentError(f"unknown body {body!r}; bodies: {known}")
        if self.state == "council.on_agenda" and found.stage != "council":
            raise NotInOrderError(f"submit_draft to {body}", "the case is on the Security "
                                  "Council's agenda; only a Council draft can be submitted now",
                                  allowed=self.in_order())
        arg.choice(chapter, "chapter", (None, "VI", "VII"))
        if referral is not None and (found.stage != "council" or chapter != "VII"):
            raise NotInOrderError(
                f"submit_draft referring the situation to {referral}", "only the Security "
                "Council acting under Chapter VII of the Charter can refer a situation to the "
                "International Criminal Court", rules.CITE["council"]["referral"],
                ('submit_draft(body="security-council", chapter="VII", referral=...)',))
        if operative_paragraphs is not None and (
            isinstance(operative_paragraphs, bool) or not isinstance(operative_paragraphs, int)
            or operative_paragraphs < 1
        ):
            raise InvalidArgumentError("operative_paragraphs must be a whole number of at "
                                       f"least 1, not {operative_paragraphs!r}")
        when = arg.iso_date(date, "submit_draft")
        on = self._on(when)
        event = DraftSubmitted(
            body=found.id, symbol=arg.text(symbol, "symbol"), title=arg.text(title, "title"),
            sponsors=self._seated(arg.names(sponsors, "sponsors"), "sponsors", on, found),
            chapter=chapter, referral=arg.optional_text(referral, "referral"),
            operative_paragraphs=operative_paragraphs,
            parties=self._seated(arg.names(parties, "parties"), "parties", on, found),
        )
        self._record([event], when, actor, note)

    @action
    def add_sponsors(
        self, *, sponsors: Sequence[str], date: Date = None, actor: str | None = None,
        note: str | None = None,
    ) -> None:
        """Add co-sponsors to the draft."""
        self._require("add_sponsors")
        when = arg.iso_date(date, "add_sponsors")
        joining = self._seated(arg.names(sponsors, "sponsors"), "sponsors", self._on(when))
        self._record([SponsorsAdded(self._draft().symbol, joining)], when, actor, note)

    @action
    def revise_orally(
        self, *, text: str, by: str, date: Date = None, actor: str | None = None,
        note: str | None = None,
    ) -> None:
        """Revise the draft orally: only a sponsor may, and only before voting began."""
        self._require("revise_orally")
        when = arg.iso_date(date, "revise_orally")
        sponsor = self._seated((arg.text(by, "by"),), "by", self._on(when))[0]
        draft = self._draft()
        if sponsor not in draft.sponsors:
            raise NotInOrderError(f"revise_orally by {sponsor}", f"{sponsor} is not a sponsor "
                                  f"of {draft.symbol}; only its sponsors may revise it",
                                  self._cite("revision"), self.in_order())
        self._record([DraftRevisedOrally(draft.symbol, arg.text(text, "text"), sponsor)],
                     when, actor, note)

    @action
    def submit_amendment(
        self, *, symbol: str, proposers: Sequence[str], text: str,
        implies_rejection_of: Sequence[str] = (), date: Date = None,
        actor: str | None = None, note: str | None = None,
    ) -> None:
        """Submit an amendment to the draft (voted before the draft, rule 130 / 90).

        `implies_rejection_of` names amendments that lapse if this one is adopted.
        """
        self._require("submit_amendment")
        symbol = arg.text(symbol, "symbol")
        if classify(self._state, symbol)[0] or symbol in MOTIONS:
            raise InvalidArgumentError(f"symbol {symbol!r} is already used in this case")
        when = arg.iso_date(date, "submit_amendment")
        event = AmendmentSubmitted(
            symbol, self._seated(arg.names(proposers, "proposers"), "proposers", self._on(when)),
            arg.text(text, "text"), arg.names(implies_rejection_of, "implies_rejection_of"),
        )
        self._record([event], when, actor, note)

    @action
    def request_separate_vote(
        self, *, parts: Sequence[str], by: str, objection: bool = False, date: Date = None,
        actor: str | None = None, note: str | None = None,
    ) -> None:
        """Ask for parts of the draft ("OP7", "PP3") to be voted on separately.

        A part the record does not number (imported data, say) is named `part-LABEL`.

        With `objection=True` someone objected, so the motion for division is voted
        first (rule 129 / 89); the parts are voted, then the proposal as a whole.
        """
        self._require("request_separate_vote")
        requested = arg.names(parts, "parts")
        limit = self._draft().operative_paragraphs
        for part in requested:
            match = _PART.match(part)
            if not match:
                raise InvalidArgumentError(f"part {part!r} is not of the form OPn (operative "
                                           "paragraph n), PPn (preambular paragraph n) or "
                                           "part-<label>")
            if match[1] == "OP" and limit is not None and int(match[2]) > limit:
                raise InvalidArgumentError(f"part {part}: the draft has {limit} operative "
                                           "paragraphs")
            if part in self._state.parts:
                raise InvalidArgumentError(f"part {part} is already to be voted separately")
        if not isinstance(objection, bool):
            raise InvalidArgumentError(f"objection must be true or false, not {objection!r}")
        when = arg.iso_date(date, "request_separate_vote")
        member = self._seated((arg.text(by, "by"),), "by", self._on(when))[0]
        self._record([SeparateVoteRequested(requested, member, objection)], when, actor, note)

    # -- motions and withdrawal ----------------------------------------------------

    @action
    def move(
        self, *, motion: str, by: str, target: str | None = None, date: Date = None,
        actor: str | None = None, note: str | None = None,
    ) -> None:
        """Move a procedural motion; it is put to the vote before anything else.

        Motions: "adjourn-debate" (the no-action motion, rule 116 / 74), "close-debate",
        "suspend-meeting", "adjourn-meeting" (rules 117-119 / 75-77), and "reconsider"
        (rule 123 / 81), moved after a decision on the draft.
        """
        self._require("move")
        arg.choice(motion, "motion", tuple(m for m in MOTIONS if m != "division"))
        s = self._state
        decided = not self.state.endswith(".tabled")
        if motion == "reconsider" and not decided:
            raise NotInOrderError("move reconsider", "the draft has not been decided yet, so "
                                  "there is nothing to reconsider", self._cite("reconsideration"),
                                  self.in_order())
        if motion != "reconsider" and decided:
            raise NotInOrderError(f"move {motion}", f"the draft has been decided ({self.state});"
                                  " only its reconsideration may be moved now",
                                  self._cite("reconsideration"), ("move reconsider",))
        if motion in s.motions:
            raise NotInOrderError(f"move {motion}", "that motion is already pending",
                                  allowed=self.in_order())
        when = arg.iso_date(date, "move")
        mover = self._seated((arg.text(by, "by"),), "by", self._on(when))[0]
        self._record([MotionMoved(motion, mover, arg.optional_text(target, "target"))], when,
                     actor, note)

    @action
    def withdraw(
        self, *, symbol: str, date: Date = None, actor: str | None = None,
        note: str | None = None,
    ) -> None:
        """Withdraw a draft, an amendment or a motion before voting on it began.

        Rule 122 / 80: a proposal may be withdrawn at any time before voting on it has
        commenced, provided it has not been amended.
        """
        self._require("withdraw")
        s, cite = self._state, self._cite("withdrawal")
        kind, item = classify(s, arg.text(symbol, "symbol"))
        attempted = f"withdraw {symbol}"
        if s.motions and not (kind == "motion" and item in s.motions):
            raise NotInOrderError(attempted, f"the motion {', '.join(s.motions)} is pending and "
                                  "is voted at once", self._cite("no_action"), self.in_order())
        if kind == "motion" and item in s.motions:
            pass
        elif kind == "amendment":
            if s.amendments[item].status != "pending":
                raise NotInOrderError(attempted, f"the amendment was already "
                                      f"{s.amendments[item].status}", cite, self.in_order())
        elif kind == "draft":
            if not self.state.endswith(".tabled"):
                raise NotInOrderError(attempted, "voting on the draft has begun", cite,
                                      self.in_order())
            if s.draft and s.draft.revisions and s.amended:
                raise NotInOrderError(attempted, "the draft has been amended", cite,
                                      self.in_order())
        else:
            raise InvalidArgumentError(f"nothing called {symbol!r} can be withdrawn in this "
                                       "case (a draft, a pending amendment or a pending motion)")
        when = arg.iso_date(date, "withdraw")
        self._record([Withdrawn(item, kind)], when, actor, note)

    # -- deciding ------------------------------------------------------------------

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

    # -- the machinery -------------------------------------------------------------

    def _require(self, action: str) -> None:
        state = self.state
        if action not in in_order(state):
            reason = f"the case is {state}" + ("; no draft has been submitted"
                                                 if state == "new" else "")
            rule = "rule 128 / 88: no interruption once voting began" \
                if state.endswith(".voting") else None
            raise NotInOrderError(action, reason, rule, self.in_order())
        if self._state.motions and action not in _WHILE_MOTION_PENDING:
            pending = ", ".join(self._state.motions)
            raise NotInOrderError(action, f"the motion {pending} is pending and is voted at once",
                                  self._cite("no_action"), self.in_order())

    def _record(self, events: Sequence[Event], when: str | None, actor: str | None,
                note: str | None) -> list[Recorded]:
        if self._opening is not None:
            events = [self._opening, *events]
        cid = self._command_id
        actor, note = arg.free_text(actor, "actor"), arg.free_text(note, "note")
        new = [NewEvent(e, when, actor, note if e is not self._opening else None,
                        command_event_id(cid, n) if cid else None)
               for n, e in enumerate(events, start=1)]
        recorded = self._log.append(self.id, new, self.version)
        self._opening = None
        if recorded and recorded[0].version == self.version + 1 and \
                recorded[-1].event is new[-1].event:
            for rec in recorded:
                apply_recorded(self._state, rec)
        else:  # a retried command another process recorded first
            self._catch_up()
        return recorded

    def _catch_up(self) -> None:
        """Apply the events other writers appended since this case was loaded."""
        self._opening = None
        for version, occurred_at, event in self._log.read_events(self.id, after=self.version):
            apply(self._state, event, version, occurred_at)

    def _draft(self):
        assert self._state.draft is not None, "every action after submit_draft has a draft"
        return self._state.draft

    def _body(self) -> Body:
        body = self._state.body_of()
        assert body is not None, "a case in a body always names a known body"
        return body

    def _cite(self, topic: str) -> str | None:
        return rules.CITE[self._state.stage or "committee"].get(topic)

    def _on(self, when: str | None) -> dt.date:
        return dt.date.fromisoformat(when or self._state.last_date or dt.date.today().isoformat())

    def _seated(self, names: Sequence[str], what: str, on: dt.date,
                body: Body | None = None) -> tuple[str, ...]:
        """Seats for the names: members of a declared body, else UN Member States."""
        body = body or self._body()
        where = body if body.members is not None else BODIES["plenary"]
        members = seats(where, on)
        return tuple(seat_of(n, members, what, on, where.name) for n in names)

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
