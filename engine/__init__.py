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

from engine.app.case import Case
from engine.app.log import CaseSummary, ProcedureLog, open
from engine.procedure.bodies import BODIES, Body
from engine.procedure.errors import (
    CaseExistsError,
    ConcurrencyError,
    DamagedLogError,
    ExpectationError,
    InvalidArgumentError,
    InvalidVoteError,
    LogError,
    LogFullError,
    NotInOrderError,
    ProcedureError,
    ScenarioError,
    UnknownCaseError,
    UnknownMemberError,
)
from engine.procedure.state import CaseState

__all__ = [
    "BODIES",
    "Body",
    "Case",
    "CaseExistsError",
    "CaseState",
    "CaseSummary",
    "ConcurrencyError",
    "DamagedLogError",
    "ExpectationError",
    "InvalidArgumentError",
    "InvalidVoteError",
    "LogError",
    "LogFullError",
    "NotInOrderError",
    "ProcedureError",
    "ProcedureLog",
    "ScenarioError",
    "UnknownCaseError",
    "UnknownMemberError",
    "open",
]

if "IPython" in sys.modules:  # in a notebook, show Decisions as HTML too
    from engine.present import notebook as _notebook

    _notebook.register()
