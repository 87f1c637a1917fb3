"""Tab completion for `procedura play` at a terminal: what may be typed next.

A `Completer` is the function readline calls, `(text, state) -> candidate or None`.
What it offers is worked out by `Completer.candidates` from the line typed so far: the
play commands and the actions as a move's first word, an action's parameters as
`key=`, and a parameter's values (the members of the body where it asks for a member,
the items before the body, the words a choice allows, as `field_values` gives them),
quoted on the move's line where they hold spaces. At a parameter's own prompt it offers
that parameter's values. `candidates` reads nothing but its arguments and the lesson's
callables, so it is tested as it stands.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence

import attrs

from engine.procedure import arguments
from engine.procedure.bodies import BODIES, body_named
from engine.procedure.checks import on_date
from engine.procedure.commands import COMMANDS
from engine.procedure.decide_texts import motions_in_order
from engine.procedure.decide_votes import TRANSMIT
from engine.procedure.order import voteable
from engine.procedure.seats import seats
from engine.procedure.state import CaseState
from replays import COMMON, Param

__all__ = ["DELIMS", "MEMBER_KEYS", "Completer", "field_values"]

# The parameters that name members (by UN name, code or alias), when their kind is text.
MEMBER_KEYS = frozenset({"sponsors", "proposers", "by", "yes_members", "no_members",
                         "abstain_members", "member", "present", "parties"})
DELIMS = " \t\n=,"  # where readline's word being completed begins


def _choices(action: str, key: str) -> tuple[str, ...]:
    """The words a choice field of the action's command allows, if it is one."""
    command = COMMANDS.get(action)
    fields = {f.name: f for f in attrs.fields(command)} if command is not None else {}
    convert = getattr(fields.get(key), "converter", None)
    if isinstance(convert, functools.partial) and convert.func is arguments.choice:
        return tuple(str(v) for v in convert.keywords.get("allowed", ()) if v is not None)
    return ()


def field_values(state: CaseState, body: str, action: str, key: str, kind: str) -> list[str]:
    """The values a parameter may sensibly take in the case now, for completion: the
    members of the body the case is before (else of `body`), the items, symbols, bodies
    or motions the case has, or the words a choice allows."""
    if key in MEMBER_KEYS and kind in ("str", "strings"):
        where = state.body_of() or body_named(body, state.bodies)
        if where is None:
            return []
        present = state.attendance if key.endswith("_members") and state.attendance else None
        return sorted(present or seats(where, on_date(state, None), state.council))
    found: list[str] = []
    if key == "on":
        found = [*voteable(state), *state.motions] if state.draft or state.motions else []
    elif key == "symbol" and action == "withdraw":
        pending = [a for a, x in state.amendments.items() if x.status == "pending"]
        found = [*([state.draft.symbol] if state.draft else []), *pending, *state.motions]
    elif key == "implies_rejection_of":
        found = list(state.amendments)
    elif key == "body":
        found = [*state.bodies, *BODIES]
    elif key == "to":
        found = [TRANSMIT[state.state]] if state.state in TRANSMIT else []
    elif key == "motion":
        found = list(motions_in_order(state))
    elif kind == "bool":
        found = ["yes", "no"]
    return list(dict.fromkeys([*found, *_choices(action, key)]))


def _split(line: str, sep: str | None = None) -> tuple[list[str], str]:
    """The pieces of `line` before the last one, and the last as typed (quotes kept):
    split at whitespace (`sep` None, empty pieces dropped) or at `sep`, never inside
    quotes."""
    pieces, start, quote = [], 0, ""
    for i, ch in enumerate(line):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch.isspace() if sep is None else ch == sep:
            pieces.append(line[start:i])
            start = i + 1
    return [p for p in pieces if p or sep is not None], line[start:]


def _quoted(value: str) -> str:
    """A value as a move's line needs it: in double quotes if it holds spaces or quotes."""
    if not any(c.isspace() or c in "\"'\\," for c in value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _line_so_far() -> str:  # pragma: no cover - needs a terminal
    import readline

    return readline.get_line_buffer()[:readline.get_endidx()]


@attrs.define
class Completer:
    """readline's completer for a lesson: see the module's docstring.

    `words()` gives a move's first words (play's commands and the actions), `listed()`
    the actions in order now (so "3 " completes the third one's parameters), `kinds`
    each action's parameters, and `values(action, key, kind)` a parameter's values.
    `field` is the parameter being asked for at its own prompt, (action, key), or
    (action, "") while play asks which parameter to change; None at the move's prompt.
    """

    words: Callable[[], Sequence[str]]
    listed: Callable[[], Sequence[str]]
    kinds: Mapping[str, Mapping[str, Param]]
    values: Callable[[str, str, str], Sequence[str]]
    buffer: Callable[[], str] = _line_so_far
    field: tuple[str, str] | None = None
    _found: list[str] = attrs.field(factory=list, init=False)

    def __call__(self, text: str, state: int) -> str | None:
        """The `state`th candidate for `text`, the word readline is completing."""
        if state == 0:
            try:
                self._found = self.candidates(self.buffer(), text)
            except Exception:  # a completion must never break the prompt
                self._found = []
        return self._found[state] if 0 <= state < len(self._found) else None

    def candidates(self, line: str, text: str) -> list[str]:
        """What may replace `text`, the end of `line` (the line up to the cursor)."""
        if self.field is not None:
            return self._at_prompt(line, text, *self.field)
        words, current = _split(line)
        if not words:
            return _matching([(w, f"{w} ") for w in self.words()], current, text)
        action = self._action(words[0])
        if action is None:
            return []
        allowed = {**self.kinds[action], **COMMON}
        key, eq, value = current.partition("=")
        if not eq:
            given = {w.partition("=")[0] for w in words[1:]}
            return _matching([(k, f"{k}=") for k in allowed if k not in given], current, text)
        if key not in allowed:
            return []
        kind = allowed[key].kind
        item = _split(value, ",")[1] if kind == "strings" else value
        end = "" if kind == "strings" else " "
        quote = item[:1] if item[:1] in "\"'" else ""
        return _matching([(v, f"{quote}{v}{quote}{end}" if quote else _quoted(v) + end)
                          for v in self.values(action, key, kind)], item, text)

    def _at_prompt(self, line: str, text: str, action: str, key: str) -> list[str]:
        if not key:  # which parameter to change
            return _matching([(k, k) for k in self.kinds[action]], line.lstrip(), text)
        param = self.kinds[action].get(key) or COMMON.get(key)
        kind = param.kind if param else "str"
        item = (_split(line, ",")[1] if kind == "strings" else line).lstrip()
        return _matching([(v, v) for v in self.values(action, key, kind)], item, text)

    def _action(self, head: str) -> str | None:
        if head.isdigit():
            listed = self.listed()
            return listed[int(head) - 1].split()[0] if 1 <= int(head) <= len(listed) else None
        return head if head in self.kinds else None


def _matching(options: Sequence[tuple[str, str]], item: str, text: str) -> list[str]:
    """For each option (a value, and what replaces the whole `item` with it) whose value
    begins with `item` (ignoring case and an opening quote), the part of its replacement
    that replaces `text`, the end of `item` that readline is completing."""
    cut = len(item) - len(text)
    if cut < 0 or not item.endswith(text):
        return []
    typed = (item[1:] if item[:1] in "\"'" else item).casefold()
    found = dict.fromkeys(new for value, new in options if value.casefold().startswith(typed))
    return [new[cut:] for new in found if new[:cut].casefold() == item[:cut].casefold()]
