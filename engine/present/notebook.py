"""Cases, decisions and tallies as HTML in Jupyter.

The functions here return self-contained HTML: inline styles, a tally as a small inline
SVG bar chart, no script, no external resource. The markup is in the Jinja2 template
``templates/notebook.html``, rendered with autoescape (`engine.present.templates`), so every
piece of text from a case (titles, symbols, member names) is escaped. They are what the
`_repr_html_` methods call:

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

import sys
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import attrs

from engine.app.case import Case
from engine.app.log import ProcedureLog
from engine.present.narrate import explain, item_name
from engine.present.templates import macros
from engine.procedure.bodies import BODIES
from engine.procedure.words import Option
from events import Decision, VoteTaken

__all__ = [
    "SVG", "Figures", "Table", "Vote", "case_html", "decision_html", "load_ipython_extension",
    "log_html", "register", "tally_svg", "votes",
]

COLOURS = {"yes": "#2e7d32", "no": "#c62828", "abstain": "#9e9e9e"}
LABELS = {option.value: option.label for option in Option}  # from the one labels table
OUTCOME_COLOURS = {"adopted": "#2e7d32", "rejected": "#c62828", "vetoed": "#6a1b9a"}
_TEMPLATE = "notebook.html"


class Figures(Protocol):
    """Anything with yes, no and abstain counts (a VoteTaken, a CheckedTally...)."""

    yes: int
    no: int
    abstain: int


def _tally(yes: int, no: int, abstain: int, needed: int | None = None,
           title: str | None = None) -> dict[str, Any]:
    """What the tally chart shows: its size, its rows and the line for `needed`."""
    figures = {"yes": int(yes), "no": int(no), "abstain": int(abstain)}
    scale = max(*figures.values(), int(needed or 0), 1)
    label_w, bar_w, row_h, pad = 78, 220, 20, 4
    summary = (f"{figures['yes']} in favour, {figures['no']} against, "
               f"{figures['abstain']} abstaining" + (f"; {needed} needed" if needed else ""))
    rows = [{"option": option, "label": LABELS[option], "colour": COLOURS[option],
             "value": value, "y": pad + n * row_h, "w": bar_w * value / scale}
            for n, (option, value) in enumerate(figures.items())]
    return {
        "width": label_w + bar_w + 44, "height": row_h * 3 + pad * 2 + (12 if needed else 0),
        "label_w": label_w, "bar_w": bar_w, "row_h": row_h, "pad": pad, "rows": rows,
        "summary": summary, "title": f"{title}: " if title else "",
        "needed": int(needed) if needed else None,
        "needed_x": label_w + bar_w * int(needed or 0) / scale, "bottom": pad + row_h * 3,
    }


def tally_svg(yes: int, no: int, abstain: int, needed: int | None = None,
              title: str | None = None) -> str:
    """A vote's figures as a small horizontal bar chart in inline SVG.

    With `needed`, a dashed line on the row of votes in favour marks how many the
    majority required.
    """
    return str(macros(_TEMPLATE).tally_svg(_tally(yes, no, abstain, needed, title)))


def _majority(d: Decision) -> str:
    return {
        "simple": "simple majority of members present and voting",
        "two-thirds": "two-thirds majority of members present and voting",
        "nine-votes": f"procedural question: {d.needed} votes in favour",
        "nine-votes-no-veto": f"{d.needed} votes in favour, no permanent member against",
        "consensus": "adopted without a vote",
        "division": "all operative parts rejected",
    }.get(d.majority, d.majority)


def _outcome(decision: Decision) -> Any:
    """The outcome, in its colour, as markup (for a table cell)."""
    return macros(_TEMPLATE).outcome(decision.outcome.capitalize(),
                                     OUTCOME_COLOURS.get(decision.outcome, "#333"))


def decision_html(decision: Decision, figures: Figures | None = None,
                  heading: str | None = None) -> str:
    """A decision: outcome, the majority that applied, the rule, the arithmetic, a chart."""
    chart = (_tally(figures.yes, figures.no, figures.abstain, decision.needed or None)
             if figures is not None and decision.majority not in ("consensus", "division")
             else None)
    return str(macros(_TEMPLATE).decision({
        "heading": heading, "outcome": decision.outcome.capitalize(),
        "colour": OUTCOME_COLOURS.get(decision.outcome, "#333"),
        "majority": _majority(decision), "rules": ", ".join((decision.rule, *decision.also)),
        "explain": explain(decision, figures),
        "tally": chart,
        "vetoed_by": ", ".join(decision.vetoed_by),
    }))


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
            for rec in log.select(case.id, upto=case.version)
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
        return _boxed_table(self.columns, self.rows)


def _boxed_table(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A plain table in the notebook's box; every cell is shown as text, escaped."""
    cells = [[str(v) for v in row] for row in rows]
    return str(macros(_TEMPLATE).boxed_table([str(c) for c in columns], cells))


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
    page = macros(_TEMPLATE)
    rows: list[list[Any]] = []  # the outcome and arithmetic cells are markup from the template
    for d in s.decisions:
        tally = figures.get(d.version)
        chart = (_tally(tally.yes, tally.no, tally.abstain, d.decision.needed or None)
                 if tally is not None and d.decision.majority not in ("consensus", "division")
                 else None)
        rows.append([d.version, d.date or "", _body(d.body, case),
                     item_name(d.kind, d.on, article=False), _outcome(d.decision),
                     page.arithmetic(explain(d.decision, tally), chart)])
    return str(page.case(case.title, facts, rows))


def log_html(log: ProcedureLog) -> str:
    """The cases of a log as a table."""
    rows = [[c.id, c.title, c.state, c.version] for c in log.cases()]
    return _boxed_table(["case", "title", "state", "version"], rows)


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
