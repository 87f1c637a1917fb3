"""The server's one page: the cases, a delegation's ballot, the session as it happens.

Rendered from `templates/index.html` with autoescape on; the script in it is the page's
own (nothing vendored) and writes every text it receives with `textContent`.
"""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined

__all__ = ["render_index"]


@functools.cache
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("engine.serve", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      auto_reload=False)
    env.filters["path"] = lambda value: quote(str(value), safe="")
    return env


def render_index(cases: list[dict[str, Any]], after: int, nonce: str) -> str:
    """The page: `cases` as `GET /api/cases` lists them; its live list follows the log
    from position `after`; `nonce` lets its own script and style run under the page's
    Content-Security-Policy."""
    return _environment().get_template("index.html").render(cases=cases, after=after,
                                                             nonce=nonce)
