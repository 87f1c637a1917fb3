"""Deciding what concerns the agenda item a case holds, and its several drafts.

Sources, A/520/Rev.20 and the Charter:
- rule 91 (plenary) / 131 (Main Committees): "If two or more proposals relate to the same
  question, the General Assembly shall, unless it decides otherwise, vote on the proposals
  in the order in which they have been submitted. The General Assembly may, after each
  vote on a proposal, decide whether to vote on the next proposal." The priority motion
  is how a body "decides otherwise": a procedural question, taken by simple majority.
- Charter Art. 18(2): important questions are decided by two thirds of the members
  present and voting (rule 83); rule 84 extends that to their amendments and to parts
  voted separately (in the rules since resolution 475 (V) of 1950); Art. 18(3) and rule
  85: "the determination of additional categories of questions to be decided by a
  two-thirds majority" is made by a majority of the members present and voting. The
  plenary alone applies Art. 18(2): a Main Committee decides by simple majority (rule
  125), so the important-question vote is a plenary motion.
- the postponement of the votes on an item: A/520/Rev.20 names no such motion; the
  Assembly takes it as a procedural decision by simple majority (rule 85 / 125), which
  is what procedura applies, citing those rules and saying so.
The wording above is quoted from the rules as published online (A/520/Rev.17 and later
carry the same numbering); the printed A/520/Rev.20 was not available to check against.
"""

from __future__ import annotations

import datetime as dt

from engine.procedure import checks, observers
from engine.procedure.commands import Move, Vote
from engine.procedure.commands_item import AddDraft, TakeUp
from engine.procedure.errors import InvalidArgumentError, NotInOrderError
from engine.procedure.order import MOTIONS, classify
from engine.procedure.state import CaseState
from engine.procedure.state_item import queued
from engine.procedure.words import ItemKind, Majority, Motion, Stage
from events.catalog import DraftAdded, DraftTakenUp
from events.codec import Event

__all__ = ["add_draft", "check_item_motion", "needs_two_thirds", "postponed", "take_up"]

_ORDER = {Stage.COMMITTEE: "rule 131", Stage.PLENARY: "rule 91"}
_PROCEDURAL = {Stage.COMMITTEE: "rule 125", Stage.PLENARY: "Charter Art. 18(3), rule 85"}


def _order_rule(s: CaseState) -> str:
    return _ORDER.get(s.stage or "", "rule 91 / 131")


def add_draft(s: CaseState, c: AddDraft) -> tuple[Event, ...]:
    """Another draft under the item, voted after those submitted before it."""
    checks.require(s, c.action)
    if s.stage == Stage.COUNCIL:
        raise NotInOrderError("add_draft", "the Security Council votes on each draft as its "
                              "own case here; competing drafts under one item are the "
                              "General Assembly's (rule 91 / 131)", allowed=checks.in_order(s))
    if classify(s, c.symbol)[0] or c.symbol in MOTIONS:
        raise InvalidArgumentError(f"symbol {c.symbol!r} is already used in this case")
    paragraphs = c.operative_paragraphs
    if paragraphs is not None and (isinstance(paragraphs, bool) or
                                   not isinstance(paragraphs, int) or paragraphs < 1):
        raise InvalidArgumentError("operative_paragraphs must be a whole number of at "
                                   f"least 1, not {paragraphs!r}")
    sponsors = observers.sponsors(s, c.sponsors, checks.on_date(s, c.date))
    return (DraftAdded(c.symbol, c.title, sponsors, paragraphs),)


def take_up(s: CaseState, c: TakeUp) -> tuple[Event, ...]:
    """The next draft of the item, once the one before the body is decided."""
    checks.require(s, c.action)
    rule = _order_rule(s)
    if not s.agenda.queue:
        raise NotInOrderError("take_up", "no other draft of the item is waiting", rule,
                              checks.in_order(s))
    following = s.agenda.queue[0]
    if c.symbol is not None and c.symbol not in following.symbols:
        reason = (f"{following.symbol} comes next: drafts are voted in the order of "
                  "submission unless the body decided otherwise")
        raise NotInOrderError(f"take_up {c.symbol}", reason, rule, checks.in_order(s))
    return (DraftTakenUp(following.symbol),)


