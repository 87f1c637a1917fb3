"""Narration: what each event means, in plain sentences that cite the rule.

Used by `procedura replay`, by error messages and by the teaching tools. Nothing here
decides anything; it reads the decision an event recorded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from engine.procedure.bodies import BODIES
from events import (
    AdoptedWithoutVote,
    AmendmentLapsed,
    AmendmentSubmitted,
    Body,
    CaseOpened,
    Decision,
    DeemedRejected,
    DraftRevisedOrally,
    DraftSubmitted,
    DraftTransmitted,
    Event,
    MotionMoved,
    Recorded,
    SeparateVoteRequested,
    SponsorsAdded,
    VoteExplained,
    VoteTaken,
    Withdrawn,
)

__all__ = ["describe", "explain", "item_name", "names", "narrate"]

MOTION_NAMES = {
    "adjourn-debate": "the adjournment of the debate (the no-action motion)",
    "close-debate": "the closure of the debate",
    "suspend-meeting": "the suspension of the meeting",
    "adjourn-meeting": "the adjournment of the meeting",
    "division": "the motion for division",
    "reconsider": "the reconsideration of the decision",
}
MOTION_EFFECTS = {
    "adjourn-debate": "no action is taken on the draft",
    "close-debate": "the debate is closed and the body moves to the vote",
    "suspend-meeting": "the meeting is suspended",
    "adjourn-meeting": "the meeting is adjourned",
    "division": "the parts will be voted separately",
    "reconsider": "the draft will be voted on again",
}


class Figures(Protocol):
    """Anything with yes, no and abstain counts."""

    yes: int
    no: int
    abstain: int


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def names(items: Sequence[str], limit: int = 4) -> str:
    """"A, B and C"; a long list is cut: "A, B, C, D and 54 others"."""
    items = list(items)
    if not items:
        return "no one"
    if len(items) > limit + 1:
        return ", ".join(items[:limit]) + f" and {len(items) - limit} others"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _do(count: int) -> str:
    return "does" if count == 1 else "do"


def _verb(items: Sequence[str], one: str, many: str) -> str:
    return one if len(items) == 1 else many


def explain(decision: Decision, figures: Figures | None = None) -> str:
    """The arithmetic of a decision and the rule behind it, in one or two sentences."""
    if decision.majority == "consensus":
        return "Adopted without a vote: no member asked for one."
    if decision.majority == "division":
        return f"Every operative part was rejected, so the proposal falls as a whole " \
               f"({decision.rule}). Rejected."
    if figures is None:
        return f"{decision.outcome.capitalize()} ({decision.rule})."
    y, n, a = figures.yes, figures.no, figures.abstain
    head = f"{y} in favour, {n} against"
    absts = _n(a, "abstention", "abstentions")
    if decision.majority in ("simple", "two-thirds"):
        rule, counting = decision.rule, ", ".join(decision.also) or decision.rule
        if decision.tie:
            return (f"{head}: an equally divided vote, so the proposal is lost ({rule}); "
                    f"the {absts} {_do(a)} not count ({counting}). Rejected.")
        share = "two thirds of them" if decision.majority == "two-thirds" else "a majority"
        abstain_note = f"; the {absts} {_do(a)} not count ({counting})" if a else ""
        return (f"{head}: {decision.present_and_voting} members present and voting, so "
                f"{share}, {decision.needed}, {'was' if decision.needed == 1 else 'were'} "
                f"needed ({rule}){abstain_note}. {decision.outcome.capitalize()}.")
    head += f", {a} abstaining"
    if decision.majority == "nine-votes":
        return (f"{head}: a procedural decision needs {decision.needed} votes in favour and no "
                f"veto applies ({decision.rule}). {decision.outcome.capitalize()}.")
    if decision.outcome == "vetoed":
        return (f"{head}: the {decision.needed} votes in favour were there, but "
                f"{names(decision.vetoed_by)}, "
                f"{_verb(decision.vetoed_by, 'a permanent member', 'permanent members')}, "
                f"voted against ({decision.rule}). Not adopted owing to the negative vote of a "
                "permanent member.")
    if decision.outcome == "rejected":
        return (f"{head}: {decision.needed} votes in favour were needed ({decision.rule}). "
                "The draft failed to obtain the required number of votes.")
    return (f"{head}: {decision.needed} votes in favour were needed and no permanent member "
            f"voted against ({decision.rule}); a permanent member's abstention is not a "
            "veto. Adopted.")


def _body(body_id: str, bodies: Mapping[str, Body] | None = None) -> str:
    body = (bodies or {}).get(body_id) or BODIES.get(body_id)
    return body.name if body else body_id


def item_name(kind: str, on: str, article: bool = True) -> str:
    """An item in words: "the agenda", "the closure of the debate", "the draft L.1"."""
    if kind == "agenda":
        return "the agenda"
    if kind == "motion":
        return MOTION_NAMES.get(on, f"the motion {on}")
    return f"the {kind} {on}" if article else f"{kind} {on}"


def describe(event: Event, bodies: Mapping[str, Body] | None = None) -> str:
    """What happened, in a sentence or two; `bodies` names the case's declared bodies."""
    match event:
        case CaseOpened(title=title):
            return f"The case opens: {title}."
        case DraftSubmitted(body=body, symbol=symbol, title=title, sponsors=sponsors):
            by = f", sponsored by {names(sponsors)}" if sponsors else ""
            return f"Draft {symbol}, \"{title}\", is submitted to the {_body(body, bodies)}{by}."
        case DraftRevisedOrally(symbol=symbol, by=by, text=text):
            return f"{by}, a sponsor, revises {symbol} orally: {text}."
        case SponsorsAdded(sponsors=sponsors):
            return f"{names(sponsors)} {_verb(sponsors, 'joins', 'join')} the sponsors."
        case AmendmentSubmitted(symbol=symbol, proposers=proposers, text=text):
            return (f"{names(proposers)} {_verb(proposers, 'submits', 'submit')} amendment "
                    f"{symbol}: {text}.")
        case AmendmentLapsed(symbol=symbol, because=because, rule=rule):
            return (f"Amendment {symbol} lapses without a vote: the adoption of {because} "
                    f"implies its rejection ({rule}).")
        case SeparateVoteRequested(parts=parts, by=by, objection=objection):
            then = ("; there is an objection, so the motion for division is voted first"
                    if objection else "")
            return f"{by} asks for separate votes on {names(parts)}{then}."
        case MotionMoved(motion=motion, by=by):
            return (f"{by} moves {MOTION_NAMES.get(motion, motion)}; it is put to the vote "
                    "before anything else.")
        case Withdrawn(symbol=symbol, kind=kind):
            return f"The {kind} {symbol} is withdrawn."
        case VoteTaken(on=on, kind=kind, body=body, decision=decision, as_amended=amended):
            what = item_name(kind, on) + (", as amended" if amended else "")
            text = f"The {_body(body, bodies)} votes on {what}. {explain(decision, event)}"
            if kind == "motion" and decision.outcome == "adopted" and on in MOTION_EFFECTS:
                text += f" So {MOTION_EFFECTS[on]}."
            for warning in event.warnings:
                text += f" Note: {warning}."
            return text
        case AdoptedWithoutVote(on=on, kind=kind, body=body):
            return f"The {_body(body, bodies)} adopts {item_name(kind, on)} without a vote."
        case DeemedRejected(on=on, decision=decision):
            return f"The draft {on} falls. {explain(decision)}"
        case VoteExplained(on=on, by=by, when=when):
            return f"{by} explains its vote {when} the vote on {on}."
        case DraftTransmitted(to=to, document=document):
            doc = f" as {document}" if document else ""
            return f"The text goes on to the {_body(to, bodies)}{doc}."
    return f"{type(event).__name__}."


def narrate(rec: Recorded, state_after: str, bodies: Mapping[str, Body] | None = None) -> str:
    """One narrated line for a recorded event: version, date, what happened, new state."""
    date = f" {rec.occurred_at}" if rec.occurred_at else ""
    return f"[{rec.version}]{date} {describe(rec.event, bodies)} -> {state_after}"
