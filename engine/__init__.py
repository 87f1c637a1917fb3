"""procedura's engine: what may happen in a procedure and what it means.

The library API in one breath::

    import engine
    log = engine.open(":memory:")
    case = log.new_case("demo", title="A demonstration")
    case.submit_draft(body="third-committee", symbol="L.1", title="Draft", sponsors=["Japan"])
    case.vote(on="L.1", yes=111, no=19, abstain=55)
    case.state  # "committee.approved"
"""

import sys

from engine.app import CaseSummary, ProcedureLog, open
from engine.bodies import BODIES, Body
from engine.case import Case
from engine.errors import (
    CaseExistsError,
    ConcurrencyError,
    ExpectationError,
    InvalidArgumentError,
    InvalidVoteError,
    LogError,
    NotInOrderError,
    ProcedureError,
    ScenarioError,
    UnknownCaseError,
    UnknownMemberError,
)
from engine.state import CaseState

__all__ = [
    "BODIES",
    "Body",
    "Case",
    "CaseExistsError",
    "CaseState",
    "CaseSummary",
    "ConcurrencyError",
    "ExpectationError",
    "InvalidArgumentError",
    "InvalidVoteError",
    "LogError",
    "NotInOrderError",
    "ProcedureError",
    "ProcedureLog",
    "ScenarioError",
    "UnknownCaseError",
    "UnknownMemberError",
    "open",
]

if "IPython" in sys.modules:  # in a notebook, show Decisions as HTML too
    from engine import notebook as _notebook

    _notebook.register()