def check_item_motion(s: CaseState, c: Move) -> None:
    """Refuse a motion about the item that the case does not allow; `move` has already
    checked that it is moved before the decision and is not pending."""
    attempted = f"move {c.motion}"
    current = s.draft.symbol if s.draft else ""
    if c.motion == Motion.IMPORTANT_QUESTION:
        if s.stage != Stage.PLENARY:
            raise NotInOrderError(attempted, "only the plenary decides important questions by "
                                  "two thirds; a Main Committee decides by a simple majority",
                                  "Charter Art. 18(2), rule 125", checks.in_order(s))
        target = c.target or current
        if target != current and queued(s, target) is None:
            raise InvalidArgumentError(f"target {target!r} is no draft of this item")
        if target in s.agenda.important or target in s.agenda.not_important:
            raise NotInOrderError(attempted, f"the Assembly has already decided whether "
                                  f"{target} is an important question",
                                  _PROCEDURAL[Stage.PLENARY], checks.in_order(s))
    elif c.motion == Motion.PRIORITY:
        if not s.agenda.queue:
            raise NotInOrderError(attempted, "the item has one draft: there is nothing to "
                                  "give priority over", _order_rule(s), checks.in_order(s))
        if c.target is None or queued(s, c.target) is None:
            raise InvalidArgumentError(
                f"a motion for priority names the draft to be voted first (target), one of "
                f"{', '.join(s.agenda.symbols())}; {current} is already first")
        if any(a.status == "pending" for a in s.amendments.values()) or \
                any(v == "pending" for v in s.parts.values()):
            raise NotInOrderError(attempted, f"amendments or separate votes on {current} are "
                                  "pending; procedura keeps them with the draft they were "
                                  "moved on, so priority is decided before them",
                                  _order_rule(s), checks.in_order(s))
    elif c.motion == Motion.POSTPONE and c.target is not None:
        try:
            day = dt.date.fromisoformat(c.target)
        except ValueError:
            raise InvalidArgumentError("a postponement names the day the votes are "
                                       f"postponed to (YYYY-MM-DD), not {c.target!r}") from None
        moved_on = checks.on_date(s, c.date)
        if day <= moved_on:
            raise InvalidArgumentError(f"votes are postponed to a day after {moved_on}, not "
                                       f"to {day}")
    elif c.motion == Motion.ADJOURN_DEBATE and c.target is not None and s.agenda.queue \
            and c.target != current and queued(s, c.target) is None:
        raise InvalidArgumentError(
            f"target {c.target!r} is no draft of this item (drafts: {current}, "
            f"{', '.join(s.agenda.symbols())}); without a target the motion covers the "
            "whole item")


def needs_two_thirds(s: CaseState, kind: str, c: Vote) -> bool:
    """Whether a vote needs two thirds: asked for (`majority="two-thirds"`), or on a draft,
    an amendment or a part of a draft the Assembly decided is an important question
    (Charter Art. 18(2); rule 84 for amendments and parts)."""
    current = s.draft.symbol if s.draft else None
    decided = kind in (ItemKind.DRAFT, ItemKind.AMENDMENT, ItemKind.PART) and current
    if decided and current in s.agenda.important:
        if c.majority == Majority.SIMPLE:
            raise NotInOrderError(f"vote on {current} by a simple majority", "the Assembly "
                                  "decided that it is an important question",
                                  "Charter Art. 18(2), rule 83, rule 85", checks.in_order(s))
        return True
    if decided and current in s.agenda.not_important and c.majority == Majority.TWO_THIRDS:
        raise NotInOrderError(f"vote on {current} by two thirds", "the Assembly decided that "
                              "it is not an important question", _PROCEDURAL[Stage.PLENARY],
                              checks.in_order(s))
    return c.majority == Majority.TWO_THIRDS


def postponed(s: CaseState, action: str, when: str | None) -> None:
    """Refuse a decision on the item before the day the body postponed its votes to."""
    day = when or s.last_date or ""
    rule = _PROCEDURAL.get(s.stage or "", "rule 85 / 125")
    if s.agenda.postponed_to and day < s.agenda.postponed_to:
        raise NotInOrderError(f"{action} on {day or 'an undated day'}", "the body postponed "
                              f"the votes on the item to {s.agenda.postponed_to}", rule,
                              checks.in_order(s))
    if s.agenda.postponed_after and day <= s.agenda.postponed_after:
        raise NotInOrderError(f"{action} on {day or 'an undated day'}", "the body postponed "
                              f"the votes on the item on {s.agenda.postponed_after} to a "
                              "later meeting; date the vote after that day", rule,
                              checks.in_order(s))
