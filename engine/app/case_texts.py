"""The actions that put a text before a body and change it: the draft, its sponsors and
oral revisions, amendments, and requests to vote on parts of the draft separately.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from engine.app.case_core import CaseCore, action
from engine.procedure import arguments as arg
from engine.procedure import rules
from engine.procedure.arguments import Date
from engine.procedure.bodies import BODIES
from engine.procedure.errors import InvalidArgumentError, NotInOrderError
from engine.procedure.order import MOTIONS, classify
from events import (
    AmendmentSubmitted,
    DraftRevisedOrally,
    DraftSubmitted,
    SeparateVoteRequested,
    SponsorsAdded,
)

__all__ = ["TextActions"]

_PART = re.compile(r"^(?:(OP|PP)([1-9][0-9]*)|part-[\w.-]+)$")


class TextActions(CaseCore):
    """Submitting and changing texts: the case's actions on drafts and amendments."""

    @action
    def submit_draft(
        self, *, body: str, symbol: str, title: str, sponsors: Sequence[str] = (),
        chapter: str | None = None, referral: str | None = None,
        operative_paragraphs: int | None = None, parties: Sequence[str] = (),
        date: Date = None, actor: str | None = None, note: str | None = None,
    ) -> None:
        """Submit a draft resolution to a body (a Main Committee, the plenary, the Council).

        `chapter` ("VI" or "VII") and `parties` concern Council drafts; `referral` names
        the court a Council draft refers the situation to (Rome Statute Art. 13(b)).
        """
        self._require("submit_draft")
        found = self._state.body_of(arg.text(body, "body"))
        if found is None:
            known = ", ".join([*self._state.bodies, *BODIES])
            raise InvalidArgumentError(f"unknown body {body!r}; bodies: {known}")
        if self.state == "council.on_agenda" and found.stage != "council":
            raise NotInOrderError(f"submit_draft to {body}", "the case is on the Security "
                                  "Council's agenda; only a Council draft can be submitted now",
                                  allowed=self.in_order())
        arg.choice(chapter, "chapter", (None, "VI", "VII"))
        if referral is not None and (found.stage != "council" or chapter != "VII"):
            raise NotInOrderError(
                f"submit_draft referring the situation to {referral}", "only the Security "
                "Council acting under Chapter VII of the Charter can refer a situation to the "
                "International Criminal Court", rules.CITE["council"]["referral"],
                ('submit_draft(body="security-council", chapter="VII", referral=...)',))
        if operative_paragraphs is not None and (
            isinstance(operative_paragraphs, bool) or not isinstance(operative_paragraphs, int)
            or operative_paragraphs < 1
        ):
            raise InvalidArgumentError("operative_paragraphs must be a whole number of at "
                                       f"least 1, not {operative_paragraphs!r}")
        when = arg.iso_date(date, "submit_draft")
        on = self._on(when)
        event = DraftSubmitted(
            body=found.id, symbol=arg.text(symbol, "symbol"), title=arg.text(title, "title"),
            sponsors=self._seated(arg.names(sponsors, "sponsors"), "sponsors", on, found),
            chapter=chapter, referral=arg.optional_text(referral, "referral"),
            operative_paragraphs=operative_paragraphs,
            parties=self._seated(arg.names(parties, "parties"), "parties", on, found),
        )
        self._record([event], when, actor, note)

    @action
    def add_sponsors(
        self, *, sponsors: Sequence[str], date: Date = None, actor: str | None = None,
        note: str | None = None,
    ) -> None:
        """Add co-sponsors to the draft."""
        self._require("add_sponsors")
        when = arg.iso_date(date, "add_sponsors")
        joining = self._seated(arg.names(sponsors, "sponsors"), "sponsors", self._on(when))
        self._record([SponsorsAdded(self._draft().symbol, joining)], when, actor, note)

    @action
    def revise_orally(
        self, *, text: str, by: str, date: Date = None, actor: str | None = None,
        note: str | None = None,
    ) -> None:
        """Revise the draft orally: only a sponsor may, and only before voting began."""
        self._require("revise_orally")
        when = arg.iso_date(date, "revise_orally")
        sponsor = self._seated((arg.text(by, "by"),), "by", self._on(when))[0]
        draft = self._draft()
        if sponsor not in draft.sponsors:
            raise NotInOrderError(f"revise_orally by {sponsor}", f"{sponsor} is not a sponsor "
                                  f"of {draft.symbol}; only its sponsors may revise it",
                                  self._cite("revision"), self.in_order())
        self._record([DraftRevisedOrally(draft.symbol, arg.text(text, "text"), sponsor)],
                     when, actor, note)

    @action
    def submit_amendment(
        self, *, symbol: str, proposers: Sequence[str], text: str,
        implies_rejection_of: Sequence[str] = (), date: Date = None,
        actor: str | None = None, note: str | None = None,
    ) -> None:
        """Submit an amendment to the draft (voted before the draft, rule 130 / 90).

        `implies_rejection_of` names amendments that lapse if this one is adopted.
        """
        self._require("submit_amendment")
        symbol = arg.text(symbol, "symbol")
        if classify(self._state, symbol)[0] or symbol in MOTIONS:
            raise InvalidArgumentError(f"symbol {symbol!r} is already used in this case")
        when = arg.iso_date(date, "submit_amendment")
        event = AmendmentSubmitted(
            symbol, self._seated(arg.names(proposers, "proposers"), "proposers", self._on(when)),
            arg.text(text, "text"), arg.names(implies_rejection_of, "implies_rejection_of"),
        )
        self._record([event], when, actor, note)

    @action
    def request_separate_vote(
        self, *, parts: Sequence[str], by: str, objection: bool = False, date: Date = None,
        actor: str | None = None, note: str | None = None,
    ) -> None:
        """Ask for parts of the draft ("OP7", "PP3") to be voted on separately.

        A part the record does not number (imported data, say) is named `part-LABEL`.

        With `objection=True` someone objected, so the motion for division is voted
        first (rule 129 / 89); the parts are voted, then the proposal as a whole.
        """
        self._require("request_separate_vote")
        requested = arg.names(parts, "parts")
        limit = self._draft().operative_paragraphs
        for part in requested:
            match = _PART.match(part)
            if not match:
                raise InvalidArgumentError(f"part {part!r} is not of the form OPn (operative "
                                           "paragraph n), PPn (preambular paragraph n) or "
                                           "part-<label>")
            if match[1] == "OP" and limit is not None and int(match[2]) > limit:
                raise InvalidArgumentError(f"part {part}: the draft has {limit} operative "
                                           "paragraphs")
            if part in self._state.parts:
                raise InvalidArgumentError(f"part {part} is already to be voted separately")
        if not isinstance(objection, bool):
            raise InvalidArgumentError(f"objection must be true or false, not {objection!r}")
        when = arg.iso_date(date, "request_separate_vote")
        member = self._seated((arg.text(by, "by"),), "by", self._on(when))[0]
        self._record([SeparateVoteRequested(requested, member, objection)], when, actor, note)
