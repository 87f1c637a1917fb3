"""The server's pages: the cases (`/`), the chair's console, a delegation's view, the
projector.

Rendered from `templates/` with autoescape on; their scripts are the server's own
(nothing vendored: `index.html`'s inline one, and `live.js` for the other three) and
write every text they receive with `textContent`.
"""

from __future__ import annotations

import functools
import json
import re
from importlib.resources import files
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from engine.app.case import Case
from engine.app.log import ProcedureLog
from engine.present.page import diagram_svg
from engine.procedure.commands import MOVABLE
from engine.procedure.state import step
from replays import bundled

__all__ = [
    "PAGES",
    "browse_page",
    "case_diagram",
    "case_path",
    "in_order",
    "mark_pending",
    "next_vote",
    "pending_items",
    "qr_code",
    "render_index",
    "render_page",
    "script",
]


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
    return _environment().get_template("index.html").render(
        cases=cases, after=after, nonce=nonce, scenarios=sorted(bundled()),
        example_bodies=json.dumps([EXAMPLE_BODY]))


# -- the chair console, the delegation view, the projector ---------------------------------

PAGES = ("chair", "delegation", "projector")
# What the chair's form to open a case suggests for its bodies: a Model UN committee.
EXAMPLE_BODY = {"id": "mun-committee", "name": "Model UN Committee", "rules": "committee",
                "members": ["Atlantis", "Freedonia", "Ruritania", "Genovia", "Wakanda"]}
SCRIPTS = ("floor.js", "live.js")  # the three pages' script, served as `GET /static/live.js`


def render_page(page: str, case: dict[str, Any], after: int, nonce: str,
                diagram: str = "") -> str:
    """One of PAGES for `case` (its state JSON): it follows the log from position
    `after`; the projector shows `diagram`, the SVG `case_diagram` makes."""
    if page not in PAGES:
        raise ValueError(f"no page {page!r}")
    pending = pending_items(case) if page == "projector" else []
    if diagram and pending:
        diagram = mark_pending(diagram, pending)
    return _environment().get_template(f"{page}.html").render(
        page=page, case=case, after=after, nonce=nonce, diagram=Markup(diagram),
        pending=pending, motions=[(m.value, m.label) for m in MOVABLE])


def qr_code(link: str) -> str:
    """The QR code of `link` as an SVG `data:` URI, for an `<img>`: a delegation joins by
    scanning it from the chair's screen (segno, pure Python; error correction M)."""
    import segno  # here: only issuing a delegation's link draws one

    return str(segno.make(link, error="m").svg_data_uri(scale=4, border=2))


@functools.cache  # read once: it is served on every page load
def script() -> str:
    """The pages' script, as written (no build step): the list of speakers' part, which
    the main part calls, then the main part."""
    folder = files("engine.serve") / "templates"
    return "\n".join((folder / name).read_text(encoding="utf-8") for name in SCRIPTS)


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


# -- what is before the body: the projector's panel and the label in its graph -------------

_VOTE_ON = re.compile(r"^vote on (.+)$")


def pending_items(case: dict[str, Any]) -> list[dict[str, str]]:
    """Every item before the body in `case` (its state JSON), in the order the projector
    lists them: the open vote, the motions, the pending amendments, the parts asked to be
    voted on separately; each `{"kind", "name", "label"}` (`label` as the projector
    reads it, e.g. "motion: adjourn-debate (moved by Cuba)")."""
    items: list[dict[str, str]] = []
    ballot = case.get("ballot")
    if isinstance(ballot, dict) and ballot.get("on"):
        on = str(ballot["on"])
        items.append({"kind": "vote", "name": on, "label": f"vote open: {on}"})
    for motion, mover in (case.get("motions") or {}).items():
        by = f" (moved by {mover})" if mover else ""
        items.append({"kind": "motion", "name": str(motion), "label": f"motion: {motion}{by}"})
    for symbol, amendment in (case.get("amendments") or {}).items():
        if not isinstance(amendment, dict) or amendment.get("status") != "pending":
            continue
        proposers = ", ".join(str(p) for p in amendment.get("proposers") or ())
        by = f" ({proposers})" if proposers else ""
        items.append({"kind": "amendment", "name": str(symbol),
                      "label": f"amendment: {symbol}{by}"})
    for part, status in (case.get("parts") or {}).items():
        if status == "pending":
            items.append({"kind": "part", "name": str(part), "label": f"part: {part}"})
    return items


