"""The `procedura` command: a thin shell over the library API.

Exit codes: 0 done; 1 an expectation failed (a scenario's `expect`, or `verify` found a
problem); 2 bad input or an action not in order. User errors print one clear message,
never a traceback. The commands live in `cases` (recording and reading cases), `tools`
(verify, diagram, what-if, play, export) and `data` (import, projections, queries).
"""

from engine.cli import cases, copy, data, proofs, research, serve, tools  # noqa: F401 - each module registers its commands
from engine.cli.base import cli, main

__all__ = ["cli", "main"]
