"""Projections: ordinary SQL tables derived from the log, for SQL, Datasette and notebooks.

`project(log)` drops and rebuilds four tables in the log's own file:
- `members`: every Member State, present and former (UN name, ISO codes, admission);
- `cases`: one row per case (its state, title, heading, body, draft, session, dates);
- `votes`: one row per vote with its figures, outcome, majority and rule, and for
  imported roll calls the rcid, session, issues (a JSON list), heading and description;
- `member_votes`: one row per member per recorded vote,
with foreign keys member_votes -> members, votes, cases and votes -> cases, and
full-text search (sqlite-utils' FTS) on case titles and vote descriptions.
They are derived data: the `meta` table lists them under `derived_tables`, and they can
be dropped and rebuilt at any time; the `events` table is never touched. The store makes
them (`EventLog.ensure_table`) and fills them in its transaction. The queries over them
(`procedura votes`, `agreement`) are in `engine.app.research`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from engine.app.log import ProcedureLog
from engine.app.log import open as open_log
from engine.procedure.arguments import show
from engine.procedure.errors import InvalidArgumentError, LogError
from engine.procedure.members import FORMER, MEMBERS, find, resolve
from engine.procedure.state import CaseState, fold
from events import AdoptedWithoutVote, DeemedRejected, VoteTaken

__all__ = ["DERIVED", "FTS", "VOTE_COLUMNS", "member_votes", "note_fields", "project",
           "session_of"]

DERIVED = ("members", "cases", "votes", "member_votes")
FTS = {"cases": ("title", "heading"), "votes": ("description", "heading")}

# table -> (columns in order, primary key, not-null columns, indexes: name -> columns,
# foreign keys); parents first, as they are made and filled.
_TABLES: dict[str, tuple[dict[str, type], str | tuple[str, ...], tuple[str, ...],
                         dict[str, tuple[str, ...]], tuple[tuple[str, str, str], ...]]] = {
    "members": ({"name": str, "alpha2": str, "alpha3": str, "admitted": str, "left": str},
                "name", (), {}, ()),
    "cases": ({"case_id": str, "title": str, "heading": str, "state": str, "version": int,
               "body": str, "draft": str, "session": int, "issues": str, "first_date": str,
               "last_date": str},
              "case_id", ("state", "version"), {"cases_session": ("session",)}, ()),
    "votes": ({"position": int, "case_id": str, "version": int, "date": str, "session": int,
               "rcid": int, "body": str, "item": str, "kind": str, "yes": int, "no": int,
               "abstain": int, "outcome": str, "majority": str, "needed": int, "rule": str,
               "as_amended": int, "issues": str, "heading": str, "description": str,
               "note": str},
              "position", ("case_id", "version", "item", "kind", "outcome"),
              {"votes_case": ("case_id", "version"), "votes_session": ("session",),
               "votes_date": ("date",)},
              (("case_id", "cases", "case_id"),)),
    "member_votes": ({"position": int, "case_id": str, "member": str, "vote": str},
                     ("position", "member"), ("position", "case_id", "member", "vote"),
                     {"member_votes_member": ("member",), "member_votes_case": ("case_id",)},
                     (("position", "votes", "position"), ("case_id", "cases", "case_id"),
                      ("member", "members", "name"))),
}
VOTE_COLUMNS = ("date", "session", "case_id", "title", "item", "kind", "yes", "no", "abstain",
                "outcome")
KINDS = {"amendment": "amendment", "part": "part", "whole": "draft"}  # --kind -> votes.kind
_NOTE_KEYS = ("rcid ", "session ", "issues: ", "heading: ")


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


def note_fields(note: str | None) -> dict[str, str]:
    """The fields an imported event's note carries: "rcid 5377; session 69; issues: Human
    rights; heading: ...; ...; description: ..." (the description last, as it may hold
    "; "). Other notes give {}."""
    if not note:
        return {}
    head, _, description = note.partition("description: ")
    out = {"description": description} if description else {}
    for part in head.split("; "):
        for key in _NOTE_KEYS:
            if part.startswith(key) and key.strip(": ") not in out:
                out[key.strip(": ")] = part[len(key):].strip()
    return out


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isascii() and text.isdigit() else None


def _rows(log: ProcedureLog, tick: Callable[[], None]) -> Iterator[tuple[str, tuple[Any, ...]]]:
    states: dict[str, CaseState] = {}
    first: dict[str, str | None] = {}
    about: dict[str, dict[str, Any]] = {}  # case -> heading, session, issues
    for rec in log.events.select():
        tick()
        if rec.occurred_at and not first.get(rec.stream_id):
            first[rec.stream_id] = rec.occurred_at
        ev = rec.event
        before = states.get(rec.stream_id)
        amended = before.amended if before else False  # whether the vote is "as amended"
        fold(states, rec.stream_id, ev, rec.version, rec.occurred_at)
        case = about.setdefault(rec.stream_id, {"heading": None, "session": None,
                                                "issues": {}})
        if isinstance(ev, VoteTaken | AdoptedWithoutVote | DeemedRejected):
            d = ev.decision
            figures = (ev.yes, ev.no, ev.abstain) if isinstance(ev, VoteTaken) else (None,) * 3
            kind = ev.kind if not isinstance(ev, DeemedRejected) else "draft"
            fields = note_fields(rec.note)
            session = _int(fields.get("session")) or session_of(rec.occurred_at)
            issues = [i for i in fields.get("issues", "").split(", ") if i]
            case["session"] = case["session"] or session
            case["heading"] = case["heading"] or fields.get("heading")
            case["issues"].update(dict.fromkeys(issues))
            yield "votes", (rec.position, rec.stream_id, rec.version, rec.occurred_at,
                            session, _int(fields.get("rcid")), ev.body, ev.on, kind,
                            *figures, d.outcome, d.majority, d.needed, d.rule,
                            int(kind == "draft" and amended),
                            json.dumps(issues) if issues else None, fields.get("heading"),
                            fields.get("description"), rec.note)
        elif rec.version <= 2 and not case["heading"]:
            case["heading"] = note_fields(rec.note).get("heading")
        if isinstance(ev, VoteTaken):
            for option in ("yes", "no", "abstain"):
                for member in getattr(ev, f"{option}_members"):
                    yield "member_votes", (rec.position, rec.stream_id, member, option)
    for case_id, s in states.items():
        c = about[case_id]
        yield "cases", (case_id, s.title, c["heading"], s.state, s.version, s.body,
                        s.draft.symbol if s.draft else None, c["session"],
                        json.dumps(list(c["issues"])) if c["issues"] else None,
                        first.get(case_id), s.last_date)


def _members(seen: set[str]) -> list[tuple[Any, ...]]:
    """Every Member, present and former, and any other name a vote records (a body of a
    case's own may seat members by other names): the foreign key needs them all."""
    rows = {m.name: (m.name, m.alpha2 or None, m.alpha3 or None, m.admitted.isoformat(),
                     m.left.isoformat() if m.left else None) for m in (*MEMBERS, *FORMER)}
    for name in seen - rows.keys():
        rows[name] = (name, None, None, None, None)
    return list(rows.values())


def project(log: ProcedureLog, tick: Callable[[], None] = lambda: None) -> dict[str, int]:
    """Drop and rebuild the derived tables in one transaction; return their row counts."""
    events = log.events
    inserts = {table: f"insert into {table} values ({', '.join('?' * len(spec[0]))})"
               for table, spec in _TABLES.items()}
    rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in DERIVED}
    for table, row in _rows(log, tick):
        rows[table].append(row)
    rows["members"] = _members({row[2] for row in rows["member_votes"]})
    with log.transaction():
        # Parents first, made and filled, so that a store that checks foreign keys
        # finds every row a child names.
        for table, (columns, pk, not_null, indexes, keys) in _TABLES.items():
            events.ensure_table(table, columns, pk, not_null=not_null, indexes=indexes,
                                foreign_keys=keys, replace=True)
        for table in DERIVED:
            events.write(inserts[table], rows[table])
        events.set_meta("derived_tables", ",".join(DERIVED))
    db = getattr(events, "db", None)
    if db is not None and hasattr(db, "table_names"):
        # SQLite: sqlite-utils' full-text index. It runs scripts, which commit, so it is
        # built after the tables are; a search without it falls back to LIKE.
        for table, columns in FTS.items():
            db[table].enable_fts(list(columns), replace=True, create_triggers=False)
        events.set_meta("derived_tables", ",".join([*DERIVED, *(f"{t}_fts" for t in FTS)]))
    return {table: len(rows[table]) for table in DERIVED}


