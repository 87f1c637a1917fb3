"""The library API: open a log, start or load cases, read their history.

    import engine
    log = engine.open("un.db")            # or ":memory:"
    case = log.new_case("dprk-2014", title="Human rights in the DPRK")
    case.submit_draft(body="third-committee", symbol="A/C.3/69/L.28/Rev.1", title="...")
    log.state("dprk-2014", at=1)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from engine.app.actions import Entry
from engine.app.case import Case
from engine.app.case_ids import IdGuard
from engine.app.paths import is_postgres, log_path
from engine.app.snapshots import EVERY, Snapshots
from engine.procedure.arguments import show
from engine.procedure.bodies import Body
from engine.procedure.commands import OpenCase
from engine.procedure.decide import decide
from engine.procedure.errors import CaseExistsError, InvalidArgumentError, UnknownCaseError
from engine.procedure.state import CaseState, evolve, fold, step
from events import CaseOpened, EventLog, Recorded, decode
from events.damage import guarded

__all__ = ["CaseSummary", "ProcedureLog", "open"]


@attrs.frozen(slots=True)
class CaseSummary:
    """One line about a case: its id, title, state and version."""

    id: str
    title: str
    state: str
    version: int


@guarded  # a damaged file or a full disk is a LogError, whichever method meets it
class ProcedureLog:
    """The application: cases over one append-only event log."""

    def __init__(self, events: EventLog, snapshot_every: int = EVERY) -> None:
        self.events = events
        self.snapshots = Snapshots(events, _check_every(snapshot_every))
        self._ids = IdGuard(events)  # no two case ids that read alike

    def __repr__(self) -> str:
        return f"<ProcedureLog {self.events.path!r}>"

    def __enter__(self) -> ProcedureLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the log."""
        self.events.close()

    def transaction(self):
        """Group several actions into one transaction: all are recorded, or none."""
        return self.events.transaction()

    def new_case(
        self, id: str, title: str, council: Sequence[str] | None = None,
        bodies: Sequence[Body | Mapping[str, Any]] = (),
    ) -> Case:
        """Start a case. It is recorded with its first action; `id` must be new.

        `council` names the ten elected members of the Security Council for the case's
        year (the five permanent members are always there). `bodies` declares bodies of
        the case's own, as `engine.Body` values or mappings with the same keys (id,
        name, rules, members, veto): a Model UN committee, a Human Rights Council.
        """
        return self.open_case(OpenCase(id=id, title=title, council=council, bodies=bodies))

    def open_case(self, command: OpenCase) -> Case:
        """`new_case` for an `OpenCase` command (a scenario's, or the web API's)."""
        if self.events.stream_version(command.id):
            raise CaseExistsError(
                f"the log already holds a case {command.id!r}; load it with "
                f"case({command.id!r}) or choose another id"
            )
        self._ids.check(command.id)
        state = CaseState(command.id)
        (opening,) = decide(state, command)
        assert isinstance(opening, CaseOpened)
        return Case(self.events, state, opening)

    def case(self, id: str, at: int | None = None) -> Case:
        """The case rebuilt from its events (only up to version `at`, if given).

        A long case starts from its newest snapshot at or before `at` (see
        `engine.app.snapshots`) and replays only the events after it. An `at` past the
        case's last event raises InvalidArgumentError saying how many events it has.
        """
        if at is not None:
            self._check_at(id, at)
        snapshots = self.snapshots
        state = (snapshots.present and snapshots.latest(id, at)) or CaseState(id)
        taken = []
        due = snapshots.next_due(state.version)
        for version, occurred_at, type_name, schema, payload in self.events.rows(
            id, state.version, at, EventLog.REPLAY
        ):
            evolve(state, decode(type_name, schema, payload), version, occurred_at)
            if version == due:
                taken.append(snapshots.taken(state))
                due += snapshots.every
        if taken:
            snapshots.save(taken)
        if not state.version and not self.events.stream_version(id):
            raise UnknownCaseError(self.unknown(id))
        return Case(self.events, state)

    def states(self) -> dict[str, CaseState]:
        """Every case's state, rebuilt in one pass over the log, by case id.

        Each row is read once, in log order, with no query per case and no snapshot:
        the way to rebuild a log of many cases. Memory holds one state per case, not the
        log. (A log of a few very long cases loads faster case by case, from snapshots.)
        """
        states: dict[str, CaseState] = {}
        for stream_id, version, occurred_at, type_name, schema, payload in \
                self.events.rows(columns=EventLog.FOLD):
            fold(states, stream_id, decode(type_name, schema, payload), version, occurred_at)
        return states

    def state(self, id: str, at: int | None = None) -> str:
        """The case's public state name, now or after event version `at`."""
        return self.case(id, at).state

    def _check_at(self, id: str, at: object) -> None:
        """Refuse an `at` that is no version of the case (before any number reaches
        SQLite, which takes none above 2**63 - 1)."""
        if isinstance(at, bool) or not isinstance(at, int) or at < 0:
            raise InvalidArgumentError(f"at must be a version number (0 or more), not {show(at)}")
        end = self.events.stream_version(id)
        if not end:
            raise UnknownCaseError(self.unknown(id))
        if at > end:
            raise InvalidArgumentError(
                f"case {id!r} has {end} event{'s' * (end != 1)}; there is no state after "
                f"event {show(at)} (give 0 to {end})")

    def history(self, id: str) -> Iterator[tuple[Recorded, CaseState]]:
        """Each recorded event of the case with the state just after it.

        The state object is the same one, updated in place as the fold goes on: read
        from it before advancing.
        """
        for entry, state in self.entries(id):
            yield entry.recorded, state

    def entries(self, id: str) -> Iterator[tuple[Entry, CaseState]]:
        """`history`, each event with the path of states it took the case along (what a
        timeline or the graph highlights: tabled, voting, rejected)."""
        state = CaseState(id)
        for rec in self.events.select(id):
            yield Entry(rec, step(state, rec.event, rec.version, rec.occurred_at)), state
        if not state.version:
            raise UnknownCaseError(self.unknown(id))

    def cases(self) -> list[CaseSummary]:
        """Every case in the log, in the order they were opened."""
        # Case by case, not `states()`: a long case starts from its snapshot.
        out = []
        for stream_id, _ in self.events.streams():
            case = self.case(stream_id)
            out.append(CaseSummary(case.id, case.title, case.state, case.version))
        return out

    def unknown(self, id: str) -> str:
        """The message for a case id the log does not hold, naming those it does."""
        known = [s for s, _ in self.events.streams()]
        hint = f"; cases: {', '.join(known[:10])}" + (" ..." if len(known) > 10 else "")
        return f"no case {id!r} in {self.events.path}" + (hint if known else " (the log is empty)")


