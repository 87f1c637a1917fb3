"""The library side of the server: what each request asks of the one log.

Every function here runs on the server's one log thread (`engine.serve.worker`), so the
log's sqlite3 connection is only ever used by the thread that opened it. Nothing here
knows about HTTP: a refusal is a `ProcedureError` with the library's own message, which
`engine.serve.app` turns into a status code. Every refusal happens before anything is
appended (the facade decides first, then appends in one transaction).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from itertools import islice
from typing import Any

import attrs

from engine.app import export
from engine.app.case import Case
from engine.app.export import record_json
from engine.app.fork import fork as fork_case
from engine.app.log import ProcedureLog
from engine.app.scenarios import ACTION_PARAMS, load_scenario, run_scenario
from engine.present.narrate import narrate
from engine.procedure.checks import on_date, seated
from engine.procedure.commands import COMMANDS, OpenCase
from engine.procedure.errors import (
    CaseExistsError,
    InvalidArgumentError,
    NotInOrderError,
    ProcedureError,
    ScenarioError,
)
from engine.procedure.state import CaseState, step
from engine.serve.auth import ApiError
from engine.serve.store import ServerTables, opening_fields
from events import Recorded
from replays import bundled
from replays.loader import kind_ok

__all__ = ["Narrator", "Session", "check_kinds", "state_json"]

# Keys an action's body may carry besides its command's own: the date it happens on, a
# note for the record, and a command id that makes a retry safe (see `Case.run`).
ENVELOPE = {"date": "date", "note": "str", "command_id": "str"}
STREAM_BATCH = 500  # events read per poll of the stream, at most
# What a delegation may ask for itself, and the argument that names it: its ballot, a
# place on the list of speakers, an explanation of its vote (refused to a sponsor on its
# own text, rule 128 / 88), a procedural motion.
DELEGATION_ACTIONS = {"cast_ballot": "member", "inscribe": "member", "explain_vote": "by",
                      "move": "by"}
logger = logging.getLogger("procedura.serve")


def state_json(case: Case) -> dict[str, Any]:
    """The case's state as `procedura state --json` prints it."""
    return export.state_json(case.data)


def _summary(case: Case) -> dict[str, Any]:
    return {"id": case.id, "title": case.title, "state": case.state, "version": case.version}


def _kind_ok(value: Any, kind: str) -> bool:
    if kind == "bodies":  # the one kind a request has that a scenario step has not
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    return kind_ok(value, kind)  # type: ignore[arg-type]


_KIND_WORDS = {"int": "a whole number", "bool": "true or false", "strings": "a list of strings",
               "str": "a string", "date": "a date string (YYYY-MM-DD)",
               "bodies": "a list of bodies, objects of id, name, rules, members, veto"}


def check_kinds(what: str, args: Mapping[str, Any], kinds: Mapping[str, str],
                required: tuple[str, ...] = ()) -> None:
    """Refuse keys that are not in `kinds`, missing `required` keys and values of the
    wrong kind (JSON null stands for a key not given)."""
    allowed = ", ".join(kinds)
    for key in args:
        if key not in kinds:
            raise InvalidArgumentError(f"{what} takes no key {key!r}; its keys: {allowed}")
    missing = [k for k in required if args.get(k) is None]
    if missing:
        raise InvalidArgumentError(f"{what} needs {', '.join(missing)}; its keys: {allowed}")
    for key, value in args.items():
        if value is not None and not _kind_ok(value, kinds[key]):
            raise InvalidArgumentError(f"{what}: {key} must be {_KIND_WORDS[kinds[key]]}")


