"""Reading Popolo JSON back into a case (see the package docstring).

engine.app.popolo.document checks and indexes the document; this module records it as case
actions: the document's own steps when procedura wrote it, else steps inferred around
its votes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

import attrs

from engine.app.case import Case
from engine.app.log import ProcedureLog
from engine.app.popolo.common import EXTENSION, OPTIONS, RESULTS, PopoloError
from engine.app.popolo.document import (
    KIND_WORDS,
    Reader,
    Vote,
    as_array,
    as_date,
    as_object,
    as_string,
    expected_result,
    vote_args,
)
from engine.app.scenarios import ACTION_PARAMS
from engine.procedure.commands import COMMANDS
from engine.procedure.errors import (
    CaseExistsError,
    ExpectationError,
    ProcedureError,
)
from engine.procedure.explain import explain
from engine.procedure.words import Method, Stage

_PART = re.compile(r"^(?:(?:OP|PP)[1-9][0-9]*|part-[\w.-]+)$")
_STEPS = frozenset(COMMANDS) - {"vote"}


def _vote(case: Case, reader: Reader, v: Vote, actor: str | None) -> None:
    """Record one vote event through `Case.vote`; the rules decide it again."""
    args = vote_args(reader, v)
    ext = v.event.get(EXTENSION) if isinstance(v.event.get(EXTENSION), dict) else {}
    method = ext.get("method")
    if method in set(Method) and method != Method.RECORDED:
        args["method"] = method
    requirement = " ".join(str(v.motion.get("requirement") or "").split()).casefold()
    decision = ext.get("decision") if isinstance(ext.get("decision"), dict) else {}
    two_thirds = ("two-thirds" in requirement or "two thirds" in requirement
                  or decision.get("majority") == "two-thirds")
    if two_thirds and v.item != "reconsider" and case.data.stage != Stage.COUNCIL:
        args["majority"] = "two-thirds"
    note = ext.get("note") if isinstance(ext.get("note"), str) else None
    expected = expected_result(v)
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
    reader = Reader(doc)
    steps = as_array(reader.ext.get("steps"), f"{EXTENSION}.steps")
    replayable = bool(steps) and all(v.version is not None for v in reader.votes)
    with log.transaction():
        if replayable:
            return _replay(log, reader, steps, case_id, actor)
        return _infer(log, reader, case_id, actor)


def _open_case(log: ProcedureLog, reader: Reader, case_id: str | None, title: str | None,
               where: str) -> Case:
    cid = case_id or as_string(reader.case.get("id"), f"{EXTENSION}.case.id")
    if cid is None:
        raise PopoloError(f"{where}: no case id (pass one, or give {EXTENSION}.case.id)")
    title = as_string(reader.case.get("title"), f"{EXTENSION}.case.title") or title or cid
    council = as_array(reader.case.get("council"), f"{EXTENSION}.case.council")
    try:
        return log.new_case(cid, title, council=council, bodies=list(reader.declared.values()))
    except CaseExistsError:
        raise
    except ProcedureError as e:
        raise _context(e, f"{EXTENSION}.case") from e


def _replay(log: ProcedureLog, reader: Reader, steps: list[Any], case_id: str | None,
            actor: str | None) -> Case:
    """Rebuild a case procedura wrote: its steps and its votes in event order."""
    plan: list[tuple[int, int, Any]] = []
    for n, step in enumerate(steps):
        where = f"{EXTENSION}.steps[{n}]"
        step = as_object(step, where)
        version = step.get("version")
        if isinstance(version, bool) or not isinstance(version, int):
            raise PopoloError(f"{where}: version must be a whole number")
        action = step.get("action")
        if action not in _STEPS:
            raise PopoloError(f"{where}: action {action!r} is not one of "
                              f"{', '.join(sorted(_STEPS))}")
        args = as_object(step.get("args", {}), f"{where}.args")
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
        date = as_date(step.get("date"), f"{where}.date")
        note = step.get("note") if isinstance(step.get("note"), str) else None
        _call(case, action, args, f"{where} ({action})", date=date, actor=actor, note=note)
    return case


def _ordered(votes: list[Vote]) -> list[Vote]:
    if all(v.date for v in votes):
        return sorted(votes, key=lambda v: v.date or "")
    return votes


def _creator(reader: Reader, motion: dict[str, Any]) -> str | None:
    creator = motion.get("creator_id")
    if isinstance(creator, str) and creator.strip():
        return reader.name(creator.strip())
    if isinstance(motion.get("creator"), dict) and isinstance(motion["creator"].get("name"), str):
        return motion["creator"]["name"]
    return None


def _first_voter(reader: Reader, v: Vote) -> str | None:
    args = vote_args(reader, v)
    for option in OPTIONS:
        if args.get(f"{option}_members"):
            return args[f"{option}_members"][0]
    return None


def _part_name(item: str) -> str:
    """A part's name as procedura writes it: OPn, PPn, or part-<label>."""
    if _PART.match(item):
        return item
    return "part-" + (re.sub(r"[^\w.-]+", "-", item).strip("-") or "x")


def _infer(log: ProcedureLog, reader: Reader, case_id: str | None, actor: str | None) -> Case:
    """Record a document another tool wrote: infer the steps around its votes."""
    votes = _ordered(reader.votes)
    votes = [attrs.evolve(v, item=_part_name(v.item)) if v.kind == "part" else v for v in votes]
    drafts = [m for m in reader.motions.values()
              if KIND_WORDS.get(str(m.get("classification") or "").casefold()) == "draft"]
    symbols = list(dict.fromkeys(v.item for v in votes if v.kind == "draft"))
    if len(symbols) > 1:
        raise PopoloError(f"the document votes on {len(symbols)} drafts ({', '.join(symbols)});"
                          " a case follows one draft, so import each in a document of its own")
    if symbols:
        first = next(v for v in votes if v.kind == "draft")
        symbol, draft_motion = first.item, first.motion
    elif len(drafts) == 1:
        draft_motion = drafts[0]
        symbol = as_string(draft_motion.get("identifier"), "the draft's identifier") or \
            as_string(draft_motion.get("id"), "the draft's id") or ""
    else:
        raise PopoloError("no vote event is on a draft, and the document has "
                          f"{'no' if not drafts else 'more than one'} motion classified "
                          "\"draft\": procedura needs the draft the votes belong to")
    title = as_string(draft_motion.get("text"), "the draft's text") or symbol
    date = as_date(draft_motion.get("date"), "the draft's date") or votes[0].date
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


def _prepare(case: Case, reader: Reader, votes: list[Vote], actor: str | None) -> None:
    """Submit the amendments and request the parts a body votes on, before its first vote."""
    seen: set[str] = set()
    for v in votes:
        if v.kind == "amendment" and v.item not in seen:
            seen.add(v.item)
            creator = _creator(reader, v.motion)
            text = as_string(v.motion.get("text"), f"{v.where}: the motion's text") or v.item
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
