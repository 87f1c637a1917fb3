"""Case ids that read alike: refused, so that two cases never sit side by side under ids
a reader cannot tell apart.

An id may hold no invisible character (a zero-width space, a joiner, a BOM, a soft
hyphen: Unicode's format characters, and controls). An id that looks like one already in
the log (`skeleton`: compatibility forms folded by NFKC, Cyrillic and Greek letters that
look Latin folded to the Latin ones, after the "confusables" data of Unicode Technical
Standard #39, unicode.org/reports/tr39) is refused too, naming the case it imitates.
Ids that differ in letter case read differently, and both stay allowed.
"""

from __future__ import annotations

import unicodedata

from engine.procedure.errors import CaseExistsError, InvalidArgumentError
from events import EventLog

__all__ = ["IdGuard", "invisible", "skeleton"]

# Letters of other scripts drawn like Latin ones, each to the Latin letter it imitates
# (UTS #39 confusables.txt, the entries among Cyrillic and Greek letters; a subset: the
# whole table maps thousands of characters, most of them to other non-Latin ones).
_LOOKALIKES = str.maketrans({
    # Cyrillic
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
    "ј": "j", "ѕ": "s", "ԁ": "d", "һ": "h", "ԛ": "q", "ԝ": "w", "ӏ": "l",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Ү": "Y", "Ԍ": "G",
    # Greek
    "ο": "o", "ν": "v", "α": "a", "ι": "i", "κ": "k", "ρ": "p", "τ": "t", "υ": "u",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
})


def invisible(id: str) -> list[str]:
    """The characters of `id` that show nothing: format characters and controls."""
    return [ch for ch in id if unicodedata.category(ch) in ("Cf", "Cc", "Zl", "Zp")]


def skeleton(id: str) -> str:
    """What `id` looks like: two ids with one skeleton cannot be told apart by eye."""
    if id.isascii():
        return id
    folded = unicodedata.normalize("NFKC", id)
    return "".join(ch for ch in folded if not invisible(ch)).translate(_LOOKALIKES)


def _named(chars: list[str]) -> str:
    return ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed')}"
                     for c in dict.fromkeys(chars))


class IdGuard:
    """Remembers the skeletons of a log's case ids, reading only the events appended
    since it last looked (by log position), so that opening many cases stays cheap."""

    def __init__(self, events: EventLog) -> None:
        self.events = events
        self.seen = 0  # the log position read up to
        self.ids: dict[str, str] = {}  # skeleton -> the first case id that has it

    def check(self, id: str) -> None:
        """Refuse `id` if it holds an invisible character or looks like another case's."""
        hidden = invisible(id)
        if hidden:
            raise InvalidArgumentError(
                f"case id {id!r} holds characters that show nothing ({_named(hidden)}); a "
                "case id must read as it is written: remove them")
        for position, stream, version in self.events.rows(
                after=self.seen, columns=("position", "stream_id", "version")):
            if version == 1:
                self.ids.setdefault(skeleton(stream), stream)
            self.seen = position
        other = self.ids.get(skeleton(id))
        if other is not None and other != id:
            raise CaseExistsError(
                f"case id {id!r} looks the same as the case {other!r} already in the log "
                f"(it differs only in characters drawn alike: "
                f"{_named([a for a, b in zip(id, other, strict=False) if a != b] or list(id))})"
                "; choose an id that reads differently")
