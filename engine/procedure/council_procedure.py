"""The Security Council's own procedure: its motions, amendments to its drafts and its
voting methods (Provisional Rules of Procedure, S/96/Rev.7; Charter Art. 27).

- amendments to a Council draft are voted before the draft (rule 33 lists "to introduce
  an amendment" among the motions that precede a draft), in the order the President puts
  them, ordinarily the one furthest removed in substance first (rule 36); a vote on an
  amendment is not procedural, so it needs nine votes and no permanent member against
  (Charter Art. 27(3)): a permanent member's "no" vetoes it as it would the draft;
- the Council's procedural motions are those of rule 33, in its order: to suspend the
  meeting (1), to adjourn it (2) and to postpone discussion of the question (5); each is
  a procedural decision, nine votes with no veto (Art. 27(2)); the Assembly's motion to
  adjourn the debate (the "no-action motion") is not among them;
- the written procedure: from 27 March 2020 the Council, unable to meet in person
  (COVID-19), voted by letters under the procedure its President set out in S/2020/253;
  that is a voting method of the Council only, and only from that day.

Rule numbers checked against the text of S/96/Rev.7 as the UN publishes it (Chapter VI,
"Conduct of Business"): 31, 32, 33 and 34. Cited from the published rules but not read
here word for word: 35 (withdrawal) and 36 (the order of amendments). The end of the
written procedure (the Council met in person again in stages from mid-2020) is not
enforced: only its first day is.
"""

from __future__ import annotations

import datetime as dt

from engine.procedure.bodies import Body
from engine.procedure.errors import InvalidArgumentError, NotInOrderError
from engine.procedure.words import Method, Motion, Stage

__all__ = ["COUNCIL_MOTIONS", "RULE_33", "WRITTEN_FROM", "check_method", "check_motion"]

RULE_33 = "S/96/Rev.7 rule 33"
# Rule 33 (1), (2) and (5), in its order of precedence, which Motion's order keeps.
COUNCIL_MOTIONS: tuple[str, ...] = (Motion.SUSPEND_MEETING, Motion.ADJOURN_MEETING,
                                    Motion.POSTPONE)
# S/2020/253: letter of 27 March 2020 from the President of the Security Council.
WRITTEN_FROM = dt.date(2020, 3, 27)


def check_motion(stage: str | None, motion: str, allowed: tuple[str, ...] = ()) -> None:
    """Refuse, in the Council, a motion that rule 33 does not give it."""
    if stage != Stage.COUNCIL or motion in COUNCIL_MOTIONS:
        return
    raise NotInOrderError(
        f"move {motion}", "the Security Council's procedural motions are those of rule 33: "
        f"{', '.join(COUNCIL_MOTIONS)} (the motion to adjourn the debate is the General "
        "Assembly's)" if motion == Motion.ADJOURN_DEBATE else
        f"the Security Council's procedural motions are those of rule 33: "
        f"{', '.join(COUNCIL_MOTIONS)}", RULE_33, allowed)


def check_method(body: Body, method: str, day: dt.date) -> None:
    """Refuse the written procedure outside the Council, or before 27 March 2020."""
    if method != Method.WRITTEN:
        return
    if body.stage != Stage.COUNCIL:
        raise InvalidArgumentError(
            "the written procedure is a voting method of the Security Council (S/2020/253), "
            f"not of the {body.name}; use recorded, non-recorded or roll-call")
    if day < WRITTEN_FROM:
        raise InvalidArgumentError(
            f"the written procedure dates from {WRITTEN_FROM} (S/2020/253); a Council vote "
            f"on {day} was taken at a meeting")
