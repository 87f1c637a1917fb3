"""Reading a Popolo document: checking its shape and indexing what procedura uses.

The reader (engine.app.popolo.reader) turns what this module yields into case actions; this
module only checks the document and raises `PopoloError` naming what is missing or wrong.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from engine.app.popolo.common import BODY_SCHEME, EXTENSION, OPTIONS, PopoloError
from engine.procedure.bodies import BODIES
from engine.procedure.order import MOTIONS

_OPTION_WORDS = {
    "yes": "yes", "aye": "yes", "yea": "yes", "y": "yes", "for": "yes", "in favour": "yes",
    "in favor": "yes", "no": "no", "nay": "no", "n": "no", "against": "no",
    "abstain": "abstain", "abstention": "abstain", "abstained": "abstain",
    "abstaining": "abstain", "not voting": "not voting", "not_voting": "not voting",
    "present": "not voting", "present and not voting": "not voting",
    "absent": "", "excused": "", "paired": "", "non-voting": "",
}
_RESULT_WORDS = {
    "pass": "pass", "passed": "pass", "adopted": "pass", "carried": "pass",
    "approved": "pass", "fail": "fail", "failed": "fail", "rejected": "fail",
    "defeated": "fail", "lost": "fail", "vetoed": "fail",
}
KIND_WORDS = {
    "draft": "draft", "resolution": "draft", "draft resolution": "draft", "passage": "draft",
    "decision": "draft", "draft decision": "draft", "amendment": "amendment", "part": "part",
    "paragraph": "part", "separate vote": "part", "motion": "motion", "procedural": "motion",
    "agenda": "agenda",
}
_BODY_NAMES = {
    "general assembly": "plenary", "un general assembly": "plenary", "unga": "plenary",
    "plenary": "plenary", "security council": "security-council",
    "un security council": "security-council", "unsc": "security-council",
    **{b.name.casefold(): b.id for b in BODIES.values()},
    **{b.id: b.id for b in BODIES.values()},
}


def _kind_name(value: Any) -> str:
    return type(value).__name__ if value is not None else "null"


def as_object(value: Any, where: str) -> dict[str, Any]:
    """`value` if it is a JSON object, else `PopoloError` naming `where`."""
    if not isinstance(value, dict):
        raise PopoloError(f"{where} must be a JSON object, not {_kind_name(value)}")
    return value


def as_array(value: Any, where: str) -> list[Any]:
    """`value` if it is an array (an empty one if it is missing), else `PopoloError`."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise PopoloError(f"{where} must be an array, not {_kind_name(value)}")
    return value


