"""The 193 Member States of the United Nations, and resolution of names to members.

`MEMBERS` holds one `Member` per State: its UN short name, ISO 3166-1 codes, date of
admission and aliases. `resolve`, `resolve_all` and `find` turn a name, an alias or an ISO
code into a `Member`; `members_on` gives the membership on a date.

The table lives in package data, read once at import time: `data/members.csv` (the
Members), `data/aliases.csv` (their aliases) and `data/former.csv` (former Members whose
seats no current Member continues). Each file opens with `#` lines naming its sources.
`problems()` lists what is inconsistent in the table (tests/procedure/test_member_data.py asserts
that nothing is); a file that cannot be read raises `MemberDataError` at import.

Lookup is a single dict built at import time, keyed by a normalised form of every name,
alias and code (case-insensitive, surrounding whitespace ignored, curly apostrophes read
as straight ones), so bulk imports resolve each name in O(1).
"""

from __future__ import annotations

import csv
import datetime
import functools
from collections.abc import Iterable, Sequence
from importlib.resources import files

import attrs

from engine.procedure.errors import UnknownMemberError

__all__ = [
    "DATED_NAMES", "FORMER", "MEMBERS", "Member", "MemberDataError", "check", "find",
    "members_on", "problems", "resolve", "resolve_all",
]


@attrs.frozen(slots=True)
class Member:
    """A Member State: UN short name, ISO 3166-1 codes, admission date and aliases."""

    name: str
    alpha2: str
    alpha3: str
    admitted: datetime.date
    aliases: tuple[str, ...] = ()
    left: datetime.date | None = None  # for a former Member: the day its membership ended

    def member_on(self, on: datetime.date) -> bool:
        """Whether the State was a Member on that date."""
        return self.admitted <= on and (self.left is None or on <= self.left)


class MemberDataError(RuntimeError):
    """A data file of the Member table is missing, unreadable or not in its format."""


# --- reading the data files --------------------------------------------------------------

_MEMBER_COLUMNS = ("alpha2", "alpha3", "admitted", "name")
_ALIAS_COLUMNS = ("alpha2", "alias")
_FORMER_COLUMNS = ("name", "alpha2", "alpha3", "admitted", "left", "aliases")

_Row = tuple[str, int, dict[str, str]]  # file name, line number, the row by column


def _rows(filename: str, columns: Sequence[str]) -> list[_Row]:
    """The data rows of `data/<filename>`, by column, skipping `#` lines and blank lines.

    The first row that is not a comment must name exactly `columns`. Raises MemberDataError
    if the file cannot be read or a row has the wrong number of fields.
    """
    try:
        text = (files("engine.procedure") / "data" / filename).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MemberDataError(f"cannot read the member data file data/{filename}: {exc}") from exc
    kept = [
        (number, line) for number, line in enumerate(text.splitlines(), 1)
        if line.strip() and not line.startswith("#")
    ]
    reader = csv.reader(line for _, line in kept)
    try:
        header = next(reader, None)
        if header is None or tuple(header) != tuple(columns):
            raise MemberDataError(
                f"data/{filename}: the first row must be {','.join(columns)}, not {header}"
            )
        rows: list[_Row] = []
        for fields in reader:
            number = kept[reader.line_num - 1][0]
            if len(fields) != len(columns):
                raise MemberDataError(
                    f"data/{filename}, line {number}: {len(fields)} fields, "
                    f"expected {len(columns)} ({','.join(columns)})"
                )
            rows.append((filename, number, dict(zip(columns, fields, strict=True))))
    except csv.Error as exc:
        raise MemberDataError(f"data/{filename}: not CSV: {exc}") from exc
    return rows


def _date(row: _Row, column: str) -> datetime.date:
    filename, number, fields = row
    try:
        return datetime.date.fromisoformat(fields[column])
    except ValueError as exc:
        raise MemberDataError(
            f"data/{filename}, line {number}: {column} {fields[column]!r} is not a date "
            "(YYYY-MM-DD)"
        ) from exc


