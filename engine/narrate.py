"""Narration: what each event means, in plain sentences that cite the rule.

Used by `procedura replay`, by error messages and by the teaching tools. Nothing here
decides anything; it reads the decision an event recorded.
"""

from __future__ import annotations

from typing import Protocol

from engine.bodies import BODIES
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

__all__ = ["describe", "explain", "narrate"]


class Figures(Protocol):
    yes: int
    no: int
    abstain: int


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _list(names: tuple[str, ...] | list[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def explain(decision: Decision, figures: Figures | None = None) -> str:
    """The arithmetic of a decision and the rule behind it, in one or two sentences."""
    if decision.majority == "consensus":
        return "Adopted without a vote: no member asked for one."
    if figures is None:
        return f"{decision.outcome.capitalize()} ({decision.rule})."
    y, n, a = figures.yes, figures.no, figures.abstain
    head = f"{y} in favour, {n} against"
    absts = _n(a, "abstention", "abstentions")
    if decision.majority in ("simple", "two-thirds"):
        cite = decision.rule.split("; ")
        rule, counting = cite[0], cite[-1]
        if decision.tie:
            return (f"{head}: an equally divided vote, so the proposal is lost ({rule}); "
                    f"the {absts} do not count ({counting}). Rejected.")
        share = "two thirds of them" if decision.majority == "two-thirds" else "a majority"
        abstain_note = f"; the {absts} do not count ({counting})" if a else f" ({counting})"
        return (f"{head}: {decision.present_and_voting} members present and voting, so "
                f"{share}, {decision.needed}, {'was' if decision.needed == 1 else 'were'} "
                f"needed ({rule}){abstain_note}. {decision.outcome.capitalize()}.")
    head += f", {a} abstaining"
    if decision.majority == "nine-votes":
        return (f"{head}: a procedural decision needs {decision.needed} votes in favour and no "
                f"veto applies ({decision.rule}). {decision.outcome.capitalize()}.")
    if decision.outcome == "vetoed":
        return (f"{head}: the {decision.needed} votes in favour were there, but "
                f"{_list(decision.vetoed_by)}, a permanent member, voted against "
                f"({decision.rule}). Not adopted owing to the negative vote of a permanent "
                "member.")
    if decision.outcome == "rejected":
        return (f"{head}: {decision.needed} votes in favour were needed ({decision.rule}). "
                "The draft failed to obtain the required number of votes.")
    return (f"{head}: {decision.needed} votes in favour were needed and no permanent member "
            f"voted against ({decision.rule}); a permanent member's abstention is not a "
            "veto. Adopted.")


def _body(body_id: str) -> str:
    body = BODIES.get(body_id)
    return body.name if body else body_id


def describe(event: Event) -> str:
    """What happened, in one sentence."""
    match event:
        case CaseOpened(title=title):
            return f"The case opens: {title}."
        case DraftSubmitted(body=body, symbol=symbol, title=title, sponsors=sponsors):
            by = f", sponsored by {_list(sponsors)}" if sponsors else ""
            return f"Draft {symbol}, \"{title}\", is submitted to the {_body(body)}{by}."
        case SponsorsAdded(sponsors=sponsors):
            return f"{_list(sponsors)} join the sponsors."
        case AmendmentSubmitted(symbol=symbol, proposers=proposers, text=text):
            return f"{_list(proposers)} submit amendment {symbol}: {text}."
        case MotionMoved(motion=motion, by=by):
            return f"{by} moves the motion {motion}; it is put to the vote before anything else."
        case Withdrawn(symbol=symbol, kind=kind):
            return f"The {kind} {symbol} is withdrawn."
        case VoteTaken(on=on, kind=kind, body=body, decision=decision, as_amended=amended):
            what = "the agenda" if kind == "agenda" else f"the {kind} {on}"
            if amended:
                what += ", as amended"
            return f"The {_body(body)} votes on {what}. {explain(decision, event)}"
        case AdoptedWithoutVote(on=on, kind=kind, body=body):
            return f"The {_body(body)} adopts the {kind} {on} without a vote."
        case DraftTransmitted(to=to, document=document):
            doc = f" as {document}" if document else ""
            return f"The text goes on to the {_body(to)}{doc}."
    return f"{type(event).__name__}."


def narrate(rec: Recorded, state_after: str) -> str:
    """One narrated line for a recorded event: version, date, what happened, new state."""
    date = f" {rec.occurred_at}" if rec.occurred_at else ""
    return f"[{rec.version}]{date} {describe(rec.event)} -> {state_after}"