class Session:
    """One log, and the cases opened through the API but not recorded yet.

    A case is recorded with its first action (see `ProcedureLog.new_case`: the opening
    takes that action's date), so a case opened by `POST /api/cases` is held here until
    then, and its opening's arguments are kept in the log's file (`store.ServerTables`)
    so that a server started again on the log opens it again.
    """

    def __init__(self, log: ProcedureLog) -> None:
        self.log = log
        self.tables = ServerTables(log.events)
        self.pending: dict[str, Case] = {}
        for id, fields in self.tables.openings().items():
            if self.log.events.stream_version(id):  # recorded since, by another process
                self.tables.drop_opening(id)
                continue
            try:
                self.pending[id] = self.log.open_case(OpenCase(id=id, **fields))
            except (ProcedureError, TypeError) as e:  # kept by a version with other rules
                logger.warning("the case %r opened earlier cannot be opened again: %s", id, e)

    def close(self) -> None:
        """Close the log."""
        self.log.close()

    def _hold(self, case: Case, title: str, council: Any, bodies: Any) -> None:
        """Hold a case opened, not recorded yet, here and in the log's file."""
        self.tables.keep_opening(case.id, opening_fields(title, council, bodies))
        self.pending[case.id] = case

    # -- reading -------------------------------------------------------------------------

    def _pending(self, id: str) -> Case | None:
        case = self.pending.get(id)
        if case is not None and (case.version or self.log.events.stream_version(id)):
            del self.pending[id]  # recorded since (here, or by another process)
            self.tables.drop_opening(id)
            return None
        return case

    def case(self, id: str) -> Case:
        """The case as the log holds it now (or as opened here, before its first action)."""
        return self._pending(id) or self.log.case(id)  # UnknownCaseError if neither

    def cases(self) -> list[dict[str, Any]]:
        """Every case: those of the log, then those opened here and not recorded yet."""
        out = [{"id": c.id, "title": c.title, "state": c.state, "version": c.version}
               for c in self.log.cases()]
        out += [_summary(c) for id in list(self.pending) if (c := self._pending(id))]
        return out

    def overview(self) -> tuple[list[dict[str, Any]], int]:
        """The cases, and how many events the log holds (the page's first view)."""
        return self.cases(), self.log.events.count()

    def state(self, id: str) -> dict[str, Any]:
        """The case's state JSON."""
        return state_json(self.case(id))

    def events(self, id: str, after: int) -> list[dict[str, Any]]:
        """The case's recorded events after version `after`."""
        if self._pending(id) is None:
            self.log.case(id, at=0)  # UnknownCaseError for a case the log does not hold
        return [record_json(rec) for rec in self.log.events.select(id, after=after)]

    # -- recording -----------------------------------------------------------------------

    def _free(self, id: str) -> None:
        if "/" in id:  # no route could name it
            raise InvalidArgumentError(f"a case id must not hold '/' here, not {id!r}")
        if self._pending(id) is not None or self.log.events.stream_version(id):
            raise CaseExistsError(f"there is already a case {id!r}; choose another id")

    def open_case(self, args: Mapping[str, Any]) -> dict[str, Any]:
        """Open a case (kept here until its first action), or run a bundled scenario
        under the id given, recording all its steps at once."""
        kinds = {"id": "str", "title": "str", "council": "strings", "bodies": "bodies",
                 "scenario": "str"}
        check_kinds("a new case", args, kinds,
                    ("id",) if args.get("scenario") else ("id", "title"))
        bodies = args.get("bodies")
        OpenCase(id=args["id"], title=args.get("title") or "")  # the id's own check
        self._free(args["id"])
        if args.get("scenario") is not None:
            if args.get("council") is not None or bodies is not None:
                raise InvalidArgumentError("a new case from a scenario takes its council and "
                                           "bodies from the scenario: give id, title and "
                                           "scenario only")
            scenario = _bundled(args["scenario"])
            scenario = attrs.evolve(scenario, id=args["id"],
                                    title=args.get("title") or scenario.title)
            return state_json(run_scenario(self.log, scenario, actor="chair"))
        case = self.log.open_case(OpenCase(id=args["id"], title=args["title"],
                                           council=args.get("council"), bodies=bodies or ()))
        self._hold(case, args["title"], args.get("council"), bodies or ())
        return state_json(case)

    def act(self, id: str, args: Mapping[str, Any], actor: str) -> dict[str, Any]:
        """Run one action, `{"action": NAME, ...its arguments}`, on the case."""
        name = args.get("action")
        if not isinstance(name, str) or name not in COMMANDS:
            raise InvalidArgumentError(f"unknown action {name!r}; actions: {', '.join(COMMANDS)}")
        params = ACTION_PARAMS[name]
        kinds = {k: p.kind for k, p in params.items()} | ENVELOPE
        given = {k: v for k, v in args.items() if k != "action"}
        check_kinds(name, given, kinds, tuple(k for k, p in params.items() if p.required))
        command = COMMANDS[name](**{k: v for k, v in given.items()
                                    if v is not None and k not in ("note", "command_id")})
        case = self.case(id)
        with self.log.transaction():  # a pending case's opening is recorded and forgotten
            decision = case.run(command, actor=actor, note=given.get("note"),
                                command_id=given.get("command_id"))
            if id in self.pending:
                self._pending(id)
        out: dict[str, Any] = {"case": case.id, "state": case.state, "version": case.version}
        if decision is not None:
            out["decision"] = attrs.asdict(decision)
        return out

    def seat(self, id: str, args: Mapping[str, Any]) -> str:
        """The seat `{"member": NAME}` names in the body the case is before."""
        check_kinds("a delegation", args, {"member": "str"}, ("member",))
        state = self.case(id).data
        return seated(state, (args["member"],), "member", on_date(state, None))[0]

    def ballot(self, id: str, member: str, args: Mapping[str, Any]) -> dict[str, Any]:
        """A delegation's ballot in the open vote: `{"vote": "yes" | "no" | "abstain"}`."""
        if "cast_ballot" not in COMMANDS:
            raise NotInOrderError("cast_ballot", "this version of the engine has no ballots")
        check_kinds("a ballot", args, {"vote": "str", "command_id": "str"}, ("vote",))
        return self.act(id, {**args, "action": "cast_ballot", "member": member}, actor=member)

    def request(self, id: str, member: str, args: Mapping[str, Any]) -> dict[str, Any]:
        """What a delegation asks for itself: `{"action": NAME, ...}` for one of
        DELEGATION_ACTIONS, which the delegation takes in its own name only."""
        name = args.get("action")
        if name not in DELEGATION_ACTIONS:
            raise InvalidArgumentError(
                f"a delegation may ask for {', '.join(DELEGATION_ACTIONS)}, not {name!r:.60}")
        who = DELEGATION_ACTIONS[name]
        if args.get(who) not in (None, member):
            raise ApiError(403, f"the delegation of {member} acts in its own name only, not "
                           f"as {args[who]!r:.60}")
        return self.act(id, {**args, who: member}, actor=member)

    def fork(self, id: str, args: Mapping[str, Any]) -> dict[str, Any]:
        """A new case from the first `at` events of the case, decided again action by
        action and recorded, the origin in each event's note (`engine.app.fork`); the
        case itself is untouched."""
        check_kinds("a fork", args, {"at": "int", "id": "str"}, ("at", "id"))
        at, new = args["at"], args["id"]
        if not self.case(id).version:
            raise InvalidArgumentError(f"a fork: {id!r} has recorded nothing yet (a case is "
                                       "recorded with its first action)")
        self._free(new)
        forked = fork_case(self.log, id, at, new)
        if not forked.version:  # only the opening: recorded with its first action
            opened = forked.data
            self._hold(forked, opened.title, opened.council, tuple(opened.bodies.values()))
        return state_json(forked)


