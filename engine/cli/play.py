"""`procedura play`: an interactive lesson in procedure, read from a text stream.

The student acts as the chair and the delegations. Each turn shows the case's state and
only the actions in order now; every move goes through the library, so a refusal is the
engine's own explanation, with its rule. The accepted moves can be saved as a scenario
file that `procedura run` replays to the same state.
"""

from __future__ import annotations

import contextlib
import shlex
import sys
from pathlib import Path
from typing import Any, TextIO

import attrs

from engine.app.case import Case
from engine.app.fork import fork, fork_points
from engine.app.log import ProcedureLog
from engine.app.scenarios import ACTION_PARAMS
from engine.cli.lesson_start import begin, recorded_steps
from engine.cli.play_complete import Completer, field_values
from engine.cli.play_input import Cancel, Prompter, convert, culprit, editing
from engine.present.narrate import narrate
from engine.procedure.bodies import BODIES
from engine.procedure.commands import COMMANDS
from engine.procedure.decide_texts import motions_in_order
from engine.procedure.decide_votes import TRANSMIT
from engine.procedure.errors import InvalidArgumentError, NotInOrderError, ProcedureError
from engine.procedure.order import voteable
from replays import Scenario, dump

__all__ = ["COMMANDS_OF_PLAY", "HELP", "run_lesson"]

HELP = """\
How to play
  Pick an action by its number or its name; you are then asked for each of its
  parameters. Enter leaves an optional one empty or takes the [default]. Lists are
  comma-separated (Japan, Italy). Type cancel at a parameter to drop the action. If
  the engine refuses a value asked for, only that one is asked again.
  Or give the values on one line, as key=value (quote values with spaces):
    vote on=L.1 yes=100 no=50 abstain=20
    submit_draft body=third-committee symbol=L.1 title="Human rights" sponsors=Japan,Italy
  A required parameter left out of the line takes the value offered in its prompt
  (the lesson's body, the next item to vote on), or else is asked for. A step may also carry
  date=YYYY-MM-DD and note="...". An action not listed may still be tried by name: the
  engine then explains why it is not in order. At a terminal, Tab completes actions,
  parameters and members, and the arrow keys bring back the lines typed so far.
Commands
  help         this text
  state        the full state of the case
  history      what has happened so far, narrated, each event with its [version]
  undo [N]     take back the last action (or the last N)
  fork V [ID]  go back to version V of the case, as history numbers its events
  save FILE    write the session as a scenario file for `procedura run`
  quit         end the lesson (so does the end of input)
The log is append-only, like the record of a meeting: a refused action records nothing,
and an accepted one stays. So undo and fork erase nothing: they open a new case, a fork
made of the case's events up to there (each noting "fork of CASE at V"), and the lesson
goes on with it; the case itself stays in the log as it was.
"""

# The lesson's own commands, beside the actions (offered in "did you mean" and by Tab).
COMMANDS_OF_PLAY = ("help", "state", "history", "undo", "fork", "save", "quit")


