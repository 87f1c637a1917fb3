"""The Security Council's members on any date from 1946, read from package data.

`data/council.csv` holds every term: the five permanent seats (the China seat before and
after 25 October 1971, the USSR's seat continued by the Russian Federation) and the
elected members by term, six until 1965 and ten from 1966 (Charter Art. 23(1), as
amended in 1965). Each row's name is the one the member sat under ("Zaire", "Yugoslavia",
"Union of Soviet Socialist Republics"); it is resolved to its seat (the UN name of
members.csv, or a former Member) on the term's first day. The file's header names its
sources and what could not be checked.

`council_on(day)` is the Council on a day; `elected_seats(day)` and `council_size(day)`
what the Charter then provided; `check_override` holds a case's own list of elected
members (`council=`) to that number; `NotCouncilMemberError` is the refusal of a vote by
a Member that did not sit.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection, Sequence

import attrs

from engine.procedure.errors import InvalidArgumentError, UnknownMemberError
from engine.procedure.members import MemberDataError, _date, _rows, find

__all__ = [
    "ART_23", "COVERED", "ENLARGED", "TERMS", "Council", "NotCouncilMemberError", "Term",
    "check_named", "check_override", "council_on", "council_size", "elected_seats",
]

ART_23 = "Charter Art. 23"
# The enlarged Council of fifteen sat from 1 January 1966: GA resolution 1991 A (XVIII)
# (17 December 1963) amended Art. 23; the amendment entered into force on 31 August 1965
# and the four new seats were filled by the elections of December 1965.
ENLARGED = dt.date(1966, 1, 1)
_COLUMNS = ("member", "seat", "start", "end")
_SEATS = ("permanent", "elected")


@attrs.frozen(slots=True)
class Term:
    """One member's term on the Council: its seat (a UN name), the name it sat under."""

    seat: str
    name: str
    kind: str  # "permanent" or "elected"
    start: dt.date
    end: dt.date | None  # None: a permanent seat, still held

    def on(self, day: dt.date) -> bool:
        """Whether the term runs on `day` (both ends included)."""
        return self.start <= day and (self.end is None or day <= self.end)


@attrs.frozen(slots=True)
class Council:
    """The Council on a day: its permanent and elected members, as UN seat names."""

    day: dt.date
    permanent: tuple[str, ...]
    elected: tuple[str, ...]

    @property
    def members(self) -> frozenset[str]:
        """Every member sitting that day."""
        return frozenset((*self.permanent, *self.elected))

    def listing(self) -> str:
        """The members in words: "permanent: China, ...; elected: Bolivia ..."."""
        return (f"permanent: {', '.join(self.permanent)}; "
                f"elected: {', '.join(self.elected) or 'none'}")


def _load() -> tuple[Term, ...]:
    """Every term of data/council.csv, its names resolved to seats on their first day."""
    terms = []
    for row in _rows("council.csv", _COLUMNS):
        filename, number, fields = row
        start = _date(row, "start")
        end = _date(row, "end") if fields["end"] else None
        member = find(fields["member"], start)
        if member is None or not member.member_on(start):
            raise MemberDataError(f"data/{filename}, line {number}: {fields['member']!r} "
                                  f"was not a UN Member on {start}")
        if fields["seat"] not in _SEATS or (end is not None and end < start):
            raise MemberDataError(f"data/{filename}, line {number}: seat must be one of "
                                  f"{', '.join(_SEATS)} and end no earlier than start")
        terms.append(Term(member.name, fields["member"], fields["seat"], start, end))
    return tuple(terms)


TERMS: tuple[Term, ...] = _load()
FIRST_DAY = min(t.start for t in TERMS if t.kind == "elected")  # 12 January 1946
# The last day the data answers for: the members elected for terms from 1 January 2027
# are not recorded (see the header of data/council.csv).
COVERED = (FIRST_DAY, dt.date(2026, 12, 31))


@functools.lru_cache(maxsize=512)
def council_on(day: dt.date) -> Council | None:
    """The Council on `day`, or None for a day the data does not cover."""
    if not COVERED[0] <= day <= COVERED[1]:
        return None
    sitting = [t for t in TERMS if t.on(day)]
    return Council(day, tuple(t.seat for t in sitting if t.kind == "permanent"),
                   tuple(sorted(t.seat for t in sitting if t.kind == "elected")))


def elected_seats(day: dt.date) -> int:
    """Elected seats on `day`: 6 until 1965, 10 from 1966 (Charter Art. 23(1))."""
    return 10 if day >= ENLARGED else 6


def council_size(day: dt.date) -> int:
    """Seats on `day`: 11 until 1965, 15 from 1966 (Charter Art. 23(1))."""
    return 5 + elected_seats(day)


def check_override(elected: Collection[str], day: dt.date) -> None:
    """Refuse a case's own list of elected members that does not fill that day's seats."""
    if len(elected) != elected_seats(day):
        raise InvalidArgumentError(
            f"the case's council names {len(elected)} elected members, but on {day} the "
            f"Security Council had {elected_seats(day)} elected seats ({ART_23}(1)"
            + (")" if day >= ENLARGED else ", before the enlargement of 1966)")
            + "; name them all, or leave council out to use the Council of the vote's date")


def check_named(names: Sequence[str]) -> None:
    """Refuse a case's council= list of other than 6 or 10 elected members (Art. 23(1))."""
    if len(names) not in (0, 6, 10):
        raise InvalidArgumentError(
            f"council names {len(names)} elected members; the Security Council has 10 "
            f"elected members (6 before 1966) besides the five permanent ones ({ART_23}(1))")


class NotCouncilMemberError(UnknownMemberError):
    """A Member named in a Security Council vote that did not sit on the vote's date."""

    rule = f"{ART_23}"

    def __init__(self, name: str, seat: str, day: dt.date, council: Collection[str],
                 where: str = "") -> None:
        permanent = [m for m in sorted(council) if m in _PERMANENT_NOW]
        elected = [m for m in sorted(council) if m not in _PERMANENT_NOW]
        shown = name if name == seat else f"{name} ({seat})"
        self.name, self.suggestions = name, ()
        self.seat, self.day = seat, day
        text = ((f"in {where}: " if where else "")
                + f"{shown} was not a member of the Security Council on {day} ({ART_23})"
                + f"; the Council then: {', '.join(permanent)} (permanent) and "
                f"{', '.join(elected) or 'no elected members'} (elected)")
        super(UnknownMemberError, self).__init__(text)


_PERMANENT_NOW = frozenset(t.seat for t in TERMS if t.kind == "permanent")
