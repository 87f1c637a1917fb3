"""Cases, decisions and tallies as HTML in Jupyter.

The functions here return self-contained HTML: inline styles, a tally as a small inline
SVG bar chart, no script, no external resource; every piece of text from a case (titles,
symbols, member names) is escaped. They are what the `_repr_html_` methods call:

    case                      # Case._repr_html_ -> case_html(case)
    case.vote(on=..., ...)    # a Decision, shown by the formatter `register()` installs
    votes(case)[-1]           # a Vote: the decision, its arithmetic and its tally chart
    Table(["a", "b"], rows)   # a plain HTML table, without pandas

`events.Decision` lives in `events`, which imports nothing from `engine`; so it gets no
method of its own: `register()` tells IPython's HTML formatter to show it with
`decision_html` (and a `Case` with `case_html`). `%load_ext engine.present.notebook` does the
same.
"""

from __future__ import annotations

import html
import sys
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import attrs

from engine.app.case import Case
from engine.app.log import ProcedureLog
from engine.present.narrate import explain, item_name
from engine.procedure.bodies import BODIES
from events import Decision, VoteTaken

__all__ = [
    "SVG", "Figures", "Table", "Vote", "case_html", "decision_html", "load_ipython_extension",
    "log_html", "register", "tally_svg", "votes",
]

_e = html.escape
COLOURS = {"yes": "#2e7d32", "no": "#c62828", "abstain": "#9e9e9e"}
LABELS = {"yes": "In favour", "no": "Against", "abstain": "Abstaining"}
OUTCOME_COLOURS = {"adopted": "#2e7d32", "rejected": "#c62828", "vetoed": "#6a1b9a"}
_BOX = "font-family:system-ui,sans-serif;font-size:13px;line-height:1.4;max-width:60em"
_TABLE = "border-collapse:collapse;margin:4px 0"
_CELL = "border-bottom:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top"
_NOWRAP = ";white-space:nowrap"


class Figures(Protocol):
    """Anything with yes, no and abstain counts (a VoteTaken, a CheckedTally...)."""

    yes: int
    no: int
    abstain: int


def tally_svg(yes: int, no: int, abstain: int, needed: int | None = None,
              title: str | None = None) -> str:
    """A vote's figures as a small horizontal bar chart in inline SVG.

    With `needed`, a dashed line on the row of votes in favour marks how many the
    majority required.
    """
    figures = {"yes": int(yes), "no": int(no), "abstain": int(abstain)}
    scale = max(*figures.values(), int(needed or 0), 1)
    label_w, bar_w, row_h, pad = 78, 220, 20, 4
    width, height = label_w + bar_w + 44, row_h * 3 + pad * 2 + (12 if needed else 0)
    summary = (f"{figures['yes']} in favour, {figures['no']} against, "
               f"{figures['abstain']} abstaining" + (f"; {needed} needed" if needed else ""))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="procedura-tally" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{_e(summary)}" style="font:12px system-ui,sans-serif">',
           f"<title>{_e(title + ': ' if title else '')}{_e(summary)}</title>"]
    for n, (option, value) in enumerate(figures.items()):
        y = pad + n * row_h
        w = bar_w * value / scale
        out.append(f'<text x="0" y="{y + 14}" fill="#333">{LABELS[option]}</text>'
                   f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="{row_h - 6}" '
                   f'fill="#f1f1f1"/><rect class="bar-{option}" x="{label_w}" y="{y + 3}" '
                   f'width="{w:.1f}" height="{row_h - 6}" fill="{COLOURS[option]}"/>'
                   f'<text x="{label_w + bar_w + 6}" y="{y + 14}" fill="#333">{value}</text>')
    if needed:
        x = label_w + bar_w * int(needed) / scale
        bottom = pad + row_h * 3
        out.append(f'<line x1="{x:.1f}" y1="{pad}" x2="{x:.1f}" y2="{bottom}" stroke="#222" '
                   f'stroke-dasharray="3,2"/><text x="{x:.1f}" y="{bottom + 11}" fill="#222" '
                   f'text-anchor="middle">{int(needed)} needed</text>')
    out.append("</svg>")
    return "".join(out)


