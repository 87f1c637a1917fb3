"""A case that opens on a Security Council agenda item, with no Assembly text before it
(Provisional Rules of Procedure of the Security Council, S/96/Rev.7, chapters I and II).

- the President calls a meeting at the request of any member of the Council (rule 2), or
  when a dispute or situation is brought to the Council's attention (rule 3: by a Member
  State under Charter Art. 35, by the General Assembly, by the Secretary-General under
  Art. 99); who asked is recorded (`requested_by`, any Member State on the day), with
  the letter that asked (`document`);
- the provisional agenda of each meeting is drawn up by the Secretary-General and
  approved by the President (rule 7), and communicated to the representatives (rule 8);
- the first item of the provisional agenda of each meeting is the adoption of the agenda
  (rule 9). That vote is procedural: nine affirmative votes, and a permanent member's
  "no" is no veto (Charter Art. 27(2)). Adopted, the item is on the agenda and a draft
  may be submitted under it (`council.on_agenda`); not adopted, the meeting does not
  take the item up, and the case ends in `council.agenda_rejected`.

Rules 2, 3, 7, 8 and 9 checked against the text of S/96/Rev.7 as the UN publishes it
(English, and the French "Règlement intérieur provisoire"). Not modelled: rule 8's three
days' notice (in urgent cases the provisional agenda goes out with the notice of the
meeting, and the records seldom say when it was communicated); rule 7's limit on what
may be placed on the provisional agenda (the communications of rule 6 and items carried
over) is taken as met; a non-member State bringing a dispute (Art. 35(2)) cannot be named
among `requested_by`, which seats only Member States.
"""

from __future__ import annotations

import attrs

from engine.procedure import checks
from engine.procedure.bodies import BODIES
from engine.procedure.command_fields import Command, names, optional, text
from engine.procedure.errors import InvalidArgumentError, NotInOrderError
from engine.procedure.graph import State
from engine.procedure.state import CaseState
from engine.procedure.words import Stage
from events.catalog import AgendaItemSubmitted
from events.codec import Event

__all__ = ["ONE_QUESTION", "RULE_7", "SubmitAgendaItem", "submit_agenda_item"]

RULE_7 = "S/96/Rev.7 rule 7"
# Not a rule of the Council: how procedura keeps a case, one question from its first
# action (a draft's path through the bodies, or a Council item and what follows it).
ONE_QUESTION = "procedura's cases: one question a case, from its first action"


@attrs.frozen(slots=True, kw_only=True)
class SubmitAgendaItem(Command):
    """Open a case on an item of the Security Council's provisional agenda (S/96/Rev.7
    rule 7), with no Assembly text before it; the Council's first decision is then the
    adoption of its agenda (rule 9), a procedural vote (`vote on="agenda"`).

    `item` is the agenda item as the provisional agenda words it ("The situation in the
    Middle East"); `requested_by`, the States whose request called the meeting (rules 2
    and 3); `document`, the letter that asked for it (e.g. "S/2014/872").
    """

    action = "submit_agenda_item"
    item: str = text("item")
    body: str = text("body")
    requested_by: tuple[str, ...] = names("requested_by", default=())
    document: str | None = optional("document")


def submit_agenda_item(s: CaseState, c: SubmitAgendaItem) -> tuple[Event, ...]:
    """The item on the provisional agenda of a Council meeting: a case's first action."""
    if s.state != State.NEW:
        # Named here rather than by `require`, which would cite no rule for it.
        raise NotInOrderError(
            "submit_agenda_item", f"the case is {s.state}; a Council agenda item opens a "
            "case, and this case already follows its question (a Council draft goes in "
            "with submit_draft once the item is on the agenda)", ONE_QUESTION,
            checks.in_order(s))
    checks.require(s, c.action)
    found = s.body_of(c.body)
    if found is None:
        known = ", ".join([*s.bodies, *BODIES])
        raise InvalidArgumentError(f"unknown body {c.body!r}; bodies: {known}")
    if found.stage != Stage.COUNCIL:
        raise NotInOrderError(
            f"submit_agenda_item to {c.body}", f"the provisional agenda adopted by a vote "
            f"at the opening of each meeting is the Security Council's; the {found.name} "
            "takes a text with submit_draft", RULE_7, ("submit_draft",))
    requested = checks.seated(s, c.requested_by, "requested_by", checks.on_date(s, c.date),
                              found)
    return (AgendaItemSubmitted(found.id, c.item, requested, c.document),)
