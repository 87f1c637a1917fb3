"""`procedura play`: an interactive lesson in procedure, read from a text stream.

The student acts as the chair and the delegations. Each turn shows the case's state and
only the actions in order now; every move goes through the library, so a refusal is the
engine's own explanation, with its rule. The accepted moves can be saved as a scenario
file that `procedura run` replays to the same state.
"""

from __future__ import annotations

import datetime as dt
import shlex
import sys
from pathlib import Path
from typing import Any, TextIO

import attrs

from engine.app.case import Case
from engine.app.log import ProcedureLog
from engine.app.scenarios import ACTION_PARAMS
from engine.cli.lesson_start import begin
from engine.present.narrate import narrate
from engine.procedure.bodies import BODIES
from engine.procedure.commands import COMMANDS
from engine.procedure.decide_texts import motions_in_order
from engine.procedure.decide_votes import TRANSMIT
from engine.procedure.errors import InvalidArgumentError, NotInOrderError, ProcedureError
from engine.procedure.order import voteable
from replays import COMMON, Param, Scenario, dump

__all__ = ["HELP", "run_lesson"]

HELP = """\
How to play
  Pick an action by its number or its name; you are then asked for each of its
  parameters. Enter leaves an optional one empty or takes the [default]. Lists are
  comma-separated (Japan, Italy). Type cancel at a parameter to drop the action.
  Or give the values on one line, as key=value (quote values with spaces):
    vote on=L.1 yes=100 no=50 abstain=20
    submit_draft body=third-committee symbol=L.1 title="Human rights" sponsors=Japan,Italy
  A required parameter left out of the line takes the value offered in its prompt
  (the lesson's body, the next item to vote on), or else is asked for. A step may also carry
  date=YYYY-MM-DD and note="...". An action not listed may still be tried by name: the
  engine then explains why it is not in order.
Commands
  help        this text
  state       the full state of the case
  history     what has happened so far, narrated
  save FILE   write the session as a scenario file for `procedura run`
  quit        end the lesson (so does the end of input)
There is no undo: the log is append-only, like the record of a meeting. A refused action
records nothing; an accepted one stays (a draft can be withdrawn, a decision reconsidered).
"""

_KIND_HINT = {"int": "whole number", "strings": "comma-separated", "bool": "yes/no",
              "date": "YYYY-MM-DD", "str": ""}
_TRUE, _FALSE = ("y", "yes", "true", "1"), ("n", "no", "false", "0")
# TOML basic strings: these by name, other control characters as \uXXXX, the rest as is.
# The lesson's own commands, beside the actions (offered in "did you mean").
COMMANDS_OF_PLAY = ("help", "state", "history", "save", "quit")


class _Cancel(Exception):
    """The student dropped the action being entered."""


def _convert(raw: str, kind: str) -> Any:
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


