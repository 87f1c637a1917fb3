"""Who sits in a body on a date, and which seat a name or code refers to.

The General Assembly and its Main Committees seat every UN Member State admitted by the
date; the Security Council seats the members of that date (`engine.procedure.council`),
or the five permanent members and the elected members the case names (`council=`); a
declared body seats exactly the members it lists (UN names or free names).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection, Sequence

from engine.procedure.bodies import BODIES, PERMANENT_FIVE, Body
from engine.procedure.council import COVERED, NotCouncilMemberError, check_override, council_on
from engine.procedure.errors import InvalidArgumentError, InvalidVoteError, UnknownMemberError
from engine.procedure.members import DATED_NAMES, find, members_on, resolve
from engine.procedure.words import Stage

__all__ = ["seat_of", "seats", "un_seats"]

_COUNCIL = BODIES["security-council"].name  # the built-in Council, not a declared one


def _nearest_members(name: str, members: Collection[str]) -> list[str]:
    """Seated members whose names or aliases are near `name` ("Rusia": Russian Federation)."""
    try:
        resolve(name)
    except UnknownMemberError as e:
        return list(dict.fromkeys(m for m in e.suggestions if m in members))
    return []


@functools.lru_cache(maxsize=256)
def un_seats(on: dt.date) -> frozenset[str]:
    """The UN names of the Member States on a date."""
    return frozenset(m.name for m in members_on(on))


def seats(body: Body, on: dt.date, council: Sequence[str] = ()) -> frozenset[str]:
    """The members of `body` on `on`; `council` is the case's own list of the Council's
    elected members, which must fill that day's elected seats (Charter Art. 23(1))."""
    if body.members is not None:  # free names always; UN Members only while Members
        return frozenset(m for m in body.members
                         if (member := find(m)) is None or member.member_on(on))
    if body.stage == Stage.COUNCIL:
        if council:
            check_override(council, on)
            return frozenset((*PERMANENT_FIVE, *council))
        sitting = council_on(on)
        if sitting is None:
            raise InvalidArgumentError(
                f"the Security Council's members on {on} are not recorded (the data runs "
                f"from {COVERED[0]} to {COVERED[1]}); name the elected members with the "
                "case's council")
        return sitting.members
    return un_seats(on)


def seat_of(
    name: object, members: Collection[str], where: str, on: dt.date | None = None,
    body_name: str = "the body",
) -> str:
    """The seat `name` refers to (a UN name, ISO code, alias or free name) in `members`."""
    if type(name) is str and name in members and name not in DATED_NAMES:
        # A seat's own name needs no lookup: seats hold UN names, each of which (but
        # the few in DATED_NAMES) means the same Member on every date
        # (tests/procedure/test_members.py), and free names that name no Member State. Roll calls
        # name their voters so: a million times in an import of the UN's voting history.
        return name
    if not isinstance(name, str) or not name.strip():
        raise InvalidVoteError(f"{where}: member names must be strings, not {name!r}")
    member = find(name, on)
    canonical = member.name if member else name.strip()
    if canonical in members:
        return canonical
    folded = canonical.casefold()
    for seat in members:
        if seat.casefold() == folded:
            return seat
    if member is not None and on is not None and member.admitted > on:
        raise UnknownMemberError(name, context=f" in {where}: {member.name} was admitted on "
                                 f"{member.admitted}, after {on}: a State is a Member, and "
                                 "votes or sponsors, from its admission (Charter Art. 4)")
    if member is not None and on is not None and body_name == _COUNCIL:
        raise NotCouncilMemberError(name.strip(), member.name, on, members, where)
    import difflib  # only for a refusal's suggestions

    near = difflib.get_close_matches(canonical, list(members), n=3, cutoff=0.6)
    if member is None:
        near = list(dict.fromkeys([*_nearest_members(name, members), *near]))[:3]
    raise UnknownMemberError(name, near, context=f" in {where}: not a member of {body_name}")
