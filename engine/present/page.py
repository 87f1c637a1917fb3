"""The page: one self-contained HTML file for a case (``procedura export --format html``).

The page shows the case's timeline, the procedure graph as inline SVG (laid out here from
`engine.procedure.graph`) with the case's path and current state highlighted, every vote as a bar
chart with its arithmetic and the rule behind it, and a stepper (slider, previous/next
buttons, arrow keys) that walks through the case event by event.

Everything is inline: no network, no external files, so it works opened from file://.
Without JavaScript the page shows the case as it stands after its last event; the script
only adds the stepping. The HTML is the Jinja2 template ``templates/page.html`` (with
``diagram.html`` and ``page_parts.html``), rendered with autoescape by
`engine.present.templates`: this module computes what the page shows, the templates write
it, and every piece of user text is escaped, in the HTML and in the JSON data the script
reads.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Sequence
from typing import Any, NamedTuple

from engine.app.log import ProcedureLog
from engine.present.narrate import describe, explain, item_name
from engine.present.templates import macros, render
from engine.procedure.graph import STATES, TRANSITIONS
from engine.procedure.state import CaseState
from engine.procedure.words import Majority, Outcome, Stage, Word
from events import AdoptedWithoutVote, Decision, DeemedRejected, Recorded, VoteTaken

__all__ = ["diagram_svg", "render_html"]

# The lanes of the diagram: each stage under its label (from the one labels table).
STAGE_LABELS = {"new": ("Start", "new"),
                **{stage.value: (stage.label, f"{stage}.*") for stage in Stage}}


def _label(word: type[Word], value: str) -> str:
    """The label of a stored value, or the value itself if the vocabulary lacks it."""
    return word(value).label if value in set(word) else value

# Diagram geometry (SVG user units): node size, column and row pitch, left margin for the
# lane labels, lane padding (more where an arc jumps over a column), gap between lanes.
W, H, COL, ROW, X0, PAD, PAD_ARC, GAP = 170, 36, 270, 50, 210, 14, 42, 52
DECIDED = (VoteTaken, AdoptedWithoutVote, DeemedRejected)  # the events with a vote card


class Step(NamedTuple):
    """One event of the case, the state after it and the states it passed through."""

    rec: Recorded
    state: str
    hops: tuple[str, ...]


class Box(NamedTuple):
    """A state's place in the diagram."""

    x: float
    y: float
    stage: str
    rank: int

    @property
    def cx(self) -> float:
        return self.x + W / 2

    @property
    def cy(self) -> float:
        return self.y + H / 2


def _stage(state: str) -> str:
    return state.split(".")[0]


def _edges() -> dict[tuple[str, str], str]:
    """Every (source, dest) pair of the procedure graph, with its trigger(s)."""
    out: dict[tuple[str, str], str] = {}
    for trigger, sources, dest in TRANSITIONS:
        for source in [sources] if isinstance(sources, str) else sources:
            key = (source, dest)
            out[key] = f"{out[key]} / {trigger}" if key in out else trigger
    return out


def _steps(log: ProcedureLog, case_id: str) -> tuple[list[Step], CaseState]:
    """The case's events with the state after each and the states each passed through
    (tabled -> voting -> rejected), and the final state."""
    steps, final = [], CaseState(case_id)
    for entry, state in log.entries(case_id):
        steps.append(Step(entry.recorded, entry.state, tuple(dict.fromkeys(entry.path))))
        final = state
    return steps, final


def _layout(edges: Sequence[tuple[str, str]]) -> tuple[dict[str, Box], dict[str, float], float,
                                                         float]:
    """Place the states: one lane per stage, columns by rank within the stage."""
    index = {s: i for i, s in enumerate(STATES)}
    rank: dict[str, int] = {}
    for s in STATES:  # forward edges within a stage always point later in STATES
        preds = [rank[a] for a, b in edges
                 if b == s and _stage(a) == _stage(b) and index[a] < index[b]]
        rank[s] = max(preds) + 1 if preds else 0
    rows: dict[tuple[str, int], list[str]] = {}
    for s in STATES:
        rows.setdefault((_stage(s), rank[s]), []).append(s)
    boxes: dict[str, Box] = {}
    tops: dict[str, float] = {}
    y = 8.0
    for stage in dict.fromkeys(_stage(s) for s in STATES):
        members = [s for s in STATES if _stage(s) == stage]
        depth = max(len(rows[(stage, rank[s])]) for s in members)
        arcs = any(_stage(a) == _stage(b) == stage and rank[b] - rank[a] > 1 for a, b in edges)
        top = y + (PAD_ARC if arcs else PAD)
        for s in members:
            boxes[s] = Box(X0 + rank[s] * COL, top + rows[(stage, rank[s])].index(s) * ROW,
                           stage, rank[s])
        tops[stage] = y
        y = top + depth * ROW - (ROW - H) + PAD + GAP
    width = X0 + max(rank.values()) * COL + W + 40
    return boxes, tops, width, y - GAP + 8


def _pt(p: tuple[float, float]) -> str:
    return f"{p[0]:g},{p[1]:g}"


