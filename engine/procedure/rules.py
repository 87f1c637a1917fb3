"""The rules that decide questions, as pure functions returning a `Decision`.

Each function cites the rule it applies. Editions: Rules of Procedure of the General
Assembly, A/520/Rev.20 (Main Committees: rules 96-133; plenary: rules 63-95); Charter of
the United Nations, Art. 18 and 27; Provisional Rules of Procedure of the Security
Council, S/96/Rev.7.
"""

from __future__ import annotations

from collections.abc import Collection

import attrs

from engine.procedure.errors import InvalidArgumentError, InvalidVoteError, NotInOrderError
from engine.procedure.tally import CheckedTally
from engine.procedure.words import Stage
from events import Decision

__all__ = [
    "ACTION_TOPICS", "CITE", "Tally", "check_parties_abstain", "check_quorum",
    "council_votes_needed", "decide_council",
    "decide_general_assembly", "decide_vote", "quorum_needed",
]

# Which rule governs what, per rule set (committee | plenary). A/520/Rev.20.
CITE: dict[str, dict[str, str]] = {
    Stage.COMMITTEE: {
        "quorum": "rule 108", "majority": "rule 125", "present_and_voting": "rule 126",
        "tie": "rule 133", "no_action": "rule 116", "motions": "rule 119",
        "circulation": "rule 120", "withdrawal": "rule 122", "reconsideration": "rule 123",
        "voting": "rule 128", "division": "rule 129", "amendments": "rule 130",
        "proposals": "rule 131", "important": "Charter Art. 18(2)", "revision": "rule 122",
        "explanation": "rule 128", "speeches": "rule 109", "time_limit": "rule 114",
        "speakers_list": "rule 115",
    },
    Stage.PLENARY: {
        "quorum": "rule 67", "majority": "rule 85", "present_and_voting": "rule 86",
        "tie": "rule 95", "no_action": "rule 74", "motions": "rule 77",
        "circulation": "rule 78", "withdrawal": "rule 80", "reconsideration": "rule 81",
        "voting": "rule 88", "division": "rule 89", "amendments": "rule 90",
        "proposals": "rule 91", "important": "Charter Art. 18(2), rule 83", "revision": "rule 80",
        "explanation": "rule 88", "speeches": "rule 68", "time_limit": "rule 72",
        "speakers_list": "rule 73",
    },
    Stage.COUNCIL: {
        "procedural": "Charter Art. 27(2)", "substantive": "Charter Art. 27(3)",
        "agenda": "S/96/Rev.7 rule 9, Charter Art. 27(2)", "referral": "Rome Statute Art. 13(b)",
        "motions": "S/96/Rev.7 rule 33", "withdrawal": "S/96/Rev.7 rule 35",
        "parties": "Charter Art. 27(3)", "explanation": "S/96/Rev.7",
        "amendments": "S/96/Rev.7 rules 33 and 36, Charter Art. 27(3)",
        "proposals": "S/96/Rev.7 rule 32",
    },
}


