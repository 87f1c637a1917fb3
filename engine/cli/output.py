"""Everything the CLI prints goes through here, so that stored text stays inert.

A log holds text that anyone who recorded a case chose: a case id, a title, a symbol, a
note. Printed raw, an escape sequence in it would drive the terminal (clear the screen,
retitle the window, plant a hyperlink) and a line break would forge lines of output. So:

- `inert(value)` is a stored value as one line of visible characters: every control
  character (C0, DEL, C1, line separators), every bidirectional control and the
  zero-width characters that hide text are written as Python escapes ("\\x1b", "\\n",
  "\\u202e"). Commands pass each stored value through it;
- `echo(text)` writes a line the command composed; as a net under a forgotten `inert`,
  it makes the same characters visible except the line breaks and tabs the command
  wrote itself, so nothing that reaches the terminal can drive it;
- `table(columns, rows)` prints each cell as plain text, never read as Rich markup or
  emoji codes ("[/x]" and "[link=...]" are shown as typed);
- `json_text(data)` and `inert_document(text, fmt)` write the same characters as JSON
  ``\\u`` escapes or HTML character references, which read back as the same text.

No command module calls `click.echo` or builds a Rich console of its own
(tests/cli/test_terminal_inert.py holds them to it).
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

import click

__all__ = ["echo", "inert", "inert_document", "json_text", "table", "unsafe"]

# Characters that reorder text on screen or hide it: the bidirectional controls
# (embeddings, overrides, isolates, marks) and the zero-width space, word joiner and
# byte order mark. The zero-width joiners stay: emoji and Persian script need them.
_HIDDEN = ("\u061c\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
           "\u2060\u2066\u2067\u2068\u2069\ufeff")
# Control characters (C0, DEL, C1), the line and paragraph separators, lone surrogates.
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff"
_UNSAFE = re.compile(f"[{_CONTROLS}{_HIDDEN}\t\n]")  # one value: a line of its own
_IN_LINES = re.compile(f"[{_CONTROLS}{_HIDDEN}]")  # lines a command composed


def unsafe(char: str) -> bool:
    """Whether a character must not reach a terminal as it is: a control character
    (C0, DEL, C1), a line or paragraph separator, a lone surrogate, or one of the
    characters that reorder or hide text."""
    return _UNSAFE.fullmatch(char) is not None


def _escaped(match: re.Match[str]) -> str:
    char = match[0]
    if char in "\n\r\t":
        return repr(char)[1:-1]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def inert(value: object) -> str:
    """`value` as one line of visible text: every unsafe character (see `unsafe`),
    line breaks and tabs too, written as an escape (ESC as "\\x1b", a line break as
    "\\n")."""
    text = str(value)
    return text if text.isprintable() else _UNSAFE.sub(_escaped, text)


def echo(text: object = "", err: bool = False, nl: bool = True) -> None:
    """Write a line (or lines) the command composed, to stdout or stderr; the line
    breaks and tabs in it are kept, any other unsafe character is shown escaped."""
    text = str(text)
    click.echo(text if text.isprintable() else _IN_LINES.sub(_escaped, text), err=err, nl=nl)


def table(columns: list[str], rows: list[list[object]]) -> None:
    """Print rows as a table (one line per row when stdout is not a terminal); each cell
    is plain text, inert."""
    from rich.console import Console
    from rich.table import Column, Table
    from rich.text import Text

    grid = Table(*(Column(Text(inert(c))) for c in columns), box=None, header_style="bold",
                 pad_edge=False)
    for row in rows:
        grid.add_row(*(Text(inert(v)) for v in row))
    # In a pipe, one line per row, however long: scripts read rows, not a screen.
    Console(width=None if sys.stdout.isatty() else 100_000, markup=False, emoji=False,
            highlight=False).print(grid)


def json_text(data: Any, indent: int | None = None) -> str:
    """`data` as JSON, non-ASCII text kept readable, unsafe characters as \\u escapes
    (json.dumps escapes C0 controls itself, not C1 or the bidirectional controls)."""
    return _json_escapes(json.dumps(data, ensure_ascii=False, indent=indent))


def _json_escapes(text: str) -> str:
    # In a JSON document these characters can only stand inside strings, where a \u
    # escape means the same character; json.dumps writes the tabs and line breaks.
    return _IN_LINES.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def inert_document(text: str, fmt: str) -> str:
    """An exported document (JSON or HTML) with every unsafe character written as the
    format's own escape: a JSON \\u escape, an HTML numeric character reference."""
    if fmt != "html":
        return _json_escapes(text)
    return _IN_LINES.sub(lambda m: f"&#x{ord(m[0]):x};", text)
