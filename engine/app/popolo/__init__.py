"""Popolo JSON out and in: a case's bodies, member states, motions and vote events.

`to_popolo(log, case_id)` writes one JSON object with the top-level arrays
of the Popolo data specification (popoloproject.com, schemas of popolo-project/popolo-spec):

- ``organizations``: the bodies the case went through (``un-third-committee``,
  ``un-plenary``, ``un-security-council``; a body the case declared is ``body-<id>``),
  classified by their rule set (committee, plenary, council) and identified by their
  procedura body id (scheme ``procedura body``); then one organization per member that
  voted: ``un-member-JP`` from the ISO 3166-1 alpha-2 code, named with the UN name and
  identified by both ISO codes; a former Member without a code (Zanzibar) gets a slug,
  ``un-member-zanzibar``, and a seat of a declared body that is no UN Member a
  ``seat-<slug>`` (classified "delegation");
- ``motions``: one per item a body decided (the draft, an amendment, a part voted
  separately, a procedural motion, the Council's agenda) in that body, and the draft in
  the body it was submitted to even if that body never decided it, each with its
  ``organization_id``, ``identifier`` (the symbol, e.g. "A/C.3/69/L.28/Rev.1",
  "cuba-amendment", "OP7", "adjourn-debate", "agenda"), ``classification`` (draft,
  amendment, part, motion or agenda), ``text`` (the draft's title, the amendment's text,
  a description of the part or motion), ``requirement`` (the majority that applied,
  e.g. "simple majority of members present and voting (rule 125)"), ``result`` ("pass"
  or "fail", a veto being a "fail"; both absent for an undecided draft) and ``date``
  (the day it came before the body);
- ``vote_events``: one per vote, with ``motion_id``, ``organization_id``,
  ``classification`` (the item's kind), ``start_date``, ``result`` ("pass"/"fail"),
  ``counts`` (options "yes", "no", "abstain", and "not voting" where the record gives
  how many were present) and, where the record names them, ``votes`` (one per member:
  ``voter_id``, the member's organization, and ``option``).

Dates are ISO 8601 calendar dates ("2014-12-18"): the record knows the day of a meeting,
not its hour. The vote event's and motion's schemas mark their dates with the draft-03
``format`` "date-time", which draft 03 leaves validators free not to check (jsonschema
checks it only when asked to and given an RFC 3339 checker); the other Popolo dates
(a membership's, an event's) are patterns that take a plain date. Midnight in some time
zone would be an hour the record does not hold, and could move the day for a reader in
another zone.

The extension key ``procedura``. The Popolo schemas set no ``additionalProperties``
(draft 03 then allows any other property), so the document carries what Popolo has no
field for under one key, ``procedura``, which Popolo tools ignore:

- on the document: ``format`` (1), ``case`` (``id``, ``title``, ``state``, ``council``:
  the Council's elected members, ``bodies``: the bodies the case declared) and
  ``steps``: every recorded action other than a vote (submit_draft, submit_amendment,
  move, transmit, adopt_without_vote...), each as ``version`` (its event version),
  ``date``, ``action``, ``args`` (the action's keyword arguments, as in a scenario
  file) and ``note``;
- on each vote event: ``version``, ``item``, ``kind``, ``method``, ``present``,
  ``as_amended``, ``decision`` (outcome, majority, needed, present_and_voting, rule,
  also, vetoed_by, tie: the arithmetic the rules gave), ``warnings`` and ``note``.

`from_popolo(log, doc)` reads such a document back into a new case, re-recording every
vote through the case's `vote` action, so the rules decide each one again, and refusing
(with `ExpectationError`) a vote whose recorded result the rules do not give. With the
``procedura`` steps (and every vote event's ``procedura.version``) the case is rebuilt
action by action; without them (a document written by another tool, or one whose
extension was stripped) the steps are inferred from the vote events: the draft is
submitted to the first body that votes, the amendments and the parts voted in a body are
submitted and requested before its first vote, the text is transmitted when the voting
body changes, and a procedural motion is moved just before its vote. Who proposed an
amendment, moved a motion or asked for a separate vote is the motion's ``creator_id``
(read through the document's organizations or persons), else the first voter named (as
the unvotes importer does); an amendment without a creator has no proposers. A motion
whose ``requirement`` says "two-thirds" is voted as an important question. Anything it
cannot read raises `PopoloError` (an `InvalidArgumentError`) that says what is missing.
"""

from engine.app.popolo.common import EXTENSION, FORMAT, PopoloError
from engine.app.popolo.reader import from_popolo
from engine.app.popolo.writer import body_org_id, to_popolo

__all__ = ["EXTENSION", "FORMAT", "PopoloError", "body_org_id", "from_popolo", "to_popolo"]
