"""Deciding the floor: the list of speakers while a text is debated.

Speakers are called in the order in which they signified their wish to speak (rule 109
/ 68); the body may limit each speaker's time (rule 114 / 72); with the body's consent
the chair may declare the list closed, and may then accord the right of reply (rule 115
/ 73). The graph puts these in order while a text is before a General Assembly body and
voting has not begun: once it has, no one may interrupt it (rule 128 / 88).
"""

from __future__ import annotations

from engine.procedure import checks
from engine.procedure.commands_floor import CloseList, Inscribe, LimitSpeeches, Reply, Speak
from engine.procedure.errors import InvalidArgumentError, NotInOrderError
from engine.procedure.state import CaseState
from events.catalog import SpeakerCalled, SpeakerInscribed, SpeakersListClosed, SpeakingTimeLimited
from events.codec import Event

__all__ = ["close_list", "inscribe", "limit_speeches", "reply", "speak"]


def _member(s: CaseState, name: str, date: str | None) -> str:
    return checks.seated(s, [name], "the list of speakers", checks.on_date(s, date))[0]


def inscribe(s: CaseState, c: Inscribe) -> tuple[Event, ...]:
    """The member put on the list of speakers, while the list is open."""
    checks.require(s, c.action)
    body = checks.body(s)
    member = _member(s, c.member, c.date)
    if s.floor.closed:
        raise NotInOrderError(f"inscribe {member}", "the list of speakers is closed",
                              checks.cite(s, "speakers_list"), checks.in_order(s))
    if member in s.floor.waiting:
        place = s.floor.waiting.index(member) + 1
        raise InvalidArgumentError(f"{member} is already on the list of speakers, "
                                   f"number {place} of {len(s.floor.waiting)}")
    return (SpeakerInscribed(body.id, member),)


def speak(s: CaseState, c: Speak) -> tuple[Event, ...]:
    """The floor given to the next speaker on the list."""
    checks.require(s, c.action)
    body = checks.body(s)
    if not s.floor.waiting:
        raise NotInOrderError("speak", "no one is on the list of speakers",
                              checks.cite(s, "speeches"), checks.in_order(s))
    following = s.floor.waiting[0]
    if c.member is not None:
        member = _member(s, c.member, c.date)
        if member != following:
            where = (f"is number {s.floor.waiting.index(member) + 1} on the list"
                     if member in s.floor.waiting else "is not on the list of speakers")
            raise NotInOrderError(
                f"speak by {member}", f"{member} {where}; {following} speaks next, as "
                "speakers are called in the order in which they asked to speak",
                checks.cite(s, "speeches"), checks.in_order(s))
    return (SpeakerCalled(body.id, following),)


def close_list(s: CaseState, c: CloseList) -> tuple[Event, ...]:
    """The list of speakers declared closed, with the consent of the body."""
    checks.require(s, c.action)
    body = checks.body(s)
    if s.floor.closed:
        raise NotInOrderError("close_list", "the list of speakers is already closed",
                              checks.cite(s, "speakers_list"), checks.in_order(s))
    return (SpeakersListClosed(body.id),)


def reply(s: CaseState, c: Reply) -> tuple[Event, ...]:
    """The floor given to a member in right of reply, once the list is closed."""
    checks.require(s, c.action)
    body = checks.body(s)
    member = _member(s, c.member, c.date)
    if not s.floor.closed:
        raise NotInOrderError(
            f"reply by {member}", "the list of speakers is still open; the right of reply "
            "is accorded once the list is closed", checks.cite(s, "speakers_list"),
            checks.in_order(s))
    return (SpeakerCalled(body.id, member, reply=True),)


def limit_speeches(s: CaseState, c: LimitSpeeches) -> tuple[Event, ...]:
    """The time allowed to each speaker, as the body decides."""
    checks.require(s, c.action)
    return (SpeakingTimeLimited(checks.body(s).id, c.minutes),)