def _fts_phrase(text: str) -> str:
    """`text` as one FTS5 phrase: its words in order, nothing read as query syntax."""
    return '"' + text.replace('"', '""') + '"'


def member_votes(
    log: ProcedureLog | str | Path, member: str | None = None, session: int | None = None,
    case: str | None = None, *, search: str | None = None, issue: str | None = None,
    kind: str | None = None, start: int | None = None, end: int | None = None,
) -> list[dict[str, Any]]:
    """The projected votes, in log order, one dict per vote (run `project` first).

    Each has the keys of `VOTE_COLUMNS` (date, session, case_id, title, item, kind, the
    yes, no and abstain figures, the outcome). With `member` (a name, code or alias, e.g.
    Japan, JP, JPN; a former Member's name finds it too, "Yugoslavia" both the former
    Yugoslavia and Serbia) only the votes that member took part in, with one more key,
    `vote`. `session` keeps one General Assembly session, `case` one case, `search` the
    votes whose case title or description holds the words (full-text), `issue` those of
    a topic of the data (e.g. "Human rights"), `kind` "amendment", "part" or "whole",
    `start`/`end` the years from and to (inclusive). A path is opened read-only.
    Raises `LogError` when the log has no projections yet, `InvalidArgumentError` for
    an argument out of range.
    """
    if not isinstance(log, ProcedureLog):
        with open_log(log, readonly=True) as opened:
            return member_votes(opened, member, session, case, search=search, issue=issue,
                                kind=kind, start=start, end=end)
    for name, value, low, high in (("session", session, 1, 1 << 62),
                                   ("--from year", start, 1, 9999), ("--to year", end, 1, 9999)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or not low <= value <= high):
            # Checked here: SQLite takes no number above 2**63 - 1, and would raise.
            raise InvalidArgumentError(f"{name} must be a whole number from {low}, not "
                                       f"{show(value)}")
    if kind is not None and kind not in KINDS:
        raise InvalidArgumentError(f"kind must be one of {', '.join(KINDS)}, not {show(kind)}")
    columns = [f"v.{c}" for c in VOTE_COLUMNS if c != "title"]
    columns.insert(3, "c.title")
    # The engine's "draft" is the vote on the whole, as --kind names it.
    columns[5] = "case v.kind when 'draft' then 'whole' else v.kind end as kind"
    where: list[str] = []
    params: list[Any] = []
    source = "votes v join cases c on c.case_id = v.case_id"
    if member:
        names = member_names(member)
        source += (" join member_votes m on m.position = v.position and m.member in "
                   f"({', '.join('?' * len(names))})")
        params += names
        columns.append("m.vote")
    for clause, value in (("v.session = ?", session), ("v.case_id = ?", case),
                          ("v.kind = ?", KINDS.get(kind or "")),
                          ("cast(substr(v.date, 1, 4) as integer) >= ?", start),
                          ("cast(substr(v.date, 1, 4) as integer) <= ?", end)):
        if value is not None:
            where.append(clause)
            params.append(value)
    if issue:
        where.append("v.issues like ?")
        params.append(f'%"{issue.replace("%", "").replace("_", "")}%')
    events = log.events
    if not events.has_table("votes") or not events.has_table("members"):
        raise LogError(f"{events.path} has no projections (or older ones); run: procedura "
                       f"project --db {events.path}")
    if search:
        if events.has_table("votes_fts"):
            where.append("(c.rowid in (select rowid from cases_fts where cases_fts match ?) "
                         "or v.rowid in (select rowid from votes_fts where votes_fts match ?))")
            params += [_fts_phrase(search)] * 2
        else:
            where.append("(c.title like ? or v.description like ?)")
            params += [f"%{search}%"] * 2
    sql = f"select {', '.join(columns)} from {source}"
    if where:
        sql += " where " + " and ".join(where)
    keys = [c.split()[-1].split(".")[-1] for c in columns]  # "v.x" -> x; "... as kind" -> kind
    return [dict(zip(keys, row, strict=True))
            for row in events.query(sql + " order by v.position", params)]


def member_names(member: str) -> list[str]:
    """The member names `member` can mean in the record: the Member it resolves to, and
    a former Member of that name ("Yugoslavia": Serbia and the former Yugoslavia)."""
    names = [resolve(member).name]
    for former in FORMER:
        found = find(member, former.admitted)
        if found is not None and found.name not in names:
            names.append(found.name)
    return names
