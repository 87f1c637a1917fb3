"""Writing a case as Popolo JSON (see the package docstring)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import attrs

from engine.app.log import ProcedureLog
from engine.app.popolo.common import (
    ALPHA2,
    ALPHA3,
    BODY_SCHEME,
    EXTENSION,
    FORMAT,
    OPTIONS,
    RESULTS,
)
from engine.procedure.bodies import BODIES
from engine.procedure.commands import arguments, command_of
from engine.procedure.graph import State
from engine.procedure.members import Member, find
from engine.procedure.state import CaseState
from engine.procedure.words import LABELS, Motion
from events import (
    AdoptedWithoutVote,
    AmendmentSubmitted,
    Body,
    CaseOpened,
    Decision,
    DeemedRejected,
    DraftSubmitted,
    DraftTransmitted,
    MotionMoved,
    SeparateVoteRequested,
    VoteTaken,
)

# -- writing -------------------------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "x"


def body_org_id(body_id: str) -> str:
    """The Popolo organization id of a body: "un-<id>" if built in, else "body-<id>"."""
    return f"un-{body_id}" if body_id in BODIES else f"body-{body_id}"


def _plain(value: Any) -> Any:
    """attrs values and tuples as JSON-ready dicts and lists."""
    if attrs.has(type(value)):
        return {k: _plain(v) for k, v in attrs.asdict(value, recurse=False).items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _requirement(decision: Decision) -> str:
    """The majority that applied, in words, with the rule: "simple majority of ... (rule 125)"."""
    d = decision
    what = {
        "simple": "simple majority of members present and voting",
        "two-thirds": "two-thirds majority of members present and voting",
        "nine-votes": f"{d.needed} votes in favour, a procedural question",
        "nine-votes-no-veto": f"{d.needed} votes in favour and no permanent member against",
        "consensus": "no objection",
        "division": "the proposal falls when all its operative parts are rejected",
    }.get(d.majority, d.majority)
    return f"{what} ({d.rule})"


def _part_text(part: str, symbol: str) -> str:
    match = re.fullmatch(r"(OP|PP)([0-9]+)", part)
    if match:
        kind = "Operative" if match[1] == "OP" else "Preambular"
        return f"{kind} paragraph {match[2]} of {symbol}, voted separately"
    return f"Part {part.removeprefix('part-')} of {symbol}, voted separately"


class _Members:
    """Member organizations, one per seat named in a vote, in the order first named."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}
        self.orgs: list[dict[str, Any]] = []

    def id_of(self, name: str, on: str | None) -> str:
        if name in self.ids:
            return self.ids[name]
        member = find(name, dt.date.fromisoformat(on) if on else None)
        if member is not None and member.name != name:
            member = None  # a declared body's seat that only looks like a Member's name
        if member is not None and member.alpha2:
            oid = f"un-member-{member.alpha2}"
        else:
            oid = f"{'un-member' if member else 'seat'}-{_slug(name)}"
        taken = set(self.ids.values())
        base, n = oid, 1
        while oid in taken:
            n += 1
            oid = f"{base}-{n}"
        self.ids[name] = oid
        self.orgs.append(_member_org(oid, name, member))
        return oid


def _member_org(oid: str, name: str, member: Member | None) -> dict[str, Any]:
    if member is None:
        return {"id": oid, "name": name, "classification": "delegation"}
    org: dict[str, Any] = {"id": oid, "name": name, "classification": "member state"}
    codes = [{"identifier": member.alpha2, "scheme": ALPHA2},
             {"identifier": member.alpha3, "scheme": ALPHA3}]
    if member.alpha2:
        org["identifiers"] = codes
    return org


def _body_org(body: Body) -> dict[str, Any]:
    return {"id": body_org_id(body.id), "name": body.name, "classification": body.rules,
            "identifiers": [{"identifier": body.id, "scheme": BODY_SCHEME}]}


