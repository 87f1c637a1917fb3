"""Reading Popolo JSON back into a case (see the package docstring)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

import attrs

from engine.app import ProcedureLog
from engine.bodies import BODIES
from engine.case import ACTIONS, METHODS, Case
from engine.errors import (
    CaseExistsError,
    ExpectationError,
    ProcedureError,
)
from engine.narrate import explain
from engine.order import MOTIONS
from engine.popolo.common import (
    BODY_SCHEME,
    EXTENSION,
    OPTIONS,
    RESULTS,
    PopoloError,
)
from engine.scenarios import ACTION_PARAMS

# -- reading -------------------------------------------------------------------------

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
_KIND_WORDS = {
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
_PART = re.compile(r"^(?:(?:OP|PP)[1-9][0-9]*|part-[\w.-]+)$")
_STEPS = frozenset(ACTIONS) - {"vote"}


def _kind_name(value: Any) -> str:
    return type(value).__name__ if value is not None else "null"


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PopoloError(f"{where} must be a JSON object, not {_kind_name(value)}")
    return value


def _array(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise PopoloError(f"{where} must be an array, not {_kind_name(value)}")
    return value


def _string(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise PopoloError(f"{where} must be a string, not {_kind_name(value)}")
    return value if value.strip() else None  # kept as written: a title is data


def _date(value: Any, where: str) -> str | None:
    text = _string(value, where)
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10]).isoformat()
    except ValueError:
        raise PopoloError(f"{where} {text!r} is not an ISO 8601 date (YYYY-MM-DD, "
                          "optionally followed by a time)") from None


@attrs.frozen(slots=True)
class _Vote:
    """One vote event as procedura reads it."""

    where: str  # "vote event <id>", for messages
    event: dict[str, Any]
    motion: dict[str, Any]
    body: str
    kind: str
    item: str
    date: str | None
    version: int | None


class _Reader:
    """The parts of a Popolo document procedura reads, checked and indexed."""

    def __init__(self, doc: Any) -> None:
        doc = _object(doc, "a Popolo document")
        self.doc = doc
        ext = doc.get(EXTENSION)
        self.ext = _object(ext, f"the {EXTENSION!r} key") if ext is not None else {}
        case = self.ext.get("case")
        self.case = _object(case, f"{EXTENSION}.case") if case is not None else {}
        self.declared: dict[str, Any] = {}
        for n, b in enumerate(_array(self.case.get("bodies"), f"{EXTENSION}.case.bodies")):
            b = _object(b, f"{EXTENSION}.case.bodies[{n}]")
            if isinstance(b.get("id"), str):
                self.declared[b["id"]] = b
        self.names: dict[str, str] = {}
        self.orgs: dict[str, dict[str, Any]] = {}
        for key in ("organizations", "persons"):
            for n, item in enumerate(_array(doc.get(key), key)):
                item = _object(item, f"{key}[{n}]")
                oid = _string(item.get("id"), f"{key}[{n}].id")
                if oid is None:
                    continue
                name = _string(item.get("name"), f"{key}[{n}].name")
                if name:
                    self.names[oid] = name
                if key == "organizations":
                    self.orgs[oid] = item
        self.motions: dict[str, dict[str, Any]] = {}
        for n, item in enumerate(_array(doc.get("motions"), "motions")):
            item = _object(item, f"motions[{n}]")
            mid = _string(item.get("id"), f"motions[{n}].id")
            if mid is not None:
                self.motions[mid] = item
        events = _array(doc.get("vote_events"), "vote_events")
        if not events:
            raise PopoloError("the document has no vote events (a top-level array "
                              "\"vote_events\"): there is nothing to record")
        self.votes = [self._vote(n, v) for n, v in enumerate(events)]

    def _vote(self, n: int, value: Any) -> _Vote:
        event = _object(value, f"vote_events[{n}]")
        vid = _string(event.get("id"), f"vote_events[{n}].id")
        where = f"vote event {vid!r}" if vid else f"vote_events[{n}]"
        motion_id = _string(event.get("motion_id"), f"{where}: motion_id")
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
        org = (_string(event.get("organization_id"), f"{where}: organization_id")
               or _string(motion.get("organization_id"), f"{where}: the motion's "
                          "organization_id"))
        if org is None:
            raise PopoloError(f"{where} names no organization_id, nor does its motion: "
                              "procedura needs to know which body voted")
        ext = event.get(EXTENSION)
        ext = _object(ext, f"{where}: {EXTENSION}") if ext is not None else {}
        item = (_string(ext.get("item"), f"{where}: {EXTENSION}.item")
                or _string(motion.get("identifier"), f"{where}: the motion's identifier")
                or _string(motion.get("id"), f"{where}: the motion's id"))
        if item is None:
            raise PopoloError(f"{where}: its motion has neither an identifier nor an id, so "
                              "procedura cannot name the item voted on")
        kind = self._kind(motion, ext, item, where)
        version = ext.get("version")
        if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
            raise PopoloError(f"{where}: {EXTENSION}.version must be a whole number")
        date = _date(event.get("start_date"), f"{where}: start_date")
        return _Vote(where, event, motion, self.body(org, where), kind, item, date, version)

    def _kind(self, motion: dict[str, Any], ext: dict[str, Any], item: str, where: str) -> str:
        given = _string(ext.get("kind"), f"{where}: {EXTENSION}.kind") or _string(
            motion.get("classification"), f"{where}: the motion's classification")
        kind = _KIND_WORDS.get((given or "").casefold(), "")
        if not kind or kind == "draft":
            kind = "motion" if item in MOTIONS else "agenda" if item == "agenda" else "draft"
        return kind

    def body(self, org_id: str, where: str) -> str:
        """The procedura body id of an organization of the document."""
        org = self.orgs.get(org_id, {})
        for ident in _array(org.get("identifiers"), f"organization {org_id!r}: identifiers"):
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


def _figures(reader: _Reader, v: _Vote) -> dict[str, Any]:
    """The keyword arguments of `Case.vote` for the counts and votes of a vote event."""
    totals: dict[str, int] = {}
    grouped: dict[str, int] = {}
    for n, count in enumerate(_array(v.event.get("counts"), f"{v.where}: counts")):
        count = _object(count, f"{v.where}: counts[{n}]")
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
    for n, vote in enumerate(_array(v.event.get("votes"), f"{v.where}: votes")):
        vote = _object(vote, f"{v.where}: votes[{n}]")
        option = _option(vote.get("option"), f"{v.where}: votes[{n}].option")
        voter = _string(vote.get("voter_id"), f"{v.where}: votes[{n}].voter_id")
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
    text = _string(value, where)
    if text is None:
        raise PopoloError(f"{where} is missing")
    option = _OPTION_WORDS.get(" ".join(text.split()).casefold())
    if option is None:
        raise PopoloError(f"{where} {text!r} is not an option procedura knows (yes, no, "
                          "abstain, not voting, absent)")
    return option


def _result(v: _Vote) -> str | None:
    text = _string(v.event.get("result"), f"{v.where}: result")
    if text is None:
        return None
    result = _RESULT_WORDS.get(" ".join(text.split()).casefold())
    if result is None:
        raise PopoloError(f"{v.where}: result {text!r} is neither \"pass\" nor \"fail\"")
    return result


def _vote(case: Case, reader: _Reader, v: _Vote, actor: str | None) -> None:
    """Record one vote event through `Case.vote`; the rules decide it again."""
    args = _figures(reader, v)
    ext = v.event.get(EXTENSION) if isinstance(v.event.get(EXTENSION), dict) else {}
    method = ext.get("method")
    if method in METHODS and method != "recorded":
        args["method"] = method
    requirement = " ".join(str(v.motion.get("requirement") or "").split()).casefold()
    decision = ext.get("decision") if isinstance(ext.get("decision"), dict) else {}
    two_thirds = ("two-thirds" in requirement or "two thirds" in requirement
                  or decision.get("majority") == "two-thirds")
    if two_thirds and v.item != "reconsider" and case.data.stage != "council":
        args["majority"] = "two-thirds"
    note = ext.get("note") if isinstance(ext.get("note"), str) else None
    expected = _result(v)
    try:
        result = case.vote(on=v.item, date=v.date, actor=actor, note=note, **args)
    except ProcedureError as e:
        raise _context(e, v.where) from e
    if expected is not None and RESULTS[result.outcome] != expected:
        figures = SimpleNamespace(**{o: args.get(o, len(args.get(f"{o}_members", ())))
                                     for o in OPTIONS})
        raise ExpectationError(
            f"{v.where}: the document gives the result {expected!r}, but the rules give "
            f"{result.outcome}: {explain(result, figures)}")


def _context(e: ProcedureError, where: str) -> ProcedureError:
    if isinstance(e, ExpectationError):
        return ExpectationError(f"{where}: {e}")
    return PopoloError(f"{where}: {e}")


def _call(case: Case, action: str, args: Mapping[str, Any], where: str, **envelope: Any) -> Any:
    try:
        return getattr(case, action)(**args, **envelope)
    except ProcedureError as e:
        raise _context(e, where) from e


def from_popolo(log: ProcedureLog, doc: Any, case_id: str | None = None,
                actor: str | None = None) -> Case:
    """Read a Popolo document into a new case in `log` and return the case.

    Every vote is recorded again through `Case.vote`, so the rules decide it; a vote
    whose result the rules do not give is refused with `ExpectationError`. All is
    recorded in one transaction, or nothing. `case_id` defaults to the id the document's
    ``procedura`` key gives, else to the draft's symbol.
    """
    reader = _Reader(doc)
    steps = _array(reader.ext.get("steps"), f"{EXTENSION}.steps")
    replayable = bool(steps) and all(v.version is not None for v in reader.votes)
    with log.transaction():
        if replayable:
            return _replay(log, reader, steps, case_id, actor)
        return _infer(log, reader, case_id, actor)


def _open_case(log: ProcedureLog, reader: _Reader, case_id: str | None, title: str | None,
               where: str) -> Case:
    cid = case_id or _string(reader.case.get("id"), f"{EXTENSION}.case.id")
    if cid is None:
        raise PopoloError(f"{where}: no case id (pass one, or give {EXTENSION}.case.id)")
    title = _string(reader.case.get("title"), f"{EXTENSION}.case.title") or title or cid
    council = _array(reader.case.get("council"), f"{EXTENSION}.case.council")
    try:
        return log.new_case(cid, title, council=council, bodies=list(reader.declared.values()))
    except CaseExistsError:
        raise
    except ProcedureError as e:
        raise _context(e, f"{EXTENSION}.case") from e


def _replay(log: ProcedureLog, reader: _Reader, steps: list[Any], case_id: str | None,
            actor: str | None) -> Case:
    """Rebuild a case procedura wrote: its steps and its votes in event order."""
    plan: list[tuple[int, int, Any]] = []
    for n, step in enumerate(steps):
        where = f"{EXTENSION}.steps[{n}]"
        step = _object(step, where)
        version = step.get("version")
        if isinstance(version, bool) or not isinstance(version, int):
            raise PopoloError(f"{where}: version must be a whole number")
        action = step.get("action")
        if action not in _STEPS:
            raise PopoloError(f"{where}: action {action!r} is not one of "
                              f"{', '.join(sorted(_STEPS))}")
        args = _object(step.get("args", {}), f"{where}.args")
        unknown = set(args) - set(ACTION_PARAMS[action])
        if unknown:
            raise PopoloError(f"{where}: {action} takes no argument {sorted(unknown)[0]!r}")
        plan.append((version, 0, (where, step, action, args)))
    plan += [(v.version or 0, 1, v) for v in reader.votes]
    plan.sort(key=lambda p: (p[0], p[1]))
    draft = next((s[3] for _, k, s in plan if k == 0 and s[2] == "submit_draft"), {})
    case = _open_case(log, reader, case_id, draft.get("title"), "the document")
    for _, kind, item in plan:
        if kind == 1:
            if item.body != case.data.body:
                raise PopoloError(f"{item.where}: the vote is in {item.body}, but by the "
                                  f"document's steps the case is before {case.data.body} then")
            _vote(case, reader, item, actor)
            continue
        where, step, action, args = item
        date = _date(step.get("date"), f"{where}.date")
        note = step.get("note") if isinstance(step.get("note"), str) else None
        _call(case, action, args, f"{where} ({action})", date=date, actor=actor, note=note)
    return case


def _ordered(votes: list[_Vote]) -> list[_Vote]:
    if all(v.date for v in votes):
        return sorted(votes, key=lambda v: v.date or "")
    return votes


def _creator(reader: _Reader, motion: dict[str, Any]) -> str | None:
    creator = motion.get("creator_id")
    if isinstance(creator, str) and creator.strip():
        return reader.name(creator.strip())
    if isinstance(motion.get("creator"), dict) and isinstance(motion["creator"].get("name"), str):
        return motion["creator"]["name"]
    return None


def _first_voter(reader: _Reader, v: _Vote) -> str | None:
    args = _figures(reader, v)
    for option in OPTIONS:
        if args.get(f"{option}_members"):
            return args[f"{option}_members"][0]
    return None


def _part_name(item: str) -> str:
    """A part's name as procedura writes it: OPn, PPn, or part-<label>."""
    if _PART.match(item):
        return item
    return "part-" + (re.sub(r"[^\w.-]+", "-", item).strip("-") or "x")