class _Lesson:
    """One lesson: the case, the streams, and the moves accepted so far."""

    def __init__(self, log: ProcedureLog, case: Case, body: str, title: str,
                 date: str | None, stdin: TextIO, stdout: TextIO) -> None:
        self.log, self.case, self.body, self.title, self.date = log, case, body, title, date
        self.stdin, self.stdout = stdin, stdout
        self.steps: list[tuple[str, dict[str, Any]]] = []

    def say(self, text: str = "") -> None:
        """Write a line."""
        self.stdout.write(text + "\n")

    def ask(self, prompt: str) -> str:
        """Show a prompt and read a line of text; EOFError at the end of input."""
        while True:
            self.stdout.write(prompt)
            self.stdout.flush()
            try:
                line = self.stdin.readline()
                line.encode("utf-8")  # undecodable bytes may come in as lone surrogates
            except UnicodeError:
                self.say("That line is not valid UTF-8 text; please type it again.")
                continue
            if not line:
                raise EOFError
            return line.rstrip("\r\n")

    def summary(self) -> str:
        """The state in one line: where the case is and what is pending."""
        s = self.case.data
        parts = [self.case.state]
        if s.draft:
            parts.append(f"draft {s.draft.symbol} in the {s.body}")
        pending = [f"amendment {a}" for a, x in s.amendments.items() if x.status == "pending"]
        pending += [f"motion {m}" for m in s.motions]
        if pending:
            parts.append("pending: " + ", ".join(pending))
        return " | ".join(parts)

    def show_state(self) -> None:
        """The full state: draft, amendments, parts, motions, decisions."""
        s, c = self.case.data, self.case
        self.say(f"Case {c.id}: {c.title}\n  state {c.state}, version {c.version}")
        if d := s.draft:
            self.say(f"  draft {d.symbol}, \"{d.title}\", in the {s.body}\n"
                     f"  sponsors: {', '.join(d.sponsors) or 'none'}")
        for a in s.amendments.values():
            self.say(f"  amendment {a.symbol} by {', '.join(a.proposers)}: {a.status}")
        for part, status in s.parts.items():
            self.say(f"  part {part}: {status}")
        for motion, by in s.motions.items():
            self.say(f"  motion {motion}, moved by {by}: pending")
        for d in s.decisions:
            self.say(f"  [{d.version}] {d.body} on {d.on}: {d.decision.outcome}")

    def show_history(self) -> None:
        """Every event so far, narrated."""
        if not self.case.version:
            self.say("Nothing has happened yet.")
            return
        for rec, state in self.log.history(self.case.id):
            self.say(narrate(rec, state.state))

    def turn(self) -> tuple[str, ...]:
        """Show the state and the numbered actions in order now; return those actions."""
        listed = self.case.in_order()
        self.say(f"\n{self.summary()}")
        if not listed:
            self.say("Nothing more is in order. Type save FILE or quit.")
        else:
            self.say("In order now:")
            for n, entry in enumerate(listed, start=1):
                motions = motions_in_order(self.case.data) if entry == "move" else ()
                self.say(f"  {n}. {entry}" + (f" ({', '.join(motions)})" if motions else ""))
        return listed

    def default(self, action: str, key: str, picked: str) -> str | None:
        """The value offered in a prompt: the lesson's body, the next item, the next body."""
        if key == "body" and action == "submit_draft":
            return self.body
        if key == "on" and action in ("vote", "adopt_without_vote"):
            if " on " in picked:
                return picked.split(" on ", 1)[1]
            items = voteable(self.case.data) if self.case.data.draft else ()
            return items[0] if items else None
        if key == "to" and action == "transmit":
            return TRANSMIT.get(self.case.state)
        return None

    def prompt_value(self, key: str, param: Param, default: str | None) -> Any:
        """Ask for one parameter until the answer fits its kind; None if skipped."""
        hint = ", ".join(h for h in (_KIND_HINT[param.kind],
                                     "required" if param.required else "") if h)
        shown = f"  {key}" + (f" ({hint})" if hint else "") + (f" [{default}]" if default else "")
        while True:
            raw = self.ask(shown + ": ").strip()
            if raw.lower() == "cancel":
                raise _Cancel
            if not raw and default:
                raw = default
            if not raw:
                if not param.required:
                    return None
                self.say(f"  {key} is required (or type cancel)")
                continue
            try:
                return _convert(raw, param.kind)
            except ValueError as e:
                self.say(f"  {e}; try again")

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
                args[key] = _convert(raw, allowed[key].kind)
            except ValueError as e:
                self.say(f"  {key}: {e}")
                args[key] = self.prompt_value(key, allowed[key], None)
        return args

    def attempt(self, action: str, args: dict[str, Any], quiet: bool = False) -> bool | None:
        """Try the action: True if recorded, False if not in order, None if not accepted."""
        call = {"date": self.date, **args} if self.date and "date" not in args else args
        try:
            recorded = self.case.record(COMMANDS[action](**call))
        except NotInOrderError as e:
            self.say(f"Not in order: {e}")
            return False
        except ProcedureError as e:
            if not quiet:
                self.say(f"Not accepted: {e}")
            return None
        self.steps.append((action, {k: v for k, v in args.items() if v is not None}))
        for entry in recorded:
            self.say(narrate(entry.recorded, entry.state))
        return True

    def act(self, line: str, listed: tuple[str, ...]) -> None:
        """One move: pick the action, gather its arguments, and put it to the engine."""
        try:
            words = shlex.split(line)
        except ValueError as e:
            self.say(f"Not accepted: cannot read that line ({e})")
            return
        head, rest = words[0], words[1:]
        picked = head
        if len(rest) == 2 and rest[0] == "on" and "=" not in rest[1]:
            picked, rest = " ".join(words), []  # "vote on L.1", as the list shows it
        if head.isdigit():
            if not 1 <= int(head) <= len(listed):
                self.say(f"There is no action {head} in the list; choose 1-{len(listed)}.")
                return
            picked = listed[int(head) - 1]
        action = picked.split()[0]
        if action not in COMMANDS:
            import difflib  # only for a suggestion

            near = difflib.get_close_matches(action, [*COMMANDS, *COMMANDS_OF_PLAY], n=1)
            hint = f" Did you mean {near[0]}?" if near else ""
            self.say(f"Unknown action or command {head!r}: the actions in order now are "
                     f"listed by number; type help for how to play.{hint}")
            return
        args = self.parse(action, rest)
        if args is None:
            return
        params = ACTION_PARAMS[action]
        if not any(entry.split()[0] == action for entry in listed):
            # Not listed: ask the engine before asking for values. It refuses unless the
            # action is allowed after all (withdrawing a pending motion).
            missing = {k: None for k, p in params.items() if p.required and k not in args}
            if self.attempt(action, {**args, **missing}, quiet=True) is not None:
                return
        if not rest:
            self.say(f"{action} (Enter skips an optional parameter; cancel drops it):")
        for key, param in params.items():
            if key in args or not (param.required or not rest):
                continue
            default = self.default(action, key, picked)
            if rest and default is not None:  # a one-line move takes the offered value
                args[key] = default
                continue
            args[key] = self.prompt_value(key, param, default)
        self.attempt(action, {k: v for k, v in args.items() if v is not None})

    def save(self, path: Path) -> None:
        """Write the accepted moves as a scenario file."""
        if not self.steps:
            self.say("Nothing to save yet: no action has been accepted.")
            return
        data = self.case.data
        bodies = [attrs.asdict(b) for b in data.bodies.values()]
        text = dump(self.case.id, self.title, self.date, self.steps, self.case.state,
                    council=data.council, bodies=bodies)
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as e:
            self.say(f"Could not save to {path}: {e.strerror or e}")
            return
        self.say(f"Saved {len(self.steps)} steps to {path}; replay them with:\n"
                 f"  procedura run {shlex.quote(str(path))} --db PATH")

    def loop(self) -> None:
        """Turns until quit (or the end of input, which raises EOFError)."""
        while True:
            listed = self.turn()
            line = self.ask("> ").strip()
            command, _, arg = line.partition(" ")
            if not line:
                continue
            if command in ("quit", "exit", "q"):
                return
            if command in ("help", "?"):
                self.say(HELP)
            elif command == "state":
                self.show_state()
            elif command == "history":
                self.show_history()
            elif command == "undo":
                self.say("There is no undo: the log is append-only (type help).")
            elif command == "save":
                try:
                    name = shlex.split(arg)
                except ValueError:
                    name = []
                if len(name) == 1:
                    self.save(Path(name[0]))
                else:
                    self.say("Usage: save FILE (quote a name with spaces)")
            else:
                try:
                    self.act(line, listed)
                except _Cancel:
                    self.say("Dropped; nothing was recorded.")


