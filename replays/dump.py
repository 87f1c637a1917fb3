"""Writing scenario files: the inverse of `replays.loader`, for steps taken live.

`procedura play --save` writes the moves a student made as a scenario that `procedura
run` reads back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["dump"]

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r",
            "\b": "\\b", "\f": "\\f"}



def _toml_value(value: Any) -> str:
    """A TOML literal for a string, an int, a bool or a list of strings."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return '"' + "".join(
        _ESCAPES.get(ch) or (f"\\u{ord(ch):04x}" if ord(ch) < 0x20 or ord(ch) == 0x7F else ch)
        for ch in str(value)
    ) + '"'


def dump(case_id: str, title: str, date: str | None,
         steps: list[tuple[str, dict[str, Any]]], final_state: str,
         council: Sequence[str] = (), bodies: Sequence[Mapping[str, Any]] = ()) -> str:
    """The text of a scenario file with these steps, as `procedura run` reads it:
    `council` names the Security Council's elected members, `bodies` the case's own
    bodies (id, name, rules, members, veto)."""
    lines = [f"# Recorded with `procedura play` on {dt.date.today().isoformat()}.",
             "# Replay it with: procedura run THIS-FILE --db PATH", "",
             "[case]", f"id = {_toml_value(case_id)}", f"title = {_toml_value(title)}"]
    if date is not None:
        lines.append(f"date = {_toml_value(date)}")
    if council:
        lines.append(f"council = {_toml_value(list(council))}")
    for body in bodies:
        lines += ["", "[[body]]"]
        lines += [f"{k} = {_toml_value(v)}" for k, v in body.items() if v not in (None, (), [])]
    for action, args in steps:
        lines += ["", "[[step]]", f"action = {_toml_value(action)}"]
        lines += [f"{k} = {_toml_value(v)}" for k, v in args.items() if v is not None]
    lines += ["", "[expect]", f"state = {_toml_value(final_state)}", ""]
    return "\n".join(lines)