def _infer(log: ProcedureLog, reader: _Reader, case_id: str | None, actor: str | None) -> Case:
    """Record a document another tool wrote: infer the steps around its votes."""
    votes = _ordered(reader.votes)
    votes = [attrs.evolve(v, item=_part_name(v.item)) if v.kind == "part" else v for v in votes]
    drafts = [m for m in reader.motions.values()
              if _KIND_WORDS.get(str(m.get("classification") or "").casefold()) == "draft"]
    symbols = list(dict.fromkeys(v.item for v in votes if v.kind == "draft"))
    if len(symbols) > 1:
        raise PopoloError(f"the document votes on {len(symbols)} drafts ({', '.join(symbols)});"
                          " a case follows one draft, so import each in a document of its own")
    if symbols:
        first = next(v for v in votes if v.kind == "draft")
        symbol, draft_motion = first.item, first.motion
    elif len(drafts) == 1:
        draft_motion = drafts[0]
        symbol = _string(draft_motion.get("identifier"), "the draft's identifier") or \
            _string(draft_motion.get("id"), "the draft's id") or ""
    else:
        raise PopoloError("no vote event is on a draft, and the document has "
                          f"{'no' if not drafts else 'more than one'} motion classified "
                          "\"draft\": procedura needs the draft the votes belong to")
    title = _string(draft_motion.get("text"), "the draft's text") or symbol
    date = _date(draft_motion.get("date"), "the draft's date") or votes[0].date
    case = _open_case(log, reader, case_id or symbol, title, "the document")
    body: str | None = None
    for v in votes:
        if v.body != body:
            if body is None:
                _call(case, "submit_draft", {"body": v.body, "symbol": symbol, "title": title},
                      f"{v.where} (submitting {symbol} to {v.body})", date=date, actor=actor)
            else:
                if v.body not in ("plenary", "security-council"):
                    raise PopoloError(f"{v.where}: the text cannot go from {body} to {v.body}; "
                                      "a case goes from a Main Committee to the plenary and "
                                      "from the plenary to the Security Council")
                _call(case, "transmit", {"to": v.body}, f"{v.where} (transmitting to {v.body})",
                      date=v.date, actor=actor)
            body = v.body
            _prepare(case, reader, [w for w in votes if w.body == body], actor)
        if v.kind == "motion" and v.item != "division" and v.item not in case.data.motions:
            mover = _creator(reader, v.motion) or _first_voter(reader, v)
            if mover is None:
                raise PopoloError(f"{v.where}: procedura needs to know who moved {v.item} "
                                  "(the motion's creator_id, or a vote event naming voters)")
            _call(case, "move", {"motion": v.item, "by": mover}, f"{v.where} (moving {v.item})",
                  date=v.date, actor=actor)
        _vote(case, reader, v, actor)
    return case


def _prepare(case: Case, reader: _Reader, votes: list[_Vote], actor: str | None) -> None:
    """Submit the amendments and request the parts a body votes on, before its first vote."""
    seen: set[str] = set()
    for v in votes:
        if v.kind == "amendment" and v.item not in seen:
            seen.add(v.item)
            creator = _creator(reader, v.motion)
            text = _string(v.motion.get("text"), f"{v.where}: the motion's text") or v.item
            _call(case, "submit_amendment", {"symbol": v.item, "text": text,
                                             "proposers": [creator] if creator else []},
                  f"{v.where} (submitting {v.item})", date=v.date, actor=actor)
    parts = [v for v in votes if v.kind == "part"]
    if parts:
        names = list(dict.fromkeys(v.item for v in parts))
        by = _creator(reader, parts[0].motion) or _first_voter(reader, parts[0])
        if by is None:
            raise PopoloError(f"{parts[0].where}: procedura needs to know who asked for the "
                              "separate vote (the motion's creator_id, or voters named)")
        objection = any(v.kind == "motion" and v.item == "division" for v in votes)
        _call(case, "request_separate_vote", {"parts": names, "by": by, "objection": objection},
              f"{parts[0].where} (requesting separate votes)", date=parts[0].date, actor=actor)
