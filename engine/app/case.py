"""The case aggregate: one draft's path through the bodies, and the actions on it.

Each action is a method with the same keyword arguments as a scenario step (DESIGN §6),
so a scenario file and a Python script are interchangeable. An action checks itself
against the current state and the rules, builds its events, appends them to the log in
one transaction, then applies them through `engine.procedure.state.apply`, the function replay
uses. An action that is not in order raises a `ProcedureError` and appends nothing.

The actions are written by concern, on the machinery they share (`engine.app.case_core`):
texts (`engine.app.case_texts`), motions and withdrawal (`engine.app.case_motions`), and
decisions (`engine.app.case_decisions`). `Case` puts them together; import from here.
"""

from __future__ import annotations

from engine.app.case_core import ACTIONS, action, command_event_id, in_order
from engine.app.case_decisions import METHODS as METHODS
from engine.app.case_decisions import OUTCOMES as OUTCOMES
from engine.app.case_decisions import TRANSMIT as TRANSMIT
from engine.app.case_decisions import DecisionActions, decide, vote_seats
from engine.app.case_motions import MotionActions
from engine.app.case_texts import TextActions

# METHODS, OUTCOMES and TRANSMIT are imported "as" themselves to stay importable from
# here, where callers found them, without joining `*`.
__all__ = ["ACTIONS", "Case", "action", "command_event_id", "decide", "in_order", "vote_seats"]


# The API docs list inherited actions from the last base to the first: texts, motions,
# decisions, the order of a case's life.
class Case(DecisionActions, MotionActions, TextActions):
    """A case: one stream in the log. Get one from `log.new_case` or `log.case`."""

    def __repr__(self) -> str:
        return f"<Case {self.id!r} {self.state} v{self.version}>"

