"""Checking a vote's figures and member lists before any rule decides it.

Counts must be non-negative whole numbers whose sum does not exceed the membership;
member lists must name members of the body on the vote's date, each at most once; where
both lists and counts are given they must agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

import attrs

from engine.procedure.errors import InvalidVoteError
from engine.procedure.members import DATED_NAMES, find
from engine.procedure.seats import seat_of

__all__ = ["CheckedTally", "check_tally"]

OPTIONS = ("yes", "no", "abstain")
ONE_VOTE = "Charter Art. 18(1) and 27(1)"  # each member of the GA / the Council: one vote


@attrs.frozen(slots=True)
class CheckedTally:
    """A vote's figures, consistent with its member lists (UN names, as given order)."""

    yes: int
    no: int
    abstain: int
    yes_members: tuple[str, ...]
    no_members: tuple[str, ...]
    abstain_members: tuple[str, ...]
    present: int


def _count(value: object, option: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidVoteError(f"the {option} count must be a whole number, not {value!r}")
    if value < 0:
        raise InvalidVoteError(f"the {option} count cannot be negative ({value})")
    return value


def check_tally(
    seats: Collection[str],
    counts: dict[str, object],
    lists: dict[str, Sequence[str]],
    present: object = None,
    body_name: str = "the body",
    on: dt.date | None = None,
    size: int | None = None,
) -> CheckedTally:
    """Validate a vote against the body's seats; return the consistent figures.

    `seats` are the UN names (or free names) of those who may sit in the body on the
    vote's date; `size` is how many members it has, if not `len(seats)` (a Council whose
    elected members the case does not name: any Member State may hold one of 15 seats).
    """
    size = len(seats) if size is None else size
    resolved = _all_seat_names(seats, lists, on) or _resolve(seats, lists, body_name, on)
    figures: dict[str, int] = {}
    for option in OPTIONS:
        given = _count(counts.get(option), option)
        listed = len(resolved[option])
        if given is not None and resolved[option] and given != listed:
            raise InvalidVoteError(
                f"{option} = {given} but {option}_members names {listed}; they must agree"
            )
        figures[option] = given if given is not None else listed

    total = sum(figures.values())
    if total > size:
        raise InvalidVoteError(
            f"{figures['yes']} + {figures['no']} + {figures['abstain']} = {total} votes, but "
            f"{body_name} has {size} members, each with one vote ({ONE_VOTE})"
        )
    if present is None:
        present_n = total
    else:
        present_n = _count(present, "present") or 0
        if present_n < total or present_n > size:
            raise InvalidVoteError(
                f"present = {present_n} must lie between the {total} who voted and the "
                f"{size} members of {body_name}"
            )
    return CheckedTally(
        figures["yes"], figures["no"], figures["abstain"],
        resolved["yes"], resolved["no"], resolved["abstain"], present_n,
    )


def _all_seat_names(
    seats: Collection[str], lists: dict[str, Sequence[str]], on: dt.date | None
) -> dict[str, tuple[str, ...]] | None:
    """The lists as they are, if they name seats exactly and no seat twice; else None.

    Checked by set operations in C: a roll call of the General Assembly names nearly
    200 members, and this is how recorded roll calls name them.
    """
    if not isinstance(seats, set | frozenset):
        return None
    given = [lists.get(option) or () for option in OPTIONS]
    if not all(type(names) in (list, tuple) for names in given):
        return None  # other iterables are read once only, by the full check
    try:
        named = set().union(*given)
    except TypeError:  # an unhashable name
        return None
    if not {str}.issuperset(map(type, named)) or not seats.issuperset(named):
        return None  # an alias, a code or a name of the wrong type
    for name in DATED_NAMES.intersection(named):
        member = find(name, on) if on is not None else None
        if member is None or member.name != name:
            return None  # on this date the name means another Member: the full check says so
    if len(named) != sum(len(names) for names in given):
        return None  # someone listed twice: the full check says who
    return {option: tuple(names) for option, names in zip(OPTIONS, given, strict=True)}


def _resolve(
    seats: Collection[str], lists: dict[str, Sequence[str]], body_name: str,
    on: dt.date | None,
) -> dict[str, tuple[str, ...]]:
    """Each list's names as seats, one by one: any name, alias or code; refusals explained."""
    resolved: dict[str, tuple[str, ...]] = {}
    seen: dict[str, str] = {}
    for option in OPTIONS:
        names = lists.get(option) or ()
        if isinstance(names, str):
            raise InvalidVoteError(f"{option}_members must be a list of names, not a string")
        out = []
        for name in names:
            member = seat_of(name, seats, f"{option}_members", on, body_name)
            if member in seen:
                raise InvalidVoteError(
                    f"{member} is listed twice (in {seen[member]}_members and {option}_members);"
                    f" each member has one vote ({ONE_VOTE})"
                )
            seen[member] = option
            out.append(member)
        resolved[option] = tuple(out)
    return resolved
