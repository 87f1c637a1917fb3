"""The derived tables beside the events (snapshots, projections, the server's own):
made with `ensure_table`, filled with `write` in the store's transactions, read with
`query`. A mixin of `events.log.EventLog`, which gives it `conn`, `db`, `path` and
`transaction`; the log's own tables (`events.schema.OWN_TABLES`) are never made here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from events.damage import as_log_error
from events.errors import LogError
from events.schema import OWN_TABLES, create_table

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    import sqlite_utils

__all__ = ["DerivedTables", "check_derived_name"]


def check_derived_name(name: str) -> None:
    """Refuse `name` for a derived table if it is the log's own, or the database's
    (SQLite's `sqlite_` tables, PostgreSQL's `pg_` catalogs): every store asks this."""
    if name in OWN_TABLES or name.lower().startswith(("sqlite_", "pg_")):
        raise LogError(f"{name!r} is one of the log's own tables; a derived table "
                       "needs a name of its own")


class DerivedTables:
    """Tables of derived data in the log's file: made, filled, read."""

    path: str
    conn: sqlite3.Connection
    db: sqlite_utils.Database

    def transaction(self, wait: bool = True) -> AbstractContextManager[object]:
        raise NotImplementedError  # the store's own (`EventLog.transaction`)

    def has_table(self, name: str) -> bool:
        """Whether the file holds a table `name`."""
        return bool(self.db[name].exists())

    def ensure_table(
        self, name: str, columns: Mapping[str, type], pk: str | Sequence[str], *,
        not_null: Collection[str] = (), indexes: Mapping[str, Sequence[str]] | None = None,
        unique: Collection[str] = (), foreign_keys: Sequence[tuple[str, str, str]] = (),
        replace: bool = False,
    ) -> None:
        """Make derived table `name` unless it exists; with `replace`, make it anew.

        `columns` maps names to Python types (str, int, float, bytes), in table order;
        `indexes` maps index names to their columns, those named in `unique` unique;
        `foreign_keys` holds (column, other table, other column). Derived data only: the
        log's own tables (`events`, `meta`) cannot be made or replaced this way.
        """
        check_derived_name(name)
        if not replace and self.has_table(name):
            return
        with self.transaction():
            create_table(self.db, name, columns, pk, not_null, indexes, unique, foreign_keys,
                         replace)

    def query(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """The rows of a read over the derived tables, as tuples (the events themselves
        are read with `select` and `rows`)."""
        return self.conn.execute(sql, params)

    def write(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run `sql` for each of `rows`, all or none, in a transaction: fills derived tables."""
        with self.transaction():
            try:
                self.conn.executemany(sql, rows)
            except sqlite3.IntegrityError:
                raise
            except sqlite3.DatabaseError as e:  # damage, a full disk; SQL of no table
                raise as_log_error(self.path, e) from None

    def set_meta(self, key: str, value: str) -> None:
        """Record `key` = `value` in the log's `meta` table (as `derived_tables` says
        which tables can be dropped); the keys the store itself wrote cannot be set."""
        if key in ("schema_version", "application"):
            raise LogError(f"meta {key!r} is the store's own")
        self.write("insert or replace into meta (key, value) values (?, ?)", [(key, value)])