class _Lesson(Prompter):
    """One lesson: the case, the streams, and the moves accepted so far."""

    def __init__(self, log: ProcedureLog, case: Case, body: str, title: str,
                 date: str | None, stdin: TextIO, stdout: TextIO) -> None:
        completer = Completer(words=lambda: [*COMMANDS_OF_PLAY, *COMMANDS],
                              listed=lambda: self.case.in_order(), kinds=ACTION_PARAMS,
                              values=self.values)
        super().__init__(stdin, stdout, completer)
        self.log, self.case, self.body, self.title, self.date = log, case, body, title, date
        self.first = case.id  # forks are named after it: lesson-2, lesson-3...
        self.steps: list[tuple[str, dict[str, Any]]] = []

    def values(self, action: str, key: str, kind: str) -> list[str]:
        """What Tab offers for a parameter in the case now."""
        return field_values(self.case.data, self.body, action, key, kind)

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
            self.say(narrate(rec, state.state) + (f"\n      note: {rec.note}" if rec.note else ""))

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
        if key == "body" and action == "submit_agenda_item":  # only a Council has one
            return "security-council"
        if key == "on" and action in ("vote", "adopt_without_vote"):
            if " on " in picked:
                return picked.split(" on ", 1)[1]
            items = voteable(self.case.data) if self.case.data.draft else ()
            return items[0] if items else None
        if key == "to" and action == "transmit":
            return TRANSMIT.get(self.case.state)
        return None

    def attempt(self, action: str, args: dict[str, Any], quiet: bool = False
                ) -> ProcedureError | None:
        """Try the action: None if it was recorded, else the refusal (said, unless `quiet`
        and the action was not refused as out of order)."""
        given = {k: v for k, v in args.items() if k not in ("actor", "note")}
        call = {"date": self.date, **given} if self.date and "date" not in given else given
        try:
            recorded = self.case.record(COMMANDS[action](**call), actor=args.get("actor"),
                                        note=args.get("note"))
        except NotInOrderError as e:
            self.say(f"Not in order: {e}")
            return e
        except ProcedureError as e:
            if not quiet:
                self.say(f"Not accepted: {e}")
            return e
        self.steps.append((action, {k: v for k, v in args.items() if v is not None}))
        for entry in recorded:
            self.say(narrate(entry.recorded, entry.state))
        return None

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
            refused = self.attempt(action, {**args, **missing}, quiet=True)
            if refused is None or isinstance(refused, NotInOrderError):
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
            args[key] = self.prompt_value(action, key, param, default)
        while (refused := self.attempt(action, {k: v for k, v in args.items()
                                                if v is not None})) is not None:
            if rest or isinstance(refused, NotInOrderError):
                return  # a line is typed again whole (the arrow keys bring it back)
            # Asked one by one: ask again only for the value refused, keeping the others.
            key = culprit(refused, args, list(params)) or self.which(action)
            if key is None:
                raise Cancel
            args[key] = self.prompt_value(action, key, params[key],
                                          self.default(action, key, picked))

    def go_back(self, at: int, new_id: str | None = None) -> None:
        """Go on with a fork of the case at version `at` (see `engine.app.fork`)."""
        old = self.case
        try:
            forked = fork(self.log, old.id, at, new_id or _free_id(self.log, self.first))
        except ProcedureError as e:
            self.say(f"Not accepted: {e}")
            return
        self.case = forked
        self.steps = recorded_steps(self.log, forked.id) if forked.version else []
        events = "its opening" if at == 1 else f"its first {at} events"
        self.say(f"Back to version {at} of {old.id}, in a new case {forked.id}: a fork made "
                 f"of {events}. {old.id} stays in the log as it was; the lesson goes on "
                 f"with {forked.id}.")

    def undo(self, arg: str) -> None:
        """Take back the last action, or the last N, by a fork (`undo [N]`)."""
        if not arg.strip().isdigit() and arg.strip():
            self.say("Usage: undo [N] (N actions back; 1 without N)")
            return
        n = int(arg) if arg.strip() else 1
        points = fork_points(self.log, self.case.id) if self.case.version else (0,)
        if not 1 <= n < len(points):
            taken = len(points) - 1
            self.say("Nothing to undo: no action has been recorded yet." if not taken else
                     f"There {'is' if taken == 1 else 'are'} {taken} action"
                     f"{'' if taken == 1 else 's'} to undo, not {n}.")
            return
        self.go_back(points[-1 - n])

    def fork_at(self, arg: str) -> None:
        """Go on from a version of the case, in a fork (`fork V [ID]`)."""
        try:
            words = shlex.split(arg)
        except ValueError:
            words = []
        if not 1 <= len(words) <= 2 or not words[0].isdigit():
            self.say("Usage: fork V [ID] (V a version, as history numbers the events)")
            return
        if not self.case.version:
            self.say("Nothing to fork: no action has been recorded yet.")
            return
        self.go_back(int(words[0]), words[1] if len(words) == 2 else None)

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
                self.undo(arg)
            elif command == "fork":
                self.fork_at(arg)
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
                except Cancel:
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
    the process's streams at call time; when they are a terminal, lines are read with
    readline (editing, history, Tab completion). Returns the case the lesson ended on:
    after `undo` or `fork`, the fork it went on with.

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
            date = convert(str(date), "date")
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
    with editing(lesson.completer) if lesson.terminal else contextlib.nullcontext():
        try:
            lesson.loop()
        except (EOFError, KeyboardInterrupt):
            lesson.say()
    n, last = len(lesson.steps), lesson.case
    forked = f" (case {last.id}, a fork of {case.id})" if last.id != case.id else ""
    lesson.say(f"The lesson ends with the case {last.state} after {n} "
               f"action{'' if n == 1 else 's'}{forked}.")
    if save is not None:
        lesson.save(Path(save))
    return last
