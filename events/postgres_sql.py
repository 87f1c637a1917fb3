"""PostgreSQL's side of the store: its tables, triggers and the SQL it is sent.

`events.postgres.PostgresLog` keeps the SQLite store's code and statements, so that both
stores hash, check and read the same way; what PostgreSQL says differently is said here,
once, and nowhere in the application:

- `translate` turns a statement written for SQLite into PostgreSQL's: `?` placeholders
  become `%s` (and a literal `%` becomes `%%`); `insert or replace` becomes `insert ...
  on conflict (primary key) do update` of every other column; `insert or ignore` becomes
  `on conflict do nothing`; `pragma table_info(t)` becomes a read of the information
  schema with the same second column (the column's name).
- Every derived table made here ends with a column `rowid bigserial`, standing for
  SQLite's implicit rowid: a query may `order by rowid` to read rows in the order they
  were written (an `insert or replace` takes a new one, as in SQLite). An `insert into t
  values (...)` that names no columns fills the others and leaves it to its default.
- `SCHEMA` is the DDL of the log's own tables, the same columns as `events.schema`'s,
  append-only by triggers: BEFORE UPDATE and BEFORE DELETE row triggers and a
  statement-level BEFORE TRUNCATE trigger on `events` and `merkle_nodes` (PostgreSQL
  fires no row trigger for TRUNCATE), and insert triggers that take a row only at the
  next position (one more than the last; a tree block one block on): on `events` once
  per statement (AFTER, over the statement's rows), on `merkle_nodes` row by row. Logs
  made before keep their BEFORE row trigger on `events`, which refuses the same rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence

from events.errors import LogError
from events.schema import APPEND_ONLY, TREE_APPEND_ONLY, TREE_BLOCK

__all__ = [
    "ADVISORY_LOCK", "CHANNEL", "GUARD", "ROLE", "SCHEMA", "create_table_sql", "translate",
]

# The key of the transaction-level advisory lock every append transaction takes
# (pg_advisory_xact_lock): "proc" in ASCII. See events.postgres for why a lock, and why
# this one rather than LOCK TABLE.
ADVISORY_LOCK = 0x70726F63
CHANNEL = "procedura_events"  # NOTIFY's channel: the payload is the log's last position

# The check of an append made on the head the log had at this connection's last commit,
# without reading it again (`events.postgres.PostgresLog.append`): sent after the lock,
# it fails the transaction (dividing by zero: SQL has no other way to raise an error
# without a function of its own, which a log made by an older procedura lacks) unless
# that head (position, hash) is still the last row and the stream is at the version
# expected. It also queues the commit's NOTIFY (sent only if the transaction commits), a
# statement fewer. Parameters: stream id, expected version, position, hash, position,
# the channel, and the last position the append will have.
GUARD = ("select 1 / ((select coalesce(max(version), 0) from events where stream_id = ?) = ?"
         " and exists (select 1 from events where position = ? and hash = ?)"
         " and not exists (select 1 from events where position > ?))::int, pg_notify(?, ?)")

_TYPES = {int: "bigint", str: "text", float: "double precision", bytes: "bytea"}

# Once per statement, not once per row (a bulk insert's thousand rows cost one check):
# the statement's rows are the positions right after the last one it sees besides them.
# An AFTER trigger's queries see the statement's rows and every commit before them
# (READ COMMITTED), so a row at any other position, or a position another writer holds
# uncommitted, is refused as a BEFORE row trigger would.
_EVENTS_IN_ORDER = f"""
create or replace function procedura_events_follow_on() returns trigger language plpgsql
as $$ declare first bigint; last bigint; n bigint; before bigint;
begin
  select min(position), max(position), count(*) into first, last, n from added;
  if n = 0 then return null; end if;
  select coalesce(max(position), 0) into before from events where position < first;
  if first <> before + 1 or last - first + 1 <> n then
    raise exception '{APPEND_ONLY.format("replaced")}'
      using detail = 'an event goes in at the next position only';
  end if;
  return null;
end $$"""
_TREE_IN_ORDER = f"""
create or replace function procedura_tree_in_order() returns trigger language plpgsql
as $$ begin
  if new.position is distinct from
      (select coalesce(max(position), 0) + {TREE_BLOCK} from merkle_nodes) then
    raise exception '{TREE_APPEND_ONLY.format("replaced")}';
  end if;
  return new;
end $$"""
# One function refuses every change; its first argument says which table's message.
_REFUSE = f"""
create or replace function procedura_append_only() returns trigger language plpgsql
as $$ begin
  if tg_argv[0] = 'events' then
    raise exception '{APPEND_ONLY.format("%")}', lower(tg_op) || 'd';
  end if;
  raise exception '{TREE_APPEND_ONLY.format("%")}', lower(tg_op) || 'd';