def _majority(d: Decision) -> str:
    return {
        "simple": "simple majority of members present and voting",
        "two-thirds": "two-thirds majority of members present and voting",
        "nine-votes": f"procedural question: {d.needed} votes in favour",
        "nine-votes-no-veto": f"{d.needed} votes in favour, no permanent member against",
        "consensus": "adopted without a vote",
        "division": "all operative parts rejected",
    }.get(d.majority, d.majority)


def _outcome(decision: Decision) -> str:
    colour = OUTCOME_COLOURS.get(decision.outcome, "#333")
    return (f'<strong style="color:{colour}">{_e(decision.outcome.capitalize())}</strong>')


def decision_html(decision: Decision, figures: Figures | None = None,
                  heading: str | None = None) -> str:
    """A decision: outcome, the majority that applied, the rule, the arithmetic, a chart."""
    rules = ", ".join((decision.rule, *decision.also))
    out = [f'<div class="procedura-decision" style="{_BOX}">']
    if heading:
        out.append(f'<div style="font-weight:600">{_e(heading)}</div>')
    out.append(f"<div>{_outcome(decision)} &middot; {_e(_majority(decision))} &middot; "
               f"<span style=\"color:#555\">{_e(rules)}</span></div>")
    out.append(f"<div>{_e(explain(decision, figures))}</div>")
    if figures is not None and decision.majority not in ("consensus", "division"):
        out.append(tally_svg(figures.yes, figures.no, figures.abstain, decision.needed or None))
    if decision.vetoed_by:
        out.append(f"<div>Vetoed by {_e(', '.join(decision.vetoed_by))}.</div>")
    out.append("</div>")
    return "".join(out)


def _body(body_id: str, case: Case | None = None) -> str:
    found = case.data.body_of(body_id) if case is not None else BODIES.get(body_id)
    return found.name if found else body_id


@attrs.frozen(slots=True)
class Vote:
    """One vote of a case, for display: the recorded event, its version and its date."""

    version: int
    date: str | None
    event: VoteTaken
    body_name: str

    @property
    def decision(self) -> Decision:
        """The decision the rules gave."""
        return self.event.decision

    @property
    def heading(self) -> str:
        """"[7] 2014-12-18, General Assembly (plenary): draft A/C.3/69/L.28/Rev.1"."""
        date = f" {self.date}," if self.date else ""
        what = item_name(self.event.kind, self.event.on, article=False)
        return f"[{self.version}]{date} {self.body_name}: {what}"

    def chart(self) -> SVG:
        """The tally alone, as an SVG chart."""
        e = self.event
        return SVG(tally_svg(e.yes, e.no, e.abstain, e.decision.needed or None, self.heading))

    def members(self) -> Table:
        """Who voted how, where the record names them."""
        e = self.event
        rows = [[name, option] for option in ("yes", "no", "abstain")
                for name in getattr(e, f"{option}_members")]
        return Table(["member", "vote"], rows)

    def _repr_html_(self) -> str:
        return decision_html(self.decision, self.event, self.heading)


@attrs.frozen(slots=True)
class SVG:
    """An SVG image that Jupyter displays (and `str()` gives as markup)."""

    markup: str

    def __str__(self) -> str:
        return self.markup

    def _repr_svg_(self) -> str:
        return self.markup

    def _repr_html_(self) -> str:
        return self.markup


def votes(case: Case) -> list[Vote]:
    """The votes of a case, in order, as `Vote` views (each shows as HTML)."""
    log = getattr(case, "_log", None)
    if log is None or not case.version:
        return []
    return [Vote(rec.version, rec.occurred_at, rec.event, _body(rec.event.body, case))
            for rec in log.read_stream(case.id, upto=case.version)
            if isinstance(rec.event, VoteTaken)]


