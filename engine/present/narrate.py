"""Narration: what each event means, in plain sentences that cite the rule.

Used by `procedura replay`, by error messages and by the teaching tools. Nothing here
decides anything; it reads the decision an event recorded.
"""

from __future__ import annotations

from collections.abc import Mapping

from engine.procedure.bodies import BODIES
from engine.procedure.explain import explain, names, plural, verb
from engine.procedure.rules import CITE
from engine.procedure.words import EFFECTS, Motion
from events import (
    AdoptedWithoutVote,
    AmendmentLapsed,
    AmendmentSubmitted,
    AttendanceTaken,
    BallotCast,
    Body,
    CaseOpened,
    DeemedRejected,
    DraftRevisedOrally,
    DraftSubmitted,
    DraftTransmitted,
    Event,
    MotionMoved,
    Recorded,
    SeparateVoteRequested,
    SpeakerCalled,
    SpeakerInscribed,
    SpeakersListClosed,
    SpeakingTimeLimited,
    SponsorsAdded,
    VoteExplained,
    VoteOpened,
    VoteTaken,
    Withdrawn,
)
from events.catalog import AgendaItemSubmitted, DraftAdded, DraftTakenUp

__all__ = ["describe", "explain", "item_name", "names", "narrate"]

# Motions in words, and what a carried one does: from the one labels table.
MOTION_NAMES = {m.value: m.label for m in Motion}
MOTION_EFFECTS = {m.value: effect for m, effect in EFFECTS.items()}
_BALLOT_WORDS = {"yes": "yes", "no": "no", "abstain": "to abstain"}


def _body(body_id: str, bodies: Mapping[str, Body] | None = None) -> str:
    body = (bodies or {}).get(body_id) or BODIES.get(body_id)
    return body.name if body else body_id