def _rounded(points: Sequence[tuple[float, float]], radius: float = 10) -> str:
    """An orthogonal polyline as an SVG path with rounded corners."""
    def toward(p: tuple[float, float], q: tuple[float, float], r: float) -> tuple[float, float]:
        d = math.dist(p, q) or 1
        return p[0] + (q[0] - p[0]) * r / d, p[1] + (q[1] - p[1]) * r / d

    out = [f"M{_pt(points[0])}"]
    for prev, p, nxt in zip(points, points[1:], points[2:], strict=False):
        r = min(radius, math.dist(prev, p) / 2, math.dist(p, nxt) / 2)
        out.append(f"L{_pt(toward(p, prev, r))}Q{_pt(p)} {_pt(toward(p, nxt, r))}")
    out.append(f"L{_pt(points[-1])}")
    return "".join(out)


Label = tuple[float, float, str]  # x, y, text-anchor


def _route(a: Box, b: Box, boxes: dict[str, Box], tops: dict[str, float],
           used: dict[str, int]) -> tuple[str, str, Label | None]:
    """The path of one edge: (kind, SVG path data, label position or None).

    Within a stage: a curve to the next column, an arc over the lane when a column is
    skipped, a dashed curve back for reconsideration. Between stages: straight down when
    nothing is in the way, else an orthogonal route through the gap above the target's
    lane, leaving by the left rail (from the first column) or by the right.
    """
    def take(key: str) -> int:
        used[key] = used.get(key, 0) + 1
        return used[key] - 1

    if a.stage == b.stage:
        if b.rank < a.rank:
            sy, ty, mx = a.cy + 9, b.cy + 9, (a.x + b.x + W) / 2
            return "back", f"M{a.x:g},{sy:g}C{mx:g},{sy:g} {mx:g},{ty:g} {b.x + W:g},{ty:g}", None
        if b.rank - a.rank > 1:
            top, sx, tx = a.y - 32, a.cx + 18, b.cx - 18
            d = f"M{sx:g},{a.y:g}C{sx:g},{top:g} {tx:g},{top:g} {tx:g},{b.y:g}"
            return "arc", d, ((a.cx + b.cx) / 2, a.y - 28, "middle")
        sx, tx = a.x + W, b.x
        mx = (sx + tx) / 2
        d = f"M{sx:g},{a.cy:g}C{mx:g},{a.cy:g} {mx:g},{b.cy:g} {tx:g},{b.cy:g}"
        return "forward", d, (tx - 8, b.cy - 6, "end")  # just above the arrowhead
    below = [s for s, o in boxes.items() if o.stage == a.stage and o.rank == a.rank and o.y > a.y]
    if a.rank == b.rank and not below and b.y - a.y < ROW * 2 + GAP + PAD_ARC:
        label = (a.cx + 8, (a.y + H + b.y) / 2 + 4, "start")
        return "down", f"M{a.cx:g},{a.y + H:g}L{b.cx:g},{b.y:g}", label
    if a.rank == 0:  # one rail per source, left of the first column
        rail = X0 - 18 - 8 * used.setdefault(f"rail:{a}", sum(k[:5] == "rail:" for k in used))
        if b.rank == 0:
            return "cross", _rounded([(a.x, a.cy), (rail, a.cy), (rail, b.cy), (b.x, b.cy)]), None
        sx, vx, anchor = a.x, rail, "start"
    else:
        sx, vx, anchor = a.x + W, a.x + W + 16 + 9 * take(f"side:{a}"), "end"
    track = tops[b.stage] - GAP + 16 + 16 * take(f"gap:{b.stage}")
    tx = b.cx - 14 * take(f"land:{b}")
    points = [(sx, a.cy), (vx, a.cy), (vx, track), (tx, track), (tx, b.y)]
    return "cross", _rounded(points), (vx + (16 if anchor == "start" else -16), track - 5, anchor)


def _graph(path: Sequence[str] = (), current: str | None = None) -> dict[str, Any]:
    """What the diagram draws: its size, the lanes, every edge's route and every node."""
    edges = _edges()
    boxes, tops, width, height = _layout(list(edges))
    visited, taken = set(path), set(itertools.pairwise(path))
    lanes = []
    for stage, top in tops.items():
        name, pattern = STAGE_LABELS.get(stage, (stage.capitalize(), f"{stage}.*"))
        bottom = max(b.y for b in boxes.values() if b.stage == stage) + H + PAD
        lanes.append({"stage": stage, "top": top, "bottom": bottom, "name": name,
                      "pattern": pattern})
    used: dict[str, int] = {}
    routes = []
    for (source, dest), trigger in edges.items():
        kind, d, label = _route(boxes[source], boxes[dest], boxes, tops, used)
        routes.append({"source": source, "dest": dest, "trigger": trigger, "kind": kind,
                       "d": d, "label": label, "taken": (source, dest) in taken})
    nodes = [{"state": state, "box": b, "label": state.split(".", 1)[-1],
              "visited": state in visited, "current": state == current}
             for state, b in boxes.items()]
    return {"width": width, "height": height, "w": W, "h": H, "lanes": lanes,
            "edges": routes, "nodes": nodes}


