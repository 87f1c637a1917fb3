"""The procedure's closed vocabularies, as enums, and their labels in one table.

Every value is a `StrEnum`, so a member equals the plain string stored in the log and
shown in JSON ("adopted" == Outcome.ADOPTED): events keep plain data, and code compares
against names that cannot be misspelt. `LABELS` is the one table of words shown to
people for them; the page, the notebook, the narration and Popolo all read it.

Sources for the vocabularies: Rules of Procedure of the General Assembly, A/520/Rev.20
(motions, rules 116-119 / 74-77, 123 / 81, 129 / 89; methods of voting, rules 127-128 /
87-88); Charter of the United Nations, Art. 18 and 27 (majorities).
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "LABELS", "ItemKind", "Majority", "Method", "Motion", "Option", "Outcome", "Stage",
    "Status", "Word",
]


class Word(StrEnum):
    """A closed vocabulary whose members are their stored strings, each with a label."""

    @property
    def label(self) -> str:
        """The word shown to people for this value."""
        return LABELS[self]


class Stage(Word):
    """The stage of the procedure a case is at: the rule set of the body before it."""

    COMMITTEE = "committee"
    PLENARY = "plenary"
    COUNCIL = "council"


class Status(Word):
    """Where a case stands within its stage: the part of a state name after the dot."""

    TABLED = "tabled"
    VOTING = "voting"
    APPROVED = "approved"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    VETOED = "vetoed"
    NO_ACTION = "no_action"
    WITHDRAWN = "withdrawn"
    SEIZED = "seized"
    ON_AGENDA = "on_agenda"
    AGENDA_REJECTED = "agenda_rejected"


class Outcome(Word):
    """What a body decided on an item."""

    ADOPTED = "adopted"
    REJECTED = "rejected"
    VETOED = "vetoed"


class ItemKind(Word):
    """What a decision can be on."""

    DRAFT = "draft"
    AMENDMENT = "amendment"
    PART = "part"
    MOTION = "motion"
    AGENDA = "agenda"


class Majority(Word):
    """The majority that decided a question (the `majority` of a Decision)."""

    SIMPLE = "simple"
    TWO_THIRDS = "two-thirds"
    NINE_VOTES = "nine-votes"
    NINE_VOTES_NO_VETO = "nine-votes-no-veto"
    CONSENSUS = "consensus"
    DIVISION = "division"


class Option(Word):
    """How a member votes."""

    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


class Method(Word):
    """How a vote is taken (rules 127-128 / 87-88)."""

    RECORDED = "recorded"
    NON_RECORDED = "non-recorded"
    ROLL_CALL = "roll-call"
    # The Security Council's voting by letters of 2020 (S/2020/253), when it could not meet.
    WRITTEN = "written-procedure"


class Motion(Word):
    """Procedural motions, in their order of precedence (rule 119 / 77), then division
    (rule 129 / 89) and reconsideration (rule 123 / 81), which arise only where their
    own rules allow."""

    SUSPEND_MEETING = "suspend-meeting"
    ADJOURN_MEETING = "adjourn-meeting"
    ADJOURN_DEBATE = "adjourn-debate"
    CLOSE_DEBATE = "close-debate"
    DIVISION = "division"
    RECONSIDER = "reconsider"
    # Motions about the agenda item and its drafts, after those of rule 119 / 77 (which
    # have precedence over all other motions): the decision that a question is important
    # (Charter Art. 18(2)-(3), rule 85), priority between drafts (rule 91 / 131) and the
    # postponement of the votes on the item.
    IMPORTANT_QUESTION = "important-question"
    PRIORITY = "priority"
    POSTPONE = "postpone"


LABELS: dict[Word, str] = {
    Stage.COMMITTEE: "Main Committee",
    Stage.PLENARY: "General Assembly",
    Stage.COUNCIL: "Security Council",
    **{s: s.value.replace("_", " ") for s in Status},
    Outcome.ADOPTED: "Adopted",
    Outcome.REJECTED: "Rejected",
    Outcome.VETOED: "Vetoed",
    **{k: k.value for k in ItemKind},
    Majority.SIMPLE: "simple majority of members present and voting",
    Majority.TWO_THIRDS: "two-thirds majority of members present and voting",
    Majority.NINE_VOTES: "nine votes in favour (procedural question)",
    Majority.NINE_VOTES_NO_VETO: "nine votes in favour, no permanent member against",
    Majority.CONSENSUS: "adopted without a vote",
    Majority.DIVISION: "all operative parts rejected",
    Option.YES: "In favour",
    Option.NO: "Against",
    Option.ABSTAIN: "Abstaining",
    Method.RECORDED: "recorded vote",
    Method.NON_RECORDED: "non-recorded vote",
    Method.ROLL_CALL: "roll-call vote",
    Method.WRITTEN: "vote by written procedure",
    Motion.ADJOURN_DEBATE: "the adjournment of the debate (the no-action motion)",
    Motion.CLOSE_DEBATE: "the closure of the debate",
    Motion.SUSPEND_MEETING: "the suspension of the meeting",
    Motion.ADJOURN_MEETING: "the adjournment of the meeting",
    Motion.DIVISION: "the motion for division",
    Motion.RECONSIDER: "the reconsideration of the decision",
    Motion.IMPORTANT_QUESTION: "the proposal that the question is important",
    Motion.PRIORITY: "the motion for priority",
    Motion.POSTPONE: "the postponement of the votes on the item",
}

# What a carried motion does, said after its vote in the narration.
EFFECTS: dict[Motion, str] = {
    Motion.ADJOURN_DEBATE: "no action is taken on the draft",
    Motion.CLOSE_DEBATE: "the debate is closed and the body moves to the vote",
    Motion.SUSPEND_MEETING: "the meeting is suspended",
    Motion.ADJOURN_MEETING: "the meeting is adjourned",
    Motion.DIVISION: ("the parts will be voted separately, then the proposal as a whole; if "
                      "all its operative parts are rejected, the proposal is rejected as a "
                      "whole"),
    Motion.RECONSIDER: "the draft will be voted on again",
    Motion.IMPORTANT_QUESTION: ("the question is important: the draft, its amendments and "
                                "its parts need two thirds of the members present and voting"),
    Motion.PRIORITY: "the draft it names is voted first",
    Motion.POSTPONE: "the votes on the item are postponed",
}
