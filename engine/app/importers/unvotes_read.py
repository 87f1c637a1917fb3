"""Reading the unvotes CSV files strictly, and the roll calls they describe.

Every row is checked before anything is recorded: a file that is not UTF-8, a gzip cut
short, a missing header, a short row, a roll-call number that is not one, a vote that is
not yes, no or abstain: each is one `InvalidArgumentError` naming the file, the row and
the field, and the import appends nothing.

The data's text is repaired here too. Some descriptions carry mojibake: double-encoded
UTF-8 ("People?Ãƒâ€ s"), which ftfy undoes, and a few residues ftfy cannot know, listed
in `_RESIDUES` with the row they were seen in.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import re
import sys
import zlib
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import attrs
import ftfy

from engine.procedure.errors import InvalidArgumentError

__all__ = ["OPTIONS", "RollCall", "is_verbatim", "positions", "repair", "roll_calls",
           "title_of"]

OPTIONS = ("yes", "no", "abstain")
_REQUIRED = {
    "roll_calls": ("rcid", "date", "unres", "amend", "para"),
    "unvotes": ("rcid", "country", "vote"),
    "issues": ("rcid", "issue"),
}
_MAX_RCID = 1 << 31

# What ftfy leaves (the rcid where each was seen): the data's own escapes of Mac Roman
# bytes, 0xD3 a closing double quote opened by "_" (5640: entitled _...<d3>) and 0x90 an
# apostrophe (5654: delegation<90>s); a lost byte before "Æ" in "People?Æs" (4604, 5029);
# "D?ëTENTE" for DÉTENTE (2263); stray marks around a heading (5137, 5247).
_RESIDUES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"_([^_<>]{1,300}?)<d3>"), "“\\1”"),
    (re.compile(r"<d3>"), "”"),
    (re.compile(r"<90>"), "'"),
    (re.compile(r"\?Æ"), "'"),
    (re.compile(r"D\?ëTENTE"), "DÉTENTE"),
    (re.compile(r"^\?á|(?<=\w)Â(?=\s|$)"), ""),
)
# "... : resolution / adopted by the General Assembly" (misspelt in a few rows).
_ADOPTED_BY = re.compile(r"\s*:\s*resolution\s*/\s*adopted by the General Ass\w*\s*$", re.I)
# The later rows quote the meeting record: "The President: ...", "Mr. X (Y): ...".
_VERBATIM = re.compile(r"^(The (Acting )?President|Mr\.|Ms\.|Mrs\.)")
_NO_ACTION = re.compile(r"(vote|decision on)\s*the\s*motion\b.{0,250}?no[- ]?action", re.I)
# A no-action motion on an amendment, not on the draft (rcids 5684, 5783, 6013, 6045).
_ON_AMENDMENT = re.compile(r"no[- ]?action\s*(be\s*|to\s*be\s*)?(taken\s*)?(on\s*)?the\s*"
                           r"(\w+\s*)?amendment", re.I)


@attrs.frozen(slots=True)
class RollCall:
    """One roll call of the data: what it voted on, and its kind in the case.

    `kind` is "motion" (a no-action motion, told by its description), "amendment-motion"
    (one on an amendment), "amendment", "part" (a paragraph or a part) or "draft" (the
    vote on the whole).
    """

    rcid: int
    session: int | None
    date: str
    symbol: str
    resolution: bool  # whether the data gives the resolution's symbol
    kind: str
    heading: str
    description: str
    issues: tuple[str, ...]


def repair(text: str) -> str:
    """The data's text with its mojibake undone (ftfy, then the known residues)."""
    if not text.isascii():  # ftfy costs time; the ASCII rows (most) need none of it
        text = ftfy.fix_text(text)
    for pattern, replacement in _RESIDUES:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def is_verbatim(description: str) -> bool:
    """Whether a description quotes the meeting record rather than naming the text."""
    return bool(_VERBATIM.match(description))


def title_of(description: str) -> str:
    """A resolution's title from its description, without "... : resolution / adopted"."""
    return _ADOPTED_BY.sub("", description).strip()


class _Bytes(Exception):
    """A line that is not UTF-8: where in it, for the message."""

    def __init__(self, prefix: bytes, byte: int) -> None:
        super().__init__(prefix, byte)
        self.prefix, self.byte = prefix, byte