def diagram_svg(path: Sequence[str] = (), current: str | None = None) -> str:
    """The procedure graph as inline SVG; `path` states and their edges highlighted."""
    return str(macros("diagram.html").diagram(_graph(path, current)))


def _day(iso: str | None) -> str:
    """A procedural date as the UN writes it ("18 November 2014"); other text as it is."""
    try:
        day = dt.date.fromisoformat(iso or "")
    except ValueError:
        return iso or ""
    return f"{day.day} {day:%B %Y}"


def _when(iso: str | None) -> dict[str, str] | None:
    """A date for the templates' `date` macro: the ISO text and the day as written."""
    return {"iso": iso, "day": _day(iso)} if iso else None


def _timeline(steps: Sequence[Step], last: int) -> list[dict[str, Any]]:
    """Each event of the timeline: its sentence, its note and the state after it."""
    return [{"version": step.rec.version, "current": step.rec.version == last,
             "when": _when(step.rec.occurred_at), "type": step.rec.type,
             "text": describe(step.rec.event), "note": step.rec.note, "state": step.state,
             "via": step.hops[1:-1], "vote": isinstance(step.rec.event, DECIDED)}
            for step in steps]


def _bars(e: VoteTaken, d: Decision) -> list[dict[str, Any]]:
    """The rows of a vote's bar chart, the row in favour marking the votes needed."""
    total = max(e.yes + e.no + e.abstain, 1)
    mark = d.needed and d.majority not in ("consensus", "division")
    return [{"key": key, "label": label, "count": count, "pct": 100 * count / total,
             "needed": d.needed,
             "needed_at": min(100 * d.needed / total, 100) if key == "yes" and mark else None}
            for key, label, count in (("yes", "Yes", e.yes), ("no", "No", e.no),
                                      ("abstain", "Abstain", e.abstain))]


def _members(e: VoteTaken) -> list[dict[str, Any]]:
    """Who voted how, one column an option that names members."""
    return [{"key": key, "label": label, "names": names, "size": len(names)}
            for key, label, names in (("yes", "Yes", e.yes_members), ("no", "No", e.no_members),
                                      ("abstain", "Abstain", e.abstain_members))
            if names]


def _votes(steps: Sequence[Step], final: CaseState, last: int) -> list[dict[str, Any]]:
    """Each vote or decision without a vote: figures, outcome, arithmetic and rule."""
    out = []
    for step in steps:
        e, v = step.rec.event, step.rec.version
        if not isinstance(e, DECIDED):
            continue
        body = final.body_of(e.body)
        d = e.decision
        figures = e if isinstance(e, VoteTaken) else None
        kind = e.kind if not isinstance(e, DeemedRejected) else "draft"
        out.append({
            "version": v, "current": v == last, "when": _when(step.rec.occurred_at),
            "body": body.name if body else e.body,
            "item": item_name(kind, e.on, article=False),
            "amended": getattr(e, "as_amended", False),
            "outcome": d.outcome, "outcome_label": _label(Outcome, d.outcome),
            "how": (f"{e.method} vote" if isinstance(e, VoteTaken)
                    else "no vote" if isinstance(e, DeemedRejected) else "without a vote"),
            "bars": _bars(e, d) if isinstance(e, VoteTaken) else None,
            "explain": explain(d, figures), "vetoed_by": ", ".join(d.vetoed_by),
            "rule": d.rule, "majority": _label(Majority, d.majority),
            "need": (f"; {d.needed} of {d.present_and_voting} present and voting needed"
                     if figures and d.majority in ("simple", "two-thirds") else ""),
            "members": _members(e) if isinstance(e, VoteTaken) else [],
        })
    return out


def render_html(log: ProcedureLog, case_id: str) -> str:
    """The case as one self-contained HTML document (no network; works from file://).

    Raises `engine.UnknownCaseError` when the log holds no such case.
    """
    steps, final = _steps(log, case_id)
    last = steps[-1].rec.version
    path: list[str] = []
    for step in steps:
        path.extend(s for s in step.hops if not path or path[-1] != s)
    dates = [s.rec.occurred_at for s in steps if s.rec.occurred_at]
    data = {"case": case_id, "title": final.title, "steps": [
        {"version": s.rec.version, "date": _day(s.rec.occurred_at), "state": s.state,
         "hops": list(s.hops), "text": describe(s.rec.event)} for s in steps]}
    now = data["steps"][-1]
    return render(
        "page.html", title=final.title or case_id, case=case_id,
        span=[_when(d) for d in dict.fromkeys(dates[:1] + dates[-1:])],
        events=len(steps), votes=sum(isinstance(s.rec.event, VoteTaken) for s in steps),
        state=final.state, step=last, last=len(steps),
        caption=f"{now['date']}: {now['text']}" if now["date"] else now["text"],
        graph=_graph(path, final.state), timeline=_timeline(steps, last),
        decisions=_votes(steps, final, last), data=data,
    )