def to_popolo(log: ProcedureLog, case_id: str) -> dict[str, Any]:
    """The case as one Popolo JSON object: organizations, motions and vote events."""
    bodies: dict[str, Body] = {}
    members = _Members()
    arrived: dict[tuple[str, str], str | None] = {}  # (body, item) -> the day it came up
    motions: dict[tuple[str, str], dict[str, Any]] = {}
    vote_events: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    opened: CaseOpened | None = None
    state: CaseState | None = None

    def motion(body: str, item: str, kind: str, date: str | None) -> dict[str, Any]:
        assert state is not None
        key = (body, item)
        entry = motions.setdefault(key, {
            "id": f"{case_id}:{body}:{item}", "organization_id": body_org_id(body),
            "identifier": item, "classification": kind, "text": _item_text(state, kind, item),
        })
        day = arrived.get(key) or date
        if day and "date" not in entry:
            entry["date"] = day
        return entry

    def decided(body: str, item: str, kind: str, decision: Decision,
                date: str | None) -> dict[str, Any]:
        entry = motion(body, item, kind, date)
        entry["requirement"] = _requirement(decision)
        entry["result"] = RESULTS[decision.outcome]
        return entry

    for rec, state in log.history(case_id):
        event, date = rec.event, rec.occurred_at
        body = state.body or ""
        match event:
            case CaseOpened():
                opened = event
            case DraftSubmitted() | DraftTransmitted():
                found = state.body_of()
                if found is not None:
                    bodies.setdefault(found.id, found)
                seized = state.state == State.COUNCIL_SEIZED  # the agenda comes first
                item = "agenda" if seized else state.draft.symbol if state.draft else ""
                arrived[(body, item)] = date
                if isinstance(event, DraftSubmitted):  # a motion even if never decided
                    motion(body, item, "draft", date)
            case AmendmentSubmitted():
                arrived[(body, event.symbol)] = date
            case SeparateVoteRequested():
                for item in (*event.parts, *(("division",) if event.objection else ())):
                    arrived.setdefault((body, item), date)
            case MotionMoved():
                arrived[(body, event.motion)] = date
            case VoteTaken():
                entry = decided(event.body, event.on, event.kind, event.decision, date)
                vote_events.append(_vote_event(case_id, rec.version, date, rec.note, event,
                                               entry["id"], members))
            case AdoptedWithoutVote():
                decided(event.body, event.on, event.kind, event.decision, date)
            case DeemedRejected():
                decided(event.body, event.on, "draft", event.decision, date)
        command = command_of(event)
        if command is not None and command.action != "vote":
            step: dict[str, Any] = {"version": rec.version, "date": date,
                                    "action": command.action, "args": arguments(command)}
            if rec.note:
                step["note"] = rec.note
            steps.append(step)
    assert state is not None and opened is not None  # history raised for an unknown case
    extension = {
        "format": FORMAT,
        "case": {"id": case_id, "title": opened.title, "state": state.state,
                 "council": list(opened.council), "bodies": _plain(opened.bodies)},
        "steps": steps,
    }
    return {
        "organizations": [_body_org(b) for b in bodies.values()] + members.orgs,
        "motions": list(motions.values()),
        "vote_events": vote_events,
        EXTENSION: extension,
    }


def _motion_text(motion: str) -> str:
    text = LABELS[Motion(motion)] if motion in set(Motion) else f"the motion {motion}"
    return text[0].upper() + text[1:]


def _item_text(state: Any, kind: str, item: str) -> str:
    symbol = state.draft.symbol if state.draft else ""
    if kind == "draft":
        return state.draft.title if state.draft else item
    if kind == "amendment" and item in state.amendments:
        return state.amendments[item].text
    if kind == "part":
        return _part_text(item, symbol)
    if kind == "agenda":
        return f"The provisional agenda, with the item: {state.draft.title if state.draft else ''}"
    return _motion_text(item)


def _vote_event(case_id: str, version: int, date: str | None, note: str | None,
                e: VoteTaken, motion_id: str, members: _Members) -> dict[str, Any]:
    counts = [{"option": o, "value": getattr(e, o)} for o in OPTIONS]
    if e.present is not None:
        counts.append({"option": "not voting", "value": e.present - e.yes - e.no - e.abstain})
    out: dict[str, Any] = {
        "id": f"{case_id}:vote:{version}", "motion_id": motion_id,
        "organization_id": body_org_id(e.body), "classification": e.kind,
    }
    if date:
        out["start_date"] = date
    out["result"] = RESULTS[e.decision.outcome]
    out["counts"] = counts
    votes = [{"voter_id": members.id_of(name, date), "option": option}
             for option in OPTIONS for name in getattr(e, f"{option}_members")]
    if votes:
        out["votes"] = votes
    extension: dict[str, Any] = {
        "version": version, "item": e.on, "kind": e.kind, "method": e.method,
        "present": e.present, "as_amended": e.as_amended, "decision": _plain(e.decision),
        "warnings": list(e.warnings),
    }
    if note:
        extension["note"] = note
    out[EXTENSION] = extension
    return out


