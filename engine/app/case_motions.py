"""The actions on procedural motions (rules 116-119 / 74-77, and reconsideration, rule
123 / 81) and the withdrawal of a draft, an amendment or a motion (rule 122 / 80).
"""

from __future__ import annotations

from engine.app.case_core import CaseCore, action
from engine.procedure import arguments as arg
from engine.procedure.arguments import Date
from engine.procedure.errors import InvalidArgumentError, NotInOrderError
from engine.procedure.order import MOTIONS, classify
from events import MotionMoved, Withdrawn

__all__ = ["MotionActions"]


class MotionActions(CaseCore):
    """Motions and withdrawal: the case's actions on whether a text is decided, and when."""

    @action
    def move(
        self, *, motion: str, by: str, target: str | None = None, date: Date = None,
        actor: str | None = None, note: str | None = None,
    ) -> None:
        """Move a procedural motion; it is put to the vote before anything else.

        Motions: "adjourn-debate" (the no-action motion, rule 116 / 74), "close-debate",
        "suspend-meeting", "adjourn-meeting" (rules 117-119 / 75-77), and "reconsider"
        (rule 123 / 81), moved after a decision on the draft.
        """
        self._require("move")
        arg.choice(motion, "motion", tuple(m for m in MOTIONS if m != "division"))
        s = self._state
        decided = not self.state.endswith(".tabled")
        if motion == "reconsider" and not decided:
            raise NotInOrderError("move reconsider", "the draft has not been decided yet, so "
                                  "there is nothing to reconsider", self._cite("reconsideration"),
                                  self.in_order())
        if motion != "reconsider" and decided:
            raise NotInOrderError(f"move {motion}", f"the draft has been decided ({self.state});"
                                  " only its reconsideration may be moved now",
                                  self._cite("reconsideration"), ("move reconsider",))
        if motion in s.motions:
            raise NotInOrderError(f"move {motion}", "that motion is already pending",
                                  allowed=self.in_order())
        when = arg.iso_date(date, "move")
        mover = self._seated((arg.text(by, "by"),), "by", self._on(when))[0]
        self._record([MotionMoved(motion, mover, arg.optional_text(target, "target"))], when,
                     actor, note)

    @action
    def withdraw(
        self, *, symbol: str, date: Date = None, actor: str | None = None,
        note: str | None = None,
    ) -> None:
        """Withdraw a draft, an amendment or a motion before voting on it began.

        Rule 122 / 80: a proposal may be withdrawn at any time before voting on it has
        commenced, provided it has not been amended.
        """
        self._require("withdraw")
        s, cite = self._state, self._cite("withdrawal")
        kind, item = classify(s, arg.text(symbol, "symbol"))
        attempted = f"withdraw {symbol}"
        if s.motions and not (kind == "motion" and item in s.motions):
            raise NotInOrderError(attempted, f"the motion {', '.join(s.motions)} is pending and "
                                  "is voted at once", self._cite("no_action"), self.in_order())
        if kind == "motion" and item in s.motions:
            pass
        elif kind == "amendment":
            if s.amendments[item].status != "pending":
                raise NotInOrderError(attempted, f"the amendment was already "
                                      f"{s.amendments[item].status}", cite, self.in_order())
        elif kind == "draft":
            if not self.state.endswith(".tabled"):
                raise NotInOrderError(attempted, "voting on the draft has begun", cite,
                                      self.in_order())
            if s.draft and s.draft.revisions and s.amended:
                raise NotInOrderError(attempted, "the draft has been amended", cite,
                                      self.in_order())
        else:
            raise InvalidArgumentError(f"nothing called {symbol!r} can be withdrawn in this "
                                       "case (a draft, a pending amendment or a pending motion)")
        when = arg.iso_date(date, "withdraw")
        self._record([Withdrawn(item, kind)], when, actor, note)
