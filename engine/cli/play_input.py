"""What `procedura play` reads: lines, typed values, and line editing at a terminal.

Input comes from a text stream, so a lesson can be scripted (`procedura play < moves.txt`)
or tested with a `StringIO`. When both streams are the process's own and a terminal,
and the standard library's `readline` is there (it may not be, on Windows), lines are
read with it instead: the line can be edited, the session's lines come back with the
arrow keys, and Tab completes (`engine.cli.play_complete`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TextIO

from engine.app.scenarios import ACTION_PARAMS
from engine.cli.play_complete import DELIMS, Completer
from engine.procedure.errors import ProcedureError, UnknownMemberError
from replays import COMMON, Param

try:
    import readline
except ImportError:  # not every Python has it
    readline = None  # type: ignore[assignment]

__all__ = ["Cancel", "Prompter", "convert", "culprit", "editing"]

_KIND_HINT = {"int": "whole number", "strings": "comma-separated", "bool": "yes/no",
              "date": "YYYY-MM-DD", "str": ""}
_TRUE, _FALSE = ("y", "yes", "true", "1"), ("n", "no", "false", "0")


class Cancel(Exception):
    """The student dropped the action being entered."""


def convert(raw: str, kind: str) -> Any:
    """A typed value from text; ValueError with a readable message if it does not fit."""
    if kind == "int":
        try:
            return int(raw.strip())
        except ValueError:
            raise ValueError(f"{raw!r} is not a whole number") from None
    if kind == "strings":
        return [v.strip() for v in raw.split(",") if v.strip()]
    if kind == "bool":
        if raw.strip().lower() in _TRUE + _FALSE:
            return raw.strip().lower() in _TRUE
        raise ValueError(f"{raw!r} is not yes or no")
    if kind == "date":
        try:
            dt.date.fromisoformat(raw.strip())
        except ValueError:
            raise ValueError(f"{raw!r} is not a date of the form YYYY-MM-DD") from None
        return raw.strip()
    return raw


def culprit(error: ProcedureError, args: Mapping[str, Any], keys: Sequence[str]) -> str | None:
    """Which of `keys` the refusal `error` is about, if it names one: the parameter that
    holds the unknown member, or the one its message names as the check's subject ("yes
    must be...", "in yes_members:", "the no count..."); None if it names none."""
    if isinstance(error, UnknownMemberError):
        for key in keys:
            value = args.get(key)
            if value == error.name or (isinstance(value, list | tuple) and error.name in value):
                return key
    found = []
    for key in keys:
        pattern = rf"(?<![\w-]){re.escape(key)}(?= must\b| cannot\b| count\b| = |: |[);,])"
        if match := re.search(pattern, str(error)):
            found.append((match.start(), key))
    return min(found)[1] if found else None


def _terminal(stdin: TextIO, stdout: TextIO) -> bool:
    """Whether lines are read with readline: the process's own streams, at a terminal."""
    if readline is None or stdin is not sys.stdin or stdout is not sys.stdout:
        return False
    try:
        return stdin.isatty() and stdout.isatty()
    except (AttributeError, ValueError):  # a replaced or closed stream
        return False


@contextlib.contextmanager
def editing(completer: Completer) -> Iterator[None]:  # pragma: no cover - needs a terminal
    """readline set up for a lesson: its completer, Tab, and a history of the session
    only; what was there before comes back afterwards."""
    before = (readline.get_completer(), readline.get_completer_delims(),
              [readline.get_history_item(i)
               for i in range(1, readline.get_current_history_length() + 1)])
    readline.set_completer(completer)
    readline.set_completer_delims(DELIMS)
    libedit = "libedit" in (readline.__doc__ or "")
    readline.parse_and_bind("bind ^I rl_complete" if libedit else "tab: complete")
    readline.clear_history()
    try:
        yield
    finally:
        readline.set_completer(before[0])
        readline.set_completer_delims(before[1])
        readline.clear_history()
        for line in before[2]:
            if line is not None:
                readline.add_history(line)


class Prompter:
    """A lesson's lines in and out, and the prompts for an action's parameters."""

    def __init__(self, stdin: TextIO, stdout: TextIO, completer: Completer | None = None
                 ) -> None:
        self.stdin, self.stdout, self.completer = stdin, stdout, completer
        self.terminal = _terminal(stdin, stdout)

    def say(self, text: str = "") -> None:
        """Write a line."""
        self.stdout.write(text + "\n")

    def ask(self, prompt: str) -> str:
        """Show a prompt and read a line of text; EOFError at the end of input."""
        while True:
            try:
                if self.terminal:
                    line = input(prompt)  # readline: editing, history, completion
                else:
                    self.stdout.write(prompt)
                    self.stdout.flush()
                    line = self.stdin.readline()
                    if not line:
                        raise EOFError
                line.encode("utf-8")  # undecodable bytes may come in as lone surrogates
            except UnicodeError:
                self.say("That line is not valid UTF-8 text; please type it again.")
                continue
            return line.rstrip("\r\n")

    @contextlib.contextmanager
    def asking(self, action: str, key: str) -> Iterator[None]:
        """Completion offers the values of `key` (of `action`) while its prompt is shown."""
        if self.completer is None:
            yield
            return
        self.completer.field = (action, key)
        try:
            yield
        finally:
            self.completer.field = None

    def prompt_value(self, action: str, key: str, param: Param, default: str | None) -> Any:
        """Ask for one parameter until the answer fits its kind; None if skipped."""
        hint = ", ".join(h for h in (_KIND_HINT[param.kind],
                                     "required" if param.required else "") if h)
        shown = f"  {key}" + (f" ({hint})" if hint else "") + (f" [{default}]" if default else "")
        while True:
            with self.asking(action, key):
                raw = self.ask(shown + ": ").strip()
            if raw.lower() == "cancel":
                raise Cancel
            if not raw and default:
                raw = default
            if not raw:
                if not param.required:
                    return None
                self.say(f"  {key} is required (or type cancel)")
                continue
            try:
                return convert(raw, param.kind)
            except ValueError as e:
                self.say(f"  {e}; try again")

    def which(self, action: str) -> str | None:
        """Ask which parameter of `action` to give again; None to drop the action."""
        keys = list(ACTION_PARAMS[action])
        while True:
            with self.asking(action, ""):
                raw = self.ask(f"  Change which? ({', '.join(keys)}; Enter drops the action): ")
            if not raw.strip() or raw.strip().lower() == "cancel":
                return None
            if raw.strip() in keys:
                return raw.strip()
            self.say(f"  {action} has no parameter {raw.strip()!r}")

    def parse(self, action: str, words: list[str]) -> dict[str, Any] | None:
        """The arguments given as key=value words; None (said why) if one is unknown."""
        params = ACTION_PARAMS[action]
        allowed = {**params, **COMMON}
        args: dict[str, Any] = {}
        for word in words:
            key, eq, raw = word.partition("=")
            if not eq or key not in allowed:
                what = f"{word!r} is not key=value" if not eq else f"no parameter {key!r}"
                self.say(f"Not accepted: {what}; {action} takes {', '.join(params)}")
                return None
            try:
                args[key] = convert(raw, allowed[key].kind)
            except ValueError as e:
                self.say(f"  {key}: {e}")
                args[key] = self.prompt_value(action, key, allowed[key], None)
        return args
