"""Projections: ordinary SQL tables derived from the log, for SQL, Datasette and notebooks.

`project(log)` drops and rebuilds three tables in the log's own file:
- `cases`: one row per case (its state, title, body, draft, dates);
- `votes`: one row per vote with its figures, outcome, majority and rule;
- `member_votes`: one row per member per recorded vote.
They are derived data: the `meta` table lists them under `derived_tables`, and they can
be dropped and rebuilt at any time; the `events` table is never touched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from engine.app.log import ProcedureLog
from engine.procedure.state import CaseState, fold
from events import AdoptedWithoutVote, DeemedRejected, VoteTaken

__all__ = ["DERIVED", "project", "session_of"]

DERIVED = ("cases", "votes", "member_votes")

_SCHEMA = """
create table cases (
  case_id text primary key, title text, state text not null, version integer not null,
  body text, draft text, first_date text, last_date text
);
create table votes (
  position integer primary key, case_id text not null, version integer not null,
  date text, session integer, body text, item text not null, kind text not null,
  yes integer, no integer, abstain integer, outcome text not null, majority text,
  needed integer, rule text, as_amended integer, note text
);
create table member_votes (
  position integer not null, case_id text not null, member text not null,
  vote text not null, primary key (position, member)
);
create index votes_case on votes (case_id, version);
create index votes_session on votes (session);
create index member_votes_member on member_votes (member);
create index member_votes_case on member_votes (case_id);
"""


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
    for rec in log.events.read_all():
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
    conn = log.events.conn
    inserts = {
        "cases": "insert into cases values (?, ?, ?, ?, ?, ?, ?, ?)",
        "votes": "insert into votes values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "member_votes": "insert into member_votes values (?, ?, ?, ?)",
    }
    counts = dict.fromkeys(DERIVED, 0)
    with log.transaction():
        for table in DERIVED:
            conn.execute(f"drop table if exists {table}")
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
        batch: dict[str, list[tuple[Any, ...]]] = {t: [] for t in DERIVED}
        for table, row in _rows(log, tick):
            batch[table].append(row)
            counts[table] += 1
            if len(batch[table]) >= 10_000:
                conn.executemany(inserts[table], batch[table])
                batch[table].clear()
        for table, rows in batch.items():
            conn.executemany(inserts[table], rows)
        conn.execute("insert or replace into meta (key, value) values ('derived_tables', ?)",
                     (",".join(DERIVED),))
    return counts
