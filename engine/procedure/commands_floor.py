"""Commands of the floor: the list of speakers while a text is debated.

The General Assembly's rules of procedure, A/520/Rev.20, "Conduct of business": the
chair calls speakers in the order in which they signified their wish to speak (rule 109
in the Main Committees, rule 68 in plenary), the body may limit the time allowed to each
speaker (rule 114 / 72), and the chair may, with the consent of the body, declare the
list closed and then accord the right of reply (rule 115 / 73). This project holds no
copy of that edition: the numbers are those of its online text, not checked against the
printed one.
"""

from __future__ import annotations

import attrs

from engine.procedure.command_fields import Command, field, optional, text
from engine.procedure.errors import InvalidArgumentError

__all__ = ["CloseList", "Inscribe", "LimitSpeeches", "Reply", "Speak"]


@attrs.frozen(slots=True, kw_only=True)
class Inscribe(Command):
    """Put a member on the list of speakers (rule 109 / 68), while the list is open."""

    action = "inscribe"
    member: str = text("member")


@attrs.frozen(slots=True, kw_only=True)
class Speak(Command):
    """Give the floor to the next speaker on the list; `member`, if given, must be the
    one next (speakers are called in the order they asked, rule 109 / 68)."""

    action = "speak"
    member: str | None = optional("member")


@attrs.frozen(slots=True, kw_only=True)
class CloseList(Command):
    """Declare the list of speakers closed, with the consent of the body (rule 115 / 73)."""

    action = "close_list"


@attrs.frozen(slots=True, kw_only=True)
class Reply(Command):
    """Give a member the floor in right of reply, once the list is closed (rule 115 / 73)."""

    action = "reply"
    member: str = text("member")


def _minutes(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 60:
        raise InvalidArgumentError(
            f"minutes must be a whole number from 1 to 60, not {value!r}"[:200])
    return value


@attrs.frozen(slots=True, kw_only=True)
class LimitSpeeches(Command):
    """Limit the time allowed to each speaker, in minutes (rule 114 / 72)."""

    action = "limit_speeches"
    minutes: int = field("int", _minutes)
