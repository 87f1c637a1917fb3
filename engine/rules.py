"""The rules that decide questions, as pure functions returning a `Decision`.

Each function cites the rule it applies. Editions: Rules of Procedure of the General
Assembly, A/520/Rev.20 (Main Committees: rules 96-133; plenary: rules 63-95); Charter of
the United Nations, Art. 18 and 27; Provisional Rules of Procedure of the Security
Council, S/96/Rev.7.
"""

from __future__ import annotations

from collections.abc import Collection

import attrs

from events import Decision

__all__ = ["CITE", "Tally", "decide_council", "decide_general_assembly", "quorum_needed"]

# Which rule governs what, per rule set (committee | plenary). A/520/Rev.20.
CITE: dict[str, dict[str, str]] = {
    "committee": {
        "quorum": "rule 108", "majority": "rule 125", "present_and_voting": "rule 126",
        "tie": "rule 133", "no_action": "rule 116", "motions": "rule 119",
        "circulation": "rule 120", "withdrawal": "rule 122", "reconsideration": "rule 123",
        "voting": "rule 128", "division": "rule 129", "amendments": "rule 130",
        "proposals": "rule 131", "important": "Charter Art. 18(2)",
    },
    "plenary": {
        "quorum": "rule 67", "majority": "rule 85", "present_and_voting": "rule 86",
        "tie": "rule 95", "no_action": "rule 74", "motions": "rule 77",
        "circulation": "rule 78", "withdrawal": "rule 80", "reconsideration": "rule 81",
        "voting": "rule 88", "division": "rule 89", "amendments": "rule 90",
        "proposals": "rule 91", "important": "Charter Art. 18(2), rule 83",
    },
    "council": {
        "procedural": "Charter Art. 27(2)", "substantive": "Charter Art. 27(3)",
        "agenda": "S/96/Rev.7 rule 9, Charter Art. 27(2)", "referral": "Rome Statute Art. 13(b)",
        "motions": "S/96/Rev.7 rule 33", "withdrawal": "S/96/Rev.7 rule 35",
    },
}


@attrs.frozen(slots=True)
class Tally:
    """The figures of one vote."""

    yes: int
    no: int
    abstain: int
    no_members: tuple[str, ...] = ()

    @property
    def present_and_voting(self) -> int:
        """Members voting yes or no; abstentions do not count (rule 126 / 86)."""
        return self.yes + self.no


def quorum_needed(members: int) -> int:
    """Members who must be present for a decision: a majority of the members.

    Rule 108 (Main Committees) and rule 67 (plenary).
    """
    return members // 2 + 1


def decide_general_assembly(rules: str, tally: Tally, two_thirds: bool = False) -> Decision:
    """Decide a General Assembly question (a Main Committee's or the plenary's).

    Simple majority of members present and voting (rule 125 / 85): more yes than no, so
    a tie fails (rule 133 / 95). Two-thirds of members present and voting for an
    important question (Charter Art. 18(2), rule 83) or a reconsideration (rule 123 / 81).
    Abstentions never count (rule 126 / 86).
    """
    cite = CITE[rules]
    voting = tally.present_and_voting
    if two_thirds:
        needed = -(-2 * voting // 3)  # ceil(2/3 of those present and voting)
        adopted = voting > 0 and tally.yes >= needed
        return Decision(
            "adopted" if adopted else "rejected", "two-thirds", needed, voting,
            f"{cite['important']}; {cite['present_and_voting']}",
        )
    needed = voting // 2 + 1
    tie = voting > 0 and tally.yes == tally.no
    rule = cite["tie"] if tie else cite["majority"]
    return Decision(
        "adopted" if tally.yes > tally.no else "rejected", "simple", needed, voting,
        f"{rule}; {cite['present_and_voting']}", tie=tie,
    )


def decide_council(tally: Tally, procedural: bool, veto_holders: Collection[str]) -> Decision:
    """Decide a Security Council question.

    Procedural matters (the agenda among them): nine affirmative votes (Art. 27(2)).
    Other matters: nine affirmative votes including the concurring votes of the
    permanent members (Art. 27(3)); by consistent practice an abstention or absence of a
    permanent member is not a veto (ICJ, Namibia advisory opinion, 1971, para. 22). A
    draft with nine votes and a permanent member's "no" is vetoed; one with fewer than
    nine votes simply fails, whoever voted against it.
    """
    cite = CITE["council"]
    needed = 9
    if procedural:
        outcome = "adopted" if tally.yes >= needed else "rejected"
        return Decision(outcome, "nine-votes", needed, tally.present_and_voting,
                        cite["procedural"])
    vetoed_by = tuple(m for m in tally.no_members if m in veto_holders)
    if tally.yes < needed:
        outcome = "rejected"
    else:
        outcome = "vetoed" if vetoed_by else "adopted"
    return Decision(outcome, "nine-votes-no-veto", needed, tally.present_and_voting,
                    cite["substantive"], vetoed_by=vetoed_by if outcome == "vetoed" else ())