def _rule(body_id: str, bodies: Mapping[str, Body] | None, topic: str) -> str:
    body = (bodies or {}).get(body_id) or BODIES.get(body_id)
    rule = CITE.get(body.stage if body else "", {}).get(topic)
    return f" ({rule})" if rule else ""


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
            return f"{names(sponsors)} {verb(sponsors, 'joins', 'join')} the sponsors."
        case AmendmentSubmitted(symbol=symbol, proposers=(), text=text):
            return f"Amendment {symbol} is submitted (the record names no proposer): {text}."
        case AmendmentSubmitted(symbol=symbol, proposers=proposers, text=text):
            return (f"{names(proposers)} {verb(proposers, 'submits', 'submit')} amendment "
                    f"{symbol}: {text}.")
        case AmendmentLapsed(symbol=symbol, because=because, rule=rule):
            return (f"Amendment {symbol} lapses without a vote: the adoption of {because} "
                    f"implies its rejection ({rule}).")
        case SeparateVoteRequested(parts=parts, by=by, objection=objection):
            then = ("; there is an objection, so the motion for division is voted first"
                    if objection else "; they are voted after the amendments and before the "
                    "proposal as a whole")
            return f"{by} asks for separate votes on {names(parts)}{then} (rule 129 / 89)."
        case MotionMoved(motion=motion, by=by):
            return (f"{by} moves {MOTION_NAMES.get(motion, motion)}; it is put to the vote "
                    "before anything else.")
        case Withdrawn(symbol=symbol, kind=kind):
            return f"The {kind} {symbol} is withdrawn."
        case VoteTaken(on=on, kind=kind, body=body, decision=decision, as_amended=amended):
            what = item_name(kind, on) + (", as amended" if amended else "")
            how = " by written procedure (S/2020/253)" if event.method == "written-procedure" \
                else ""
            text = (f"The {_body(body, bodies)} votes{how} on {what}. "
                    f"{explain(decision, event)}")
            if kind == "motion" and decision.outcome == "adopted" and on in MOTION_EFFECTS:
                text += f" So {MOTION_EFFECTS[on]}"
                # The division's consequences are the rule's own (rule 129 / 89).
                text += f"{_rule(body, bodies, 'division')}." if on == "division" else "."
            elif kind == "motion" and on == "division":
                text += (" So there are no separate votes: the proposal is voted as a whole"
                         f"{_rule(body, bodies, 'division')}.")
            for warning in event.warnings:
                text += f" Note: {warning}."
            return text
        case AdoptedWithoutVote(on=on, kind=kind, body=body):
            return f"The {_body(body, bodies)} adopts {item_name(kind, on)} without a vote."
        case DeemedRejected(on=on, decision=decision):
            return f"The draft {on} falls. {explain(decision)}"
        case VoteExplained(on=on, by=by, when=when):
            return f"{by} explains its vote {when} the vote on {on}."
        case AttendanceTaken(body=body, present=present):
            return (f"The {_body(body, bodies)} takes attendance: "
                    f"{plural(len(present), 'member is', 'members are')} present "
                    f"({names(present)}).")
        case VoteOpened(on=on, kind=kind, body=body):
            return (f"The {_body(body, bodies)} opens the vote on {item_name(kind, on)}; "
                    "the members cast their ballots.")
        case BallotCast(member=member, vote=vote):
            return f"{member} votes {_BALLOT_WORDS.get(vote, vote)}."
        case SpeakerInscribed(body=body, member=member):
            return f"{member} is put on the list of speakers{_rule(body, bodies, 'speeches')}."
        case SpeakerCalled(body=body, member=member, reply=True):
            return (f"{member} has the floor in right of reply"
                    f"{_rule(body, bodies, 'speakers_list')}.")
        case SpeakerCalled(member=member):
            return f"{member} has the floor."
        case SpeakersListClosed(body=body):
            return (f"With the consent of the {_body(body, bodies)}, the chair declares the "
                    f"list of speakers closed{_rule(body, bodies, 'speakers_list')}.")
        case SpeakingTimeLimited(body=body, minutes=minutes):
            return (f"The {_body(body, bodies)} limits each speaker to "
                    f"{plural(minutes, 'minute', 'minutes')}{_rule(body, bodies, 'time_limit')}.")
        case DraftAdded(symbol=symbol, title=title, sponsors=sponsors):
            by = f", sponsored by {names(sponsors)}" if sponsors else ""
            return (f"Draft {symbol}, \"{title}\", is submitted under the same item{by}; "
                    "proposals on the same question are voted in the order of their "
                    "submission unless the body decides otherwise (rule 91 / 131).")
        case DraftTakenUp(symbol=symbol):
            return (f"The body takes up the next draft of the item, {symbol} (rule 91 / 131: "
                    "after each vote it may decide whether to vote on the next).")
        case AgendaItemSubmitted(body=body, item=item, requested_by=by, document=document):
            asked = f", at the request of {names(by)}" if by else ""
            letter = f" ({document})" if document else ""
            return (f"The provisional agenda of a meeting of the {_body(body, bodies)} "
                    f"lists the item \"{item}\"{asked}{letter}; its first item is the "
                    "adoption of the agenda, a procedural decision (S/96/Rev.7 rules 7 and "
                    "9; Charter Art. 27(2)).")
        case DraftTransmitted(to=to, document=document):
            doc = f" as {document}" if document else ""
            return f"The text goes on to the {_body(to, bodies)}{doc}."
    # Loudly: an event type added without its narration is a bug, not a quiet "Foo.".
    raise NotImplementedError(f"no narration for a {type(event).__name__} event")


def narrate(rec: Recorded, state_after: str, bodies: Mapping[str, Body] | None = None) -> str:
    """One narrated line for a recorded event: version, date, what happened, new state."""
    date = f" {rec.occurred_at}" if rec.occurred_at else ""
    return f"[{rec.version}]{date} {describe(rec.event, bodies)} -> {state_after}"