def next_vote(order: list[str]) -> str | None:
    """The item next to be voted: X of the first "vote on X" of what is in order."""
    for entry in order:
        found = _VOTE_ON.match(entry)
        if found:
            return found.group(1)
    return None


_CURRENT = re.compile(r'<g class="[^"]*\bcurrent\b[^"]*"[^>]*>.*?<rect x="([0-9.]+)" '
                      r'y="([0-9.]+)" width="([0-9.]+)" height="([0-9.]+)"', re.S)
_LINE = 15  # the label's line height, in the graph's units


def mark_pending(svg: str, items: list[dict[str, str]], next_on: str | None = None) -> str:
    """`svg` (a `case_diagram`) with a label under its current state listing `items`
    (`pending_items`), the one `next_on` marked; `svg` as it was if there are none or
    no current state. Every text XML-escaped; the label is drawn last, over the graph."""
    found = _CURRENT.search(svg)
    end = svg.rfind("</svg>")
    if not items or not found or end < 0:
        return svg
    x, y, width, height = (float(v) for v in found.groups())
    lines = ["Before the body:"] + [
        item["label"] + (" \u2014 next vote" if item["name"] == next_on else "")
        for item in items]
    top = y + height + 4
    box_width = max(width, 12 + 7.6 * max(len(line) for line in lines))
    parts = [f'<g class="pending" data-pending="{len(items)}">',
             f'<rect class="pending-box" x="{x:g}" y="{top:g}" width="{box_width:g}" '
             f'height="{_LINE * len(lines) + 8:g}" rx="6"/>',
             f'<text class="pending-label" x="{x + 6:g}" y="{top + _LINE:g}">']
    for i, line in enumerate(lines):
        cls = ("pending-head" if i == 0 else
               "pending-next" if items[i - 1]["name"] == next_on else "pending-item")
        parts.append(f'<tspan class={quoteattr(cls)} x="{x + 6:g}" dy="{0 if i == 0 else _LINE}">'
                     f"{escape(line)}</tspan>")
    parts.append("</text></g>")
    return svg[:end] + "".join(parts) + svg[end:]


_INLINE = re.compile(r"<(script|style)>(.*?)</\1>", re.S)  # the export page's own, untyped


def browse_page(log: ProcedureLog, id: str, after: int, nonce: str) -> tuple[str, str]:
    """The case as `procedura export --format html` writes it, following the log: a new
    event of the case reloads it. Returns the page and its Content-Security-Policy, which
    lets run only the page's own inline script and style (by their SHA-256) and the
    follower added here (by `nonce`); run on the log thread."""
    import base64
    import hashlib

    from engine.present.page import render_html

    html = render_html(log, id)
    hashes = {"script": [], "style": []}
    for kind, body in _INLINE.findall(html):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        hashes[kind].append(f"'sha256-{digest}'")
    follower = (f'<script nonce="{nonce}">new EventSource("/api/stream?after={after}")'
                f'.onmessage = function (e) {{ if (JSON.parse(e.data).case === '
                f'{json.dumps(id)}) {{ location.reload(); }} }};</script>')
    html = html.replace("</body>", follower + "</body>", 1)
    csp = (f"default-src 'none'; script-src 'nonce-{nonce}' {' '.join(hashes['script'])}; "
           f"style-src {' '.join(hashes['style']) or chr(39) + 'none' + chr(39)}; "
           "img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
           "frame-ancestors 'none'")
    return html, csp