def as_string(value: Any, where: str) -> str | None:
    """`value` if it is a non-blank string, None if missing or blank, else `PopoloError`."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise PopoloError(f"{where} must be a string, not {_kind_name(value)}")
    return value if value.strip() else None  # kept as written: a title is data


def as_date(value: Any, where: str) -> str | None:
    """The ISO date (YYYY-MM-DD) a string starts with, None if missing, else `PopoloError`."""
    text = as_string(value, where)
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10]).isoformat()
    except ValueError:
        raise PopoloError(f"{where} {text!r} is not an ISO 8601 date (YYYY-MM-DD, "
                          "optionally followed by a time)") from None


@attrs.frozen(slots=True)
class Vote:
    """One vote event as procedura reads it."""

    where: str  # "vote event <id>", for messages
    event: dict[str, Any]
    motion: dict[str, Any]
    body: str
    kind: str
    item: str
    date: str | None
    version: int | None


class Reader:
    """The parts of a Popolo document procedura reads, checked and indexed."""

    def __init__(self, doc: Any) -> None:
        doc = as_object(doc, "a Popolo document")
        self.doc = doc
        ext = doc.get(EXTENSION)
        self.ext = as_object(ext, f"the {EXTENSION!r} key") if ext is not None else {}
        case = self.ext.get("case")
        self.case = as_object(case, f"{EXTENSION}.case") if case is not None else {}
        self.declared: dict[str, Any] = {}
        for n, b in enumerate(as_array(self.case.get("bodies"), f"{EXTENSION}.case.bodies")):
            b = as_object(b, f"{EXTENSION}.case.bodies[{n}]")
            if isinstance(b.get("id"), str):
                self.declared[b["id"]] = b
        self.names: dict[str, str] = {}
        self.orgs: dict[str, dict[str, Any]] = {}
        for key in ("organizations", "persons"):
            for n, item in enumerate(as_array(doc.get(key), key)):
                item = as_object(item, f"{key}[{n}]")
                oid = as_string(item.get("id"), f"{key}[{n}].id")
                if oid is None:
                    continue
                name = as_string(item.get("name"), f"{key}[{n}].name")
                if name:
                    self.names[oid] = name
                if key == "organizations":
                    self.orgs[oid] = item
        self.motions: dict[str, dict[str, Any]] = {}
        for n, item in enumerate(as_array(doc.get("motions"), "motions")):
            item = as_object(item, f"motions[{n}]")
            mid = as_string(item.get("id"), f"motions[{n}].id")
            if mid is not None:
                self.motions[mid] = item
        events = as_array(doc.get("vote_events"), "vote_events")
        if not events:
            raise PopoloError("the document has no vote events (a top-level array "
                              "\"vote_events\"): there is nothing to record")
        self.votes = [self._vote(n, v) for n, v in enumerate(events)]

    def _vote(self, n: int, value: Any) -> Vote:
        event = as_object(value, f"vote_events[{n}]")
        vid = as_string(event.get("id"), f"vote_events[{n}].id")
        where = f"vote event {vid!r}" if vid else f"vote_events[{n}]"
        motion_id = as_string(event.get("motion_id"), f"{where}: motion_id")
        if motion_id is not None and motion_id in self.motions:
            motion = self.motions[motion_id]
        elif isinstance(event.get("motion"), dict):
            motion = event["motion"]
        elif motion_id is not None:
            raise PopoloError(f"{where}: its motion_id {motion_id!r} names no motion in the "
                              "document's \"motions\"")
        else:
            raise PopoloError(f"{where} has no motion_id (nor an embedded motion): procedura "
                              "needs to know which draft, amendment or motion was voted on")
        org = (as_string(event.get("organization_id"), f"{where}: organization_id")
               or as_string(motion.get("organization_id"), f"{where}: the motion's "
                          "organization_id"))
        if org is None:
            raise PopoloError(f"{where} names no organization_id, nor does its motion: "
                              "procedura needs to know which body voted")
        ext = event.get(EXTENSION)
        ext = as_object(ext, f"{where}: {EXTENSION}") if ext is not None else {}
        item = (as_string(ext.get("item"), f"{where}: {EXTENSION}.item")
                or as_string(motion.get("identifier"), f"{where}: the motion's identifier")
                or as_string(motion.get("id"), f"{where}: the motion's id"))
        if item is None:
            raise PopoloError(f"{where}: its motion has neither an identifier nor an id, so "
                              "procedura cannot name the item voted on")
        kind = self._kind(motion, ext, item, where)
        version = ext.get("version")
        if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
            raise PopoloError(f"{where}: {EXTENSION}.version must be a whole number")
        date = as_date(event.get("start_date"), f"{where}: start_date")
        return Vote(where, event, motion, self.body(org, where), kind, item, date, version)

    def _kind(self, motion: dict[str, Any], ext: dict[str, Any], item: str, where: str) -> str:
        given = as_string(ext.get("kind"), f"{where}: {EXTENSION}.kind") or as_string(
            motion.get("classification"), f"{where}: the motion's classification")
        kind = KIND_WORDS.get((given or "").casefold(), "")
        if not kind or kind == "draft":
            kind = "motion" if item in MOTIONS else "agenda" if item == "agenda" else "draft"
        return kind

    def body(self, org_id: str, where: str) -> str:
        """The procedura body id of an organization of the document."""
        org = self.orgs.get(org_id, {})
        for ident in as_array(org.get("identifiers"), f"organization {org_id!r}: identifiers"):
            if isinstance(ident, dict) and ident.get("scheme") == BODY_SCHEME:
                value = ident.get("identifier")
                if value in BODIES or value in self.declared:
                    return value
        candidates = [org_id, org_id.removeprefix("un-"), org_id.removeprefix("body-")]
        if isinstance(org.get("name"), str):
            candidates.append(org["name"])
        for text in candidates:
            if text in self.declared:
                return text
            found = _BODY_NAMES.get(" ".join(text.split()).casefold())
            if found:
                return found
        known = ", ".join([*BODIES, *self.declared])
        raise PopoloError(f"{where}: organization {org_id!r} is not a body procedura knows "
                          f"(give it the identifier scheme {BODY_SCHEME!r} or one of the names "
                          f"or ids {known})")

    def name(self, voter_id: str) -> str:
        """A member's name for a voter or creator id (the id itself if nothing names it)."""
        if voter_id in self.names:
            return self.names[voter_id]
        return voter_id.removeprefix("un-member-")