def _free_id(log: ProcedureLog, case_id: str) -> str:
    """`case_id`, or with the first "-N" suffix the log does not hold yet."""
    found, n = case_id, 1
    while log.events.stream_version(found):
        n += 1
        found = f"{case_id}-{n}"
    return found


def run_lesson(
    log: ProcedureLog, *, body: str = "third-committee", case_id: str = "lesson",
    title: str = "A lesson in procedure", date: str | None = None,
    stdin: TextIO | None = None, stdout: TextIO | None = None, save: Path | None = None,
    start: Scenario | None = None, resume: str | None = None,
) -> Case:
    """Run an interactive lesson on a new case in `log`, reading moves from `stdin`.

    `body` is where the draft is first submitted (the default in the prompts); `date`,
    if given, is the date of every step. If `case_id` is taken, a free "-2"... suffix is
    used. The lesson ends at `quit` or at the end of input; with `save`, the accepted
    moves are then written there as a scenario file. `stdin` and `stdout` default to
    the process's streams at call time. Returns the case.

    `start` begins from a scenario (bundled or a file, as `load_scenario` gives it)
    recorded to its end under a free id, its declared bodies included; `resume`
    continues a case the log already holds. Either way `--save` writes the whole case.
    """
    if start is None and resume is None and body not in BODIES:
        raise InvalidArgumentError(f"unknown body {body!r}; bodies: {', '.join(BODIES)}")
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout  # read at call time
    if date is None and start is not None:
        date = start.date  # the scenario's date goes on with the lesson
    if date is not None:
        try:
            date = _convert(str(date), "date")
        except ValueError as e:
            raise InvalidArgumentError(f"the lesson's date: {e}") from None
    case, title, taken = begin(log, _free_id(log, case_id), title, start, resume)
    body = case.data.body or body  # where the case stands now, once it stands somewhere
    lesson = _Lesson(log, case, body, title, date, stdin, stdout)
    lesson.steps.extend(taken)
    lesson.say(f"{title} (case {case.id})\n\n"
               "You play every part: the delegations, who submit drafts and amendments and\n"
               "move motions, and the chair, who puts each item to the vote and announces\n"
               "the result. Only the actions in order now are listed; the rules of\n"
               + (f"procedure decide. Begin with submit_draft to the {body}.\n" if not taken
                  else f"procedure decide. {len(taken)} steps are taken already.\n")
               + "Type help for how to play.")
    try:
        lesson.loop()
    except (EOFError, KeyboardInterrupt):
        lesson.say()
    n = len(lesson.steps)
    lesson.say(f"The lesson ends with the case {case.state} after {n} "
               f"action{'' if n == 1 else 's'}.")
    if save is not None:
        lesson.save(Path(save))
    return case
