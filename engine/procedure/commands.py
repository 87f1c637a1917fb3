"""Commands: one frozen attrs class per action, the one schema of what may be asked.

A command is what someone asks the body to do: a scenario step, a `Case` method call, a
`play` move, a web request, all with the same names and keys. Its fields are checked at
the boundary (converters: text is text, lists are lists of names, a choice is one of its
values, a date is a date), so `decide` only judges whether the rules allow it. The
envelope of a recorded event (who acted, a note, a command id for retries) is not part
of a command.

`command_of(event)` goes the other way: the command that records an event, or None for
an event an action brings with it by rule (CaseOpened, AmendmentLapsed, DeemedRejected).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import attrs

from engine.procedure import arguments as arg
from engine.procedure.command_fields import KIND, Command
from engine.procedure.command_fields import choice as _choice
from engine.procedure.command_fields import count as _count
from engine.procedure.command_fields import field as _field
from engine.procedure.command_fields import names as _names
from engine.procedure.command_fields import optional as _optional
from engine.procedure.command_fields import text as _text
from engine.procedure.commands_floor import CloseList, Inscribe, LimitSpeeches, Reply, Speak
from engine.procedure.commands_item import AddDraft, TakeUp
from engine.procedure.council_agenda import SubmitAgendaItem
from engine.procedure.words import Method, Motion, Option, Outcome
from events.catalog import (
    AdoptedWithoutVote,
    AgendaItemSubmitted,
    AmendmentSubmitted,
    AttendanceTaken,
    BallotCast,
    Body,
    DraftAdded,
    DraftRevisedOrally,
    DraftSubmitted,
    DraftTakenUp,
    DraftTransmitted,
    MotionMoved,
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
from events.codec import Event

__all__ = [
    "COMMANDS", "CONSEQUENCES", "KIND", "MOVABLE", "AddDraft", "AddSponsors",
    "AdoptWithoutVote", "CastBallot",
    "CloseList", "CloseVote", "Command", "ExplainVote", "Inscribe", "LimitSpeeches", "Move",
    "OpenCase", "OpenVote", "Reply", "RequestSeparateVote", "ReviseOrally", "Speak",
    "SubmitAgendaItem", "SubmitAmendment", "SubmitDraft", "TakeAttendance", "TakeUp",
    "Transmit", "Vote", "Withdraw",
    "arguments", "command_of",
]

_OUTCOMES = (None, *Outcome)
# The motions a member moves (division is asked for with request_separate_vote).
MOVABLE = tuple(m for m in Motion if m != Motion.DIVISION)


@attrs.frozen(slots=True, kw_only=True)
class SubmitDraft(Command):
    """Submit a draft resolution to a body (a Main Committee, the plenary, the Council).

    `chapter` ("VI" or "VII") and `parties` concern Council drafts; `referral` names
    the court a Council draft refers the situation to (Rome Statute Art. 13(b)).
    """

    action = "submit_draft"
    body: str = _text("body")
    symbol: str = _text("symbol")
    title: str = _text("title")
    sponsors: tuple[str, ...] = _names("sponsors", default=())
    chapter: str | None = _choice("chapter", (None, "VI", "VII"), None)
    referral: str | None = _optional("referral")
    operative_paragraphs: int | None = _field("int", default=None)
    parties: tuple[str, ...] = _names("parties", default=())


@attrs.frozen(slots=True, kw_only=True)
class AddSponsors(Command):
    """Add co-sponsors to the draft."""

    action = "add_sponsors"
    sponsors: tuple[str, ...] = _names("sponsors")


@attrs.frozen(slots=True, kw_only=True)
class ReviseOrally(Command):
    """Revise the draft orally: only a sponsor may, and only before voting began."""

    action = "revise_orally"
    text: str = _text("text")
    by: str = _text("by")


@attrs.frozen(slots=True, kw_only=True)
class SubmitAmendment(Command):
    """Submit an amendment to the draft (voted before the draft, rule 130 / 90).

    `implies_rejection_of` names amendments that lapse if this one is adopted.
    """

    action = "submit_amendment"
    symbol: str = _text("symbol")
    proposers: tuple[str, ...] = _names("proposers")
    text: str = _text("text")
    implies_rejection_of: tuple[str, ...] = _names("implies_rejection_of", default=())


@attrs.frozen(slots=True, kw_only=True)
class RequestSeparateVote(Command):
    """Ask for parts of the draft ("OP7", "PP3") to be voted on separately.

    A part the record does not number (imported data, say) is named `part-LABEL`.
    With `objection=True` someone objected, so the motion for division is voted first
    (rule 129 / 89); the parts are voted, then the proposal as a whole.
    """

    action = "request_separate_vote"
    parts: tuple[str, ...] = _names("parts")
    by: str = _text("by")
    objection: bool = _field("bool", default=False)


@attrs.frozen(slots=True, kw_only=True)
class Move(Command):
    """Move a procedural motion; it is put to the vote before anything else.

    Motions: "adjourn-debate" (the no-action motion, rule 116 / 74), "close-debate",
    "suspend-meeting", "adjourn-meeting" (rules 117-119 / 75-77), and "reconsider"
    (rule 123 / 81), moved after a decision on the draft.
    """

    action = "move"
    motion: str = _choice("motion", MOVABLE)
    by: str = _text("by")
    target: str | None = _optional("target")


@attrs.frozen(slots=True, kw_only=True)
class Withdraw(Command):
    """Withdraw a draft, an amendment or a motion before voting on it began.

    Rule 122 / 80: a proposal may be withdrawn at any time before voting on it has
    commenced, provided it has not been amended.
    """

    action = "withdraw"
    symbol: str = _text("symbol")


@attrs.frozen(slots=True, kw_only=True)
class Vote(Command):
    """Put an item to the vote; the rules decide it, and the decision is recorded.

    Give the counts, or the members voting each way (UN names, ISO codes or aliases), or
    both. `majority="two-thirds"` marks an important question (Charter Art. 18(2)).
    `expect`, if given, must equal the outcome, or nothing is recorded.
    """

    action = "vote"
    on: str = _text("on")
    yes: int | None = _count()
    no: int | None = _count()
    abstain: int | None = _count()
    yes_members: tuple[str, ...] = _names("yes_members", default=())
    no_members: tuple[str, ...] = _names("no_members", default=())
    abstain_members: tuple[str, ...] = _names("abstain_members", default=())
    method: str = _choice("method", tuple(Method), Method.RECORDED.value)
    majority: str | None = _choice("majority", (None, "simple", "two-thirds"), None)
    present: int | None = _count()
    expect: str | None = _choice("expect", _OUTCOMES, None)


@attrs.frozen(slots=True, kw_only=True)
class AdoptWithoutVote(Command):
    """Adopt an item without a vote, as the chair proposes and nobody objects."""

    action = "adopt_without_vote"
    on: str = _text("on")
    expect: str | None = _choice("expect", _OUTCOMES, None)


@attrs.frozen(slots=True, kw_only=True)
class ExplainVote(Command):
    """Record an explanation of vote, "before" or "after" the vote on an item.

    Rule 128 / 88: the sponsor of a proposal or amendment may not explain its vote on
    its own text.
    """

    action = "explain_vote"
    on: str = _text("on")
    by: str = _text("by")
    when: str = _choice("when", ("before", "after"))
    text: str = _field("str", lambda v: v if isinstance(v, str) else "", default="")


@attrs.frozen(slots=True, kw_only=True)
class Transmit(Command):
    """Send the decided text on: committee to plenary, plenary to the Security Council."""

    action = "transmit"
    to: str = _field("str")
    document: str | None = _optional("document")


@attrs.frozen(slots=True, kw_only=True)
class TakeAttendance(Command):
    """Record the members present: they make the quorum (rule 108 / 67), and only they
    vote until the attendance is taken again or the text goes to another body."""

    action = "take_attendance"
    present: tuple[str, ...] = _names("present")


@attrs.frozen(slots=True, kw_only=True)
class OpenVote(Command):
    """Open a vote on the item the rules put to the body now; members then cast their
    ballots (`cast_ballot`) until the chair closes it (`close_vote`)."""

    action = "open_vote"
    on: str = _text("on")
    method: str = _choice("method", tuple(Method), Method.RECORDED.value)
    majority: str | None = _choice("majority", (None, "simple", "two-thirds"), None)


@attrs.frozen(slots=True, kw_only=True)
class CastBallot(Command):
    """A member's ballot in the open vote: "yes", "no" or "abstain"; a member may change
    it until the vote is closed."""

    action = "cast_ballot"
    member: str = _text("member")
    vote: str = _choice("vote", tuple(Option))


@attrs.frozen(slots=True, kw_only=True)
class CloseVote(Command):
    """Close the open vote: the ballots are counted and the rules decide, as for `vote`
    with the member lists. `expect`, if given, must equal the outcome."""

    action = "close_vote"
    on: str = _text("on")
    expect: str | None = _choice("expect", _OUTCOMES, None)


@attrs.frozen(slots=True, kw_only=True)
class OpenCase:
    """Open a case: `council` names the Security Council's elected members for its year,
    `bodies` declares bodies of its own (mappings of id, name, rules, members, veto)."""

    action: ClassVar[str] = "open_case"
    id: str = _text("a case id")
    title: str = _field("str", lambda v: _title(v))
    council: Sequence[str] | None = _field("strings", default=None)
    bodies: Sequence[Body | Mapping[str, Any]] = _field("strings", lambda v: _bodies(v),
                                                        default=())


def _title(value: Any) -> str:
    if not isinstance(value, str) or (value and not arg.text(value, "a case title")):
        raise arg.InvalidArgumentError(f"a case title must be a string, not {arg.show(value)}")
    return value


def _bodies(value: Any) -> tuple[Any, ...]:
    if isinstance(value, str | Mapping) or not isinstance(value, Sequence):
        raise arg.InvalidArgumentError(f"bodies must be a list of bodies, not {arg.show(value)}")
    return tuple(value)


# Every action, in the order of a case's life (what `help` and prompts list).
COMMANDS: dict[str, type[Command]] = {c.action: c for c in (
    SubmitDraft, SubmitAgendaItem, AddSponsors, ReviseOrally, SubmitAmendment,
    RequestSeparateVote, Move,
    Withdraw, Vote, AdoptWithoutVote, ExplainVote, Transmit, OpenVote, CastBallot, CloseVote,
    TakeAttendance, Inscribe, Speak, CloseList, Reply, LimitSpeeches, AddDraft, TakeUp,
)}


def arguments(command: Command) -> dict[str, Any]:
    """The command's keyword arguments that differ from their defaults (lists as lists):
    the keys of its scenario step."""
    out = {}
    for f in attrs.fields(type(command)):
        value = getattr(command, f.name)
        if value is None or value is False or value == () or f.name == "date" or \
                (f.default is not attrs.NOTHING and value == f.default):
            continue
        out[f.name] = list(value) if isinstance(value, tuple) else value
    return out


# Events no command records by itself: the opening, recorded with a case's first action
# (by OpenCase, which carries the case id the event does not), and what an action brings
# with it by rule.
CONSEQUENCES = frozenset({"CaseOpened", "AmendmentLapsed", "DeemedRejected"})


def command_of(event: Event, date: str | None = None) -> Command | None:
    """The command that records `event` (on `date`), or None for one of CONSEQUENCES."""
    match event:
        case DraftSubmitted():
            return SubmitDraft(body=event.body, symbol=event.symbol, title=event.title,
                               sponsors=event.sponsors, chapter=event.chapter,
                               referral=event.referral, parties=event.parties,
                               operative_paragraphs=event.operative_paragraphs, date=date)
        case DraftRevisedOrally():
            return ReviseOrally(text=event.text, by=event.by, date=date)
        case SponsorsAdded():
            return AddSponsors(sponsors=event.sponsors, date=date)
        case AmendmentSubmitted():
            return SubmitAmendment(symbol=event.symbol, proposers=event.proposers,
                                   text=event.text, date=date,
                                   implies_rejection_of=event.implies_rejection_of)
        case SeparateVoteRequested():
            return RequestSeparateVote(parts=event.parts, by=event.by,
                                       objection=event.objection, date=date)
        case MotionMoved():
            return Move(motion=event.motion, by=event.by, target=event.target, date=date)
        case Withdrawn():
            return Withdraw(symbol=event.symbol, date=date)
        case VoteTaken():
            two_thirds = event.decision.majority == "two-thirds" and event.on != "reconsider"
            return Vote(on=event.on, yes=event.yes, no=event.no, abstain=event.abstain,
                        yes_members=event.yes_members, no_members=event.no_members,
                        abstain_members=event.abstain_members, method=event.method,
                        majority="two-thirds" if two_thirds else None, present=event.present,
                        date=date)
        case AdoptedWithoutVote():
            return AdoptWithoutVote(on=event.on, date=date)
        case VoteExplained():
            return ExplainVote(on=event.on, by=event.by, when=event.when, text=event.text,
                               date=date)
        case DraftTransmitted():
            return Transmit(to=event.to, document=event.document, date=date)
        case VoteOpened():
            return OpenVote(on=event.on, method=event.method, majority=event.majority,
                            date=date)
        case BallotCast():
            return CastBallot(member=event.member, vote=event.vote, date=date)
        case AttendanceTaken():
            return TakeAttendance(present=event.present, date=date)
        case SpeakerInscribed():
            return Inscribe(member=event.member, date=date)
        case SpeakerCalled(reply=False):
            return Speak(member=event.member, date=date)
        case SpeakerCalled():
            return Reply(member=event.member, date=date)
        case SpeakersListClosed():
            return CloseList(date=date)
        case SpeakingTimeLimited():
            return LimitSpeeches(minutes=event.minutes, date=date)
        case DraftAdded():
            return AddDraft(symbol=event.symbol, title=event.title, sponsors=event.sponsors,
                            operative_paragraphs=event.operative_paragraphs, date=date)
        case DraftTakenUp():
            return TakeUp(symbol=event.symbol, date=date)
        case AgendaItemSubmitted():
            return SubmitAgendaItem(item=event.item, body=event.body,
                                    requested_by=event.requested_by,
                                    document=event.document, date=date)
    if type(event).__name__ in CONSEQUENCES:
        return None
    raise TypeError(f"no command records a {type(event).__name__} event")