# The topic of CITE whose rule governs each action, where one does (the rule that allows
# it where it is in order).
ACTION_TOPICS: dict[str, str] = {
    "submit_draft": "proposals", "submit_agenda_item": "agenda", "add_sponsors": "proposals",
    "revise_orally": "revision",
    "submit_amendment": "amendments", "request_separate_vote": "division", "move": "motions",
    "withdraw": "withdrawal", "vote": "majority", "adopt_without_vote": "majority",
    "explain_vote": "explanation", "open_vote": "voting", "cast_ballot": "voting",
    "close_vote": "majority", "take_attendance": "quorum", "inscribe": "speeches",
    "speak": "speeches", "close_list": "speakers_list", "reply": "speakers_list",
    "limit_speeches": "time_limit", "add_draft": "proposals", "take_up": "proposals",
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


def decide_general_assembly(
    rules: str, tally: Tally, two_thirds: bool = False, basis: str = "important"
) -> Decision:
    """Decide a General Assembly question (a Main Committee's or the plenary's).

    Simple majority of members present and voting (rule 125 / 85): more yes than no, so
    a tie fails (rule 133 / 95). Two-thirds of members present and voting for an
    important question (Charter Art. 18(2), rule 83; `basis="important"`) or a
    reconsideration (rule 123 / 81; `basis="reconsideration"`). Abstentions never count
    (rule 126 / 86).
    """
    cite = CITE[rules]
    voting = tally.present_and_voting
    if two_thirds:
        needed = -(-2 * voting // 3)  # ceil(2/3 of those present and voting)
        adopted = voting > 0 and tally.yes >= needed
        return Decision(
            "adopted" if adopted else "rejected", "two-thirds", needed, voting, cite[basis],
            also=(cite["present_and_voting"],),
        )
    needed = voting // 2 + 1
    tie = voting > 0 and tally.yes == tally.no
    rule = cite["tie"] if tie else cite["majority"]
    return Decision(
        "adopted" if tally.yes > tally.no else "rejected", "simple", needed, voting, rule,
        tie=tie, also=(cite["present_and_voting"],),
    )


def council_votes_needed(members: int) -> int:
    """Affirmative votes a council decision needs: nine of fifteen (Art. 27(2) and (3)),
    seven of the eleven before the enlargement of 1966 (Art. 27 as signed in 1945).

    A declared council of another size (a Model UN council of 9, say) keeps the
    Charter's proportion, three fifths of its members rounded up: an extrapolation of
    ours, not a rule of the Charter. Not checked: whether the Council of eleven, between
    the amendment's entry into force (31 August 1965) and 1 January 1966, counted seven
    votes or nine; seven are counted here.
    """
    return {15: 9, 11: 7}.get(members, -(-3 * members // 5))


def decide_council(
    tally: Tally, procedural: bool, veto_holders: Collection[str], needed: int = 9
) -> Decision:
    """Decide a Security Council question.

    Procedural matters (the agenda among them): nine affirmative votes (Art. 27(2)).
    Other matters: nine affirmative votes including the concurring votes of the
    permanent members (Art. 27(3)); by consistent practice an abstention or absence of a
    permanent member is not a veto (ICJ, Namibia advisory opinion, 1971, para. 22). A
    draft with nine votes and a permanent member's "no" is vetoed; one with fewer than
    nine votes simply fails, whoever voted against it.
    """
    cite = CITE[Stage.COUNCIL]
    if procedural:
        outcome = "adopted" if tally.yes >= needed else "rejected"
        return Decision(outcome, "nine-votes", needed, tally.present_and_voting,
                        cite["procedural"])
    vetoed_by = tuple(m for m in tally.no_members if m in veto_holders)
    outcome = "rejected" if tally.yes < needed else "vetoed" if vetoed_by else "adopted"
    return Decision(outcome, "nine-votes-no-veto", needed, tally.present_and_voting,
                    cite["substantive"], vetoed_by=vetoed_by if outcome == "vetoed" else ())


def check_quorum(rules: str, present: int, members: int) -> None:
    """Refuse a decision without a quorum: a majority of the members present.

    Rule 108 (Main Committees) and rule 67 (plenary); the Security Council's decisions
    need nine votes whatever the attendance, so it has no separate quorum here.
    """
    if rules == Stage.COUNCIL:
        return
    needed = quorum_needed(members)
    if present < needed:
        raise NotInOrderError(
            "a decision", f"only {present} members are present and {needed} (a majority of "
            f"the {members} members) are needed for a quorum", CITE[rules]["quorum"])


def check_parties_abstain(
    tally: CheckedTally, parties: Collection[str], seats: Collection[str] = ()
) -> None:
    """A party to a dispute abstains in decisions under Chapter VI (Charter Art. 27(3)).

    A seated party must be seen not to vote: listed among the abstentions, or absent
    from complete lists of those for and against (otherwise it could hide in a count).
    """
    voting = set(tally.yes_members) | set(tally.no_members)
    offending = [p for p in parties if p in voting]
    if offending:
        raise InvalidVoteError(
            f"{', '.join(offending)} voted on a Chapter VI draft to which "
            f"{'it is' if len(offending) == 1 else 'they are'} a party; a party to a dispute "
            "shall abstain from voting (Charter Art. 27(3))")
    complete = len(tally.yes_members) == tally.yes and len(tally.no_members) == tally.no
    unseen = [p for p in parties if p in seats and p not in tally.abstain_members]
    if unseen and not complete:
        raise InvalidVoteError(
            f"{', '.join(unseen)}, a party to the dispute, must be seen to abstain on this "
            "Chapter VI draft: list it in abstain_members, or name every member voting yes "
            "and no (Charter Art. 27(3))")


def decide_vote(
    rules: str, kind: str, item: str, tally: CheckedTally, members: int,
    veto: Collection[str] = (), two_thirds: bool = False, parties: Collection[str] = (),
    seats: Collection[str] = (),
) -> Decision:
    """Decide a vote on an item of the given kind in a body following `rules`.

    `kind` is "draft", "amendment", "part", "motion" or "agenda"; `members` is the size
    of the body; `parties` names the parties to a dispute under Chapter VI.
    """
    check_quorum(rules, tally.present, members)
    if two_thirds and rules != Stage.PLENARY:
        raise InvalidArgumentError(
            'majority = "two-thirds" marks an important question, which only the plenary '
            "decides by two thirds (Charter Art. 18(2), rule 83); "
            + ("a Main Committee decides by a simple majority (rule 125)"
               if rules == Stage.COMMITTEE
               else "the Security Council decides by nine votes (Charter Art. 27)"))
    figures = Tally(tally.yes, tally.no, tally.abstain, tally.no_members)
    if rules == Stage.COUNCIL:
        procedural = kind in ("agenda", "motion")
        if not procedural:
            check_parties_abstain(tally, parties, seats)
            if tally.no and len(tally.no_members) != tally.no:
                raise InvalidArgumentError(
                    f"this Council vote has {tally.no} against on a non-procedural question: "
                    "no_members must name each of them, since a permanent member's vote "
                    f"against is a veto ({CITE['council']['substantive']})")
        return decide_council(figures, procedural, veto, council_votes_needed(members))
    if kind == "motion" and item == "reconsider":
        return decide_general_assembly(rules, figures, True, "reconsideration")
    return decide_general_assembly(rules, figures, two_thirds)
