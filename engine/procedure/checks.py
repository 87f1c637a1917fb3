"""What every decide clause asks of a case: is the action in order, which rule speaks,
which date it is, who sits in the body.

`in_order(state)` is what a chair may do next; `require` refuses an action that is not
in order with the rule that forbids it and what is in order instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from engine.procedure import rules
from engine.procedure.bodies import BODIES, Body
from engine.procedure.errors import NotInOrderError
from engine.procedure.graph import DECIDED, State, actions_in
from engine.procedure.order import voteable
from engine.procedure.seats import seat_of, seats
from engine.procedure.state import CaseState, Draft
from engine.procedure.words import Stage, Status

__all__ = ["Standing", "body", "cite", "draft", "in_order", "on_date", "require", "seated",
           "standing"]

# While a motion is pending only these may happen: it is voted at once (rule 116 / 74),
# by a show of hands or a recorded vote, not ballot by ballot.
_WHILE_MOTION_PENDING = ("vote", "withdraw", "explain_vote", "move")
_DECIDING = ("vote", "adopt_without_vote", "open_vote")  # the actions that take an item
# Only while a vote is open, and then nothing else: voting is not interrupted (rule 128 / 88).
_WHILE_BALLOT_OPEN = ("cast_ballot", "close_vote")


def in_order(s: CaseState) -> tuple[str, ...]:
    """The actions in order now.

    The graph says what a state allows; the case narrows it: with a motion pending,
    only the vote on it; once the draft is decided, a vote or a withdrawal only after a
    reconsideration has been moved. A decision names what the rules let it be on now:
    "vote on L.28/A" while that amendment is pending, "vote on L.28" once no amendment
    or part is left.
    """
    if s.ballot is not None:
        return ("cast_ballot", f"close_vote on {s.ballot.on}")
    items = voteable(s)
    if s.motions:
        return tuple(f"vote on {i}" for i in items)
    allowed = tuple(a for a in actions_in(s.state)
                    if a not in _WHILE_BALLOT_OPEN and s.floor.allows(a) and
                    (a != "take_up" or s.agenda.queue))  # only with a draft waiting
    if State(s.state).status in DECIDED:
        allowed = tuple(a for a in allowed if a not in ("vote", "open_vote", "withdraw"))
    return tuple(entry for a in allowed for entry in (
        [f"{a} on {i}" for i in items] if a in _DECIDING and items else [a]))


def require(s: CaseState, action: str) -> None:
    """Refuse `action` unless the graph and the case allow it now."""
    if action not in actions_in(s.state):
        state = State(s.state)
        reason = f"the case is {state}" + ("; no draft has been submitted"
                                             if state is State.NEW else "")
        rule = "rule 128 / 88: no interruption once voting began" \
            if state.status is Status.VOTING else None
        if state.status is Status.NO_ACTION:
            # A carried no-action motion ends the body's consideration of the draft.
            reason += ("; the motion to adjourn the debate carried, so the body takes no "
                       "action on the draft and nothing on it is put to the vote")
            rule = cite(s, "no_action")
        if state is State.COUNCIL_SEIZED:  # the agenda comes first (S/96/Rev.7 rule 9)
            reason += "; the Council must first adopt its agenda"
            rule = cite(s, "agenda")
        if state is State.COUNCIL_AGENDA_REJECTED:
            reason += ("; the Council did not adopt its agenda, so the meeting did not take "
                       "up the item")
            rule = cite(s, "agenda")
        raise NotInOrderError(action, reason, rule, in_order(s))
    if s.ballot is not None and action not in _WHILE_BALLOT_OPEN:
        raise NotInOrderError(action, f"the vote on {s.ballot.on} is open; members cast "
                              "their ballots until the chair closes it",
                              f"{cite(s, 'voting')}: no interruption once voting began",
                              in_order(s))
    if s.ballot is None and action in _WHILE_BALLOT_OPEN:
        raise NotInOrderError(action, "no vote is open; the chair opens one with open_vote",
                              allowed=in_order(s))
    if s.motions and action not in _WHILE_MOTION_PENDING:
        pending = ", ".join(s.motions)
        raise NotInOrderError(action, f"the motion {pending} is pending and is voted at once",
                              cite(s, "no_action"), in_order(s))


class Standing(NamedTuple):
    """Where an action stands now: in order or not, the rule, and why not if it is not."""

    action: str
    in_order: bool
    rule: str | None
    reason: str | None = None


def standing(s: CaseState, actions: Sequence[str]) -> tuple[Standing, ...]:
    """Each of `actions` (names, as in `COMMANDS`), in order now with the rule that allows
    it, or out of order with the reason and the rule that forbids it: what `require`
    says of it, then what the list of speakers allows."""
    allowed = {entry.split(" on ")[0] for entry in in_order(s)}
    out = []
    for action in actions:
        rule = cite(s, rules.ACTION_TOPICS.get(action, ""))
        if action in allowed:
            out.append(Standing(action, True, rule))
            continue
        try:
            require(s, action)
        except NotInOrderError as refused:
            out.append(Standing(action, False, refused.rule or rule, refused.reason))
            continue
        if State(s.state).status in DECIDED:
            reason, rule = ("the body has decided on the draft: only a carried motion to "
                            "reconsider reopens it", cite(s, "reconsideration"))
        elif not s.floor.allows(action):
            reason = ("the list of speakers is closed" if s.floor.closed else
                      "no one is on the list of speakers" if action == "speak" else
                      "the list of speakers is still open")
        else:
            reason = "nothing in the case calls for it now"
        out.append(Standing(action, False, rule, reason))
    return tuple(out)


def cite(s: CaseState, topic: str) -> str | None:
    """The rule on `topic` in the rule set of the body the case is before."""
    return rules.CITE[s.stage or Stage.COMMITTEE].get(topic)


def on_date(s: CaseState, when: str | None) -> dt.date:
    """The date an action happens on: its own, else the case's last, else today."""
    day = when or s.last_date
    return dt.date.fromisoformat(day) if day else dt.date.today()


def draft(s: CaseState) -> Draft:
    """The case's draft (every action after submit_draft has one)."""
    if s.draft is None:
        raise NotInOrderError("an action on the draft", "no draft has been submitted",
                              allowed=in_order(s))
    return s.draft


def body(s: CaseState) -> Body:
    """The body the case is before (declared by the case, or built in)."""
    found = s.body_of()
    if found is None:
        raise NotInOrderError("an action in a body", "the case is before no known body",
                              allowed=in_order(s))
    return found


def seated(s: CaseState, names: Sequence[str], what: str, on: dt.date,
           where: Body | None = None) -> tuple[str, ...]:
    """Seats for the names: members of a declared body, else UN Member States.

    A member named twice ("Japan", "JP", "JPN") is one seat, kept where first named: a
    member sponsors or proposes a text once, however it is spelt."""
    where = where or body(s)
    sitting = where if where.members is not None else BODIES["plenary"]
    members = seats(sitting, on)
    return tuple(dict.fromkeys(seat_of(n, members, what, on, sitting.name) for n in names))
