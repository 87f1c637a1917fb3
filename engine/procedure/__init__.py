"""The pure core of procedura: what may happen in a procedure and what it means.

No I/O: nothing here opens a file or a database, prints, or reads the log. A case is
decided and evolved in memory::

    from engine.procedure import CaseState, OpenCase, SubmitDraft, Vote, decide, evolve

    state = CaseState("demo")
    for command in (OpenCase(id="demo", title="A draft"),
                    SubmitDraft(body="third-committee", symbol="L.1", title="Draft"),
                    Vote(on="L.1", yes=111, no=19, abstain=55)):
        for event in decide(state, command):
            state = evolve(state, event)
    state.state  # "committee.approved"
"""

from engine.procedure.checks import in_order
from engine.procedure.commands import (
    COMMANDS,
    AddSponsors,
    AdoptWithoutVote,
    Command,
    ExplainVote,
    Move,
    OpenCase,
    RequestSeparateVote,
    ReviseOrally,
    SubmitAmendment,
    SubmitDraft,
    Transmit,
    Vote,
    Withdraw,
    command_of,
)
from engine.procedure.decide import decide
from engine.procedure.graph import STATES, State
from engine.procedure.state import CaseState, evolve, step

__all__ = [
    "COMMANDS", "STATES", "AddSponsors", "AdoptWithoutVote", "CaseState", "Command",
    "ExplainVote", "Move", "OpenCase", "RequestSeparateVote", "ReviseOrally", "State",
    "SubmitAmendment", "SubmitDraft", "Transmit", "Vote", "Withdraw", "command_of",
    "decide", "evolve", "in_order", "step",
]
