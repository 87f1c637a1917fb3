"""The server's pages: the cases (`/`), the chair's console, a delegation's view, the
projector.

Rendered from `templates/` with autoescape on; their scripts are the server's own
(nothing vendored: `index.html`'s inline one, and `live.js` for the other three) and
write every text they receive with `textContent`.
"""

from __future__ import annotations

import functools
from importlib.resources import files
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from engine.app.case import Case
from engine.app.log import ProcedureLog
from engine.present.page import diagram_svg
from engine.procedure.state import step

__all__ = ["PAGES", "case_diagram", "case_path", "in_order", "render_index", "render_page",
           "script"]


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


# -- the chair console, the delegation view, the projector ---------------------------------

PAGES = ("chair", "delegation", "projector")
SCRIPT = "live.js"  # the three pages' one script, served by `GET /static/live.js`


def render_page(page: str, case: dict[str, Any], after: int, nonce: str,
                diagram: str = "") -> str:
    """One of PAGES for `case` (its state JSON): it follows the log from position
    `after`; the projector shows `diagram`, the SVG `case_diagram` makes."""
    if page not in PAGES:
        raise ValueError(f"no page {page!r}")
    return _environment().get_template(f"{page}.html").render(
        page=page, case=case, after=after, nonce=nonce, diagram=Markup(diagram))


@functools.cache
def script() -> str:
    """The pages' script, as written (no build step)."""
    return (files("engine.serve") / "templates" / SCRIPT).read_text(encoding="utf-8")


def case_path(log: ProcedureLog, id: str) -> tuple[list[str], int]:
    """The states the case passed through, and the log position just before its last
    event (where a page's stream starts, so its first message is that event); run on
    the log's thread."""
    state = log.case(id, at=0).data
    path, before = [state.state], log.events.count()
    found = log.events.select(id)
    try:
        for rec in found:
            step(state, rec.event, rec.version, rec.occurred_at)
            if path[-1] != state.state:
                path.append(state.state)
            before = rec.position - 1
    finally:
        found.close()
    return path, before


def case_diagram(path: list[str]) -> str:
    """The procedure graph with the case's path, its last state the current one, as a
    document of its own (the projector parses it as XML to put it in place)."""
    svg = diagram_svg(path, path[-1] if path else None)
    if "xmlns=" not in svg.split(">", 1)[0]:
        svg = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    return svg


def in_order(case: Case) -> list[str]:
    """What may happen next: the actions in order now, each decision with its item."""
    return list(case.in_order())
