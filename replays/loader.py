"""Reading scenario files: recorded proceedings as TOML, checked strictly.

A scenario has a `[case]` table, a list of `[[step]]` tables (each an action with the
same keyword arguments as the library method) and an optional `[expect]` table. Every
error names the file, the step and the key, and says what is allowed.

The loader knows the file format, not the procedure: the caller passes the actions and
their parameters (`engine.app.scenarios` derives them from the case's methods), so this
package imports nothing from `engine`.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import attrs

from events.errors import ProcedureError

__all__ = ["COMMON", "Param", "Scenario", "ScenarioFileError", "Step", "kind_ok", "load", "parse"]

Kind = Literal["str", "int", "bool", "strings", "date"]


class ScenarioFileError(ProcedureError):
    """A scenario file that cannot be read or breaks the format."""


@attrs.frozen(slots=True)
class Param:
    """One parameter of an action: its kind of value and whether it must be given."""

    kind: Kind
    required: bool = False


# Keys every step may carry besides its action's own.
COMMON: dict[str, Param] = {"date": Param("date"), "actor": Param("str"), "note": Param("str")}

_CASE: dict[str, Param] = {
    "id": Param("str", True), "title": Param("str", True), "date": Param("date"),
    "council": Param("strings"), "description": Param("str"),
}
_EXPECT: dict[str, Param] = {"state": Param("str", True)}
_BODY: dict[str, Param] = {
    "id": Param("str", True), "name": Param("str", True), "rules": Param("str", True),
    "members": Param("strings"), "veto": Param("strings"),
}


@attrs.frozen(slots=True)
class Step:
    """One step: its number (from 1), its action and its arguments."""

    number: int
    action: str
    args: Mapping[str, Any]


@attrs.frozen(slots=True)
class Scenario:
    """A checked scenario, ready to be run against a log."""

    source: str
    id: str
    title: str
    steps: tuple[Step, ...]
    date: str | None = None
    council: tuple[str, ...] = ()
    description: str | None = None
    expect_state: str | None = None
    bodies: tuple[Mapping[str, Any], ...] = ()


def kind_ok(value: Any, kind: Kind) -> bool:
    """Whether `value` is of the kind of value a parameter takes (str, int, bool, strings
    or date): the check every reader of steps (files, web requests) makes."""
    if kind == "str":
        return isinstance(value, str)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "strings":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if isinstance(value, dt.datetime):
        return False
    if isinstance(value, dt.date):
        return True
    try:
        return isinstance(value, str) and bool(dt.date.fromisoformat(value))
    except ValueError:
        return False


_KIND_TEXT = {
    "str": "a string", "int": "a whole number", "bool": "true or false",
    "strings": "a list of strings", "date": 'a date ("YYYY-MM-DD")',
}


def _check_table(table: Any, params: Mapping[str, Param], where: str) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ScenarioFileError(f"{where} must be a table")
    for key, value in table.items():
        if key not in params:
            allowed = ", ".join(params)
            raise ScenarioFileError(f"{where}: unknown key {key!r}; allowed: {allowed}")
        if not kind_ok(value, params[key].kind):
            raise ScenarioFileError(
                f"{where}, key {key!r}: expected {_KIND_TEXT[params[key].kind]}, "
                f"got {value!r} ({type(value).__name__})"
            )
    for key, param in params.items():
        if param.required and key not in table:
            raise ScenarioFileError(f"{where}: missing required key {key!r}")
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in table.items()}


def parse(
    document: Mapping[str, Any], actions: Mapping[str, Mapping[str, Param]], source: str
) -> Scenario:
    """Check a parsed TOML document against the format and the given actions."""
    unknown = set(document) - {"case", "body", "step", "expect"}
    if unknown:
        raise ScenarioFileError(
            f"{source}: unknown table {sorted(unknown)[0]!r}; allowed: case, body, step, expect"
        )
    if "case" not in document:
        raise ScenarioFileError(f"{source}: missing the [case] table")
    case = _check_table(document["case"], _CASE, f"{source}, [case]")
    raw_steps = document.get("step", [])
    if not isinstance(raw_steps, list) or not raw_steps:
        raise ScenarioFileError(f"{source}: a scenario needs at least one [[step]]")
    steps = []
    for number, raw in enumerate(raw_steps, start=1):
        where = f"{source}, step {number}"
        if not isinstance(raw, dict):
            raise ScenarioFileError(f"{where} must be a table")
        action = raw.get("action")
        if not isinstance(action, str) or action not in actions:
            got = "no action" if action is None else f"unknown action {action!r}"
            raise ScenarioFileError(f"{where}: {got}; actions: {', '.join(actions)}")
        params = {**actions[action], **COMMON, "action": Param("str", True)}
        args = _check_table(raw, params, f"{where} ({action})")
        del args["action"]
        steps.append(Step(number, action, args))
    expect = _check_table(document.get("expect", {}), _EXPECT, f"{source}, [expect]") \
        if "expect" in document else {}
    raw_bodies = document.get("body", [])
    if not isinstance(raw_bodies, list):
        raise ScenarioFileError(f"{source}: bodies are declared as [[body]] tables")
    bodies = tuple(_check_table(b, _BODY, f"{source}, body {i}")
                   for i, b in enumerate(raw_bodies, start=1))
    return Scenario(
        source=source, id=case["id"], title=case["title"], steps=tuple(steps),
        date=case.get("date"), council=tuple(case.get("council", ())),
        description=case.get("description"), expect_state=expect.get("state"), bodies=bodies,
    )


def load(path: str | Path, actions: Mapping[str, Mapping[str, Param]]) -> Scenario:
    """Read and check a scenario file."""
    path = Path(path)
    if path.exists() and not path.is_file():  # a folder, a FIFO (which would block), a device
        raise ScenarioFileError(f"{path}: not a file; a scenario is a TOML file")
    try:
        text = path.read_text(encoding="utf-8-sig")  # a BOM, as some editors write, is no text
    except FileNotFoundError:
        raise ScenarioFileError(f"{path}: no such scenario file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ScenarioFileError(f"{path}: cannot be read ({e})") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ScenarioFileError(f"{path}: not valid TOML ({e})") from None
    except RecursionError:
        raise ScenarioFileError(f"{path}: nested too deeply to be a scenario") from None
    return parse(document, actions, str(path))