def _load() -> tuple[tuple[Member, ...], tuple[Member, ...], tuple[tuple[str, str], ...]]:
    """The Members, the former Members and the alias rows (code, alias), from the files."""
    alias_rows = tuple(
        (fields["alpha2"], fields["alias"]) for _, _, fields in _rows("aliases.csv", _ALIAS_COLUMNS)
    )
    aliases: dict[str, list[str]] = {}
    for code, alias in alias_rows:
        aliases.setdefault(code, []).append(alias)
    members = tuple(
        Member(
            row[2]["name"], row[2]["alpha2"], row[2]["alpha3"], _date(row, "admitted"),
            tuple(aliases.get(row[2]["alpha2"], ())),
        )
        for row in _rows("members.csv", _MEMBER_COLUMNS)
    )
    former = tuple(
        Member(
            row[2]["name"], row[2]["alpha2"], row[2]["alpha3"], _date(row, "admitted"),
            tuple(a.strip() for a in row[2]["aliases"].split(";") if a.strip()),
            _date(row, "left"),
        )
        for row in _rows("former.csv", _FORMER_COLUMNS)
    )
    return members, former, alias_rows


# --- consistency of the table ------------------------------------------------------------

_CHARTER_IN_FORCE = datetime.date(1945, 10, 24)  # the day the first Members date from
_MEMBER_COUNT = 193


def check(
    members: Sequence[Member],
    former: Sequence[Member] = (),
    alias_rows: Iterable[tuple[str, str]] = (),
) -> list[str]:
    """What is inconsistent in a table of Members; an empty list if nothing is.

    Checks that there are exactly 193 `members`, each with a name, well-formed ISO codes, an
    admission date from 1945-10-24 on and no end date; that every `former` Member has a
    name, well-formed codes or none, and an end date after its admission; that no name,
    code or alias names two members (nor two former Members), and no alias is empty; and
    that every `(code, alias)` of `alias_rows` gives the alpha-2 code of a member.
    """
    found: list[str] = []
    if len(members) != _MEMBER_COUNT:
        found.append(f"{len(members)} members, expected {_MEMBER_COUNT}")
    for member in members:
        found += _check_one(member, "", codes_required=True)
        if member.left is not None:
            found.append(f"{member.name}: a current Member with an end date ({member.left})")
    for member in former:
        found += _check_one(member, "former Member ", codes_required=False)
        if member.left is None:
            found.append(f"former Member {member.name}: no end date")
        elif member.left <= member.admitted:
            found.append(
                f"former Member {member.name}: left {member.left}, "
                f"not after its admission on {member.admitted}"
            )
    for group, label in ((members, ""), (former, "among former Members: ")):
        seen: dict[str, Member] = {}
        for member in group:
            for text in (member.name, member.alpha2, member.alpha3, *member.aliases):
                other = seen.setdefault(_key(text), member) if text.strip() else member
                if other is not member:
                    found.append(f"{label}{text!r} names both {other.name} and {member.name}")
    codes = {member.alpha2 for member in members}
    unknown = sorted({code for code, _ in alias_rows if code not in codes})
    if unknown:
        found.append(f"aliases for unknown codes: {', '.join(unknown)}")
    return found


def _check_one(member: Member, label: str, *, codes_required: bool) -> list[str]:
    """The problems of one row: its name, codes, aliases and admission date."""
    found = []
    name = member.name or repr(member.name)
    if not member.name.strip():
        found.append(f"{label}{member.alpha2 or member.alpha3 or '?'}: no name")
    for code, size in ((member.alpha2, 2), (member.alpha3, 3)):
        if (code or codes_required) and not (
            len(code) == size and code.isascii() and code.isalpha() and code.isupper()
        ):
            found.append(f"{label}{name}: code {code!r} is not {size} capital letters")
    if any(not alias.strip() for alias in member.aliases):
        found.append(f"{label}{name}: an empty alias")
    if member.admitted < _CHARTER_IN_FORCE:
        found.append(f"{label}{name}: admitted {member.admitted}, before {_CHARTER_IN_FORCE}")
    return found


