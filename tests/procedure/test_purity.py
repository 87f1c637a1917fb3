"""The pure core does no I/O: `engine.procedure` imports no database, terminal or
template library and no outer layer, statically or at run time."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import engine.procedure

FORBIDDEN = ("sqlite3", "sqlite_utils", "events.log", "click", "rich", "jinja2",
             "engine.app", "engine.present", "engine.cli")
CORE = Path(engine.procedure.__file__).parent


def _forbidden(name: str) -> bool:
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN)


def test_no_module_of_the_core_imports_io_or_an_outer_layer() -> None:
    bad = []
    for path in sorted(CORE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            bad += [f"{path.name} imports {n}" for n in names if _forbidden(n)]
    assert not bad


def test_deciding_a_whole_case_loads_no_io_module() -> None:
    # `engine/__init__` is the library's facade (it opens logs), so the core is imported
    # under a bare `engine` package: what loads then is the core's own import closure.
    code = f"""
import importlib.util, sys, types
spec = importlib.util.find_spec("engine")
sys.modules["engine"] = bare = types.ModuleType("engine")
bare.__path__ = list(spec.submodule_search_locations)
from engine.procedure import (CaseState, OpenCase, SubmitAmendment, SubmitDraft, Transmit,
                              Vote, decide, evolve)
state = CaseState("dprk")
for command in (OpenCase(id="dprk", title="t"),
                SubmitDraft(body="third-committee", symbol="L.28", title="t",
                            sponsors=["Japan"], date="2014-11-14"),
                SubmitAmendment(symbol="L.28/A", proposers=["Cuba"], text="delete OP7"),
                Vote(on="L.28/A", yes=40, no=77, abstain=50),
                Vote(on="L.28", yes=111, no=19, abstain=55), Transmit(to="plenary")):
    for event in decide(state, command):
        state = evolve(state, event)
print(state.state)
print(sorted(m for m in sys.modules if any(m == f or m.startswith(f + ".") for f in {FORBIDDEN!r})))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out == ["plenary.tabled", "[]"]


def test_the_core_exports_decide_and_evolve() -> None:
    assert callable(engine.procedure.decide) and callable(engine.procedure.evolve)
