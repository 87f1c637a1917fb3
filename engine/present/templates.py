"""The Jinja2 environment the page and the notebook render their HTML through.

One environment, built on first use and kept: its templates are the package's
``templates/*.html`` files, and autoescape is on for every one of them, so every value a
template prints is escaped unless it is markup a template made (a macro's result).

Escaped text reads as `html.escape` writes it (``&quot;``, ``&#x27;``), as these pages
always have; MarkupSafe alone would write ``&#34;`` and ``&#39;``. The `script_json`
filter writes data for a ``<script type="application/json">`` element with ``<``, ``>``
and ``&`` as ``\\u`` escapes, so that no text can close the element.
"""

from __future__ import annotations

import functools
import html
import json
import re
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

__all__ = ["environment", "macros", "render", "script_json"]


def _escape(value: Any) -> Any:
    """What ``{{ value }}`` prints: markup as it is, anything else escaped by `html.escape`.

    This runs just before autoescape (the environment's ``finalize``); autoescape then
    leaves the result alone, as it is already markup.
    """
    if hasattr(value, "__html__"):
        return value
    return Markup(html.escape(str(value)))


# What json.dumps leaves raw that a terminal or a script must not see raw.
_RAW = re.compile("[\x7f-\x9f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060"
                  "\u2066-\u2069\ufeff\ud800-\udfff]")


def script_json(data: Any) -> Markup:
    """`data` as JSON safe inside a <script> element: <, > and & are written as \\u escapes,
    and so are the control characters json.dumps leaves as they are (C1, DEL, the line
    separators and bidirectional controls), which could drive a terminal the page is
    printed to."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = _RAW.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))



def _g(value: float) -> str:
    """A number as ``f"{value:g}"`` writes it (SVG coordinates: 8, 12.5)."""
    return format(value, "g")


@functools.cache
def environment() -> Environment:
    """The one environment: package templates, autoescape on, undefined names an error."""
    env = Environment(
        loader=PackageLoader("engine.present", "templates"),
        autoescape=True,
        finalize=_escape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["script_json"] = script_json
    env.filters["g"] = _g
    return env


def render(name: str, **context: Any) -> str:
    """The template `name` (a file in ``templates/``) rendered with `context`."""
    return environment().get_template(name).render(**context)


def macros(name: str) -> Any:
    """The macros of the template `name`, to call from Python; each returns escaped markup."""
    return environment().get_template(name).module