def _bundled(name: str) -> Any:
    """A bundled scenario by name: looked up among the bundled ones only, so a name from
    a request never reaches the file system as a path."""
    found = bundled()
    if name not in found:
        raise ScenarioError(f"{name!r} is not a bundled scenario (bundled: "
                            f"{', '.join(found) or 'none'})")
    return load_scenario(found[name])


class Narrator:
    """The event stream's reader: events after a position, each narrated with the state
    it left its case in. It reads through its own connection to the log."""

    def __init__(self, log: ProcedureLog, own: bool) -> None:
        self.log, self.own = log, own
        self.states: dict[str, CaseState] = {}

    def close(self) -> None:
        """Close its connection, if it is its own."""
        if self.own:
            self.log.close()

    def after(self, position: int) -> list[tuple[int, dict[str, Any]]]:
        """The next events after `position` (a batch), as stream messages."""
        found = self.log.events.select(after=position)
        try:
            return [(rec.position, self._message(rec)) for rec in islice(found, STREAM_BATCH)]
        finally:
            found.close()

    def _message(self, rec: Recorded) -> dict[str, Any]:
        state = self.states.get(rec.stream_id)
        if state is None or state.version != rec.version - 1:
            state = self.log.case(rec.stream_id, at=rec.version - 1).data
            self.states[rec.stream_id] = state
        step(state, rec.event, rec.version, rec.occurred_at)
        full = record_json(rec)
        return {"position": rec.position, "case": rec.stream_id, "version": rec.version,
                "type": rec.type, "occurred_at": rec.occurred_at, "actor": rec.actor,
                "note": rec.note, "payload": full["payload"], "state": state.state,
                "narration": narrate(rec, state.state, state.bodies)}
