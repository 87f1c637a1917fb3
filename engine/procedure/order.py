"""The order in which a body takes its decisions, as pure functions of the case state.

- the Security Council adopts its agenda before anything else (S/96/Rev.7 rule 9);
- a pending procedural motion is voted at once, in the precedence of rule 119 / 77
  (suspend the meeting, adjourn the meeting, adjourn the debate, close the debate), then
  a motion for division that met an objection (rule 129 / 89);
- amendments are voted before the proposal (rule 130 / 90), in the order the chair puts
  them, which is the order the scenario or the script gives;
- parts voted separately come next, then the proposal as a whole (rule 129 / 89).
"""

from __future__ import annotations

from engine.procedure.errors import NotInOrderError
from engine.procedure.graph import OPEN, State
from engine.procedure.rules import CITE
from engine.procedure.state import CaseState
from engine.procedure.state_item import out_of_turn, queued
from engine.procedure.words import Motion, Stage
from events import AmendmentLapsed, Decision, DeemedRejected, Event

__all__ = ["MOTIONS", "after_decision", "classify", "next_item", "voteable"]

# Procedural motions in order of precedence (rule 119 / 77), then division and
# reconsideration, which arise only where their own rules allow.
MOTIONS: tuple[str, ...] = tuple(Motion)


def _cite(s: CaseState, topic: str) -> str:
    return CITE[s.stage or Stage.COMMITTEE].get(topic, "")


def voteable(s: CaseState) -> tuple[str, ...]:
    """The items the body may put to the vote now."""
    if s.state == State.COUNCIL_SEIZED:
        return ("agenda",)
    if s.motions:
        return (min(s.motions, key=MOTIONS.index),)
    if State(s.state).status not in OPEN or s.draft is None:
        return ()
    pending = tuple(a for a, am in s.amendments.items() if am.status == "pending")
    if pending:
        return pending
    parts = tuple(p for p, status in s.parts.items() if status == "pending")
    return parts or (s.draft.symbol,)


def classify(s: CaseState, on: str) -> tuple[str, str]:
    """(kind, canonical name) of what `on` names in this case; kind "" if nothing."""
    if on == "agenda" and s.stage == Stage.COUNCIL:
        return "agenda", on
    if on in MOTIONS:
        return "motion", on
    if on in s.amendments:
        return "amendment", on
    if on in s.parts:
        return "part", on
    if s.draft and on in s.draft.symbols:
        return "draft", s.draft.symbol
    waiting = queued(s, on)  # another draft of the item, voted after this one (rule 91)
    if waiting is not None:
        return "draft", waiting.symbol
    return "", on


def next_item(s: CaseState, on: str, action: str = "vote") -> tuple[str, str]:
    """(kind, item) if `on` is an item the rules let the body decide now; else raise."""
    kind, item = classify(s, on)
    now = voteable(s)
    if kind and item in now:
        return kind, item
    allowed = tuple(f"{action} on {i}" for i in now)
    attempted = f"{action} on {on}"
    if s.state == State.COUNCIL_SEIZED:
        raise NotInOrderError(attempted, "the Council must first adopt its agenda",
                              CITE[Stage.COUNCIL]["agenda"], allowed)
    if s.motions:
        first = now[0]
        raise NotInOrderError(attempted, f"the motion {first} is pending and is voted first",
                              f"{_cite(s, 'no_action')}, {_cite(s, 'motions')}", allowed)
    if State(s.state).status not in OPEN:
        raise NotInOrderError(attempted, f"the case is {s.state}; nothing is before the body",
                              allowed=allowed)
    if kind == "amendment":
        status = s.amendments[item].status
        rule = _cite(s, "amendments") if status == "lapsed" else None
        raise NotInOrderError(attempted, f"the amendment was already {status}", rule, allowed)
    if kind == "part":
        if any(s.amendments[a].status == "pending" for a in s.amendments):
            raise NotInOrderError(attempted, "amendments are voted before the parts of the "
                                  "proposal", _cite(s, "amendments"), allowed)
        raise NotInOrderError(attempted, f"the part was already {s.parts[item]}", None, allowed)
    if kind == "draft":
        out_of_turn(s, attempted, item, allowed)
        waiting = [i for i in now if i != item]
        if any(i in s.amendments for i in waiting):
            verb = "is" if len(waiting) == 1 else "are"
            raise NotInOrderError(
                attempted, f"amendments are voted before the proposal, and {', '.join(waiting)} "
                f"{verb} still pending", _cite(s, "amendments"), allowed)
        raise NotInOrderError(
            attempted, f"the parts {', '.join(waiting)} are voted separately first, then the "
            "proposal as a whole", _cite(s, "division"), allowed)
    if kind == "motion":
        raise NotInOrderError(attempted, f"no motion {item} is pending", None, allowed)
    raise NotInOrderError(attempted, f"there is no item {on!r} before the body", None, allowed)


def after_decision(s: CaseState, kind: str, item: str, outcome: str) -> list[Event]:
    """The events a decision brings with it, by the rules, without a further vote.

    - an adopted amendment that implies the rejection of others makes them lapse
      (rule 130 / 90: such an amendment "shall not be put to the vote");
    - when the last operative part voted separately is rejected and every operative
      paragraph has been rejected, the proposal is rejected as a whole (rule 129 / 89).
    """
    out: list[Event] = []
    if kind == "amendment" and outcome == "adopted":
        for other in s.amendments[item].implies_rejection_of:
            if other in s.amendments and s.amendments[other].status == "pending":
                out.append(AmendmentLapsed(other, because=item, rule=_cite(s, "amendments")))
    if kind == "part" and outcome == "rejected" and s.draft and s.draft.operative_paragraphs:
        operative = {f"OP{n}" for n in range(1, s.draft.operative_paragraphs + 1)}
        rejected = {p for p, v in s.parts.items() if v == "rejected"} | {item}
        if operative <= rejected:
            rule = _cite(s, "division")
            out.append(DeemedRejected(
                s.draft.symbol, s.body or "", Decision("rejected", "division", 0, 0, rule),
                reason="all its operative parts were rejected"))
    return out
