"""Checking a vote's figures and member lists before any rule decides it (DESIGN §6).

Counts must be non-negative whole numbers whose sum does not exceed the membership;
member lists must name members of the body on the vote's date, each at most once; where
both lists and counts are given they must agree.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import attrs

from engine.errors import InvalidVoteError, UnknownMemberError
from engine.members import find

__all__ = ["CheckedTally", "check_tally"]

OPTIONS = ("yes", "no", "abstain")


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


def _resolve(name: object, seats: Sequence[str], where: str) -> str:
    if not isinstance(name, str):
        raise InvalidVoteError(f"{where}: member names must be strings, not {name!r}")
    member = find(name)
    canonical = member.name if member else name.strip()
    if canonical in seats:
        return canonical
    near = difflib.get_close_matches(canonical, seats, n=3, cutoff=0.6)
    raise UnknownMemberError(name, near, context=f" in {where}: not a member of the body")


def _count(value: object, option: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidVoteError(f"the {option} count must be a whole number, not {value!r}")
    if value < 0:
        raise InvalidVoteError(f"the {option} count cannot be negative ({value})")
    return value


def check_tally(
    seats: Sequence[str],
    counts: dict[str, object],
    lists: dict[str, Sequence[str]],
    present: object = None,
    body_name: str = "the body",
) -> CheckedTally:
    """Validate a vote against the body's seats; return the consistent figures.

    `seats` are the UN names (or free names) of the body's members on the vote's date.
    """
    resolved: dict[str, tuple[str, ...]] = {}
    seen: dict[str, str] = {}
    for option in OPTIONS:
        names = lists.get(option) or ()
        if isinstance(names, str):
            raise InvalidVoteError(f"{option}_members must be a list of names, not a string")
        out = []
        for name in names:
            member = _resolve(name, seats, f"{option}_members")
            if member in seen:
                raise InvalidVoteError(
                    f"{member} is listed twice (in {seen[member]}_members and {option}_members);"
                    " each member votes once"
                )
            seen[member] = option
            out.append(member)
        resolved[option] = tuple(out)

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
    if total > len(seats):
        raise InvalidVoteError(
            f"{figures['yes']} + {figures['no']} + {figures['abstain']} = {total} votes, but "
            f"{body_name} has {len(seats)} members"
        )
    if present is None:
        present_n = total
    else:
        present_n = _count(present, "present") or 0
        if present_n < total or present_n > len(seats):
            raise InvalidVoteError(
                f"present = {present_n} must lie between the {total} who voted and the "
                f"{len(seats)} members of {body_name}"
            )
    return CheckedTally(
        figures["yes"], figures["no"], figures["abstain"],
        resolved["yes"], resolved["no"], resolved["abstain"], present_n,
    )