@attrs.frozen(slots=True)
class Table:
    """Rows as a plain HTML table: a notebook table without pandas."""

    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]

    def __repr__(self) -> str:
        lines = ["\t".join(map(str, self.columns))]
        lines += ["\t".join(map(str, row)) for row in self.rows]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return f'<div style="{_BOX}">{_table(self.columns, self.rows)}</div>'


def _table(columns: Sequence[str] | None, rows: Iterable[Sequence[Any]],
           raw: frozenset[int] = frozenset(), cls: str = "procedura-table",
           nowrap: frozenset[int] = frozenset()) -> str:
    """An HTML table; every cell escaped except those in the `raw` columns (HTML made here)."""
    head = ""
    if columns is not None:
        head = "<thead><tr>" + "".join(f'<th style="{_CELL}">{_e(str(c))}</th>'
                                       for c in columns) + "</tr></thead>"
    body = "".join(
        "<tr>" + "".join(f'<td style="{_CELL}{_NOWRAP if n in nowrap else ""}">'
                         f"{v if n in raw else _e(str(v))}</td>"
                         for n, v in enumerate(row)) + "</tr>"
        for row in rows)
    return f'<table class="{cls}" style="{_TABLE}">{head}<tbody>{body}</tbody></table>'


def case_html(case: Case) -> str:
    """A case: id, title, state, where its draft stands, and every decision taken."""
    s = case.data
    facts: list[tuple[str, str]] = [("case", case.id), ("state", case.state),
                                     ("version", str(case.version))]
    if s.body:
        facts.append(("body", _body(s.body, case)))
    if s.draft:
        facts.append(("draft", " / ".join(s.draft.symbols)))
        if s.draft.sponsors:
            facts.append(("sponsors", str(len(s.draft.sponsors))))
    if s.motions:
        facts.append(("pending", ", ".join(s.motions)))
    figures = {v.version: v.event for v in votes(case)}
    rows = []
    for d in s.decisions:
        tally = figures.get(d.version)
        text = _e(explain(d.decision, tally))
        if tally is not None and d.decision.majority not in ("consensus", "division"):
            text += "<br>" + tally_svg(tally.yes, tally.no, tally.abstain,
                                       d.decision.needed or None)
        rows.append([d.version, d.date or "", _body(d.body, case),
                     item_name(d.kind, d.on, article=False), _outcome(d.decision), text])
    decisions = (_table(["event", "date", "body", "on", "outcome", "arithmetic"], rows,
                        frozenset({4, 5}), "procedura-decisions", frozenset({0, 1, 4}))
                 if rows else "<div>No decision yet.</div>")
    return (f'<div class="procedura-case" style="{_BOX}">'
            f'<div style="font-weight:600;font-size:1.15em">{_e(case.title)}</div>'
            f"{_table(None, facts, cls='procedura-facts')}{decisions}</div>")


def log_html(log: ProcedureLog) -> str:
    """The cases of a log as a table."""
    rows = [[c.id, c.title, c.state, c.version] for c in log.cases()]
    return f'<div style="{_BOX}">{_table(["case", "title", "state", "version"], rows)}</div>'


def register(ipython: Any = None) -> bool:
    """Show Decisions, Cases and logs as HTML in this IPython session.

    `events.Decision` has no `_repr_html_` of its own (the `events` package imports
    nothing from `engine`), so IPython's HTML formatter is told how to show it. Returns
    False, doing nothing, outside IPython; it never imports IPython itself, so calling it
    at import time costs nothing in a script or the CLI.
    """
    if ipython is None:
        get_ipython = getattr(sys.modules.get("IPython"), "get_ipython", None)
        ipython = get_ipython() if get_ipython is not None else None
    if ipython is None:
        return False
    formatter = ipython.display_formatter.formatters["text/html"]
    formatter.for_type(Decision, lambda d: decision_html(d))
    formatter.for_type(Case, case_html)
    formatter.for_type(ProcedureLog, log_html)
    return True


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext engine.present.notebook`: the same as `register()`."""
    register(ipython)
