"""Projections: ordinary SQL tables derived from the log, for SQL, Datasette and notebooks.

`project(log)` drops and rebuilds three tables in the log's own file:
- `cases`: one row per case (its state, title, body, draft, dates);
- `votes`: one row per vote with its figures, outcome, majority and rule;
- `member_votes`: one row per member per recorded vote.
They are derived data: the `meta` table lists them under `derived_tables`, and they can
be dropped and rebuilt at any time; the `events` table is never touched. The store makes
them (`EventLog.ensure_table`) and fills them in its transaction. `member_votes(log,
member=..., session=..., case=...)` queries them: the answer behind `procedura votes`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from engine.app.log import ProcedureLog
from engine.app.log import open as open_log
from engine.procedure.arguments import show
from engine.procedure.errors import InvalidArgumentError, LogError
from engine.procedure.members import resolve
from engine.procedure.state import CaseState, fold
from events import AdoptedWithoutVote, DeemedRejected, VoteTaken

__all__ = ["DERIVED", "VOTE_COLUMNS", "member_votes", "project", "session_of"]

DERIVED = ("cases", "votes", "member_votes")

# table -> (columns in order, primary key, not-null columns, indexes: name -> columns)
_TABLES: dict[str, tuple[dict[str, type], str | tuple[str, ...], tuple[str, ...],
                         dict[str, tuple[str, ...]]]] = {
    "cases": ({"case_id": str, "title": str, "state": str, "version": int, "body": str,
               "draft": str, "first_date": str, "last_date": str},
              "case_id", ("state", "version"), {}),
    "votes": ({"position": int, "case_id": str, "version": int, "date": str, "session": int,
               "body": str, "item": str, "kind": str, "yes": int, "no": int, "abstain": int,
               "outcome": str, "majority": str, "needed": int, "rule": str,
               "as_amended": int, "note": str},
              "position", ("case_id", "version", "item", "kind", "outcome"),
              {"votes_case": ("case_id", "version"), "votes_session": ("session",)}),
    "member_votes": ({"position": int, "case_id": str, "member": str, "vote": str},
                     ("position", "member"), ("position", "case_id", "member", "vote"),
                     {"member_votes_member": ("member",), "member_votes_case": ("case_id",)}),
}
VOTE_COLUMNS = ("date", "session", "case_id", "item", "yes", "no", "abstain", "outcome")


def session_of(date: str | None) -> int | None:
    """The regular General Assembly session a date falls in (an approximation).

    Rule 1 of A/520/Rev.20: a regular session opens on the Tuesday of the third week of
    September, counting from the first week with a working day; the third Tuesday is
    taken here. A date on or after that day of year Y is in session Y - 1945, before it in
    session Y - 1946 (the first session, exceptionally, opened in January 1946). Earlier
    decades opened on other days, and special sessions are not told apart, so dates near
    the opening may be placed one session off.
    """
    if not date:
        return None
    day = dt.date.fromisoformat(date)
    first = dt.date(day.year, 9, 1)
    opening = first + dt.timedelta(days=(1 - first.weekday()) % 7 + 14)
    return max(day.year - 1945 if day >= opening else day.year - 1946, 1)


def _rows(log: ProcedureLog, tick: Callable[[], None]) -> Iterator[tuple[str, tuple[Any, ...]]]:
    states: dict[str, CaseState] = {}
    first: dict[str, str | None] = {}
    for rec in log.events.select():
        tick()
        first.setdefault(rec.stream_id, rec.occurred_at)
        ev = rec.event
        before = states.get(rec.stream_id)
        amended = before.amended if before else False  # whether the vote is "as amended"
        fold(states, rec.stream_id, ev, rec.version, rec.occurred_at)
        if isinstance(ev, VoteTaken | AdoptedWithoutVote | DeemedRejected):
            d = ev.decision
            figures = (ev.yes, ev.no, ev.abstain) if isinstance(ev, VoteTaken) else (None,) * 3
            kind = ev.kind if not isinstance(ev, DeemedRejected) else "draft"
            yield "votes", (rec.position, rec.stream_id, rec.version, rec.occurred_at,
                            session_of(rec.occurred_at), ev.body, ev.on, kind, *figures,
                            d.outcome, d.majority, d.needed, d.rule,
                            int(kind == "draft" and amended), rec.note)
        if isinstance(ev, VoteTaken):
            for option in ("yes", "no", "abstain"):
                for member in getattr(ev, f"{option}_members"):
                    yield "member_votes", (rec.position, rec.stream_id, member, option)
    for case_id, s in states.items():
        yield "cases", (case_id, s.title, s.state, s.version, s.body,
                        s.draft.symbol if s.draft else None, first[case_id], s.last_date)


def project(log: ProcedureLog, tick: Callable[[], None] = lambda: None) -> dict[str, int]:
    """Drop and rebuild the derived tables in one transaction; return their row counts."""
    events = log.events
    inserts = {table: f"insert into {table} values ({', '.join('?' * len(spec[0]))})"
               for table, spec in _TABLES.items()}
    counts = dict.fromkeys(DERIVED, 0)
    with log.transaction():
        for table, (columns, pk, not_null, indexes) in _TABLES.items():
            events.ensure_table(table, columns, pk, not_null=not_null, indexes=indexes,
                                replace=True)
        batch: dict[str, list[tuple[Any, ...]]] = {t: [] for t in DERIVED}
        for table, row in _rows(log, tick):
            batch[table].append(row)
            counts[table] += 1
            if len(batch[table]) >= 10_000:
                events.write(inserts[table], batch[table])
                batch[table].clear()
        for table, rows in batch.items():
            events.write(inserts[table], rows)
        events.set_meta("derived_tables", ",".join(DERIVED))
    return counts


def member_votes(
    log: ProcedureLog | str | Path, member: str | None = None, session: int | None = None,
    case: str | None = None,
) -> list[dict[str, Any]]:
    """The projected votes, in log order, one dict per vote (run `project` first).

    Each has the keys of `VOTE_COLUMNS`: date, session, case_id, item, the yes, no and
    abstain figures, and the outcome. With `member` (a name, code or alias, e.g. Japan,
    JP, JPN) only the recorded votes that member took part in, with one more key,
    `vote`: "yes", "no" or "abstain". `session` keeps the votes of one General Assembly
    session (see `session_of`), `case` those of one case. A path is opened read-only for
    the query. Raises `LogError` when the log has no projections yet.
    """
    if not isinstance(log, ProcedureLog):
        with open_log(log, readonly=True) as opened:
            return member_votes(opened, member, session, case)
    if session is not None and (isinstance(session, bool) or not isinstance(session, int)
                                or not 1 <= session < 1 << 63):
        # Checked here: SQLite takes no number above 2**63 - 1, and would raise.
        raise InvalidArgumentError("session must be the number of a General Assembly "
                                   f"session (1, 2, ...), not {show(session)}")
    columns, where, params = [f"v.{c}" for c in VOTE_COLUMNS], [], []
    source = "votes v"
    if member:
        source += " join member_votes m on m.position = v.position and m.member = ?"
        params.append(resolve(member).name)
        columns.append("m.vote")
    if session:
        where.append("v.session = ?")
        params.append(session)
    if case:
        where.append("v.case_id = ?")
        params.append(case)
    sql = f"select {', '.join(columns)} from {source}"
    if where:
        sql += " where " + " and ".join(where)
    path = log.events.path
    if not log.events.has_table("votes"):
        raise LogError(f"{path} has no projections yet; run: procedura project --db {path}")
    names = [c.split(".")[1] for c in columns]
    return [dict(zip(names, row, strict=True))
            for row in log.events.query(sql + " order by v.position", params)]
