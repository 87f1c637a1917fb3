"""The procedure graph drawn from the state machine's own definition.

`mermaid` and `dot` write text a renderer draws; `svg` runs Graphviz's `dot`. A case's
path (the states it passed through) and its current state can be highlighted.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence

from engine.procedure.errors import ProcedureError
from engine.procedure.graph import STATES, TRANSITIONS
from engine.procedure.words import Stage

__all__ = ["FORMATS", "dot", "edges", "mermaid", "svg"]

FORMATS = ("mermaid", "dot", "svg")


def edges() -> list[tuple[str, str, str]]:
    """(source, trigger, destination) for every transition, in definition order."""
    out = []
    for trigger, sources, dest in TRANSITIONS:
        for source in [sources] if isinstance(sources, str) else sources:
            out.append((source, trigger, dest))
    return out


def _node(state: str) -> str:
    return state.replace(".", "_")


def mermaid(current: str | None = None, path: Sequence[str] = ()) -> str:
    """A Mermaid state diagram; the path is styled, the current state stands out."""
    lines = ["stateDiagram-v2"]
    lines += [f'    state "{s}" as {_node(s)}' for s in STATES]
    lines.append("    [*] --> new")
    lines += [f"    {_node(a)} --> {_node(b)}: {t}" for a, t, b in edges()]
    visited = [s for s in dict.fromkeys(path) if s != current]
    if visited:
        lines.append("    classDef visited fill:#dbeafe,stroke:#1d4ed8")
        lines.append(f"    class {','.join(_node(s) for s in visited)} visited")
    if current:
        lines.append("    classDef current fill:#1d4ed8,color:#ffffff,stroke:#1e3a8a,"
                     "stroke-width:3px")
        lines.append(f"    class {_node(current)} current")
    return "\n".join(lines) + "\n"


def dot(current: str | None = None, path: Sequence[str] = ()) -> str:
    """A Graphviz digraph, one cluster per stage; the path and current state filled."""
    visited = set(path)
    lines = ["digraph procedure {", "  rankdir=LR;", '  node [shape=box, style="rounded,filled", '
             'fillcolor=white, fontname="Helvetica"];']
    for stage in Stage:
        lines.append(f'  subgraph cluster_{stage} {{ label="{stage}"; color=gray;')
        for s in STATES:
            if s.startswith(stage + "."):
                fill = "#1d4ed8" if s == current else "#dbeafe" if s in visited else "white"
                font = ", fontcolor=white" if s == current else ""
                lines.append(f'    "{s}" [fillcolor="{fill}"{font}];')
        lines.append("  }")
    lines.append(f'  "new" [fillcolor="{"#1d4ed8" if current == "new" else "#dbeafe"}"];')
    for a, t, b in edges():
        lines.append(f'  "{a}" -> "{b}" [label="{t}", fontsize=10];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def svg(current: str | None = None, path: Sequence[str] = ()) -> str:
    """The diagram as SVG, drawn by Graphviz's `dot` program."""
    program = shutil.which("dot")
    if program is None:
        raise ProcedureError("SVG needs the Graphviz `dot` program, which is not installed "
                             "(Debian: apt-get install graphviz); --format mermaid or --format "
                             "dot work without it")
    done = subprocess.run([program, "-Tsvg"], input=dot(current, path), capture_output=True,
                          text=True, timeout=60, check=False)
    if done.returncode:
        raise ProcedureError(f"dot failed: {done.stderr.strip()}")
    return done.stdout
