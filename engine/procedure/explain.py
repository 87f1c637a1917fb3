"""The arithmetic of a decision and the rule behind it, in words.

The sentence an error message gives when an `expect` does not hold, and the narration
gives after every vote: the figures, who counts (abstentions do not), the majority the
rule asks for, and the outcome.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from events.catalog import Decision

__all__ = ["Figures", "explain", "names", "plural", "verb"]


class Figures(Protocol):
    """Anything with yes, no and abstain counts."""

    yes: int
    no: int
    abstain: int


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def names(items: Sequence[str], limit: int = 4) -> str:
    """"A, B and C"; a long list is cut: "A, B, C, D and 54 others"."""
    items = list(items)
    if not items:
        return "no one"
    if len(items) > limit + 1:
        return ", ".join(items[:limit]) + f" and {len(items) - limit} others"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _do(count: int) -> str:
    return "does" if count == 1 else "do"


def verb(items: Sequence[str], one: str, many: str) -> str:
    return one if len(items) == 1 else many


def explain(decision: Decision, figures: Figures | None = None) -> str:
    """The arithmetic of a decision and the rule behind it, in one or two sentences."""
    if decision.majority == "consensus":
        return "Adopted without a vote: no member asked for one."
    if decision.majority == "division":
        return f"Every operative part was rejected, so the proposal falls as a whole " \
               f"({decision.rule}). Rejected."
    if figures is None:
        return f"{decision.outcome.capitalize()} ({decision.rule})."
    y, n, a = figures.yes, figures.no, figures.abstain
    head = f"{y} in favour, {n} against"
    absts = plural(a, "abstention", "abstentions")
    if decision.majority in ("simple", "two-thirds"):
        rule, counting = decision.rule, ", ".join(decision.also) or decision.rule
        if decision.tie:
            return (f"{head}: an equally divided vote, so the proposal is lost ({rule}); "
                    f"the {absts} {_do(a)} not count ({counting}). Rejected.")
        share = "two thirds of them" if decision.majority == "two-thirds" else "a majority"
        abstain_note = f"; the {absts} {_do(a)} not count ({counting})" if a else ""
        return (f"{head}: {decision.present_and_voting} members present and voting, so "
                f"{share}, {decision.needed}, {'was' if decision.needed == 1 else 'were'} "
                f"needed ({rule}){abstain_note}. {decision.outcome.capitalize()}.")
    head += f", {a} abstaining"
    if decision.majority == "nine-votes":
        return (f"{head}: a procedural decision needs {decision.needed} votes in favour and no "
                f"veto applies ({decision.rule}). {decision.outcome.capitalize()}.")
    if decision.outcome == "vetoed":
        return (f"{head}: the {decision.needed} votes in favour were there, but "
                f"{names(decision.vetoed_by)}, "
                f"{verb(decision.vetoed_by, 'a permanent member', 'permanent members')}, "
                f"voted against ({decision.rule}). Not adopted owing to the negative vote of a "
                "permanent member.")
    if decision.outcome == "rejected":
        return (f"{head}: {decision.needed} votes in favour were needed ({decision.rule}). "
                "The draft failed to obtain the required number of votes.")
    return (f"{head}: {decision.needed} votes in favour were needed and no permanent member "
            f"voted against ({decision.rule}); a permanent member's abstention is not a "
            "veto. Adopted.")
