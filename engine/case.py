"""The case aggregate: one draft's path through the bodies, and the actions on it.

Each action is a method with the same keyword arguments as a scenario step (DESIGN §6),
so a scenario file and a Python script are interchangeable. An action checks itself
against the current state and the rules, builds its events, appends them to the log in
one transaction, then applies them through `engine.state.apply`, the function replay
uses. An action that is not in order raises a `ProcedureError` and appends nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from engine import rules
from engine.bodies import BODIES, PERMANENT_FIVE, Body, body_named
from engine.errors import (
    ExpectationError,
    InvalidArgumentError,
    NotInOrderError,
    UnknownMemberError,
)
from engine.machine import MACHINE
from engine.narrate import explain
from engine.members import members_on, resolve
from engine.state import CaseState, apply_recorded
from engine.tally import CheckedTally, check_tally
from events import (
    AdoptedWithoutVote,
    AmendmentSubmitted,
    CaseOpened,
    Decision,
    DraftSubmitted,
    DraftTransmitted,
    Event,
    EventLog,
    MotionMoved,
    NewEvent,
    SponsorsAdded,
    VoteTaken,
    Withdrawn,
)

__all__ = ["ACTIONS", "MOTIONS", "Case", "in_order"]

# The triggers whose availability puts an action in order (DESIGN §5-6); what is in
# order in a state is thereby read off the state machine itself.
ACTIONS: dict[str, frozenset[str]] = {
    "submit_draft": frozenset({"submit_to_committee", "submit_to_plenary", "submit_to_council"}),
    "add_sponsors": frozenset({"adopt"}),
    "submit_amendment": frozenset({"begin_voting"}),
    "move": frozenset({"take_no_action"}),
    "withdraw": frozenset({"withdraw", "begin_voting"}),
    "vote": frozenset({"adopt", "adopt_agenda"}),
    "adopt_without_vote": frozenset({"adopt", "adopt_agenda"}),
    "transmit": frozenset({"transmit_to_plenary", "transmit_to_council"}),
}

# Procedural motions in their order of precedence (rule 119 / 77).
MOTIONS: tuple[str, ...] = ("suspend-meeting", "adjourn-meeting", "adjourn-debate", "close-debate")
METHODS = ("recorded", "non-recorded", "roll-call")
TRANSMIT = {"committee.approved": "plenary", "plenary.adopted": "security-council"}


def in_order(state: str) -> tuple[str, ...]:
    """The actions in order in a state, read off the shared state machine."""
    available = set(MACHINE.get_triggers(state))
    return tuple(a for a, enablers in ACTIONS.items() if enablers & available)


def _iso(date: str | dt.date | None, where: str) -> str | None:
    if date is None:
        return None
    if isinstance(date, dt.date):
        return date.isoformat()
    try:
        return dt.date.fromisoformat(str(date)).isoformat()
    except ValueError:
        raise InvalidArgumentError(
            f"{where}: date {date!r} is not a date of the form YYYY-MM-DD"
        ) from None


def _text(value: object, name: str, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgumentError(f"{name} must be a non-empty string, not {value!r}")
    return value


def _names(values: object, name: str) -> tuple[str, ...]:
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise InvalidArgumentError(f"{name} must be a list of names, not {values!r}")
    return tuple(_text(v, f"each of {name}") or "" for v in values)


class Case:
    """A case: one stream in the log. Get one from `log.new_case` or `log.case`."""

    def __init__(self, log: EventLog, state: CaseState, opening: CaseOpened | None = None) -> None:
        self._log = log
        self._state = state
        self._opening = opening  # recorded with the case's first action

    def __repr__(self) -> str:
        return f"<Case {self.id!r} {self.state} v{self.version}>"

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
        """The actions in order now."""
        return in_order(self.state)

    # -- actions -------------------------------------------------------------------

    def submit_draft(
        self, *, body: str, symbol: str, title: str, sponsors: Sequence[str] = (),
        chapter: str | None = None, referral: str | None = None,
        date: str | dt.date | None = None, actor: str | None = None, note: str | None = None,
    ) -> None:
        """Submit a draft resolution to a body (a Main Committee, the plenary or the Council)."""
        self._require("submit_draft")
        found = body_named(_text(body, "body") or "")
        if found is None:
            raise InvalidArgumentError(
                f"unknown body {body!r}; known: {', '.join(BODIES)}"
            )
        if self.state == "council.on_agenda" and found.stage != "council":
            raise NotInOrderError(
                f"submit_draft to {body}", "the case is on the Security Council's agenda; "
                "only a Council draft can be submitted now", allowed=self.in_order())
        if chapter not in (None, "VI", "VII"):
            raise InvalidArgumentError(f'chapter must be "VI" or "VII", not {chapter!r}')
        when = _iso(date, "submit_draft")
        event = DraftSubmitted(
            body=found.id, symbol=_text(symbol, "symbol") or "", title=_text(title, "title") or "",
            sponsors=self._members(_names(sponsors, "sponsors"), when, "sponsors"),
            chapter=chapter, referral=_text(referral, "referral", optional=True),
        )
        self._record([event], when, actor, note)

    def add_sponsors(
        self, *, sponsors: Sequence[str], date: str | dt.date | None = None,
        actor: str | None = None, note: str | None = None,
    ) -> None:
        """Add co-sponsors to the draft."""
        self._require("add_sponsors")
        when = _iso(date, "add_sponsors")
        names = self._members(_names(sponsors, "sponsors"), when, "sponsors")
        assert self._state.draft is not None
        self._record([SponsorsAdded(self._state.draft.symbol, names)], when, actor, note)

    def submit_amendment(
        self, *, symbol: str, proposers: Sequence[str], text: str,
        implies_rejection_of: Sequence[str] = (), date: str | dt.date | None = None,
        actor: str | None = None, note: str | None = None,
    ) -> None:
        """Submit an amendment to the draft (voted before the draft, rule 130 / 90)."""
        self._require("submit_amendment")
        symbol = _text(symbol, "symbol") or ""
        if symbol in self._state.amendments or symbol in self._draft_symbols():
            raise InvalidArgumentError(f"symbol {symbol!r} is already used in this case")
        when = _iso(date, "submit_amendment")
        event = AmendmentSubmitted(
            symbol, self._members(_names(proposers, "proposers"), when, "proposers"),
            _text(text, "text") or "", _names(implies_rejection_of, "implies_rejection_of"),
        )
        self._record([event], when, actor, note)

    def move(
        self, *, motion: str, by: str, target: str | None = None,
        date: str | dt.date | None = None, actor: str | None = None, note: str | None = None,
    ) -> None:
        """Move a procedural motion; it is put to the vote before anything else (rule 119)."""
        self._require("move")
        if motion not in MOTIONS:
            raise InvalidArgumentError(
                f"unknown motion {motion!r}; motions: {', '.join(MOTIONS)}"
            )
        if motion in self._state.motions:
            raise NotInOrderError(f"move {motion}", "that motion is already pending",
                                  allowed=self.in_order())
        when = _iso(date, "move")
        mover = self._members((_text(by, "by") or "",), when, "by")[0]
        self._record([MotionMoved(motion, mover, target)], when, actor, note)

    def withdraw(
        self, *, symbol: str, date: str | dt.date | None = None,
        actor: str | None = None, note: str | None = None,
    ) -> None:
        """Withdraw a draft, an amendment or a motion before voting on it began."""
        self._require("withdraw")
        s, cite = self._state, rules.CITE[self._state.stage or "committee"]["withdrawal"]
        if symbol in s.motions:
            kind = "motion"
        elif symbol in s.amendments:
            if s.amendments[symbol].status != "pending":
                raise NotInOrderError(f"withdraw {symbol}", "the amendment was already "
                                      f"{s.amendments[symbol].status}", cite, self.in_order())
            kind = "amendment"
        elif symbol in self._draft_symbols():
            if not self.state.endswith(".tabled"):
                raise NotInOrderError(f"withdraw {symbol}", "voting on the draft has begun",
                                      cite, self.in_order())
            kind = "draft"
        else:
            raise InvalidArgumentError(f"nothing called {symbol!r} can be withdrawn in this case")
        when = _iso(date, "withdraw")
        self._record([Withdrawn(symbol, kind)], when, actor, note)

    def vote(
        self, *, on: str, yes: int | None = None, no: int | None = None,
        abstain: int | None = None, yes_members: Sequence[str] = (),
        no_members: Sequence[str] = (), abstain_members: Sequence[str] = (),
        method: str = "recorded", majority: str | None = None, present: int | None = None,
        expect: str | None = None, date: str | dt.date | None = None,
        actor: str | None = None, note: str | None = None,
    ) -> Decision:
        """Put an item to the vote; the rules decide it, and the decision is recorded."""
        self._require("vote")
        kind, item = self._next_item(on, "vote")
        if method not in METHODS:
            raise InvalidArgumentError(f"method {method!r} is not one of {', '.join(METHODS)}")
        if majority not in (None, "simple", "two-thirds"):
            raise InvalidArgumentError(f'majority must be "simple" or "two-thirds", not {majority!r}')
        when = _iso(date, "vote")
        body = self._body()
        seats = self._seats(body, when)
        tally = check_tally(
            seats, {"yes": yes, "no": no, "abstain": abstain},
            {"yes": _names(yes_members, "yes_members"), "no": _names(no_members, "no_members"),
             "abstain": _names(abstain_members, "abstain_members")},
            present, body.name,
        )
        decision = self._decide(body, kind, tally, len(seats), majority == "two-thirds")
        self._expect(expect, decision, item, tally)
        event = VoteTaken(
            on=item, kind=kind, body=body.id, method=method, yes=tally.yes, no=tally.no,
            abstain=tally.abstain, decision=decision, yes_members=tally.yes_members,
            no_members=tally.no_members, abstain_members=tally.abstain_members,
            present=None if present is None else tally.present,
            as_amended=kind == "draft" and self._state.amended,
        )
        self._record([event], when, actor, note)
        return decision

    def adopt_without_vote(
        self, *, on: str, expect: str | None = None, date: str | dt.date | None = None,
        actor: str | None = None, note: str | None = None,
    ) -> Decision:
        """Adopt an item without a vote, as the chair proposes and nobody objects."""
        self._require("adopt_without_vote")
        kind, item = self._next_item(on, "adopt_without_vote")
        decision = Decision("adopted", "consensus", 0, 0, "adopted without a vote")
        self._expect(expect, decision, item)
        when = _iso(date, "adopt_without_vote")
        event = AdoptedWithoutVote(item, kind, self._body().id, decision,
                                   kind == "draft" and self._state.amended)
        self._record([event], when, actor, note)
        return decision

    def transmit(
        self, *, to: str, document: str | None = None, date: str | dt.date | None = None,
        actor: str | None = None, note: str | None = None,
    ) -> None:
        """Send the decided text on: committee to plenary, plenary to the Security Council."""
        self._require("transmit")
        expected = TRANSMIT[self.state]
        if to != expected:
            raise NotInOrderError(f"transmit to {to}", f"from {self.state} a text goes to "
                                  f"{expected}", allowed=self.in_order())
        when = _iso(date, "transmit")
        self._record([DraftTransmitted(to, _text(document, "document", optional=True))],
                     when, actor, note)

    # -- the machinery -------------------------------------------------------------

    def _require(self, action: str) -> None:
        if not ACTIONS[action] & set(MACHINE.get_triggers(self.state)):
            raise NotInOrderError(
                action, f"the case is {self.state}", _state_rule(self.state), self.in_order()
            )

    def _record(
        self, events: Sequence[Event], when: str | None, actor: str | None, note: str | None
    ) -> None:
        new = [NewEvent(e, when, actor, note) for e in events]
        if self._opening is not None:
            new.insert(0, NewEvent(self._opening, when, actor))
        for rec in self._log.append(self.id, new, self.version):
            apply_recorded(self._state, rec)
        self._opening = None

    def _draft_symbols(self) -> list[str]:
        return self._state.draft.symbols if self._state.draft else []

    def _body(self) -> Body:
        body = body_named(self._state.body or "")
        assert body is not None, "a case in a body always names a known body"
        return body

    def _on(self, when: str | None) -> dt.date:
        return dt.date.fromisoformat(when or self._state.last_date or dt.date.today().isoformat())

    def _members(self, names: Sequence[str], when: str | None, what: str) -> tuple[str, ...]:
        """UN names for the given names or codes, checked against membership on the date."""
        on = self._on(when)
        out = []
        for name in names:
            try:
                out.append(resolve(name, on).name)
            except UnknownMemberError as e:
                raise UnknownMemberError(name, e.suggestions, f" in {what}") from None
        return tuple(out)

    def _seats(self, body: Body, when: str | None) -> tuple[str, ...]:
        if body.members is not None:
            return body.members
        if body.stage == "council":
            return (*PERMANENT_FIVE, *self._state.council)
        return tuple(m.name for m in members_on(self._on(when)))

    def _next_item(self, on: str, action: str) -> tuple[str, str]:
        """What `on` names, if it is the item the rules put to the vote next."""
        s = self._state
        _text(on, "on")
        stage = s.stage or "committee"
        if self.state == "council.seized":
            if on != "agenda":
                raise NotInOrderError(f"{action} on {on}", "the Council must first adopt its "
                                      "agenda", rules.CITE["council"]["agenda"], ("vote on agenda",))
            return "agenda", "agenda"
        if s.motions:
            first = min(s.motions, key=MOTIONS.index)
            if on != first:
                raise NotInOrderError(
                    f"{action} on {on}", f"the motion {first} is pending and is voted first",
                    f"{rules.CITE[stage]['no_action']}, {rules.CITE[stage]['motions']}",
                    (f"{action} on {first}",))
            return "motion", on
        pending = [a for a, am in s.amendments.items() if am.status == "pending"]
        if on in s.amendments:
            if s.amendments[on].status != "pending":
                raise NotInOrderError(f"{action} on {on}",
                                      f"the amendment was already {s.amendments[on].status}",
                                      allowed=self._voteable(pending))
            return "amendment", on
        if on in self._draft_symbols():
            if pending:
                raise NotInOrderError(
                    f"{action} on {on}", f"amendments are voted before the proposal, and "
                    f"{', '.join(pending)} {'is' if len(pending) == 1 else 'are'} still pending",
                    rules.CITE[stage]["amendments"], self._voteable(pending))
            assert s.draft is not None
            return "draft", s.draft.symbol
        raise NotInOrderError(f"{action} on {on}", "there is no such item before the body",
                              allowed=self._voteable(pending))

    def _voteable(self, pending: list[str]) -> tuple[str, ...]:
        items = pending or self._draft_symbols()[-1:]
        return tuple(f"vote on {i}" for i in items)

    def _decide(
        self, body: Body, kind: str, tally: CheckedTally, seats: int, two_thirds: bool
    ) -> Decision:
        if body.stage == "council":
            procedural = kind in ("agenda", "motion")
            if not procedural and tally.no and len(tally.no_members) != tally.no:
                raise InvalidArgumentError(
                    f"this Council vote has {tally.no} against on a non-procedural question: "
                    "no_members must name each of them, since a permanent member's vote "
                    f"against is a veto ({rules.CITE['council']['substantive']})")
            return rules.decide_council(
                rules.Tally(tally.yes, tally.no, tally.abstain, tally.no_members),
                procedural, body.veto)
        needed = rules.quorum_needed(seats)
        if tally.present < needed:
            raise NotInOrderError(
                "a decision", f"only {tally.present} members are present and {needed} (a "
                f"majority of the {seats} members) are needed for a quorum",
                rules.CITE[body.stage]["quorum"], self.in_order())
        return rules.decide_general_assembly(
            body.stage, rules.Tally(tally.yes, tally.no, tally.abstain), two_thirds)

    def _expect(
        self, expect: str | None, decision: Decision, item: str, tally: CheckedTally | None = None
    ) -> None:
        if expect is None:
            return
        if expect not in ("adopted", "rejected", "vetoed"):
            raise InvalidArgumentError(
                f'expect must be "adopted", "rejected" or "vetoed", not {expect!r}')
        if decision.outcome != expect:
            raise ExpectationError(f"on {item} the expected outcome was {expect}, but the "
                                   f"rules give {decision.outcome}: {explain(decision, tally)}")


def _state_rule(state: str) -> str | None:
    if state.endswith(".voting"):
        return "voting has begun; no interruption once voting began (rule 128 / 88)"
    return None