def problems() -> list[str]:
    """What is inconsistent in the loaded table (`check` of the data files); [] if nothing."""
    return check(MEMBERS, FORMER, _ALIAS_ROWS)


# --- the table and its indexes -----------------------------------------------------------

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


@functools.lru_cache(maxsize=8192)  # the same few hundred names come back in bulk imports
def _key(text: str) -> str:
    """The lookup key of a name: curly apostrophes made straight, spaces collapsed, casefolded."""
    return " ".join(text.translate(_APOSTROPHES).split()).casefold()


def _index(members: Iterable[Member]) -> dict[str, Member]:
    """Key of every name, code and alias -> member; the first member wins a shared key."""
    index: dict[str, Member] = {}
    for member in members:
        for text in (member.name, member.alpha2, member.alpha3, *member.aliases):
            if text:
                index.setdefault(_key(text), member)
    return index


MEMBERS: tuple[Member, ...]
FORMER: tuple[Member, ...]  # former Members whose seats no current Member continues
MEMBERS, FORMER, _ALIAS_ROWS = _load()
_INDEX: dict[str, Member] = _index(MEMBERS)
_FORMER_INDEX: dict[str, Member] = _index(FORMER)

# Names whose meaning depends on the date: a key both a former and a current Member
# answer to ("Yugoslavia" is the former Yugoslavia until 1992, Serbia after). Every
# other name means the same Member on every date.
DATED_NAMES: frozenset[str] = frozenset(
    m.name for m in (*MEMBERS, *FORMER)
    if _key(m.name) in _INDEX and _key(m.name) in _FORMER_INDEX
)

# Suggestions for unknown names come from names and aliases (not codes): key -> UN name.
_SUGGEST = {
    _key(text): member.name for member in MEMBERS for text in (member.name, *member.aliases)
}


# --- lookup ------------------------------------------------------------------------------


def find(name: str, on: datetime.date | None = None) -> Member | None:
    """The member with this name, alias or ISO code, or None; no date check.

    Given a date, a former Member that sat on that date comes first: "Yugoslavia" in 1980
    is the former Yugoslavia, in 2010 it is Serbia.
    """
    key = _key(name)
    former, current = _FORMER_INDEX.get(key), _INDEX.get(key)
    sat_then = former is not None and on is not None and former.member_on(_as_date(on))
    return former if former is not None and (current is None or sat_then) else current


def resolve(name: str, on: datetime.date | None = None) -> Member:
    """The member with this name, alias or ISO 3166-1 code (alpha-2 or alpha-3).

    Raises UnknownMemberError, with up to three nearest UN names as suggestions, for a name
    that no member has; and, if `on` is given, for a member not yet admitted on that date.
    """
    member = find(name, on)
    if member is None:
        import difflib  # only for a refusal's suggestions

        close = difflib.get_close_matches(_key(name), _SUGGEST, n=10)
        suggestions = list(dict.fromkeys(_SUGGEST[k] for k in close))[:3]
        raise UnknownMemberError(name, suggestions)
    if on is not None and _as_date(on) < member.admitted:
        raise UnknownMemberError(
            name, context=f" on {on}: {member.name} was admitted on {member.admitted}"
        )
    if on is not None and member.left is not None and _as_date(on) > member.left:
        raise UnknownMemberError(
            name, context=f" on {on}: {member.name} was a Member until {member.left}"
        )
    return member


def resolve_all(names: Iterable[str], on: datetime.date | None = None) -> tuple[Member, ...]:
    """`resolve` each name in turn; raises UnknownMemberError at the first that fails."""
    return tuple(resolve(name, on) for name in names)


def members_on(on: datetime.date) -> tuple[Member, ...]:
    """The Members on `on`: current ones admitted by then (by UN name), then former ones."""
    day = _as_date(on)
    return tuple(member for member in (*MEMBERS, *FORMER) if member.member_on(day))


def _as_date(on: datetime.date) -> datetime.date:
    # A datetime is a date, but comparing one with a date raises TypeError.
    return on.date() if isinstance(on, datetime.datetime) else on
