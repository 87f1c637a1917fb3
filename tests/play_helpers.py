"""The scripted lessons the tests of `procedura play` share."""

from __future__ import annotations

import io
from pathlib import Path

import engine
from engine.app.scenarios import load_scenario, run_scenario
from engine.cli.play import run_lesson

DATE = "2014-11-18"
# Pick submit_draft by number, then answer its eight prompts (body takes the default).
SUBMIT = ["1", "", "L.1", "Human rights", "Japan, Italy", "", "", "", ""]
AMEND = 'submit_amendment symbol=A1 proposers=Cuba text="Delete OP7"'
VOTE_AMENDMENT = "vote on=A1 yes=40 no=77 abstain=50"
VOTE_DRAFT = "vote on=L.1 yes=111 no=19 abstain=55"


def play(lines: list[str], log: engine.ProcedureLog | None = None, **kwargs: object,
         ) -> tuple[engine.Case, str, engine.ProcedureLog]:
    """Run a lesson on scripted input; the case, everything printed, and the log."""
    log = log or engine.open(":memory:")
    out = io.StringIO()
    stdin = io.StringIO("".join(line + "\n" for line in lines))
    case = run_lesson(log, stdin=stdin, stdout=out, **kwargs)  # type: ignore[arg-type]
    return case, out.getvalue(), log


def listings(output: str) -> list[list[str]]:
    """Each "In order now:" list printed, as its entries."""
    found = []
    for block in output.split("In order now:\n")[1:]:
        entries = []
        for line in block.splitlines():
            if not line.startswith("  ") or ". " not in line:
                break
            entries.append(line.split(". ", 1)[1])
        found.append(entries)
    return found


def replayed(path: Path) -> engine.Case:
    """The case a saved scenario gives when run into a fresh log."""
    return run_scenario(engine.open(":memory:"), load_scenario(path))