def vote_args(reader: Reader, v: Vote) -> dict[str, Any]:
    """The keyword arguments of `Case.vote` for the counts and votes of a vote event."""
    totals: dict[str, int] = {}
    grouped: dict[str, int] = {}
    for n, count in enumerate(as_array(v.event.get("counts"), f"{v.where}: counts")):
        count = as_object(count, f"{v.where}: counts[{n}]")
        option = _option(count.get("option"), f"{v.where}: counts[{n}].option")
        value = count.get("value")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise PopoloError(f"{v.where}: counts[{n}].value must be a whole number of at "
                              f"least 0, not {value!r}")
        if not option:
            continue
        into = grouped if count.get("group_id") or count.get("group") else totals
        if option in into and into is totals:
            raise PopoloError(f"{v.where}: two counts for the option {option!r}")
        into[option] = into.get(option, 0) + value
    totals = totals or grouped
    lists: dict[str, list[str]] = {o: [] for o in (*OPTIONS, "not voting")}
    for n, vote in enumerate(as_array(v.event.get("votes"), f"{v.where}: votes")):
        vote = as_object(vote, f"{v.where}: votes[{n}]")
        option = _option(vote.get("option"), f"{v.where}: votes[{n}].option")
        voter = as_string(vote.get("voter_id"), f"{v.where}: votes[{n}].voter_id")
        if voter is not None:
            name = reader.name(voter)
        elif isinstance(vote.get("voter"), dict) and isinstance(vote["voter"].get("name"), str):
            name = vote["voter"]["name"]
        else:
            raise PopoloError(f"{v.where}: votes[{n}] names no voter (voter_id or voter.name)")
        if option:
            lists[option].append(name)
    if not any(o in totals for o in OPTIONS) and not any(lists[o] for o in OPTIONS):
        raise PopoloError(f"{v.where} has no counts for yes, no or abstain and no votes: "
                          "procedura needs one or the other to record the vote")
    args: dict[str, Any] = {o: totals[o] for o in OPTIONS if o in totals}
    args.update({f"{o}_members": lists[o] for o in OPTIONS if lists[o]})
    not_voting = totals.get("not voting", len(lists["not voting"]) or None)
    if not_voting is not None:
        cast = sum(totals.get(o, len(lists[o])) for o in OPTIONS)
        args["present"] = cast + not_voting
    return args


def _option(value: Any, where: str) -> str:
    text = as_string(value, where)
    if text is None:
        raise PopoloError(f"{where} is missing")
    option = _OPTION_WORDS.get(" ".join(text.split()).casefold())
    if option is None:
        raise PopoloError(f"{where} {text!r} is not an option procedura knows (yes, no, "
                          "abstain, not voting, absent)")
    return option


def expected_result(v: Vote) -> str | None:
    """The result a vote event gives, as "pass" or "fail" (None if it gives none)."""
    text = as_string(v.event.get("result"), f"{v.where}: result")
    if text is None:
        return None
    result = _RESULT_WORDS.get(" ".join(text.split()).casefold())
    if result is None:
        raise PopoloError(f"{v.where}: result {text!r} is neither \"pass\" nor \"fail\"")
    return result
