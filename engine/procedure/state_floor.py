"""The floor of the body: the list of speakers, who is speaking, and the time allowed.

Kept apart from the rest of the state because it follows its own events; `evolve` in
`engine.procedure.state` dispatches to the handlers here. The floor is the current
body's: a text sent to another body finds a new, open list there.
"""

from __future__ import annotations

from typing import Protocol

import attrs

from events.catalog import SpeakerCalled, SpeakerInscribed, SpeakersListClosed, SpeakingTimeLimited

__all__ = ["FLOOR_HANDLERS", "Floor"]


@attrs.define(slots=True)
class Floor:
    """The list of speakers in the current body and who has the floor."""

    waiting: list[str] = attrs.Factory(list)  # inscribed, not yet heard, in order
    speaking: str | None = None  # who has the floor now
    reply: bool = False  # whether the one speaking speaks in right of reply
    since: str | None = None  # when the floor was given (the event's date, if known)
    closed: bool = False
    minutes: int | None = None  # time allowed to each speaker, if the body limited it
    heard: list[str] = attrs.Factory(list)  # who has spoken, in order (replies included)

    def allows(self, action: str) -> bool:
        """Whether the list as it stands allows `action` (True for any other action)."""
        # Plain tests, not a table built per call: `in_order` asks for every action.
        if action == "inscribe" or action == "close_list":
            return not self.closed
        if action == "speak":
            return bool(self.waiting)
        return self.closed if action == "reply" else True


class FloorCase(Protocol):
    """What the floor's handlers need of the case (`engine.procedure.state.CaseState`,
    which imports this module: so it is described here, not imported)."""

    floor: Floor


def _inscribed(s: FloorCase, e: SpeakerInscribed, date: str | None) -> tuple[str, ...]:
    s.floor.waiting.append(e.member)
    return ()


def _called(s: FloorCase, e: SpeakerCalled, date: str | None) -> tuple[str, ...]:
    floor = s.floor
    if not e.reply and e.member in floor.waiting:
        floor.waiting.remove(e.member)
    floor.speaking, floor.reply, floor.since = e.member, e.reply, date
    floor.heard.append(e.member)
    return ()


def _closed(s: FloorCase, e: SpeakersListClosed, date: str | None) -> tuple[str, ...]:
    s.floor.closed = True
    return ()


def _limited(s: FloorCase, e: SpeakingTimeLimited, date: str | None) -> tuple[str, ...]:
    s.floor.minutes = e.minutes
    return ()


FLOOR_HANDLERS = {
    SpeakerInscribed: _inscribed,
    SpeakerCalled: _called,
    SpeakersListClosed: _closed,
    SpeakingTimeLimited: _limited,
}