def open(
    path: str | Path, readonly: bool = False, snapshot_every: int = EVERY,
    durable: bool = True,
) -> ProcedureLog:
    """Open (or create) a log at `path`; ":memory:" keeps it in memory.

    A `postgresql://` URL opens the log in that PostgreSQL database instead (the same
    log; `events.postgres`, which needs `pip install "procedura[postgres]"`); a new
    one is created in an empty database.

    With `readonly=True` the file is opened with SQLite's `mode=ro`: it must exist, and
    nothing can change it. `snapshot_every` sets how many events of a case lie between
    two snapshots (derived data that keeps time travel in long cases cheap).

    Each action is on disk when it returns. `durable=False` trades that for speed: an
    action no longer waits for the disk (two to three times as many actions a second,
    one at a time, on the project's machine), the log stays atomic and uncorrupted, but
    the last actions can be lost to a power cut or an operating system crash (not to a
    crash of the program). It applies to logs in WAL mode, which is every log this
    version creates; a log from the first version keeps waiting. `log.events.durable`
    says which is in force.

    The arguments are checked before any file is opened, so a wrong one creates nothing:
    `path` must be a file name (a str or a Path) or ":memory:", without NUL, naming a
    regular file or none yet (not a folder, a device such as /dev/null, or a FIFO);
    `snapshot_every` a whole number of at least 1. Each raises InvalidArgumentError.
    """
    path = log_path(path)
    for name, flag in (("readonly", readonly), ("durable", durable)):
        if not isinstance(flag, bool):
            raise InvalidArgumentError(f"{name} must be True or False, not {show(flag)}")
    _check_every(snapshot_every)  # before the file is opened: a wrong value creates none
    if is_postgres(path):  # psycopg is imported only now (`events.postgres`)
        from events.postgres import PostgresLog

        return ProcedureLog(PostgresLog(path, readonly=readonly, durable=durable),
                            snapshot_every)
    return ProcedureLog(EventLog(path, readonly=readonly, durable=durable), snapshot_every)


def _check_every(snapshot_every: object) -> int:
    if isinstance(snapshot_every, bool) or not isinstance(snapshot_every, int) or \
            snapshot_every < 1:
        raise InvalidArgumentError("snapshot_every must be a whole number of events, at "
                                   f"least 1, not {show(snapshot_every)}")
    return snapshot_every
