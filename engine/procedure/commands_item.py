"""Commands about the agenda item a case holds: another draft under it, and taking up the
next draft once one is decided (A/520/Rev.20 rule 91 in plenary, rule 131 in the Main
Committees: proposals relating to the same question are voted in the order of their
submission unless the body decides otherwise, and after each vote the body may decide
whether to vote on the next).

The motions about the item (the decision that a question is important, priority, the
postponement of the votes) are `move` motions; see `engine.procedure.decide_item`.
"""

from __future__ import annotations

import attrs

from engine.procedure.command_fields import Command, field, names, optional, text

__all__ = ["AddDraft", "TakeUp"]


@attrs.frozen(slots=True, kw_only=True)
class AddDraft(Command):
    """Submit another draft under the same agenda item, to the body the case is before.

    It is voted after the drafts submitted before it, unless the body decides otherwise
    (a carried `move` of "priority" naming it).
    """

    action = "add_draft"
    symbol: str = text("symbol")
    title: str = text("title")
    sponsors: tuple[str, ...] = names("sponsors", default=())
    operative_paragraphs: int | None = field("int", default=None)


@attrs.frozen(slots=True, kw_only=True)
class TakeUp(Command):
    """Take up the next draft of the item once the one before the body is decided.

    `symbol`, if given, must be the next draft in the order the body set.
    """

    action = "take_up"
    symbol: str | None = optional("symbol")
