"""From a recorded event back to the action that produced it.

Every event that an action records first (`DraftSubmitted` from `submit_draft`,
`VoteTaken` from `vote`...) maps back to that action and its keyword arguments; the
events an action brings with it by rule (`CaseOpened`, `AmendmentLapsed`,
`DeemedRejected`) map to nothing. This is what lets `what-if` re-run a case with one
vote changed, and a log be written out again as a scenario.
"""

from __future__ import annotations

from typing import Any

from events import (
    AdoptedWithoutVote,
    AmendmentSubmitted,
    DraftRevisedOrally,
    DraftSubmitted,
    DraftTransmitted,
    Event,
    MotionMoved,
    SeparateVoteRequested,
    SponsorsAdded,
    VoteExplained,
    VoteTaken,
    Withdrawn,
)

__all__ = ["command_of"]


def _drop_defaults(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in kwargs.items()
            if not (v is None or v is False or v == ())}


def command_of(event: Event) -> tuple[str, dict[str, Any]] | None:
    """(action, keyword arguments) that record `event`, or None for a consequence."""
    match event:
        case DraftSubmitted():
            return "submit_draft", _drop_defaults({
                "body": event.body, "symbol": event.symbol, "title": event.title,
                "sponsors": event.sponsors, "chapter": event.chapter,
                "referral": event.referral, "operative_paragraphs": event.operative_paragraphs,
                "parties": event.parties})
        case DraftRevisedOrally():
            return "revise_orally", {"text": event.text, "by": event.by}
        case SponsorsAdded():
            return "add_sponsors", {"sponsors": list(event.sponsors)}
        case AmendmentSubmitted():
            return "submit_amendment", _drop_defaults({
                "symbol": event.symbol, "proposers": event.proposers, "text": event.text,
                "implies_rejection_of": event.implies_rejection_of})
        case SeparateVoteRequested():
            return "request_separate_vote", _drop_defaults({
                "parts": event.parts, "by": event.by, "objection": event.objection})
        case MotionMoved():
            return "move", _drop_defaults({"motion": event.motion, "by": event.by,
                                           "target": event.target})
        case Withdrawn():
            return "withdraw", {"symbol": event.symbol}
        case VoteTaken():
            return "vote", _drop_defaults({
                "on": event.on, "yes": event.yes, "no": event.no, "abstain": event.abstain,
                "yes_members": event.yes_members, "no_members": event.no_members,
                "abstain_members": event.abstain_members,
                "method": None if event.method == "recorded" else event.method,
                "majority": "two-thirds" if event.decision.majority == "two-thirds"
                and event.on != "reconsider" else None,
                "present": event.present})
        case AdoptedWithoutVote():
            return "adopt_without_vote", {"on": event.on}
        case VoteExplained():
            return "explain_vote", _drop_defaults({"on": event.on, "by": event.by,
                                                   "when": event.when, "text": event.text})
        case DraftTransmitted():
            return "transmit", _drop_defaults({"to": event.to, "document": event.document})
    return None