end $$"""


def _refusals(table: str) -> list[str]:
    return [
        f"create trigger {table}_no_change before update or delete on {table}"
        f" for each row execute function procedura_append_only('{table}')",
        f"create trigger {table}_no_truncate before truncate on {table}"
        f" for each statement execute function procedura_append_only('{table}')",
    ]


SCHEMA: list[str] = [
    """create table events (
        position bigint primary key, event_id text not null, stream_id text not null,
        version bigint not null, type text not null, schema_version bigint not null,
        occurred_at text, recorded_at text not null, actor text, note text,
        payload text not null, hash text not null)""",
    "create unique index idx_events_event_id on events (event_id)",
    "create unique index idx_events_stream_id_version on events (stream_id, version)",
    "create table meta (key text primary key, value text)",
    "create table merkle_nodes (position bigint primary key, hashes bytea not null)",
    _EVENTS_IN_ORDER, _TREE_IN_ORDER, _REFUSE,
    "create trigger events_in_order after insert on events referencing new table as added"
    " for each statement execute function procedura_events_follow_on()",
    "create trigger merkle_nodes_in_order before insert on merkle_nodes for each row"
    " execute function procedura_tree_in_order()",
    *_refusals("events"), *_refusals("merkle_nodes"),
]

# The role a server or a clerk's tool connects as (docs/postgres.md): it reads every
# table and adds rows to the log's own, and can change nothing recorded, whatever the
# triggers say. Derived tables (snapshots, projections) and the server's own tables
# need more, granted table by table by the owner. {role} is an identifier.
ROLE = """create role {role} login;
grant connect on database {database} to {role};
grant usage on schema public to {role};
grant select, insert on events, merkle_nodes to {role};
grant select on meta to {role};"""


def create_table_sql(
    name: str, columns: Mapping[str, type], pk: str | Sequence[str],
    not_null: Collection[str] = (), indexes: Mapping[str, Sequence[str]] | None = None,
    unique: Collection[str] = (), foreign_keys: Sequence[tuple[str, str, str]] = (),
) -> list[str]:
    """The statements that make derived table `name` (and its indexes) in PostgreSQL,
    from the arguments `EventLog.ensure_table` takes, with the trailing `rowid`."""
    keys = [pk] if isinstance(pk, str) else list(pk)
    parts = []
    for column, kind in columns.items():
        if kind not in _TYPES:
            raise LogError(f"a derived table's column is int, str, float or bytes, not "
                           f"{kind!r} ({name}.{column})")
        null = " not null" if column in not_null or column in keys else ""
        parts.append(f"{_ident(column)} {_TYPES[kind]}{null}")
    parts.append("rowid bigserial")
    parts.append(f"primary key ({', '.join(map(_ident, keys))})")
    parts += [f"foreign key ({_ident(c)}) references {_ident(t)} ({_ident(o)})"
              for c, t, o in foreign_keys]
    out = [f"create table {_ident(name)} ({', '.join(parts)})"]
    for index, on in (indexes or {}).items():
        out.append(f"create {'unique ' * (index in unique)}index if not exists "
                   f"{_ident(index)} on {_ident(name)} ({', '.join(map(_ident, on))})")
    return out


def _ident(name: str) -> str:
    """A quoted identifier (a name with a double quote in it doubles it)."""
    return '"' + name.replace('"', '""') + '"'


# -- SQLite's statements in PostgreSQL's words -----------------------------------------

_PRAGMA = re.compile(r"\s*pragma\s+table_info\s*\(\s*['\"]?(\w+)['\"]?\s*\)\s*$", re.I)
_OR = re.compile(r"(\s*insert\s+)or\s+(replace|ignore)\s+into\s+(\"?\w+\"?)", re.I)
_TABLE_INFO = ("select ordinal_position - 1, column_name, data_type from"
               " information_schema.columns where table_schema = current_schema()"
               " and table_name = %s order by ordinal_position")
Columns = Callable[[str], tuple[list[str], list[str]]]  # table -> (columns, primary key)


def translate(sql: str, columns: Columns) -> tuple[str, tuple[str, ...]]:
    """`sql`, written for SQLite, as PostgreSQL takes it, with any parameters the
    translation itself adds (before the caller's). `columns(table)` gives a table's
    columns and primary key (for `insert or replace`)."""
    pragma = _PRAGMA.match(sql)
    if pragma:
        return _TABLE_INFO, (pragma.group(1),)
    suffix = ""
    found = _OR.match(sql)
    if found:
        verb, table = found.group(2).lower(), found.group(3).strip('"')
        sql = found.group(1) + "into " + found.group(3) + sql[found.end():]
        if verb == "ignore":
            suffix = " on conflict do nothing"
        else:
            names, keys = columns(table)
            if not keys:
                raise LogError(f"insert or replace into {table}: it has no primary key")
            sets = [f"{_ident(c)} = excluded.{_ident(c)}" for c in names if c not in keys]
            action = f"do update set {', '.join(sets)}" if sets else "do nothing"
            suffix = f" on conflict ({', '.join(map(_ident, keys))}) {action}"
    return _placeholders(sql) + suffix, ()


def _placeholders(sql: str) -> str:
    """`?` as `%s` and `%` as `%%`, outside quoted text and identifiers."""
    out, quote = [], ""
    for ch in sql:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "?":
            out.append("%s")
            continue
        if ch == "%":
            out.append("%%")
            continue
        out.append(ch)
    return "".join(out)