def _lines(path: Path) -> Iterator[str]:
    with (gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")) as f:
        for line in f:
            try:
                yield line.decode("utf-8")
            except UnicodeDecodeError as e:
                raise _Bytes(line[:e.start], line[e.start]) from None


def _path(folder: Path, name: str) -> Path:
    for candidate in (folder / f"{name}.csv", folder / f"{name}.csv.gz"):
        if candidate.is_file():
            return candidate
    raise InvalidArgumentError(f"{folder}: no {name}.csv or {name}.csv.gz (the unvotes layout "
                               "has roll_calls, unvotes and issues)")


def _records(folder: Path, name: str) -> Iterator[tuple[str, int, list[str], dict[str, int]]]:
    """(file name, row number, row, column -> index) for each data row, the header row 1.

    Each row is checked to have the header's number of fields; the header must name the
    columns the importer reads.
    """
    path = _path(folder, name)
    where, number, header = path.name, 0, list[str]()
    columns: dict[str, int] = {}
    reader = csv.reader(_lines(path))
    try:
        for row in reader:
            number += 1
            if not row:
                continue
            if number == 1:
                header = [c.lstrip("\ufeff").strip() for c in row]
                columns = {c: i for i, c in enumerate(header)}
                missing = [c for c in _REQUIRED[name] if c not in columns]
                if missing and row[0].strip().isdigit():
                    raise InvalidArgumentError(
                        f"{where}, row 1: no header: the first row is data "
                        f"({', '.join(row[:3])}, ...); the file must begin with the columns "
                        f"{', '.join(_REQUIRED[name])}")
                if missing:
                    raise InvalidArgumentError(
                        f"{where}, row 1: the header has no column {', '.join(missing)} "
                        f"(it has {', '.join(header)})")
                continue
            if len(row) != len(header):
                what = (f"field {header[len(row)]} is missing" if len(row) < len(header)
                        else "more fields than the header names")
                raise InvalidArgumentError(f"{where}, row {number}: {len(row)} fields where the "
                                           f"header has {len(header)}: {what}")
            yield where, number, row, columns
    except _Bytes as e:
        before = next(csv.reader([e.prefix.decode("utf-8", "replace")]), [""])
        field = header[len(before) - 1] if 0 < len(before) <= len(header) else "?"
        raise InvalidArgumentError(f"{where}, row {number + 1}, field {field}: byte "
                                   f"0x{e.byte:02x} is not UTF-8 (the files must be UTF-8 "
                                   "text)") from None
    except (EOFError, gzip.BadGzipFile, zlib.error) as e:
        raise InvalidArgumentError(f"{where}, row {number + 1}: the gzip data is damaged or cut "
                                   f"short ({e})") from None
    except csv.Error as e:
        raise InvalidArgumentError(f"{where}, row {number + 1}: not CSV ({e})") from None
    if number == 0:
        raise InvalidArgumentError(f"{where}, row 1: the file is empty; no header")


def _rcid(where: str, number: int, text: str) -> int:
    value = text.strip()
    if not value.isascii() or not value.isdigit() or not 0 < int(value) < _MAX_RCID:
        raise InvalidArgumentError(f"{where}, row {number}, field rcid: {value!r} is not a "
                                   "roll-call number")
    return int(value)


def _symbol(unres: str, rcid: int) -> tuple[str, bool]:
    if unres.startswith("R/"):
        return "A/RES/" + unres[2:], True
    return (unres, True) if unres else (f"unvotes-rcid-{rcid}", False)


def roll_calls(folder: Path) -> list[RollCall]:
    """The roll calls of `folder`'s roll_calls and issues files, by rcid."""
    issues: dict[int, list[str]] = defaultdict(list)
    for where, number, row, c in _records(folder, "issues"):
        issues[_rcid(where, number, row[c["rcid"]])].append(row[c["issue"]].strip())
    out: dict[int, RollCall] = {}
    for where, number, row, c in _records(folder, "roll_calls"):
        rcid = _rcid(where, number, row[c["rcid"]])
        if rcid in out:
            raise InvalidArgumentError(f"{where}, row {number}, field rcid: roll call {rcid} "
                                       "is listed twice")
        date = row[c["date"]].strip()
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            raise InvalidArgumentError(f"{where}, row {number}, field date: {date!r} is not a "
                                       "date (YYYY-MM-DD)") from None
        flags = {}
        for flag in ("amend", "para"):
            flags[flag] = row[c[flag]].strip()
            if flags[flag] not in ("", "0", "1"):
                raise InvalidArgumentError(f"{where}, row {number}, field {flag}: "
                                           f"{flags[flag]!r} is not 0, 1 or empty")
        session = row[c["session"]].strip() if "session" in c else ""
        description = repair(row[c["descr"]]) if "descr" in c else ""
        kind = ("amendment" if flags["amend"] == "1" else "part" if flags["para"] == "1"
                else "draft")
        if kind == "draft" and _NO_ACTION.search(description):
            kind = "amendment-motion" if _ON_AMENDMENT.search(description) else "motion"
        symbol, resolution = _symbol(row[c["unres"]].strip(), rcid)
        number = int(session) if session.isascii() and session.isdigit() else None  # not "²"
        out[rcid] = RollCall(rcid, number, date, symbol,
                             resolution, kind, repair(row[c["short"]]) if "short" in c else "",
                             description, tuple(issues.get(rcid, ())))
    return [out[rcid] for rcid in sorted(out)]


def positions(folder: Path, known: set[int]) -> dict[int, dict[str, list[str]]]:
    """rcid -> {"yes": [...], "no": [...], "abstain": [...]} of the data's country names."""
    out: dict[int, dict[str, list[str]]] = {}
    # 870,109 rows: plain lists and indexes, not a dict per row.
    for where, number, row, c in _records(folder, "unvotes"):
        text = row[c["rcid"]]
        fast = text.isascii() and text.isdigit() and len(text) < 10
        rcid = int(text) if fast else _rcid(where, number, text)
        if rcid not in known:
            raise InvalidArgumentError(f"{where}, row {number}, field rcid: roll call {rcid} "
                                       "is not in roll_calls")
        vote, country = row[c["vote"]], row[c["country"]].strip()
        if vote not in OPTIONS:
            raise InvalidArgumentError(f"{where}, row {number}, field vote: {vote!r} is not a "
                                       "vote (yes, no or abstain)")
        if not country:
            raise InvalidArgumentError(f"{where}, row {number}, field country: empty")
        votes = out.get(rcid)
        if votes is None:
            votes = out[rcid] = {"yes": [], "no": [], "abstain": []}
        votes[vote].append(sys.intern(country))
    return out

